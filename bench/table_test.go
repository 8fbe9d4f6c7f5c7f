package bench_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

// One township's requests, as a clerk of qps (the demo township) sends
// them, whatever the county's size.
const (
	deputiesQuery    = `{ deputies(township: "qps", first: 20) { nodes { name village { name } } } }`
	inspectionsQuery = `{ inspections(township: "qps", filter: { year: { eq: 2023 }, topic: { contains: "公路" } }) { nodes { topic date { text fullText } villages { name } projects { name lengthKm surface } } } }`
	updateMutation   = `mutation($id: ID!, $f: String) { updateInspection(id: $id, input: {followUp: $f}) { version } }`
	updateTarget     = "i-2023-05" // the demo's 7月中旬 road inspection
)

// floorInspections is the README's inspections filter by hand: the page
// from the year's index, the topic matched, then the villages and
// projects the inspections name, all decoded.
func floorInspections(tb testing.TB, db *sql.DB) {
	ins := rawDocs[records.Inspection](tb, db, `SELECT doc FROM inspections WHERE township = 'qps' AND "k_date_year" = 2023
		AND instr("k_topic", '公路') > 0 ORDER BY "k_date_date", id LIMIT 51`)
	var vids, pids []string
	for _, x := range ins {
		vids = append(vids, x.VillageIDs...)
		pids = append(pids, x.ProjectIDs...)
	}
	in, args := inArgs(vids)
	rawDocs[records.Village](tb, db, `SELECT doc FROM villages WHERE township = 'qps' AND id IN (`+in+`)`, args...)
	in, args = inArgs(pids)
	rawDocs[records.Project](tb, db, `SELECT doc FROM projects WHERE township = 'qps' AND id IN (`+in+`)`, args...)
}

