package bench_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/storetest"
)

// Aggregates on the generated county (renda seed county --townships 30
// --years 10) on the SQLite store, each beside the same figure computed
// naively in Go from the raw records on the same file: every record of
// the kind read with raw SQL, decoded, and counted. Each reports its
// statements per request, the naive computation's time, and the ratio of
// the two times:
//
//	go test -run '^$' -bench Aggregate -benchtime 5x ./bench/
//
// Before measuring, each checks that the two give the same figure.

// rawAll reads and decodes every record of kind in the county.
func rawAll[T any](b *testing.B, c *county, kind records.Kind) []*T {
	return rawDocs[T](b, c.sq.DB(), "SELECT doc FROM "+string(kind))
}

// figure is one aggregate and its naive twin, each answering the figure
// as a comparable map.
type figure struct {
	name  string
	query string // the aggregate, as a dashboard would send it
	read  func(data map[string]any) map[string]float64
	naive func(b *testing.B, c *county) map[string]float64
}

func groupsOf(data map[string]any, root string, key func(g map[string]any) string, val func(g map[string]any) float64) map[string]float64 {
	out := map[string]float64{}
	gs, _ := data[root].(map[string]any)["groupBy"].([]any)
	for _, x := range gs {
		g := x.(map[string]any)
		out[key(g)] += val(g)
	}
	return out
}

func count(g map[string]any) float64 { return g["count"].(float64) }

func keys(g map[string]any, names ...string) string {
	k := g["keys"].(map[string]any)
	var parts []any
	for _, n := range names {
		v := k[n]
		if m, ok := v.(map[string]any); ok {
			v = m["id"]
		}
		parts = append(parts, v)
	}
	return join(parts...)
}

// join makes a figure's key of its parts.
func join(parts ...any) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += "|"
		}
		s += fmt.Sprint(p)
	}
	return s
}

var figures = []figure{
	{
		name:  "InspectionsByTownshipMonth",
		query: `{ inspectionsAggregate { groupBy(fields: [TOWNSHIP, MONTH], first: 500) { keys { township { id name } month } label count } } }`,
		read: func(d map[string]any) map[string]float64 {
			return groupsOf(d, "inspectionsAggregate", func(g map[string]any) string { return keys(g, "township", "month") }, count)
		},
		naive: func(b *testing.B, c *county) map[string]float64 {
			out := map[string]float64{}
			for _, x := range rawAll[records.Inspection](b, c, records.KindInspection) {
				out[join(x.Township, float64(x.Date.Date.Time().Month()))]++
			}
			return out
		},
	},
	{
		name:  "DeputiesByLevelAndGroup",
		query: `{ deputiesAggregate { groupBy(fields: [LEVEL, GROUP], first: 500) { keys { level group } label count } } }`,
		read: func(d map[string]any) map[string]float64 {
			return groupsOf(d, "deputiesAggregate", func(g map[string]any) string { return keys(g, "level", "group") }, count)
		},
		naive: func(b *testing.B, c *county) map[string]float64 {
			out := map[string]float64{}
			for _, x := range rawAll[records.Deputy](b, c, records.KindDeputy) {
				var group any
				if x.Group != "" {
					group = x.Group
				}
				for _, l := range x.Levels {
					out[join(string(l), group)]++
				}
			}
			return out
		},
	},
	{
		name:  "SuggestionsOf2023ByStatus",
		query: `{ suggestionsAggregate(filter: {year: {eq: 2023}}) { groupBy(fields: [STATUS]) { keys { status } label count } } }`,
		read: func(d map[string]any) map[string]float64 {
			return groupsOf(d, "suggestionsAggregate", func(g map[string]any) string { return keys(g, "status") }, count)
		},
		naive: func(b *testing.B, c *county) map[string]float64 {
			out := map[string]float64{}
			for _, x := range rawAll[records.Suggestion](b, c, records.KindSuggestion) {
				if x.Submitted.Time().Year() == 2023 {
					out[join(string(x.Status))]++
				}
			}
			return out
		},
	},
	{
		name:  "RoadKmByVillage",
		query: `{ projectsAggregate(filter: {kind: {eq: ROAD}}) { groupBy(fields: [VILLAGE], first: 500) { keys { village { id name } } label sum { lengthKm } } } }`,
		read: func(d map[string]any) map[string]float64 {
			return groupsOf(d, "projectsAggregate", func(g map[string]any) string { return keys(g, "village") }, func(g map[string]any) float64 {
				v, _ := g["sum"].(map[string]any)["lengthKm"].(float64)
				return v
			})
		},
		naive: func(b *testing.B, c *county) map[string]float64 {
			out := map[string]float64{}
			for _, p := range rawAll[records.Project](b, c, records.KindProject) {
				if p.Kind != records.ROAD || p.LengthKm == nil {
					continue
				}
				for _, v := range p.VillageIDs {
					out[join(v)] += *p.LengthKm
				}
			}
			return out
		},
	},
	{
		name:  "SuggestionHandling2023",
		query: `{ dashboard(year: 2023) { suggestions { total replied onTime late overdueOpen handlingRate onTimeRate } } }`,
		read: func(d map[string]any) map[string]float64 {
			s := d["dashboard"].(map[string]any)["suggestions"].(map[string]any)
			out := map[string]float64{}
			for _, k := range []string{"total", "replied", "onTime", "late", "overdueOpen"} {
				out[k] = s[k].(float64)
			}
			return out
		},
		naive: func(b *testing.B, c *county) map[string]float64 {
			out := map[string]float64{"total": 0, "replied": 0, "onTime": 0, "late": 0, "overdueOpen": 0}
			today := records.Today()
			for _, x := range rawAll[records.Suggestion](b, c, records.KindSuggestion) {
				if x.Submitted.Time().Year() != 2023 {
					continue
				}
				out["total"]++
				var replied *time.Time
				for _, h := range x.History {
					if h.To == records.REPLIED {
						replied = &h.At
						break
					}
				}
				switch {
				case replied != nil:
					out["replied"]++
					if x.Deadline != nil {
						if records.DateOf(replied.In(time.FixedZone("CST", 8*3600))) <= *x.Deadline {
							out["onTime"]++
						} else {
							out["late"]++
						}
					}
				case x.Deadline != nil && *x.Deadline < today && x.Status != records.REJECTED:
					out["overdueOpen"]++
				}
			}
			return out
		},
	},
}

