package bench_test

import (
	"database/sql"
	"fmt"
	"testing"

	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/storetest"
)

// qpsKinds are the statements that read every record of the demo
// township (qps), kind by kind.
var qpsKinds = []struct {
	kind records.Kind
	read func(tb testing.TB, db *sql.DB, v2 bool) int
}{
	{records.KindTownship, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Township](tb, db, "SELECT doc FROM townships WHERE id = 'qps'", v2))
	}},
	{records.KindVillage, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Village](tb, db, "SELECT doc FROM villages WHERE township = 'qps'", v2))
	}},
	{records.KindDeputy, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Deputy](tb, db, "SELECT doc FROM deputies WHERE township = 'qps'", v2))
	}},
	{records.KindProject, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Project](tb, db, "SELECT doc FROM projects WHERE township = 'qps'", v2))
	}},
	{records.KindInspection, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Inspection](tb, db, "SELECT doc FROM inspections WHERE township = 'qps'", v2))
	}},
	{records.KindActivity, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Activity](tb, db, "SELECT doc FROM activities WHERE township = 'qps'", v2))
	}},
	{records.KindSuggestion, func(tb testing.TB, db *sql.DB, v2 bool) int {
		return len(rawDocsWith[records.Suggestion](tb, db, "SELECT doc FROM suggestions WHERE township = 'qps'", v2))
	}},
}

// floorSummary reads every record of qps, of every kind, and decodes
// each into its records type: the floor of the annual summary, which
// reads a subset of them.
func floorSummary(tb testing.TB, db *sql.DB) int {
	n := 0
	for _, k := range qpsKinds {
		n += k.read(tb, db, false)
	}
	return n
}

// floorSummaryV2 is floorSummary decoding with the v2 decoder the store
// uses (github.com/go-json-experiment/json): the floor for the same
// decoder.
func floorSummaryV2(tb testing.TB, db *sql.DB) int {
	n := 0
	for _, k := range qpsKinds {
		n += k.read(tb, db, true)
	}
	return n
}

// floorSummaryRead reads the same rows without decoding them.
func floorSummaryRead(tb testing.TB, db *sql.DB) int {
	n := 0
	for _, k := range qpsKinds {
		where := "township = 'qps'"
		if k.kind == records.KindTownship {
			where = "id = 'qps'"
		}
		n += rawBytes(tb, db, "SELECT doc FROM "+string(k.kind)+" WHERE "+where)
	}
	return n
}

// BenchmarkAnnualSummary: the demo township's (qps) 2023 summary on the
// county of 30 townships × 10 years: Query is the plugin's GraphQL query
// run in-process, Template the templates on data already fetched,
// Markdown the whole render. The floor reads every row of qps of every
// kind with raw SQL (floor-read) and decodes them into the records types
// (floor); x-floor is against the floor. On FerretDB the county is the
// demo township alone (1 × 10: the same records of qps): at 10 townships
// its lists scan the county's collections and the render runs out of its
// 5 s (BenchmarkCounty shows it).
func BenchmarkAnnualSummary(b *testing.B) {
	params := map[string]any{"township": "qps", "year": 2023}
	for _, be := range backends() {
		n := 30
		if be == storetest.Mongo {
			n = 1
		}
		c := MustCounty(b, be, n, 10)
		e, err := c.reg.Get(bg, "annual-summary")
		if err != nil || e.Err != nil {
			b.Fatal(err, e.Err)
		}
		p := e.Plugin
		data, err := c.api.Run(bg, p.Query, params)
		if err != nil {
			b.Fatal(err)
		}
		var floor, floorV2 func()
		if be == storetest.SQLite {
			floorV2 = func() { floorSummaryV2(b, c.sq.DB()) }
			if got := floorSummary(b, c.sq.DB()); got != 257 {
				b.Logf("qps holds %d records", got)
			}
			floor = func() { floorSummary(b, c.sq.DB()) }
		}
		name := func(what string) string { return fmt.Sprintf("townships=%d/%s/%s", n, be, what) }
		b.Run(name("query"), func(b *testing.B) {
			before := c.commands.Load()
			for b.Loop() {
				if _, err := c.api.Run(bg, p.Query, params); err != nil {
					b.Fatal(err)
				}
			}
			c.perOp(b, before)
			if floor != nil {
				reportFloor(b, nil, floor)
				reportFloorAs(b, nil, floorV2, "floor-v2")
			}
		})
		if be == storetest.SQLite {
			b.Run(name("template"), func(b *testing.B) {
				for b.Loop() {
					if _, err := p.ExecuteTemplate(bg, params, data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(name("markdown"), func(b *testing.B) {
			c.renderable(b, "qps")
			before := c.commands.Load()
			for b.Loop() {
				c.render(b, "qps", report.MARKDOWN)
			}
			c.perOp(b, before)
			if floor != nil {
				reportFloor(b, nil, floor)
				reportFloorAs(b, nil, floorV2, "floor-v2")
			}
		})
		if be == storetest.SQLite {
			b.Run(fmt.Sprintf("townships=%d/floor/read", n), func(b *testing.B) {
				for b.Loop() {
					floorSummaryRead(b, c.sq.DB())
				}
			})
			b.Run(fmt.Sprintf("townships=%d/floor/decode", n), func(b *testing.B) {
				for b.Loop() {
					floorSummary(b, c.sq.DB())
				}
			})
			b.Run(fmt.Sprintf("townships=%d/floor/decode-v2", n), func(b *testing.B) {
				for b.Loop() {
					floorSummaryV2(b, c.sq.DB())
				}
			})
		}
	}
}
