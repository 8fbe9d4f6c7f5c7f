package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/graph"
	"renda/internal/export"
	"renda/internal/importer"
	"renda/internal/records"
)

// as serves h to requests made by actor, as the sign-in gate would.
func as(actor records.Actor, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(records.WithActor(r.Context(), actor)))
	})
}

var (
	viewer = records.Actor{ID: "user:viewer", Role: records.Viewer, Townships: []string{"qps"}}
	editor = records.Actor{ID: "user:clerk", Role: records.Editor, Townships: []string{"qps"}}
)

// csvRows reads an exported CSV.
func csvRows(tb testing.TB, rec *httptest.ResponseRecorder) [][]string {
	tb.Helper()
	if rec.Code != http.StatusOK {
		tb.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

// xlsxFile opens an exported XLSX.
func xlsxFile(tb testing.TB, rec *httptest.ResponseRecorder) *excelize.File {
	tb.Helper()
	if rec.Code != http.StatusOK {
		tb.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = f.Close() })
	return f
}

// importsUnchanged imports an exported roster back into qps (a dry run,
// as an editor would) and fails unless every deputy is unchanged.
func importsUnchanged(tb testing.TB, s *records.Store, data []byte) *importer.Result {
	tb.Helper()
	res, err := importer.Import(context.Background(), importer.Store{Townships: s.Townships, Deputies: s.Deputies, Villages: s.Villages, Projects: s.Projects},
		bytes.NewReader(data), importer.Options{Kind: importer.Deputies, Township: "qps", DryRun: true})
	if err != nil {
		tb.Fatal(err)
	}
	n, _ := s.Deputies.Count(context.Background(), records.Query{Townships: []string{"qps"}})
	if res.Count(importer.Unchanged) != n || len(res.Rows) != n {
		for _, r := range res.Rows {
			if r.Action != importer.Unchanged {
				tb.Errorf("row %d %s: %s %+v %+v", r.Line, r.Record, r.Action, r.Changes, r.Problems)
			}
		}
		tb.Fatalf("%s: want all %d deputies unchanged (不变)", res.Summary(), n)
	}
	return res
}

// TestExport_Formulas: a deputy named =HYPERLINK("http://x","点此") (and
// other text that starts as a formula) is exported as text no spreadsheet
// runs — in CSV after an apostrophe, in XLSX as a string cell — while a
// negative number stays a number; both files import back unchanged.
func TestExport_Formulas(t *testing.T) {
	h, s := MustServer(t)
	ctx := context.Background()
	if _, err := s.Attributes.Put(ctx, "qps", records.KindDeputy, records.AttributeDef{Path: "score", Label: "积分", Type: records.AttrNumber}); err != nil {
		t.Fatal(err)
	}
	const name = `=HYPERLINK("http://x","点此")`
	if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: "qps", Attributes: map[string]any{"score": -3}},
		Name: name, Occupation: "@SUM(A1)", Term: "+1", Group: "-2", Levels: []records.Level{records.TOWNSHIP}}); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // column: CSV cell, XLSX cell
		"姓名":   {`'` + name, name},
		"职业":   {"'@SUM(A1)", "@SUM(A1)"},
		"届别":   {"'+1", "+1"},
		"代表小组": {"'-2", "-2"},
		"积分":   {"-3", "-3"},
	}

	t.Run("CSV", func(t *testing.T) {
		rec := get(t, h, "/export/deputies.csv", url.Values{"township": {"qps"}})
		rows := csvRows(t, rec)
		header, score := rows[0], slices.Index(rows[0], "积分")
		var row []string
		for _, r := range rows[1:] {
			if r[column(header, "姓名")] == `'`+name {
				row = r
			}
			for i, c := range r {
				if i != score && c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("a text cell starts as a formula: %q", c)
				}
			}
		}
		if row == nil {
			t.Fatalf("no row named %q in %q", `'`+name, rows)
		}
		for col, w := range want {
			if got := row[column(header, col)]; got != w[0] {
				t.Errorf("%s: %q, want %q", col, got, w[0])
			}
		}
		importsUnchanged(t, s, rec.Body.Bytes())
	})

	t.Run("XLSX", func(t *testing.T) {
		rec := get(t, h, "/export/deputies.xlsx", url.Values{"township": {"qps"}})
		f := xlsxFile(t, rec)
		rows, _ := f.GetRows("代表")
		header := rows[0]
		line := 0
		for i, r := range rows[1:] {
			if r[column(header, "姓名")] == name {
				line = i + 2
			}
		}
		if line == 0 {
			t.Fatalf("no row named %q", name)
		}
		for col, w := range want {
			cell, _ := excelize.CoordinatesToCellName(column(header, col)+1, line)
			got, _ := f.GetCellValue("代表", cell)
			typ, _ := f.GetCellType("代表", cell)
			formula, _ := f.GetCellFormula("代表", cell)
			wantType := excelize.CellTypeInlineString
			if col == "积分" {
				wantType = excelize.CellTypeUnset // a number cell: no t attribute
			}
			if got != w[1] || typ != wantType || formula != "" {
				t.Errorf("%s (%s): %q of type %v, formula %q; want %q of type %v and no formula", col, cell, got, typ, formula, w[1], wantType)
			}
		}
		importsUnchanged(t, s, rec.Body.Bytes())
	})
}