// BenchmarkAggregate measures each figure as one GraphQL request over the
// county of 30 townships and ten years on the SQLite store, beside its
// naive computation.
func BenchmarkAggregate(b *testing.B) {
	c := MustCounty(b, storetest.SQLite, 30, 10)
	for _, f := range figures {
		benchFigure(b, c, f)
	}
}

func benchFigure(b *testing.B, c *county, f figure) {
	b.Run(f.name, func(b *testing.B) {
		var data map[string]any
		run := func() { data = c.data(b, f.query, nil) }
		run()
		got, want := f.read(data), f.naive(b, c)
		if !sameFigures(got, want) {
			b.Fatalf("the aggregate answers %v, the naive count %v", got, want)
		}
		before := c.commands.Load()
		for b.Loop() {
			run()
		}
		c.perOp(b, before)
		per := b.Elapsed() / time.Duration(b.N)
		naive := timeIt(1, nil, func() { f.naive(b, c) })
		b.ReportMetric(float64(naive.Microseconds())/1000, "naive-ms/op")
		b.ReportMetric(float64(naive)/float64(per), "naive/aggregate")
	})
}

func sameFigures(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	ka, kb := slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))
	if !reflect.DeepEqual(ka, kb) {
		return false
	}
	for k, v := range a {
		if d := v - b[k]; d > 1e-6 || d < -1e-6 {
			return false
		}
	}
	return true
}

// BenchmarkTownshipDashboard: one township's whole dashboard, every figure
// asked, on the county of 30 townships × 10 years.
func BenchmarkTownshipDashboard(b *testing.B) {
	const figures = `deputies { total byLevel { label count } byGroup { label count } }
		inspections { total coarser months { label count } } activities { total months { label count } byKind { label count } }
		projects { total roadKm roadKmCompleted byKindAndStatus { label count } }
		suggestions { total replied handlingRate onTimeRate satisfiedRate averageDaysToReply satisfaction { label count } }`
	q := `{ township(id: "qps") { dashboard(year: 2023) { ` + figures + ` valuable { monthsChecked deputies { deputy { name } months } } } } }`
	// SQLite only: on FerretDB one township's dashboard scans the
	// county's collections (seconds at 10 townships).
	for _, be := range []storetest.Backend{storetest.SQLite} {
		n := 30
		c := MustCounty(b, be, n, 10)
		b.Run(fmt.Sprintf("townships=%d/%s/warm", n, be), func(b *testing.B) {
			c.query(b, q, nil)
			before := c.commands.Load()
			for b.Loop() {
				c.query(b, q, nil)
			}
			c.perOp(b, before)
		})
	}
}
