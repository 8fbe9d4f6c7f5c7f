package report

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"renda/internal/records"
)

// IndexHandler serves GET /reports: every report with a form for its
// parameters and format, so a clerk can download a document from a
// browser without writing GraphQL. The page is plain HTML: no script,
// nothing loaded from elsewhere.
func IndexHandler(r *Registry, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		entries, err := r.List(req.Context())
		if err != nil {
			httpError(w, log, req, err)
			return
		}
		var buf bytes.Buffer
		if err := indexPage.Execute(&buf, entries); err != nil {
			log.ErrorContext(req.Context(), "reports page", "err", records.Redacted(err))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
		_, _ = w.Write(buf.Bytes())
	})
}

type formatChoice struct {
	Format       Format
	Value, Label string
}

var formatChoices = []formatChoice{
	{DOCX, "docx", "Word 文档 (.docx)"},
	{XLSX, "xlsx", "Excel 表格 (.xlsx)"},
	{HTML, "html", "网页 (可打印)"},
	{TEXT, "text", "纯文本 (.txt)"},
	{MARKDOWN, "md", "Markdown (.md)"},
}

var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"inputType": func(t ParamType) string {
		switch t {
		case ParamInt, ParamFloat:
			return "number"
		case ParamDate:
			return "date"
		}
		return "text"
	},
	"value": func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	},
	// Clerks want Word first; the rest follow in the order of use.
	"choices": func(offered []Format) []formatChoice {
		var out []formatChoice
		for _, c := range formatChoices {
			for _, f := range offered {
				if f == c.Format {
					out = append(out, c)
				}
			}
		}
		return out
	},
}).Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>renda · 报告</title>
<style>
body { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; }
section { border: 1px solid #ddd; border-radius: 6px; padding: 0.8rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 0.3rem; }
p.desc { color: #555; margin: 0 0 0.6rem; }
label { display: inline-block; margin: 0 1rem 0.4rem 0; }
input, select { font: inherit; padding: 0.15rem 0.3rem; }
button { font: inherit; padding: 0.2rem 0.9rem; }
.broken { border-color: #d33; }
.broken pre { color: #a00; white-space: pre-wrap; }
small { color: #777; }
</style>
</head>
<body>
<h1>报告</h1>
<p>填写参数，选择格式，下载由记录生成的文稿。<small>每个数字都在生成时由记录统计。</small></p>
{{range .}}
{{if .Err}}
<section class="broken"><h2>{{.ID}}</h2><p class="desc">这个报告模板有错误，暂时不能生成：</p><pre>{{.Err}}</pre></section>
{{else}}{{with .Plugin.Manifest}}
<section>
<h2>{{.Title}} <small>{{.ID}}</small></h2>
<p class="desc">{{.Description}}</p>
<form method="get" action="/reports/{{.ID}}">
{{range .Parameters}}<label>{{if .Description}}{{.Description}}{{else}}{{.Name}}{{end}}
<input name="{{.Name}}" type="{{inputType .Type}}" value="{{value .Default}}"{{if .Required}} required{{end}}></label>
{{end}}<label>格式 <select name="format">{{range choices .Formats}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</select></label>
<button type="submit">生成</button>
</form>
</section>
{{end}}{{end}}
{{end}}
</body>
</html>
`))