// floorUpdate changes one field of a record by hand: read and decode it,
// change it, encode it, write it guarded by its version, with its audit
// row, in one transaction.
func floorUpdate(tb testing.TB, w *sql.DB, id, followUp string) {
	tx, err := w.BeginTx(bg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	var before []byte
	var version int
	if err := tx.QueryRowContext(bg, `SELECT doc, version FROM inspections WHERE id = ?`, id).Scan(&before, &version); err != nil {
		tb.Fatal(err)
	}
	var x records.Inspection
	if err := json.Unmarshal(before, &x); err != nil {
		tb.Fatal(err)
	}
	now := records.Now()
	x.FollowUp, x.Version, x.UpdatedAt, x.UpdatedBy = followUp, version+1, now, "bench"
	after, err := json.Marshal(&x)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := tx.ExecContext(bg, `UPDATE inspections SET version = ?, updated_at = ?, doc = ? WHERE id = ? AND version = ?`,
		x.Version, now.UnixMilli(), string(after), id, version)
	if err != nil {
		tb.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		tb.Fatal("the row changed underneath")
	}
	if _, err := tx.ExecContext(bg, `INSERT INTO audit (id, at, actor, action, kind, record_id, township, version, before, after, note) VALUES (?, ?, 'bench', ?, 'inspections', ?, ?, ?, ?, ?, '')`,
		records.NewID(), now.UnixMilli(), records.ActionUpdate, id, x.Township, x.Version, string(before), string(after)); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkCounty measures one township's requests as the county grows:
// each at 1, 10 and 30 townships × 10 years, on the SQLite store beside
// raw SQL on the same file (floor, and x-floor in renda's rows) and on
// FerretDB (at the sizes RENDA_BENCH_MONGO allows), in one run. Compare
// a row's 30 with its 1:
//
//	go test -run '^$' -bench 'County$' -benchtime 20x ./bench/
func BenchmarkCounty(b *testing.B) {
	sizes := []int{1, 10, 30}
	type request struct {
		name  string
		renda func(b *testing.B, c *county) func()
		floor func(b *testing.B, c *county) func()
	}
	seq := 0
	requests := []request{
		{"Deputies",
			func(b *testing.B, c *county) func() { return func() { c.query(b, deputiesQuery, nil) } },
			func(b *testing.B, c *county) func() { return func() { floorDeputiesPage(b, c.sq.DB(), "qps") } }},
		{"Inspections",
			func(b *testing.B, c *county) func() { return func() { c.query(b, inspectionsQuery, nil) } },
			func(b *testing.B, c *county) func() { return func() { floorInspections(b, c.sq.DB()) } }},
		{"AnnualSummary",
			func(b *testing.B, c *county) func() {
				c.renderable(b, "qps")
				return func() { c.render(b, "qps", report.MARKDOWN) }
			},
			func(b *testing.B, c *county) func() { return func() { floorSummary(b, c.sq.DB()) } }},
		{"UpdateInspection",
			func(b *testing.B, c *county) func() {
				return func() {
					seq++
					c.query(b, updateMutation, map[string]any{"id": updateTarget, "f": fmt.Sprintf("跟进%d", seq)})
				}
			},
			func(b *testing.B, c *county) func() {
				w := writer(b, c.file())
				return func() {
					seq++
					floorUpdate(b, w, updateTarget, fmt.Sprintf("跟进%d", seq))
				}
			}},
	}
	for _, be := range backends() {
		for _, n := range sizes {
			if be == storetest.Mongo && n > mongoScale() {
				continue
			}
			MustCounty(b, be, n, 10) // all made first
		}
	}
	for _, r := range requests {
		// FerretDB's rows last: a render it runs out of time on leaves
		// scans running in this process (see county.renderable).
		for _, be := range backends() {
			for _, n := range sizes {
				if be == storetest.Mongo && n > mongoScale() {
					continue
				}
				c := MustCounty(b, be, n, 10)
				b.Run(fmt.Sprintf("%s/townships=%d/%s", r.name, n, be), func(b *testing.B) {
					f := r.renda(b, c)
					f() // warm
					before := c.commands.Load()
					for b.Loop() {
						f()
					}
					c.perOp(b, before)
					if be == storetest.SQLite {
						reportFloor(b, nil, r.floor(b, c))
					}
				})
				if be == storetest.SQLite {
					b.Run(fmt.Sprintf("%s/townships=%d/floor", r.name, n), func(b *testing.B) {
						f := r.floor(b, c)
						f()
						for b.Loop() {
							f()
						}
					})
				}
			}
		}
	}
}

// BenchmarkCountyConcurrentRenders renders eight annual summaries at once
// at 30 townships on the SQLite store: ns/op is the time for all eight.
// (On FerretDB each render runs out of its time at 10 townships.)
func BenchmarkCountyConcurrentRenders(b *testing.B) {
	for _, be := range []storetest.Backend{storetest.SQLite} {
		n := 30
		c := MustCounty(b, be, n, 10)
		b.Run(fmt.Sprintf("townships=%d/%s", n, be), func(b *testing.B) {
			for b.Loop() {
				if failed := renderAtOnce(c, 8); len(failed) > 0 {
					b.Fatalf("%d of 8 renders failed: %v", len(failed), failed[0])
				}
			}
		})
	}
}

// renderAtOnce renders n annual summaries of qps at once, each within the
// server's request deadline, and returns the errors.
func renderAtOnce(c *county, n int) []error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := c.reg.Render(ctx, "annual-summary", map[string]any{"township": "qps", "year": 2023}, report.MARKDOWN)
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// TestCountyConcurrentRenders: eight annual summaries rendered at once at
// 30 townships all succeed, on the default store.
func TestCountyConcurrentRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a county of 30 townships")
	}
	s := storetest.MustOpen(t)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.County(d, 30, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range append([]*demo.Dataset{d}, gen...) {
		if _, err := demo.Load(bg, s, x); err != nil {
			t.Fatal(err)
		}
	}
	c := &county{rs: s, api: newAPI(s)}
	c.reg = report.NewRegistry(report.RegistryConfig{Schema: c.api, Logger: logger, Builtin: reports.FS})
	c.api.SetReports(c.reg)
	start := time.Now()
	if failed := renderAtOnce(c, 8); len(failed) > 0 {
		t.Fatalf("%d of 8 renders failed, the first: %v", len(failed), failed[0])
	}
	t.Logf("8 renders at 30 townships in %v", time.Since(start))
}

// BenchmarkTownshipYears: one township's annual summary and a page of
// inspections as its records pile up over the years, on the SQLite store
// (t01 holds the years; qps is the demo):
//
//	go test -run '^$' -bench TownshipYears -benchtime 10x ./bench/
func BenchmarkTownshipYears(b *testing.B) {
	for _, years := range []int{1, 5, 10, 20} {
		c := MustCounty(b, storetest.SQLite, 2, years)
		n, _ := c.rs.Activities.Count(bg, records.Query{Townships: []string{"t01"}})
		b.Run(fmt.Sprintf("AnnualSummary/years=%d/activities=%d", years, n), func(b *testing.B) {
			for b.Loop() {
				c.render(b, "t01", report.MARKDOWN)
			}
		})
		b.Run(fmt.Sprintf("Inspections/years=%d", years), func(b *testing.B) {
			for b.Loop() {
				c.query(b, `{ inspections(township: "t01", filter: {year: {eq: 2023}}) { nodes { topic villages { name } } } }`, nil)
			}
		})
	}
}
