package export

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"

	"renda/internal/httperr"
	"renda/internal/records"
)

// maxParam bounds a filter or orderBy parameter.
const maxParam = 64 << 10

// Auditor keeps the audit trail: records.Database's Audit.
type Auditor interface {
	Audit(ctx context.Context, e records.AuditEntry)
}

// ActionExport is the audit action of an export; its entries are of kind
// "exports".
const ActionExport = "export"

// Handler serves GET /export/{file}: file is the kinds and the format,
// deputies.xlsx, deputies.csv or deputies,projects.xlsx (a sheet each).
// Parameters: township=ID or townships=ID,ID (omitted: all you may see),
// filter=<JSON> and orderBy=<JSON> as the list takes them (for several
// kinds, filter.deputies=<JSON> …). The file downloads, named in Chinese
// (代表.xlsx). Every export made is an audit entry (see audit).
func Handler(run Runner, auditor Auditor, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := parse(r)
		if err == nil {
			var f *File
			if f, err = Export(r.Context(), run, req); err == nil {
				audit(r.Context(), auditor, req, f)
				write(w, log, r, f)
				return
			}
		}
		httpError(w, log, r, err)
	})
}

// write answers the file, written as it goes. The name is a header a
// page of another allowed origin may read (CORS exposes it), so a
// dashboard saves the file under it. An error before the first byte is
// answered as an error; after it, the response is broken off, so the
// download fails rather than ending short as if complete.
func write(w http.ResponseWriter, log *slog.Logger, r *http.Request, f *File) {
	h := w.Header()
	h.Set("Content-Type", f.MimeType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Access-Control-Expose-Headers", "Content-Disposition")
	h.Set("X-Content-Type-Options", "nosniff")
	n, err := f.WriteTo(w)
	if err == nil {
		return
	}
	if n == 0 {
		h.Del("Content-Disposition")
		h.Del("Access-Control-Expose-Headers")
		httpError(w, log, r, err)
		return
	}
	log.WarnContext(r.Context(), "export broken off", "file", f.Name, "written", n, "err", err)
	panic(http.ErrAbortHandler)
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

// audit records an export that was made: who (the caller, filled in by
// the store), which kinds, townships, filters and order, the file and its
// rows. It writes an entry per township the rows came from — so a
// township's admins find what was exported of it — with that township's
// rows; an export of no rows is one entry, on its one township if it
// named one. The entries share a record id, the export's.
func audit(ctx context.Context, auditor Auditor, req Request, f *File) {
	id := records.NewID()
	after := map[string]any{"kinds": req.Kinds, "format": string(req.Format), "file": f.Name}
	if req.Townships != nil {
		after["townships"] = req.Townships
	}
	for name, m := range map[string]map[string]any{"filter": req.Filters, "orderBy": req.Orders} {
		if len(m) > 0 {
			after[name] = plainJSON(m)
		}
	}
	total := map[string]int{}
	for _, k := range req.Kinds {
		total[k] = 0
	}
	for _, byKind := range f.Rows {
		for k, n := range byKind {
			total[k] += n
		}
	}
	after["totalRows"] = total
	entry := func(t string, rows map[string]int) records.AuditEntry {
		a := maps.Clone(after)
		a["rows"] = rows
		return records.AuditEntry{Action: ActionExport, Kind: "exports", RecordID: id, Township: t, After: a}
	}
	if len(f.Rows) == 0 {
		t := ""
		if len(req.Townships) == 1 {
			t = req.Townships[0]
		}
		auditor.Audit(ctx, entry(t, map[string]int{}))
		return
	}
	for _, t := range slices.Sorted(maps.Keys(f.Rows)) {
		auditor.Audit(ctx, entry(t, f.Rows[t]))
	}
}

// plainJSON is a parameter's JSON as plain values (numbers as float64, not
// json.Number), as every store keeps them.
func plainJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
