package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/graph"
	"renda/internal/export"
	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/storetest"
)

// MustServer serves /export/{file} over the demo township, as renda serve
// wires it.
func MustServer(tb testing.TB) (http.Handler, *records.Store) {
	tb.Helper()
	s := storetest.MustDemo(tb)
	log := slog.New(slog.DiscardHandler)
	mux := http.NewServeMux()
	mux.Handle("GET /export/{file}", export.Handler(graph.New(s, log), s, log))
	return mux, s
}

func get(tb testing.TB, h http.Handler, path string, q url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil))
	return rec
}

// countyDeputies is the filter the tests export by: deputies at the county
// level, as the list takes it.
const countyDeputies = `{"levels": {"has": "COUNTY"}}`

// wantRows counts the deputies the filter selects, through the store.
func wantRows(tb testing.TB, s *records.Store) int {
	tb.Helper()
	n, err := s.Deputies.Count(context.Background(), records.Query{Townships: []string{"qps"},
		Filter: records.Expr{Cond: &records.Cond{Path: "levels", Op: records.OpEq, Value: "COUNTY"}}})
	if err != nil || n == 0 {
		tb.Fatalf("%d county-level deputies in the demo (%v), want some", n, err)
	}
	return n
}

func column(header []string, name string) int { return slices.Index(header, name) }

