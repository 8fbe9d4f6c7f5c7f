package report_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/report/engine"
)

// fakeSchema stands in for renda's GraphQL API above the store: Check
// declares fixed variables, Run answers with the engine's example data (a
// fresh copy each time, as templates may change what they are given).
type fakeSchema struct{ vars map[string]string }

func (s fakeSchema) Check(string) (map[string]string, error) { return s.vars, nil }

func (s fakeSchema) Run(ctx context.Context, _ string, _ map[string]any) (map[string]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return engine.ExampleData().(map[string]any), nil
}

// schemaVars are the variable sets a fuzzed manifest is checked against.
var schemaVars = []map[string]string{
	{},
	{"township": "ID!", "year": "Int"},
	{"year": "Int!", "from": "Date", "ratio": "Float", "all": "Boolean!", "name": "String"},
}

// FuzzManifest: any manifest.yaml either loads into a manifest that keeps
// every rule (a valid id, a title, known formats once each, parameters
// with their defaults of their type) or is refused with a *FileError that
// names manifest.yaml or query.graphql, at a line of the file when it
// gives one. Nothing panics and nothing takes long (YAML aliases cannot
// blow up).
func FuzzManifest(f *testing.F) {
	builtin, _ := filepath.Glob("../../reports/*/manifest.yaml")
	for _, name := range builtin {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), uint8(1))
	}
	for _, s := range []string{
		"id: hello\ntitle: 问候\n",
		"id: hello\ntitle: 问候\ntemplate: report.md.tmpl\nformats: [MARKDOWN, XLSX]\nkeepPunctuation: true\n",
		"id: hello\ntitle: t\nparameters:\n  - name: year\n    type: Int\n    default: 2023\n  - name: from\n    type: Date\n    default: '2023-01-01'\n  - {name: ratio, type: Float, default: 1e308}\n  - {name: all, type: Boolean, required: true, default: 'true'}\n",
		"id: hello\ntitle: t\nparameters:\n  - {name: year, type: Int, default: 1e400}\n",
		"id: hello\ntitle: t\nparameters:\n  - {name: year, type: Int, default: .nan}\n  - {name: year, type: Int}\n",
		"id: hello\ntitle: t\nparameters:\n  - {name: format, type: String}\n",
		"id: hello\ntitle: t\nformats: [DOCX, DOCX]\n",
		"id: Hello World\ntitle: t\n",
		"id: hello\ntitle: t\nunknown: 1\n",
		"id: hello\ntitle: [1, 2]\n",
		"id: hello\ntitle: t\ntemplate: _part.tmpl\n",
		"id: hello\ntitle: t\ntemplate: ../../etc/passwd.tmpl\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
		"id: hello\ntitle: t\nparameters:\n  - &p {name: a, type: String, default: &d [x, x, x, x, x, x, x, x]}\n  - {name: b, type: String, default: [*d, *d, *d, *d, *d, *d, *d, *d]}\n",
		"base: &base {id: hello, title: t}\n<<: *base\n",
		"id: hello\ntitle: t\n---\nid: other\n",
		"id: hello\ntitle: !!binary aGVsbG8=\n",
		"id: hello\ntitle: t\nparameters: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n",
		"id: hello\ntitle: t\ndescription: " + strings.Repeat("{a: ", 200) + "1" + strings.Repeat("}", 200) + "\n",
		"\tid: hello\n", "id: 'hello\n", "? [a, b]\n: c\n", "%YAML 1.2\n---\nid: hello\n", "", "\xff\xfe", "null",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, manifest string, vars uint8) {
		files := map[string]string{
			report.ManifestFile: manifest,
			report.QueryFile:    "query Q { township(id: \"qps\") { name } }",
			"report.md.tmpl":    "# {{.report.title}}\n",
		}
		schema := fakeSchema{vars: schemaVars[int(vars)%len(schemaVars)]}
		start := time.Now()
		p, err := report.Load(files, report.Source{Kind: "uploaded"}, schema, engine.Options{})
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("loading took %v", took)
		}
		if err != nil {
			var fe *report.FileError
			if !errors.As(err, &fe) || (fe.File != report.ManifestFile && fe.File != report.QueryFile) || fe.Msg == "" {
				t.Fatalf("error %v (%T), want a *report.FileError naming manifest.yaml or query.graphql", err, err)
			}
			// YAML breaks lines at \n, \r\n and a lone \r.
			lines := strings.Count(strings.ReplaceAll(strings.ReplaceAll(manifest, "\r\n", "\n"), "\r", "\n"), "\n") + 1
			if fe.Line < 0 || fe.Col < 0 || fe.Line > lines+1 {
				t.Fatalf("error %v: line %d of a %d-line file", err, fe.Line, lines)
			}
			return
		}
		m := p.Manifest
		if !report.ValidID(m.ID) || strings.TrimSpace(m.Title) == "" || m.Template != "report.md.tmpl" || len(m.Formats) == 0 {
			t.Fatalf("manifest %+v loaded, want a valid id, a title, its template and a format", m)
		}
		for i, format := range m.Formats {
			if !slices.Contains(report.Formats, format) || slices.Index(m.Formats, format) != i {
				t.Fatalf("format %q: unknown or listed twice in %v", format, m.Formats)
			}
		}
		for _, param := range m.Parameters {
			if param.Name == "" || param.Name == "format" {
				t.Fatalf("parameter %+v loaded", param)
			}
			var ok bool
			switch param.Default.(type) {
			case nil:
				ok = true
			case string:
				ok = param.Type == report.ParamString || param.Type == report.ParamID || param.Type == report.ParamDate
			case int:
				ok = param.Type == report.ParamInt
			case float64:
				ok = param.Type == report.ParamFloat
			case bool:
				ok = param.Type == report.ParamBoolean
			}
			if !ok {
				t.Fatalf("parameter %s %s has the default %#v (%T)", param.Name, param.Type, param.Default, param.Default)
			}
		}
		for name, typ := range schema.vars {
			i := slices.IndexFunc(m.Parameters, func(p report.Param) bool { return p.Name == name })
			if i < 0 || string(m.Parameters[i].Type) != strings.TrimSuffix(typ, "!") {
				t.Fatalf("query variable $%s: %s loaded without a parameter of its type in %+v", name, typ, m.Parameters)
			}
		}
	})
}

