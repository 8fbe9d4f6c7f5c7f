package bench_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/storetest"
)

const deputiesPageQuery = `query($t: ID) { deputies(township: $t, first: 20) { nodes { name village { name } } } }`

// floorDeputiesPage is the page by hand: the first 21 deputies of the
// township in roster order from the index, their villages by id, both
// decoded into the records types.
func floorDeputiesPage(tb testing.TB, db *sql.DB, t string) {
	deps := rawDocs[records.Deputy](tb, db, `SELECT doc FROM deputies WHERE township = ? ORDER BY "k_nameKey", id LIMIT 21`, t)
	var ids []string
	seen := map[string]bool{}
	for _, d := range deps {
		if d.VillageID != "" && !seen[d.VillageID] {
			seen[d.VillageID] = true
			ids = append(ids, d.VillageID)
		}
	}
	in, args := inArgs(ids)
	rawDocs[records.Village](tb, db, `SELECT doc FROM villages WHERE township = ? AND id IN (`+in+`)`, append([]any{t}, args...)...)
}

// BenchmarkDeputiesPage: a page of 20 deputies with their village in a
// township of a few dozen deputies (t01, 44 from seed 1) and in one of
// two thousand more (t02: 2 000 bulk-created besides its own), on a
// county of three townships. x-t01 is the time at t02 over the time at
// t01, measured in the same sub-benchmark.
func BenchmarkDeputiesPage(b *testing.B) {
	for _, be := range backends() {
		c := mustCounty(b, spec{backend: be, n: 3, years: 1, extra: 2000})
		for _, who := range []string{string(be), "floor"} {
			if who == "floor" && be != storetest.SQLite {
				continue
			}
			ask := func(t string) func() {
				if who == "floor" {
					return func() { floorDeputiesPage(b, c.sq.DB(), t) }
				}
				vars := map[string]any{"t": t}
				return func() { c.query(b, deputiesPageQuery, vars) }
			}
			count := func(t string) int {
				n, err := c.rs.Deputies.Count(bg, records.Query{Townships: []string{t}})
				if err != nil {
					b.Fatal(err)
				}
				return n
			}
			for _, t := range []struct {
				id string
				n  int
			}{{"t01", count("t01")}, {"t02", count("t02")}} {
				b.Run(fmt.Sprintf("%s/deputies=%d", who, t.n), func(b *testing.B) {
					ask(t.id)() // warm
					before := c.commands.Load()
					f := ask(t.id)
					for b.Loop() {
						f()
					}
					if who != "floor" {
						c.perOp(b, before)
					}
					per := b.Elapsed() / time.Duration(b.N)
					if t.id != "t01" {
						atT01 := timeIt(b.N, nil, ask("t01"))
						b.ReportMetric(float64(per)/float64(atT01), "x-t01")
					}
					if who == string(storetest.SQLite) {
						reportFloor(b, nil, func() { floorDeputiesPage(b, c.sq.DB(), t.id) })
					}
				})
			}
		}
	}
}
