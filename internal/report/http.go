package report

import (
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"renda/internal/httperr"
	"renda/internal/records"
)

// Handler serves GET /reports/{id}?format=docx&township=qps&year=2023:
// every query parameter but format is a report parameter. The document is
// sent as an attachment named after the report, so a browser saves it.
func Handler(r *Registry, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id := req.PathValue("id")
		q := req.URL.Query()
		var format Format
		if f := q.Get("format"); f != "" {
			var err error
			if format, err = ParseFormat(f); err != nil {
				httpError(w, log, req, records.Invalidf("format", "%v", err))
				return
			}
		}
		params := map[string]any{}
		for k, vs := range q {
			if k != "format" && len(vs) > 0 {
				params[k] = vs[len(vs)-1]
			}
		}
		out, err := r.Render(req.Context(), id, params, format)
		if err != nil {
			httpError(w, log, req, err)
			return
		}
		w.Header().Set("Content-Type", out.MimeType)
		// A page opens in the browser (to read or print); files download.
		disposition := "attachment"
		if out.Format == HTML {
			disposition = "inline"
		}
		w.Header().Set("Content-Disposition", contentDisposition(disposition, out.Filename))
		// A page of another allowed origin may read the name and the warnings.
		w.Header().Set("Access-Control-Expose-Headers", "Content-Disposition, X-Report-Warnings, X-Report-Warning")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if out.Format == HTML {
			// The page is the report's own; it loads nothing and runs nothing.
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		}
		// Headers stay small for proxies: the count, and the first few.
		w.Header().Set("X-Report-Warnings", strconv.Itoa(len(out.Warnings)))
		for i, warn := range out.Warnings {
			if i == maxWarningHeaders {
				break
			}
			if r := []rune(warn); len(r) > 100 {
				warn = string(r[:100]) + "…"
			}
			w.Header().Add("X-Report-Warning", url.QueryEscape(warn))
		}
		_, _ = w.Write(out.Content)
	})
}

const maxWarningHeaders = 5

// contentDisposition names the file: a Chinese name goes as filename*=
// utf-8”… (RFC 6266 with RFC 5987 encoding), which browsers understand.
func contentDisposition(disposition, name string) string {
	return mime.FormatMediaType(disposition, map[string]string{"filename": name})
}

// httpError answers with the error, as every plain endpoint does.
func httpError(w http.ResponseWriter, log *slog.Logger, req *http.Request, err error) {
	httperr.Write(w, log, req, "report", err)
}
