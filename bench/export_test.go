package bench_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/export"
	"renda/internal/records"
	"renda/internal/storetest"
)

// exportCases are the suggestion exports measured: one township's year
// (qps, 143 rows), the county's year (the analysts' case: 4 290 rows on
// 30 townships) and the county's suggestions since 2021-09-14, near the
// export's bound of 10 000 rows a kind. The time per row should not grow
// with the rows.
var exportCases = []struct {
	name     string
	township string // "" county-wide
	filter   string // the list's filter, as the export takes it
	where    string // the same, in SQL on the suggestions table
}{
	{"qps-2023", "qps", `{"year": {"eq": 2023}}`, `township = 'qps' AND "k_year" = 2023`},
	{"county-2023", "", `{"year": {"eq": 2023}}`, `"k_year" = 2023`},
	{"county-since-2021-09-14", "", `{"submitted": {"gte": "2021-09-14"}}`, `"k_submitted" >= '2021-09-14'`},
}

// BenchmarkExport: the county's suggestions exported county-wide as CSV
// and XLSX through GET /export/suggestions.{csv,xlsx}, as an analyst
// downloads them, on the county of 30 townships × 10 years (SQLite), the
// rows counted (rows/op) and the time per row (us/row), which should not
// grow with the rows. The floor writes the same rows by hand: the
// suggestions read with raw SQL on the same file, their deputies and
// townships read by id, decoded, and written with encoding/csv or
// excelize's StreamWriter; x-floor is renda's time over it:
//
//	RENDA_BENCH_MONGO=0 go test -run '^$' -bench Export -benchtime 3x -count 3 ./bench/
//
// On FerretDB (RENDA_BENCH_MONGO>0) the same exports run on its county,
// without a floor.
func BenchmarkExport(b *testing.B) {
	for _, be := range backends() {
		n := 30
		if be == storetest.Mongo {
			n = mongoScale()
		}
		c := MustCounty(b, be, n, 10)
		h := exportHandler(c)
		for _, ec := range exportCases {
			for _, format := range []string{"csv", "xlsx"} {
				b.Run(fmt.Sprintf("%s/townships=%d/%s/%s", ec.name, n, format, be), func(b *testing.B) {
					q := url.Values{"filter": {ec.filter}}
					if ec.township != "" {
						q.Set("township", ec.township)
					}
					rows := exportRows(b, format, exportGet(b, h, format, q)) // warm, and checked
					var floor func() int
					if be == storetest.SQLite {
						floor = func() int { return floorExport(b, c.sq.DB(), format, ec.where, ec.township == "", io.Discard) }
						if got := floor(); got != rows {
							b.Fatalf("the export wrote %d rows, the floor %d", rows, got)
						}
					}
					before := c.commands.Load()
					for b.Loop() {
						exportGet(b, h, format, q)
					}
					c.perOp(b, before)
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
					b.ReportMetric(float64(rows), "rows/op")
					b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(max(rows, 1)), "us/row")
					if floor != nil {
						reportFloor(b, nil, func() { floor() })
					}
				})
			}
		}
	}
}

// exportHandler serves /export/{file} over the county, as renda serve
// wires it (the audit entries written to the county's store).
func exportHandler(c *county) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /export/{file}", export.Handler(c.api, c.rs, logger))
	return mux
}

// exportGet downloads /export/suggestions.{format} with q; an error
// fails the benchmark.
func exportGet(tb testing.TB, h http.Handler, format string, q url.Values) []byte {
	tb.Helper()
	ctx, cancel := ctxTimeout()
	defer cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/export/suggestions."+format+"?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("export: status %d: %.300s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// exportRows counts the rows of an exported file, its header aside.
func exportRows(tb testing.TB, format string, body []byte) int {
	tb.Helper()
	if format == "csv" {
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			tb.Fatal(err)
		}
		return len(recs) - 1
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("建议")
	if err != nil {
		tb.Fatal(err)
	}
	return len(rows) - 1
}

// floorExport writes the suggestions where holds by hand, as the export
// writes them: read with raw SQL in the list's order (submitted, id), their deputies' and townships' names read by id, decoded,
// and written as CSV or XLSX (excelize's StreamWriter) to w, with the
// township's name first when county. It returns the rows written.
func floorExport(tb testing.TB, db *sql.DB, format, where string, county bool, w io.Writer) int {
	tb.Helper()
	sugs := rawDocsWith[records.Suggestion](tb, db, `SELECT doc FROM suggestions WHERE `+where+` ORDER BY "k_submitted", id`, true)
	var dids []string
	seen := map[string]bool{}
	for _, s := range sugs {
		if s.DeputyID != "" && !seen[s.DeputyID] {
			seen[s.DeputyID] = true
			dids = append(dids, s.DeputyID)
		}
	}
	in, args := inArgs(dids)
	deputies := map[string]string{}
	for _, d := range rawDocsWith[records.Deputy](tb, db, `SELECT doc FROM deputies WHERE id IN (`+in+`)`, true, args...) {
		deputies[d.ID] = d.Name
	}
	towns := map[string]string{}
	for _, t := range rawDocsWith[records.Township](tb, db, `SELECT doc FROM townships`, true) {
		towns[t.ID] = t.Name
	}
	header := []string{"乡镇", "标题", "类型", "提出代表", "转达选民", "类别", "提出日期", "承办单位", "办理期限", "办理状态",
		"答复日期", "按期答复", "满意度", "有价值", "内容", "答复", "标签", "id"}
	row := func(s *records.Suggestion) []string {
		var replied, onTime, sat, deadline string
		if s.RepliedOn != nil {
			replied = string(*s.RepliedOn)
		}
		if s.OnTime != nil {
			onTime = records.BoolLabel(*s.OnTime)
		}
		if s.Deadline != nil {
			deadline = string(*s.Deadline)
		}
		if s.Satisfaction != nil {
			sat = records.EnumLabel(string(*s.Satisfaction))
		}
		valuable := records.BoolLabel(s.Valuable)
		row := []string{towns[s.Township], s.Title, records.EnumLabel(string(s.Kind)), deputies[s.DeputyID], s.VoterName, s.Category,
			string(s.Submitted), s.Department, deadline, records.EnumLabel(string(s.Status)), replied, onTime, sat, valuable,
			s.Content, s.Reply, strings.Join(s.Tags, "、"), s.ID}
		if !county {
			return row[1:]
		}
		return row
	}
	if !county {
		header = header[1:]
	}
	if format == "csv" {
		_, _ = io.WriteString(w, "\uFEFF")
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		_ = cw.Write(header)
		for _, s := range sugs {
			_ = cw.Write(row(s))
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			tb.Fatal(err)
		}
		return len(sugs)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	cells := func(xs []string) []any {
		out := make([]any, len(xs))
		for i, x := range xs {
			out[i] = x
		}
		return out
	}
	_ = sw.SetRow("A1", cells(header))
	for i, s := range sugs {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(row(s))); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Write(w); err != nil {
		tb.Fatal(err)
	}
	return len(sugs)
}