// renderTimeout is the deadline of a fuzzed render; convertSlack is what
// the deadline may be overrun by, for scheduling on a busy machine.
const (
	renderTimeout = time.Second
	convertSlack  = time.Second
	maxOutput     = 4 << 20 // the engine's default cap on a template's output
)

// renderManifest offers every format; its parameters have defaults.
const renderManifest = `id: fuzz
title: 模糊测试
parameters:
  - {name: township, type: ID, default: qps}
  - {name: year, type: Int, default: 2023}
formats: [MARKDOWN, TEXT, HTML, DOCX, XLSX]
`

// FuzzRender: an uploaded template, whatever it holds, never takes the
// process down: it is refused when loaded with a *FileError naming a
// template, or it renders in every format to output of bounded size or to
// an EINVALID error on the template or the format, within the render's
// deadline.
func FuzzRender(f *testing.F) {
	blocks := func(open string, n int) (string, string) {
		return strings.Repeat(open, n), strings.Repeat("{{end}}", n)
	}
	with8, end8 := blocks("{{with .}}", 8)
	range8, rend8 := blocks("{{range list 1}}", 8)
	if8, iend8 := blocks("{{if true}}", 8)
	with99, end99 := blocks("{{with .}}", 99)
	with101, end101 := blocks("{{with .}}", 101)
	seeds := []struct{ main, part string }{
		// What a report looks like.
		{"# {{.report.title}}\n\n## 一、视察\n\n{{range $i, $x := .data.inspections}}{{cnOrdinal (add1 $i)}}视察{{$x.topic}}({{dateText $x.date}})。{{end}}\n\n" +
			"| 姓名 | 级别 |\n|---|---|\n{{range .data.deputies}}| {{.name}} | {{join \"、\" .levels}} |\n{{end}}\n---\n\n{{include \"_part.tmpl\" .data}}\n",
			"共{{cnCount (len .projects)}}个项目,总里程{{sumBy .projects \"lengthKm\" | approx}}公里。"},
		// Recursion through template and include, with blocks around each call.
		{`{{define "r"}}` + with8 + `{{template "r" .}}` + end8 + `{{end}}{{template "r" .}}`, ""},
		{`{{define "r"}}` + range8 + `{{template "r" .}}` + rend8 + `{{end}}{{template "r" .}}`, ""},
		{`{{define "r"}}` + if8 + `{{template "r" .}}` + iend8 + `{{end}}{{template "r" .}}`, ""},
		{`{{define "r"}}` + with8 + `{{include "r" .}}` + end8 + `{{end}}{{include "r" .}}`, ""},
		{`{{template "_part.tmpl" .}}`, `{{with .}}{{if .}}{{include "report.md.tmpl" .}}{{end}}{{end}}`},
		{`{{define "r"}}` + with99 + `{{template "r" .}}` + end99 + `{{end}}{{template "r" .}}`, ""},
		{with101 + "x" + end101, ""},
		{"{{" + strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150) + "}}", ""},
		// Work and output: huge ranges, printf widths, the output cap.
		{`{{range 100000}}{{range 100000}}x{{end}}{{end}}`, ""},
		{`{{range $i := until 10000}}{{range $j := until 10000}}{{end}}{{end}}`, ""},
		{`{{printf "%999999d" 1}}{{printf "%*d" 100000000 1}}{{printf (repeat 200 "%999[1]v") (list 1 2)}}`, ""},
		{`{{repeat 5000000 "x"}}`, ""},
		{`{{$x := list "aaaaaaaa"}}{{range until 40}}{{$x = list $x $x}}{{end}}{{$x}}`, ""},
		{`{{$d := dict}}{{$_ := set $d "a" $d}}{{toJson $d}}`, ""},
		{`{{$_ := set .data "data" .}}{{toPrettyJson .}}`, ""},
		// Markdown that stresses conversion: tables, lists, emphasis, punctuation.
		{"| a | b |\n|---|---|\n{{range 14000}}| x | y |\n{{end}}", ""},
		{"| h |\n|---|\n{{range 40000}}|x{{end}}\n", ""},
		{"{{range 15000}}|a|b|\n{{end}}", ""},
		{`{{range $i := until 16}}{{repeat $i "    "}}- 第{{$i}}层
{{end}}{{range $i := until 40}}{{repeat $i "> "}}引文
{{end}}`, ""},
		{`{{range 49000}}- 项
{{end}}`, ""},
		{`{{repeat 20000 "**粗**_斜_"}}`, ""},
		{`{{repeat 60000 "*a"}}`, ""},
		{`{{repeat 30000 "[a](b)"}}`, ""},
		{"中{{repeat 4000000 \",\"}}", ""},
		{"# 标题\n\n```\n{{repeat 100000 \"代码,(x)\\n\"}}```\n", ""},
		{"", ""},
		{"{{", ""},
		{"{{.nope.deeper}}", "{{end}}"},
	}
	for i, s := range seeds {
		f.Add(s.main, s.part, uint8(i))
	}
	// The conversion stress cases in the formats that parse the Markdown.
	// A paragraph of 40000 short lines took 9-10 s in each of them until a
	// run's text stopped being grown by +=.
	for _, main := range []string{
		"| a | b |\n|---|---|\n{{range 14000}}| x | y |\n{{end}}",
		"{{repeat 40000 \"<b>x</b>&amp;\\\"\\n\"}}",
	} {
		for _, fm := range []uint8{1, 2, 3, 4} { // TEXT, HTML, DOCX, XLSX
			f.Add(main, "", fm)
		}
	}
	f.Fuzz(func(t *testing.T, main, part string, format uint8) {
		files := map[string]string{
			report.ManifestFile: renderManifest,
			report.QueryFile:    "query Q($township: ID!, $year: Int) { township(id: $township) { name } }",
			"report.md.tmpl":    main,
			"_part.tmpl":        part,
		}
		schema := fakeSchema{vars: map[string]string{"township": "ID!", "year": "Int"}}
		start := time.Now()
		p, err := report.Load(files, report.Source{Kind: "uploaded"}, schema, engine.Options{Timeout: renderTimeout})
		if took := time.Since(start); took > renderTimeout {
			t.Fatalf("loading took %v", took)
		}
		if err != nil {
			var fe *report.FileError
			if !errors.As(err, &fe) || (fe.File != "report.md.tmpl" && fe.File != "_part.tmpl") || fe.Msg == "" {
				t.Fatalf("error %v (%T), want a *report.FileError naming a template", err, err)
			}
			return
		}
		fm := report.Formats[int(format)%len(report.Formats)]
		start = time.Now()
		out, err := p.Render(context.Background(), schema, nil, fm)
		if took := time.Since(start); took > renderTimeout+convertSlack {
			t.Fatalf("rendering %s took %v; the deadline is %v (%v)", fm, took, renderTimeout, err)
		}
		if err != nil {
			// A render ends in the template's or the document's fault, or,
			// once the deadline passed (a loaded machine), in TIMEOUT.
			code, field := records.ErrorCode(err), records.ErrorField(err)
			if code != records.ETIMEOUT && (code != records.EINVALID || (field != "template" && field != "format")) {
				t.Fatalf("error %v, want EINVALID on the template or the format, or TIMEOUT", err)
			}
			return
		}
		// Punctuate may widen ASCII punctuation to three bytes, and HTML
		// escaping writes up to six bytes for one.
		limit := 3 * maxOutput
		if fm != report.MARKDOWN && fm != report.TEXT {
			limit = 6*maxOutput + 1<<20
		}
		if len(out.Content) > limit {
			t.Fatalf("%s output is %d bytes, want at most %d", fm, len(out.Content), limit)
		}
		if out.Format != fm || out.MimeType != fm.MimeType() {
			t.Fatalf("rendered as %s (%s), asked for %s", out.Format, out.MimeType, fm)
		}
	})
}
