package export_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"renda/internal/export"
	"renda/internal/records"
)

// TestExport_IDs: every sheet of every kind ends with an id column holding
// the records' ids, in CSV and XLSX; the download's name is a header a
// page of another origin may read (Access-Control-Expose-Headers); and a
// roster exported with its ids imports back without a word about them.
func TestExport_IDs(t *testing.T) {
	h, s := MustServer(t)
	ctx := context.Background()
	storeIDs := func(t *testing.T, find func() ([]string, error)) []string {
		t.Helper()
		ids, err := find()
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	deputyIDs := storeIDs(t, func() ([]string, error) {
		p, err := s.Deputies.Find(ctx, records.Query{Townships: []string{"qps"}, First: records.MaxPageSize})
		var ids []string
		for _, x := range p.Items {
			ids = append(ids, x.ID)
		}
		return ids, err
	})
	suggestionIDs := storeIDs(t, func() ([]string, error) {
		var ids []string
		q := records.Query{Townships: []string{"qps"}, First: records.MaxPageSize}
		for {
			p, err := s.Suggestions.Find(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, x := range p.Items {
				ids = append(ids, x.ID)
			}
			if !p.HasNextPage {
				return ids, nil
			}
			q.After = p.Cursors[len(p.Cursors)-1]
		}
	})
	exposes := func(t *testing.T, hdr http.Header) {
		t.Helper()
		if !slices.ContainsFunc(strings.Split(hdr.Get("Access-Control-Expose-Headers"), ","), func(v string) bool {
			return strings.EqualFold(strings.TrimSpace(v), "Content-Disposition")
		}) {
			t.Errorf("Access-Control-Expose-Headers %q: a page of another origin cannot read the file's name", hdr.Get("Access-Control-Expose-Headers"))
		}
		if hdr.Get("Content-Disposition") == "" {
			t.Error("no Content-Disposition")
		}
	}
	lastIDs := func(t *testing.T, rows [][]string) []string {
		t.Helper()
		header := rows[0]
		if header[len(header)-1] != "id" || slices.Index(header, "id") != len(header)-1 {
			t.Fatalf("header %v: want id last, once", header)
		}
		var ids []string
		for _, r := range rows[1:] {
			if len(r) < len(header) || r[len(header)-1] == "" {
				t.Fatalf("row %v has no id", r)
			}
			ids = append(ids, r[len(header)-1])
		}
		slices.Sort(ids)
		return ids
	}

	t.Run("CSV", func(t *testing.T) {
		rec := get(t, h, "/export/suggestions.csv", url.Values{"township": {"qps"}})
		exposes(t, rec.Header())
		if got := lastIDs(t, csvRows(t, rec)); !slices.Equal(got, suggestionIDs) {
			t.Fatalf("ids %v, want the suggestions' %v", got, suggestionIDs)
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		kinds := export.Kinds()
		rec := get(t, h, "/export/"+strings.Join(kinds, ",")+".xlsx", url.Values{"townships": {"qps"}})
		exposes(t, rec.Header())
		f := xlsxFile(t, rec)
		sheets := f.GetSheetList()
		if len(sheets) != len(kinds) {
			t.Fatalf("sheets %v for kinds %v", sheets, kinds)
		}
		for i, sh := range sheets {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) < 2 {
				t.Errorf("%s (%s): no rows; the demo has some of every kind", sh, kinds[i])
				continue
			}
			ids := lastIDs(t, rows)
			if len(slices.Compact(slices.Clone(ids))) != len(ids) {
				t.Errorf("%s: ids repeat: %v", sh, ids)
			}
			switch sh {
			case "代表":
				if !slices.Equal(ids, deputyIDs) {
					t.Errorf("代表: ids %v, want %v", ids, deputyIDs)
				}
			case "建议":
				if !slices.Equal(ids, suggestionIDs) {
					t.Errorf("建议: ids %v, want %v", ids, suggestionIDs)
				}
			}
		}
		if i := f.GetActiveSheetIndex(); i != 0 {
			t.Errorf("active sheet %d, want the first", i)
		}
	})

	t.Run("ImportsBack", func(t *testing.T) {
		rec := get(t, h, "/export/deputies.xlsx", url.Values{"township": {"qps"}})
		res := importsUnchanged(t, s, rec.Body.Bytes())
		for _, w := range res.Warnings {
			if strings.Contains(w, "id") {
				t.Errorf("the import says %q of the export's id column", w)
			}
		}
	})
}

// TestExport_Bound: a list of MaxRows records exports whole, read in one
// page past the API's page of 500; one more is refused before anything is
// written, naming the bound.
func TestExport_Bound(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 10 001 villages")
	}
	h, s := MustServer(t)
	ctx := context.Background()
	tw, err := s.Townships.Create(ctx, &records.Township{Name: "大村镇"})
	if err != nil {
		t.Fatal(err)
	}
	vs := make([]*records.Village, export.MaxRows)
	for i := range vs {
		vs[i] = &records.Village{Meta: records.Meta{Township: tw.ID}, Name: fmt.Sprintf("第%05d村", i)}
	}
	if _, err := s.Villages.Bulk(ctx, vs); err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "/export/villages.csv", url.Values{"township": {tw.ID}})
	rows := csvRows(t, rec)
	if len(rows)-1 != export.MaxRows || rows[1][0] != "第00000村" || rows[len(rows)-1][0] != fmt.Sprintf("第%05d村", export.MaxRows-1) {
		t.Fatalf("%d rows from %v to %v, want all %d villages in order", len(rows)-1, rows[1], rows[len(rows)-1], export.MaxRows)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: tw.ID}, Name: "多一村"}); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		rec := get(t, h, "/export/villages."+format, url.Values{"township": {tw.ID}})
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), fmt.Sprint(export.MaxRows)) ||
			rec.Header().Get("Content-Disposition") != "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
			t.Fatalf("%s of %d villages: status %d, %q, %v; want 400 naming %d and no file", format, export.MaxRows+1, rec.Code, rec.Body.String(), rec.Header(), export.MaxRows)
		}
	}
}
