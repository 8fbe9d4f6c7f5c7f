package bench_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
)

// The county's whole dashboard, as the county's analyst opens it.
const dashboardQuery = `{ dashboard(year: 2023) {
	deputies { total byLevel { label count } }
	inspections { months { label count } coarser }
	activities { months { label count } byKind { label count } }
	projects { byKindAndStatus { label count } roadKmCompleted }
	suggestions { total replied handlingRate onTimeRate overdueOpen satisfaction { label count } averageDaysToReply }
} }`

// 2023's suggestions grouped by status, county-wide; and with their count.
const (
	byStatusQuery          = `{ suggestionsAggregate(filter: {year: {eq: 2023}}) { groupBy(fields: [STATUS]) { keys { status } count } } }`
	byStatusWithCountQuery = `{ suggestionsAggregate(filter: {year: {eq: 2023}}) { count groupBy(fields: [STATUS]) { keys { status } count } } }`
)

// temperatures are how a request finds the store: cold (opened afresh
// before each request; the OS's page cache warm), cold-disk (the same,
// the file's page cache dropped too) and warm (asked before).
var temperatures = []string{"cold", "cold-disk", "warm"}

// coldly runs a benchmark of the county c at temperature temp: ask is
// the request on a county as the temperature finds it, floor the raw SQL
// on its store's reader. It reports statements per request and, with a
// floor, x-floor.
func coldly(b *testing.B, c *county, temp string, ask func(f *county), floor func(db *sql.DB)) {
	var cur *county
	var cmds int64
	prep := func() {
		switch temp {
		case "warm":
			cur = c
			return
		case "cold-disk":
			if cur != nil {
				cmds += cur.commands.Load()
				cur.close()
				cur = nil
			}
			c.dropCache()
		default:
			if cur != nil {
				cmds += cur.commands.Load()
				cur.close()
				cur = nil
			}
		}
		cur = c.fresh(b)
	}
	if temp == "warm" {
		ask(c) // asked before
		before := c.commands.Load()
		loopWith(b, prep, func() { ask(cur) })
		c.perOp(b, before)
	} else {
		loopWith(b, prep, func() { ask(cur) })
		cmds += cur.commands.Load()
		cur.close()
		if b.N > 0 && cmds > 0 {
			b.ReportMetric(float64(cmds)/float64(b.N), "cmds/op")
		}
	}
	if floor == nil {
		return
	}
	var fs *county
	reportFloor(b, func() {
		if temp == "warm" {
			fs = c
			return
		}
		if fs != nil && fs != c {
			fs.close()
		}
		if temp == "cold-disk" {
			c.dropCache()
		}
		fs = c.fresh(b)
	}, func() { floor(fs.sq.DB()) })
	if fs != nil && fs != c {
		fs.close()
	}
}

// BenchmarkCountyDashboard: the county's whole dashboard for 2023 (30
// townships × 10 years), cold and warm, beside the same figures computed
// by hand-written GROUP BYs on the same file, and on FerretDB.
func BenchmarkCountyDashboard(b *testing.B) {
	for _, be := range backends() {
		for _, n := range countyScales(be) {
			c := MustCounty(b, be, n, 10)
			if be == storetest.SQLite {
				checkDashboardFloor(b, c)
			}
			ask := func(f *county) { f.query(b, dashboardQuery, nil) }
			for _, temp := range temperatures {
				if be == storetest.Mongo && temp != "cold" {
					continue // no cache on the MongoDB path: cold is warm
				}
				b.Run(fmt.Sprintf("townships=%d/%s/%s", n, be, temp), func(b *testing.B) {
					var floor func(*sql.DB)
					if be == storetest.SQLite {
						floor = func(db *sql.DB) { floorDashboard(b, db, 2023) }
					}
					coldly(b, c, temp, ask, floor)
				})
			}
			if be == storetest.SQLite {
				for _, temp := range []string{"cold", "warm"} {
					b.Run(fmt.Sprintf("townships=%d/floor/%s", n, temp), func(b *testing.B) {
						coldly(b, c, temp, func(f *county) { floorDashboard(b, f.sq.DB(), 2023) }, nil)
					})
				}
			}
		}
	}
}

// dashFigures are the figures of the dashboard query, as the floor
// computes them and as the API answers them.
type dashFigures struct {
	Deputies        int
	ByLevel         [3]int // CITY, COUNTY, TOWNSHIP
	InspMonths      [12]int
	InspCoarser     int
	ActMonths       [12]int
	ActByKind       map[string]int
	KindStatus      map[string]int
	RoadKmCompleted float64
	Sugs, Replied   int
	OverdueOpen     int
	HandlingRate    float64
	OnTimeRate      float64
	Satisfaction    [4]int // SATISFIED, BASICALLY_SATISFIED, DISSATISFIED, none
	AvgDaysToReply  float64
}