// TestExport_XLSX: a filtered deputy list as XLSX: Chinese headers, date
// cells, enumerations in Chinese, the list's rows.
func TestExport_XLSX(t *testing.T) {
	h, s := MustServer(t)
	rec := get(t, h, "/export/deputies.xlsx", url.Values{"township": {"qps"}, "filter": {countyDeputies}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	_, params, _ := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
	// Named as a clerk files it: the township, the list, the day.
	if want := "棋盘山镇代表-" + strings.ReplaceAll(string(records.Today()), "-", "") + ".xlsx"; params["filename"] != want {
		t.Fatalf("file named %q, want %s", params["filename"], want)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("代表")
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	for _, h := range []string{"姓名", "性别", "出生年月", "代表层级", "代表小组", "所在村"} {
		if column(header, h) < 0 {
			t.Fatalf("header %v lacks %s", header, h)
		}
	}
	if got, want := len(rows)-1, wantRows(t, s); got != want {
		t.Fatalf("%d rows, want the %d county-level deputies", got, want)
	}
	gender, levels, birth := column(header, "性别"), column(header, "代表层级"), column(header, "出生年月")
	dates := 0
	for i, r := range rows[1:] {
		if len(r) > gender && r[gender] != "" && r[gender] != "男" && r[gender] != "女" {
			t.Fatalf("row %d: 性别 %q, want 男 or 女", i+2, r[gender])
		}
		if !strings.Contains(r[levels], "县级") {
			t.Fatalf("row %d: 代表层级 %q, want 县级 among them", i+2, r[levels])
		}
		if len(r) <= birth || r[birth] == "" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(birth+1, i+2)
		raw, _ := f.GetCellValue("代表", cell, excelize.Options{RawCellValue: true})
		if !regexp.MustCompile(`^\d{4,5}(\.\d+)?$`).MatchString(raw) || !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(r[birth]) {
			t.Fatalf("%s holds %q shown %q: want a date serial shown YYYY-MM-DD", cell, raw, r[birth])
		}
		dates++
	}
	if dates == 0 {
		t.Fatal("no birth date exported: the demo's deputies have them")
	}
}

// TestExport_CSV: the same list as CSV, UTF-8 with a byte order mark.
func TestExport_CSV(t *testing.T) {
	h, s := MustServer(t)
	rec := get(t, h, "/export/deputies.csv", url.Values{"townships": {"qps"}, "filter": {countyDeputies}})
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	body, ok := bytes.CutPrefix(rec.Body.Bytes(), []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("no UTF-8 byte order mark: Excel would misread the Chinese")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	if header[0] != "姓名" || column(header, "代表层级") < 0 {
		t.Fatalf("header %v: want 姓名 first (one township: no 乡镇 column) and 代表层级", header)
	}
	if got, want := len(recs)-1, wantRows(t, s); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	for _, r := range recs[1:] {
		if l := r[column(header, "代表层级")]; !strings.Contains(l, "县级") {
			t.Fatalf("代表层级 %q, want 县级 among them", l)
		}
	}
}

// TestExport_Sheets: several kinds as one workbook, a sheet each, with
// the 乡镇 column when the export spans townships.
func TestExport_Sheets(t *testing.T) {
	h, _ := MustServer(t)
	rec := get(t, h, "/export/deputies,villages,suggestions.xlsx", url.Values{"filter.suggestions": {`{"year": {"eq": 2023}}`}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"代表", "村", "建议"}) {
		t.Fatalf("sheets %v, want 代表, 村, 建议", got)
	}
	rows, _ := f.GetRows("建议")
	if rows[0][0] != "乡镇" || rows[1][0] != "棋盘山镇" {
		t.Fatalf("first column %q, %q: want 乡镇 and the township's name", rows[0][0], rows[1][0])
	}
	status := column(rows[0], "办理状态")
	for _, r := range rows[1:] {
		if !slices.Contains([]string{"已提出", "已受理", "已交办", "已答复", "已评价", "已办结", "不予受理", "重新办理"}, r[status]) {
			t.Fatalf("办理状态 %q, want a Chinese status", r[status])
		}
	}
}

func TestExport_Errors(t *testing.T) {
	h, _ := MustServer(t)
	for _, c := range []struct {
		name, path string
		q          url.Values
		status     int
		says       string
	}{
		{"ErrNotFound/Townships", "/export/deputies.xlsx", url.Values{"townships": {"qps,nowhere"}}, http.StatusNotFound, "townships.1"},
		{"ErrNotFound/Township", "/export/inspections.csv", url.Values{"township": {"nowhere"}}, http.StatusNotFound, "township"},
		{"ErrBadJSON", "/export/deputies.csv", url.Values{"filter": {"{levels"}}, http.StatusBadRequest, "filter"},
		{"ErrBadFilter", "/export/deputies.csv", url.Values{"filter": {`{"levels": {"has": "PROVINCE"}}`}}, http.StatusBadRequest, "PROVINCE"},
		{"ErrUnknownKind", "/export/voters.csv", nil, http.StatusBadRequest, "kinds"},
		{"ErrCSVOfSeveral", "/export/deputies,villages.csv", nil, http.StatusBadRequest, "xlsx"},
		{"ErrFormat", "/export/deputies.pdf", nil, http.StatusBadRequest, "format"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.path, c.q)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.says) {
				t.Fatalf("status %d %q, want %d saying %q", rec.Code, rec.Body.String(), c.status, c.says)
			}
		})
	}
}

// TestExport_LibreOffice: LibreOffice opens the XLSX and reads its dates
// as dates and its headers and enumerations in Chinese (skipped where
// LibreOffice is not installed).
func TestExport_LibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil || testing.Short() {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	// Calc is a package of its own (libreoffice-calc); without it soffice
	// loads no spreadsheet and says only "source file could not be loaded".
	if real, err := filepath.EvalSymlinks(soffice); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(real), "libsclo.so")); err != nil {
			t.Skip("LibreOffice Calc is not installed (libreoffice-calc)")
		}
	}
	h, _ := MustServer(t)
	rec := get(t, h, "/export/deputies.xlsx", url.Values{"township": {"qps"}, "filter": {countyDeputies}})
	dir := t.TempDir()
	in := filepath.Join(dir, "代表.xlsx")
	if err := os.WriteFile(in, rec.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "fods", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	fods, err := os.ReadFile(filepath.Join(dir, "代表.fods"))
	if err != nil {
		t.Fatalf("LibreOffice did not read the export: %v; it said: %s", err, out)
	}
	doc := string(fods)
	for _, want := range []string{"<text:p>姓名</text:p>", "<text:p>出生年月</text:p>", "<text:p>县级", `office:value-type="date"`} {
		if !strings.Contains(doc, want) {
			t.Fatalf("LibreOffice's reading lacks %s", want)
		}
	}
}

// TestExport_ImportsBack: an exported roster is one the roster import
// reads: importing it again (a dry run) finds every deputy unchanged.
func TestExport_ImportsBack(t *testing.T) {
	h, s := MustServer(t)
	rec := get(t, h, "/export/deputies.xlsx", url.Values{"township": {"qps"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	res, err := importer.Import(context.Background(), importer.Store{Townships: s.Townships, Deputies: s.Deputies, Villages: s.Villages, Projects: s.Projects},
		bytes.NewReader(rec.Body.Bytes()), importer.Options{Kind: importer.Deputies, Township: "qps", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.Deputies.Count(context.Background(), records.Query{Townships: []string{"qps"}})
	if res.Count(importer.Unchanged) != n || len(res.Rows) != n {
		for _, r := range res.Rows {
			if r.Action != importer.Unchanged {
				t.Errorf("row %d %s: %s %+v %+v", r.Line, r.Record, r.Action, r.Changes, r.Problems)
				break
			}
		}
		t.Fatalf("%s, warnings %v: want all %d deputies unchanged", res.Summary(), res.Warnings, n)
	}
}