// TestExport_Masked: an export shows phone numbers as the API shows them to
// whoever exports: masked (138****5678) for a viewer, whole for an editor
// of the township. A viewer's masked roster, imported by an editor,
// changes nothing.
func TestExport_Masked(t *testing.T) {
	h, s := MustServer(t)
	page, err := s.Deputies.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: records.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	phones := map[string]string{} // by name, as stored
	for _, d := range page.Items {
		phones[d.Name] = d.Phone
	}
	for _, tc := range []struct {
		name  string
		actor records.Actor
		whole bool
	}{{"Viewer", viewer, false}, {"Editor", editor, true}} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(format string, rows [][]string) {
				header := rows[0]
				seen := 0
				for _, r := range rows[1:] {
					stored := phones[r[column(header, "姓名")]]
					if stored == "" {
						continue
					}
					want := records.MaskPhone(stored)
					if tc.whole {
						want = stored
					}
					if got := r[column(header, "联系电话")]; got != want {
						t.Fatalf("%s: %s's phone %q, want %q", format, r[0], got, want)
					}
					seen++
				}
				if seen < 10 {
					t.Fatalf("%s: %d phones checked, want the demo's", format, seen)
				}
			}
			rec := get(t, as(tc.actor, h), "/export/deputies.csv", url.Values{"township": {"qps"}})
			check("CSV", csvRows(t, rec))
			if !tc.whole && strings.Contains(rec.Body.String(), "13800000001") {
				t.Fatal("the viewer's CSV holds a whole phone number")
			}
			rec = get(t, as(tc.actor, h), "/export/deputies.xlsx", url.Values{"township": {"qps"}})
			rows, _ := xlsxFile(t, rec).GetRows("代表")
			check("XLSX", rows)
			if !tc.whole {
				importsUnchanged(t, s, rec.Body.Bytes())
			}
		})
	}
}

// TestExport_Audited: an export made is an audit entry — who, which kinds,
// townships, filter and file, how many rows — that admins find in
// auditLog; an export refused is none.
func TestExport_Audited(t *testing.T) {
	h, s := MustServer(t)
	rec := get(t, as(viewer, h), "/export/deputies.csv", url.Values{"township": {"qps"}, "filter": {countyDeputies}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if rec := get(t, as(viewer, h), "/export/deputies.csv", url.Values{"filter": {`{"levels": {"has": "PROVINCE"}}`}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("a bad filter: status %d, want 400", rec.Code)
	}

	api := graph.New(s, slog.New(slog.DiscardHandler))
	body, _ := json.Marshal(map[string]any{"query": `{ auditLog(filter: {action: "export"}) { nodes { actor action kind recordId township after } } }`})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	out := httptest.NewRecorder()
	api.ServeHTTP(out, req.WithContext(records.WithActor(req.Context(), records.Actor{ID: "user:admin", Role: records.Admin, Townships: []string{"qps"}})))
	var resp struct {
		Data struct {
			AuditLog struct {
				Nodes []struct {
					Actor, Action, Kind, RecordID, Township string
					After                                   struct {
						Kinds     []string
						Format    string
						File      string
						Townships []string
						Filter    map[string]any
						Rows      map[string]int
						TotalRows map[string]int
					}
				}
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(out.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("auditLog: %v %s", err, out.Body.String())
	}
	nodes := resp.Data.AuditLog.Nodes
	if len(nodes) != 1 {
		t.Fatalf("%d export entries, want one (the refused export is none): %s", len(nodes), out.Body.String())
	}
	e, n := nodes[0], wantRows(t, s)
	if e.Actor != viewer.ID || e.Action != export.ActionExport || e.Kind != "exports" || e.RecordID == "" || e.Township != "qps" ||
		!slices.Equal(e.After.Kinds, []string{"deputies"}) || e.After.Format != "csv" || e.After.File != "棋盘山镇代表-"+strings.ReplaceAll(string(records.Today()), "-", "")+".csv" ||
		!slices.Equal(e.After.Townships, []string{"qps"}) || e.After.Rows["deputies"] != n || e.After.TotalRows["deputies"] != n {
		t.Fatalf("entry %+v; want the viewer's CSV of %d deputies of qps", e, n)
	}
	if got, _ := json.Marshal(e.After.Filter["deputies"]); string(got) != mustCompact(t, countyDeputies) {
		t.Fatalf("filter %s, want %s", got, countyDeputies)
	}
}

func mustCompact(tb testing.TB, s string) string {
	tb.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}