// floorDashboard computes the dashboard's figures with hand-written SQL
// on the stored columns: five GROUP BYs, the lists' items counted by
// json_each.
func floorDashboard(tb testing.TB, db *sql.DB, year int) *dashFigures {
	f := &dashFigures{ActByKind: map[string]int{}, KindStatus: map[string]int{}}
	each := func(q string, scan func(rows *sql.Rows) error, args ...any) {
		rows, err := db.QueryContext(bg, q, args...)
		if err != nil {
			tb.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				tb.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.QueryRowContext(bg, `SELECT count(*) FROM deputies`).Scan(&f.Deputies); err != nil {
		tb.Fatal(err)
	}
	levels := map[string]int{string(records.CITY): 0, string(records.COUNTY): 1, string(records.TOWNSHIP): 2}
	each(`SELECT l.value, count(DISTINCT d.id) FROM deputies d, json_each(d.doc, '$.levels') l GROUP BY 1`, func(r *sql.Rows) error {
		var l string
		var n int
		err := r.Scan(&l, &n)
		if i, ok := levels[l]; ok {
			f.ByLevel[i] += n
		}
		return err
	})
	monthly := func(months *[12]int, coarser *int, mo sql.NullInt64, p string, n int) {
		if mo.Valid && mo.Int64 >= 1 && mo.Int64 <= 12 && (records.DateSpan{Precision: records.Precision(p)}).WithinMonth() {
			months[mo.Int64-1] += n
		} else if coarser != nil {
			*coarser += n
		}
	}
	each(`SELECT "k_date_month", "k_date_precision", count(*) FROM inspections WHERE "k_date_year" = ? GROUP BY 1, 2`, func(r *sql.Rows) error {
		var mo sql.NullInt64
		var p string
		var n int
		err := r.Scan(&mo, &p, &n)
		monthly(&f.InspMonths, &f.InspCoarser, mo, p, n)
		return err
	}, year)
	each(`SELECT "k_date_month", "k_date_precision", "k_kind", count(*) FROM activities WHERE "k_date_year" = ? GROUP BY 1, 2, 3`, func(r *sql.Rows) error {
		var mo sql.NullInt64
		var p, k string
		var n int
		err := r.Scan(&mo, &p, &k, &n)
		monthly(&f.ActMonths, nil, mo, p, n)
		f.ActByKind[records.ActivityKindLabels[records.ActivityKind(k)]] += n
		return err
	}, year)
	each(`SELECT "k_kind", "k_status", count(*), total(CASE WHEN "k_kind" = 'ROAD' AND "k_status" = 'COMPLETED' THEN "k_lengthKm" END)
		FROM projects WHERE "k_year" = ? GROUP BY 1, 2`, func(r *sql.Rows) error {
		var k, st string
		var n int
		var km float64
		err := r.Scan(&k, &st, &n, &km)
		f.KindStatus[records.ProjectKindLabels[records.ProjectKind(k)]+"·"+records.ProjectStatusLabels[records.ProjectStatus(st)]] += n
		f.RoadKmCompleted += km
		return err
	}, year)
	today := string(records.Today())
	var onTime, late, days, assigned int
	sat := map[string]int{string(records.SATISFIED): 0, string(records.BASICALLY_SATISFIED): 1, string(records.DISSATISFIED): 2}
	each(`SELECT "k_daysToReply" IS NOT NULL, "k_onTime",
			coalesce("k_daysToReply" IS NULL AND "k_deadline" < ? AND "k_status" <> 'REJECTED', 0),
			"k_satisfaction", "k_status" IN ('SUBMITTED', 'ACCEPTED', 'REJECTED'), count(*), total("k_daysToReply")
		FROM suggestions WHERE "k_year" = ? GROUP BY 1, 2, 3, 4, 5`, func(r *sql.Rows) error {
		var replied, overdue, unassigned bool
		var ot sql.NullBool
		var s sql.NullString
		var n int
		var d float64
		err := r.Scan(&replied, &ot, &overdue, &s, &unassigned, &n, &d)
		f.Sugs += n
		if !unassigned {
			assigned += n
		}
		if replied {
			f.Replied += n
			days += int(d)
			switch {
			case ot.Valid && ot.Bool:
				onTime += n
			case ot.Valid:
				late += n
			}
		}
		if overdue {
			f.OverdueOpen += n
		}
		if i, ok := sat[s.String]; ok && s.Valid {
			f.Satisfaction[i] += n
		} else {
			f.Satisfaction[3] += n
		}
		return err
	}, today, year)
	if assigned > 0 {
		f.HandlingRate = float64(f.Replied) / float64(assigned)
	}
	if d := onTime + late + f.OverdueOpen; d > 0 {
		f.OnTimeRate = float64(onTime) / float64(d)
	}
	if f.Replied > 0 {
		f.AvgDaysToReply = float64(days) / float64(f.Replied)
	}
	f.RoadKmCompleted = math.Round(f.RoadKmCompleted*1000) / 1000
	return f
}

// checkDashboardFloor makes sure the floor computes the figures the API
// answers.
func checkDashboardFloor(tb testing.TB, c *county) {
	tb.Helper()
	var r struct {
		Dashboard struct {
			Deputies struct {
				Total   int
				ByLevel []struct {
					Label string
					Count int
				}
			}
			Inspections struct {
				Months  []struct{ Count int }
				Coarser int
			}
			Activities struct {
				Months []struct{ Count int }
				ByKind []struct {
					Label string
					Count int
				}
			}
			Projects struct {
				ByKindAndStatus []struct {
					Label string
					Count int
				}
				RoadKmCompleted float64
			}
			Suggestions struct {
				Total, Replied, OverdueOpen int
				HandlingRate, OnTimeRate    float64
				AverageDaysToReply          float64
				Satisfaction                []struct{ Count int }
			}
		}
	}
	body := c.query(tb, dashboardQuery, nil)
	var env struct{ Data json.RawMessage }
	if err := json.Unmarshal(body, &env); err != nil || json.Unmarshal(env.Data, &r) != nil {
		tb.Fatalf("dashboard answer: %v", err)
	}
	d := r.Dashboard
	api := &dashFigures{ActByKind: map[string]int{}, KindStatus: map[string]int{},
		Deputies: d.Deputies.Total, InspCoarser: d.Inspections.Coarser, RoadKmCompleted: math.Round(d.Projects.RoadKmCompleted*1000) / 1000,
		Sugs: d.Suggestions.Total, Replied: d.Suggestions.Replied, OverdueOpen: d.Suggestions.OverdueOpen,
		HandlingRate: d.Suggestions.HandlingRate, OnTimeRate: d.Suggestions.OnTimeRate, AvgDaysToReply: d.Suggestions.AverageDaysToReply}
	for i := range min(3, len(d.Deputies.ByLevel)) {
		api.ByLevel[i] = d.Deputies.ByLevel[i].Count
	}
	for i := range min(12, len(d.Inspections.Months)) {
		api.InspMonths[i] = d.Inspections.Months[i].Count
	}
	for i := range min(12, len(d.Activities.Months)) {
		api.ActMonths[i] = d.Activities.Months[i].Count
	}
	for _, k := range d.Activities.ByKind {
		api.ActByKind[k.Label] += k.Count
	}
	for _, k := range d.Projects.ByKindAndStatus {
		api.KindStatus[k.Label] += k.Count
	}
	for i := range min(4, len(d.Suggestions.Satisfaction)) {
		api.Satisfaction[i] = d.Suggestions.Satisfaction[i].Count
	}
	floor := floorDashboard(tb, c.sq.DB(), 2023)
	a, _ := json.Marshal(roundRates(api))
	f, _ := json.Marshal(roundRates(floor))
	if string(a) != string(f) {
		tb.Fatalf("the floor computes other figures than the API:\napi   %s\nfloor %s", a, f)
	}
}

func roundRates(f *dashFigures) *dashFigures {
	r := func(x float64) float64 { return math.Round(x*1e9) / 1e9 }
	f.HandlingRate, f.OnTimeRate, f.AvgDaysToReply = r(f.HandlingRate), r(f.OnTimeRate), r(f.AvgDaysToReply)
	return f
}

// BenchmarkSuggestionsByStatus: 2023's suggestions grouped by status,
// county-wide, alone and with their count, cold and warm, beside one
// GROUP BY (and one count) on the same file, and on FerretDB.
func BenchmarkSuggestionsByStatus(b *testing.B) {
	for _, q := range []struct {
		name, query string
		count       bool
	}{{"groupBy", byStatusQuery, false}, {"groupBy+count", byStatusWithCountQuery, true}} {
		for _, be := range backends() {
			for _, n := range countyScales(be) {
				c := MustCounty(b, be, n, 10)
				if be == storetest.SQLite {
					checkByStatusFloor(b, c, q.query, q.count)
				}
				ask := func(f *county) { f.query(b, q.query, nil) }
				floor := func(db *sql.DB) { floorByStatus(b, db, q.count) }
				for _, temp := range temperatures {
					if be == storetest.Mongo && temp != "cold" {
						continue
					}
					b.Run(fmt.Sprintf("%s/townships=%d/%s/%s", q.name, n, be, temp), func(b *testing.B) {
						if be == storetest.Mongo {
							coldly(b, c, temp, ask, nil)
						} else {
							coldly(b, c, temp, ask, floor)
						}
					})
				}
				if be == storetest.SQLite {
					for _, temp := range []string{"cold", "warm"} {
						b.Run(fmt.Sprintf("%s/townships=%d/floor/%s", q.name, n, temp), func(b *testing.B) {
							coldly(b, c, temp, func(f *county) { floor(f.sq.DB()) }, nil)
						})
					}
				}
			}
		}
	}
}

// floorByStatus is the figure in raw SQL: one GROUP BY on the year's
// index, merged across townships as renda merges them; with count, one
// count(*) more.
func floorByStatus(tb testing.TB, db *sql.DB, withCount bool) (map[string]int, int) {
	rows, err := db.QueryContext(bg, `SELECT township, "k_status", count(*) FROM suggestions WHERE "k_year" = 2023 GROUP BY 1, 2`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t, s string
		var n int
		if err := rows.Scan(&t, &s, &n); err != nil {
			tb.Fatal(err)
		}
		out[s] += n
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	total := -1
	if withCount {
		if err := db.QueryRowContext(bg, `SELECT count(*) FROM suggestions WHERE "k_year" = 2023`).Scan(&total); err != nil {
			tb.Fatal(err)
		}
	}
	return out, total
}

func checkByStatusFloor(tb testing.TB, c *county, q string, withCount bool) {
	tb.Helper()
	d := c.data(tb, q, nil)["suggestionsAggregate"].(map[string]any)
	api := map[string]int{}
	for _, g := range d["groupBy"].([]any) {
		g := g.(map[string]any)
		api[g["keys"].(map[string]any)["status"].(string)] += int(g["count"].(float64))
	}
	floor, total := floorByStatus(tb, c.sq.DB(), withCount)
	a, _ := json.Marshal(api)
	f, _ := json.Marshal(floor)
	if string(a) != string(f) || withCount && int(d["count"].(float64)) != total {
		tb.Fatalf("the floor counts other figures than the API: api %s (%v), floor %s (%d)", a, d["count"], f, total)
	}
}

// BenchmarkMemory: a fresh process opens the SQLite county of 30
// townships × 10 years, answers one county dashboard (cold) and reports
// its heap in use after a collection (MB-heap), its resident set then
// (MB-RSS) and at its peak (MB-RSS-peak), what it held before opening the
// store (MB-RSS-start: the binary itself), and how long the dashboard took
// (ms-first-ask, the first request of a process). ns/op is the whole
// child process.
//
// The child opens a copy of the county's file (VACUUM INTO), not the file
// the other benchmarks share: sqlite.Open opens and closes the file before
// SQLite does, which releases the POSIX locks this process's open stores
// hold on it, and a child closing its last connection on that file would
// then take itself for the last one and checkpoint and delete the WAL
// under them (SQLITE_IOERR_SHORT_READ, 522, in the next reader).
func BenchmarkMemory(b *testing.B) {
	c := MustCounty(b, storetest.SQLite, 30, 10)
	dir := benchDir(b, "memory")
	if _, err := writer(b, c.file()).ExecContext(bg, "VACUUM INTO ?", filepath.Join(dir, sqlite.FileName)); err != nil {
		b.Fatal(err)
	}
	var sum [5]float64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RENDA_BENCH_MEMORY_CHILD="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		var m [5]float64
		found := false
		for _, line := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(line, "BENCH-MEMORY "); ok {
				if _, err := fmt.Sscan(rest, &m[0], &m[1], &m[2], &m[3], &m[4]); err != nil {
					b.Fatalf("child said %q: %v", line, err)
				}
				found = true
			}
		}
		if !found {
			b.Fatalf("child said nothing of its memory:\n%s", out)
		}
		for i := range m {
			sum[i] += m[i]
		}
	}
	for i, unit := range []string{"ms-first-ask", "MB-heap", "MB-RSS", "MB-RSS-peak", "MB-RSS-start"} {
		b.ReportMetric(sum[i]/float64(b.N), unit)
	}
}

// TestMemoryChild is BenchmarkMemory's child process; it does nothing
// unless that benchmark started it.
func TestMemoryChild(t *testing.T) {
	dir := os.Getenv("RENDA_BENCH_MEMORY_CHILD")
	if dir == "" {
		t.Skip("run by BenchmarkMemory")
	}
	runtime.GC()
	start := procStatus("VmRSS")
	s, err := sqlite.Open(bg, dir, sqlite.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(bg)
	c := &county{backend: storetest.SQLite, dir: dir, sq: s, rs: s.Records()}
	c.api = newAPI(c.rs)
	t0 := time.Now()
	c.query(t, dashboardQuery, nil)
	first := time.Since(t0)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("BENCH-MEMORY %.1f %.1f %.1f %.1f %.1f\n", float64(first.Microseconds())/1000,
		float64(ms.HeapInuse)/(1<<20), procStatus("VmRSS"), procStatus("VmHWM"), start)
}
