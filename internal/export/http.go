package export

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"renda/internal/httperr"
	"renda/internal/records"
)

// maxParam bounds a filter or orderBy parameter.
const maxParam = 64 << 10

// Handler serves GET /export/{file}: file is the kinds and the format,
// deputies.xlsx, deputies.csv or deputies,projects.xlsx (a sheet each).
// Parameters: township=ID or townships=ID,ID (omitted: all you may see),
// filter=<JSON> and orderBy=<JSON> as the list takes them (for several
// kinds, filter.deputies=<JSON> …). The file downloads, named in Chinese
// (代表.xlsx).
func Handler(run Runner, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := parse(r)
		if err == nil {
			var f *File
			if f, err = Export(r.Context(), run, req); err == nil {
				w.Header().Set("Content-Type", f.MimeType)
				w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
				w.Header().Set("X-Content-Type-Options", "nosniff")
				_, _ = w.Write(f.Content)
				return
			}
		}
		httpError(w, log, r, err)
	})
}

func parse(r *http.Request) (Request, error) {
	file := r.PathValue("file")
	base, ext, ok := strings.Cut(file, ".")
	if !ok {
		return Request{}, records.Invalidf("file", "name the file as kinds and format: deputies.xlsx, deputies.csv, deputies,projects.xlsx")
	}
	req := Request{Format: Format(strings.ToLower(ext)), Kinds: strings.Split(base, ","), Filters: map[string]any{}, Orders: map[string]any{}}
	q := r.URL.Query()
	if t := q.Get("township"); t != "" {
		req.Townships = []string{t}
	}
	if ts, ok := q["townships"]; ok {
		if req.Townships != nil {
			return req, records.Invalidf("townships", "give township or townships, not both")
		}
		req.Townships = []string{}
		for _, v := range ts {
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					req.Townships = append(req.Townships, t)
				}
			}
		}
		if len(req.Townships) > records.MaxFilterValues {
			return req, records.Invalidf("townships", "at most %d townships", records.MaxFilterValues)
		}
	}
	for _, p := range []struct {
		name string
		into map[string]any
	}{{"filter", req.Filters}, {"orderBy", req.Orders}} {
		for _, k := range req.Kinds {
			key := p.name + "." + k
			v := q.Get(key)
			if v == "" && len(req.Kinds) == 1 {
				key, v = p.name, q.Get(p.name)
			}
			if v == "" {
				continue
			}
			x, err := parseJSON(key, v)
			if err != nil {
				return req, err
			}
			p.into[k] = x
		}
	}
	return req, nil
}

// parseJSON reads a parameter's JSON, numbers kept as written.
func parseJSON(name, v string) (any, error) {
	if len(v) > maxParam {
		return nil, records.Invalidf(name, "at most %d KiB", maxParam>>10)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil || dec.More() {
		return nil, records.Invalidf(name, "is not JSON: give it as the list's GraphQL argument would be, e.g. {\"levels\":{\"has\":\"COUNTY\"}}")
	}
	return x, nil
}

// httpError answers with the error, as every plain endpoint does.
func httpError(w http.ResponseWriter, log *slog.Logger, r *http.Request, err error) {
	httperr.Write(w, log, r, "export", err)
}
