package analytics_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"renda/internal/analytics"
	"renda/internal/records"
	"renda/internal/storetest"
)

// eachStore runs f on a store of each backend, so every figure is checked
// on both; reopen gives a fresh store of the same backend.
func eachStore(t *testing.T, f func(t *testing.T, s *records.Store, reopen func() *records.Store)) {
	for _, b := range storetest.Backends {
		t.Run(string(b), func(t *testing.T) {
			f(t, storetest.MustOpenOn(t, b), func() *records.Store { return storetest.MustOpenOn(t, b) })
		})
	}
}

// keySets are the groupings tried for a kind: every field alone, each
// with the next, attribute paths alone and with a field.
func keySets(spec *analytics.Spec) [][]analytics.Key {
	var out [][]analytics.Key
	for i, f := range spec.Fields {
		out = append(out, []analytics.Key{{Field: f.Name}})
		if i+1 < len(spec.Fields) {
			out = append(out, []analytics.Key{{Field: f.Name}, {Field: spec.Fields[i+1].Name}})
		}
	}
	for _, a := range []string{"片区", "score", "areas", "nested.level"} {
		out = append(out, []analytics.Key{{Attribute: a}})
	}
	out = append(out, []analytics.Key{{Field: spec.Fields[0].Name}, {Attribute: "areas"}, {Field: spec.Fields[len(spec.Fields)-1].Name}})
	return out
}

func numbers(spec *analytics.Spec) []analytics.NumberRef {
	var out []analytics.NumberRef
	for _, n := range spec.Numbers {
		out = append(out, analytics.NumberRef{Number: n.Name})
	}
	return append(out, analytics.NumberRef{Attribute: "score"})
}

// TestAggregate_Property: every grouping of every kind — lists, attribute
// paths (one defined as a NUMBER in one township), date buckets,
// townships — with the sums and averages of every number, against the
// same counted naively in Go over the records, on random counties and on
// both layouts.
func TestAggregate_Property(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *records.Store, reopen func() *records.Store) {
		for _, seed := range []uint64{1, 2} {
			c := MustRandomCounty(t, s, 3, seed*100)
			// t0 defines score as a NUMBER after its records were written:
			// their "2" and "3" are the numbers 2 and 3 there, text elsewhere.
			defs := map[string]map[string]*records.AttributeDef{}
			for _, kind := range []records.Kind{records.KindDeputy, records.KindVillage, records.KindProject, records.KindInspection, records.KindActivity, records.KindSuggestion} {
				d, err := s.Attributes.Put(ctx, "t0", kind, records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrNumber})
				if err != nil {
					t.Fatal(err)
				}
				defs[string(kind)+"/t0"] = map[string]*records.AttributeDef{"score": d}
			}
			checkAggregates(t, s, c, defs, rand.New(rand.NewPCG(seed, 9)), fmt.Sprintf("seed %d", seed))
			checkDashboards(t, s, c)
			s = reopen()
		}
	})
}

// checkAggregates compares every grouping of every kind with the naive
// count, each in random townships and with or without a filter.
func checkAggregates(t *testing.T, s *records.Store, c *county, defs map[string]map[string]*records.AttributeDef, rng *rand.Rand, what string) {
	t.Helper()
	ctx := context.Background()
	for kind, spec := range analytics.Specs {
		if kind == records.KindTownship {
			continue
		}
		vs := views(c, kind)
		for _, keys := range keySets(spec) {
			distinct := spec.Fields[rng.IntN(len(spec.Fields))].Name
			req := analytics.Request{Kind: kind, Keys: keys, Numbers: numbers(spec), First: ptr(analytics.MaxGroups),
				Distinct: []analytics.Key{{Field: distinct}}, Rates: kind == records.KindSuggestion, Today: naiveToday, On: naiveToday}
			var towns []string
			if len(c.towns) > 1 {
				towns = [][]string{nil, nil, c.towns[1:2], {c.towns[0], c.towns[len(c.towns)-1]}}[rng.IntN(4)]
			}
			req.Townships = towns
			tag := ""
			if rng.IntN(3) == 0 {
				tag = "重点"
				req.Filter = records.Expr{Cond: &records.Cond{Path: "tags", Op: records.OpEq, Value: tag}}
			}
			if rng.IntN(2) == 0 {
				req.Order = analytics.Order{By: analytics.ByCount, Desc: true}
			}
			want := naive(vs, kind, keys, req.Numbers, defs, towns, tag, distinct)
			req.Having = randomHaving(rng, spec, want)
			name := fmt.Sprintf("%s: %s by %v in %v tag %q order %v having %v", what, kind, keys, towns, tag, req.Order, req.Having != nil)
			got, err := analytics.Groups(ctx, s, req)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			compare(t, name, got, want)
			for _, g := range got { // a key every record holds is never none (the API's key is non-null)
				for i, k := range keys {
					if f, ok := spec.Field(k.Field); ok && f.Always && g.Keys[i] == nil {
						t.Errorf("%s: a group of no %s, which every record holds", name, k.Field)
					}
				}
			}
			checkPaged(t, s, req, got, rng, name)
			checkNeverCut(t, s, req, len(want), rng, name)
		}
		tot, err := analytics.Totals(ctx, s, analytics.Request{Kind: kind, Numbers: numbers(spec), Distinct: []analytics.Key{{Field: spec.Fields[0].Name}},
			Rates: kind == records.KindSuggestion, Today: naiveToday, On: naiveToday})
		if err != nil {
			t.Fatal(err)
		}
		compare(t, fmt.Sprintf("%s: %s totals", what, kind), []*analytics.Group{tot}, naive(vs, kind, nil, numbers(spec), defs, nil, "", spec.Fields[0].Name))
	}
}

func naive(vs []view, kind records.Kind, keys []analytics.Key, nums []analytics.NumberRef, defs map[string]map[string]*records.AttributeDef, towns []string, tag string, distinct string) map[string]*naiveGroup {
	spec := analytics.Specs[kind]
	out := map[string]*naiveGroup{}
	for _, v := range vs {
		if towns != nil && !slices.Contains(towns, v.town) || tag != "" && !slices.Contains(v.tags, tag) {
			continue
		}
		def := func(path string) *records.AttributeDef { return defs[string(kind)+"/"+v.town][path] }
		lists := make([][]any, len(keys))
		for i, k := range keys {
			if k.Attribute != "" {
				raw := attr(v.attrs, k.Attribute)
				if d := def(k.Attribute); d != nil {
					if xs, ok := raw.([]any); ok {
						var ys []any
						for _, x := range xs {
							ys = append(ys, coerce(d, x))
						}
						raw = ys
					} else {
						raw = coerce(d, raw)
					}
				}
				lists[i] = items(raw, false)
				continue
			}
			f, _ := spec.Field(k.Field)
			lists[i] = items(v.field[k.Field], f.List)
		}
		df, _ := spec.Field(distinct)
		dvals := items(v.field[distinct], df.List)
		vals := make([]*float64, len(nums))
		dates := make([]records.Date, len(nums))
		for i, n := range nums {
			if x, ok := spec.Number(n.Number); ok && x.Date {
				dates[i] = v.dates[n.Number]
				continue
			}
			if n.Attribute != "" {
				raw := attr(v.attrs, n.Attribute)
				if d := def(n.Attribute); d != nil {
					raw = coerce(d, raw)
				}
				if f, ok := records.Number(raw); ok {
					vals[i] = &f
				}
				continue
			}
			vals[i] = v.num[n.Number]
		}
		var walk func(i int, combo []any)
		walk = func(i int, combo []any) {
			if i == len(keys) {
				k := ""
				for _, x := range combo {
					k += id(x) + ";"
				}
				g := out[k]
				if g == nil {
					g = &naiveGroup{keys: slices.Clone(combo), sums: make([]float64, len(nums)), ns: make([]int, len(nums)),
						mins: make([]any, len(nums)), maxs: make([]any, len(nums)), distinct: map[string]bool{}}
					out[k] = g
				}
				g.count++
				if v.sug != nil {
					g.addHandling(v.sug)
				}
				for _, x := range dvals {
					if x != nil {
						g.distinct[id(x)] = true
					}
				}
				for j, x := range vals {
					if d := dates[j]; d != "" {
						g.ns[j]++
						if m, ok := g.mins[j].(records.Date); !ok || d < m {
							g.mins[j] = d
						}
						if m, ok := g.maxs[j].(records.Date); !ok || d > m {
							g.maxs[j] = d
						}
					}
					if x != nil {
						g.sums[j] += *x
						g.ns[j]++
						if m, ok := g.mins[j].(*float64); !ok || *x < *m {
							g.mins[j] = x
						}
						if m, ok := g.maxs[j].(*float64); !ok || *x > *m {
							g.maxs[j] = x
						}
					}
				}
				return
			}
			for _, x := range lists[i] {
				walk(i+1, append(combo, x))
			}
		}
		walk(0, nil)
	}
	return out
}

func coerce(d *records.AttributeDef, v any) any {
	if c, err := d.Coerce(v); err == nil {
		return c
	}
	return v
}

func compare(t *testing.T, what string, got []*analytics.Group, want map[string]*naiveGroup) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d groups, want %d: got %.2000s, want %.2000s", what, len(got), len(want), gotKeys(got), wantKeys(want))
	}
	for _, g := range got {
		k := ""
		for _, x := range g.Keys {
			k += id(x) + ";"
		}
		w := want[k]
		if w == nil {
			t.Fatalf("%s: group %s is not among %.2000s", what, k, wantKeys(want))
		}
		if g.Count != w.count {
			t.Fatalf("%s: group %s counts %d, want %d", what, k, g.Count, w.count)
		}
		if h := g.Handling(); w.total > 0 && fmt.Sprint(w.rates()) != fmt.Sprint(rates(h)) {
			t.Fatalf("%s: group %s rates %v, want %v", what, k, rates(h), w.rates())
		}
		if g.CountDistinct(0) != len(w.distinct) {
			t.Fatalf("%s: group %s counts %d distinct, want %d", what, k, g.CountDistinct(0), len(w.distinct))
		}
		for i := range w.sums {
			if figure(g.Min(i)) != figure(w.mins[i]) || figure(g.Max(i)) != figure(w.maxs[i]) {
				t.Fatalf("%s: group %s number %d: min %s max %s, want %s and %s", what, k, i, figure(g.Min(i)), figure(g.Max(i)), figure(w.mins[i]), figure(w.maxs[i]))
			}
			if _, isDate := w.mins[i].(records.Date); isDate {
				continue
			}
			sum, avg := g.Sum(i), g.Average(i)
			if w.ns[i] == 0 {
				if sum != nil || avg != nil {
					t.Fatalf("%s: group %s number %d: sum %v, want none", what, k, i, *sum)
				}
				continue
			}
			if sum == nil || !near(*sum, w.sums[i]) || !near(*avg, w.sums[i]/float64(w.ns[i])) || g.Counted(i) != w.ns[i] {
				t.Fatalf("%s: group %s number %d: sum %v avg %v of %d, want %v avg %v of %d", what, k, i, sum, avg, g.Counted(i), w.sums[i], w.sums[i]/float64(w.ns[i]), w.ns[i])
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func gotKeys(gs []*analytics.Group) string {
	var ks []string
	for _, g := range gs {
		k := ""
		for _, x := range g.Keys {
			k += id(x) + ";"
		}
		ks = append(ks, fmt.Sprintf("%s=%d", k, g.Count))
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

func wantKeys(m map[string]*naiveGroup) string {
	var ks []string
	for k, g := range m {
		ks = append(ks, fmt.Sprintf("%s=%d", k, g.count))
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

// checkPaged: groups paged to the end, at a random page size, are the
// groups groupBy answers, in the same order, each once; totalCount says
// how many there are on every page.
func checkPaged(t *testing.T, s *records.Store, req analytics.Request, all []*analytics.Group, rng *rand.Rand, what string) {
	t.Helper()
	size := 1 + rng.IntN(7)
	var paged []*analytics.Group
	after := ""
	for page := 0; ; page++ {
		p, err := analytics.PageGroups(context.Background(), s, req, size, after)
		if err != nil {
			t.Fatalf("%s: page %d of %d: %v", what, page, size, err)
		}
		if p.TotalCount != len(all) || len(p.Groups) > size || len(p.Cursors) != len(p.Groups) {
			t.Fatalf("%s: page %d: totalCount %d of %d groups, want %d of at most %d", what, page, p.TotalCount, len(p.Groups), len(all), size)
		}
		paged = append(paged, p.Groups...)
		if !p.HasNextPage {
			break
		}
		if len(p.Groups) == 0 || page > len(all) {
			t.Fatalf("%s: page %d has a next page but no groups", what, page)
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	if gotKeys(paged) != gotKeys(all) || len(paged) != len(all) {
		t.Fatalf("%s: paged by %d: %.1000s, want %.1000s", what, size, gotKeys(paged), gotKeys(all))
	}
	for i := range all {
		if fmt.Sprint(paged[i].Keys) != fmt.Sprint(all[i].Keys) {
			t.Fatalf("%s: paged by %d: group %d is %v, want %v (groupBy's order)", what, size, i, paged[i].Keys, all[i].Keys)
		}
	}
}

// checkNeverCut: groupBy with a random first answers every group, or an
// error naming how many there are.
func checkNeverCut(t *testing.T, s *records.Store, req analytics.Request, n int, rng *rand.Rand, what string) {
	t.Helper()
	first := rng.IntN(min(n+2, analytics.MaxGroups+1))
	req.First = &first
	got, err := analytics.Aggregate(context.Background(), s, req)
	switch {
	case n > first:
		if records.ErrorCode(err) != records.EINVALID || !strings.Contains(err.Error(), fmt.Sprintf("there are %d groups", n)) {
			t.Fatalf("%s: first %d of %d groups: got %d groups, error %v; want an error naming %d", what, first, n, len(got), err, n)
		}
	case err != nil || len(got) != n:
		t.Fatalf("%s: first %d: got %d groups (%v), want all %d", what, first, len(got), err, n)
	}
}

// figure prints a min or max: a number, a date, or none.
func figure(v any) string {
	switch x := v.(type) {
	case *float64:
		if x != nil {
			return strconv.FormatFloat(*x, 'g', 10, 64)
		}
	case records.Date:
		return string(x)
	}
	return "none"
}

// randomHaving draws a having on the count or a figure of a number, and
// deletes from want the groups it leaves out (its thresholds drawn from
// want's own figures so that it keeps some and drops some).
func randomHaving(rng *rand.Rand, spec *analytics.Spec, want map[string]*naiveGroup) *analytics.Having {
	var some *naiveGroup // the first by key, so a seed draws the same having
	for _, k := range slices.Sorted(maps.Keys(want)) {
		some = want[k]
		break
	}
	if some == nil || rng.IntN(3) == 0 {
		return nil
	}
	if rng.IntN(3) == 0 {
		maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool { return g.count < 2 })
		return &analytics.Having{Count: &records.IntFilter{Gte: ptr(2)}}
	}
	if some.total > 0 && rng.IntN(2) == 0 { // suggestions: a rate at least the first group's
		i := rng.IntN(3)
		rate := []analytics.Rate{analytics.RateHandling, analytics.RateOnTime, analytics.RateSatisfied}[i]
		x := some.rates()[i]
		if x < 0 {
			maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool { return g.rates()[i] >= 0 })
			return &analytics.Having{Rates: []analytics.RateHaving{{Rate: rate, Float: &records.FloatFilter{IsNull: ptr(true)}}}}
		}
		gte := x - 1e-9
		maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool { return g.rates()[i] < gte })
		return &analytics.Having{Rates: []analytics.RateHaving{{Rate: rate, Float: &records.FloatFilter{Gte: &gte}}}}
	}
	i := rng.IntN(len(some.sums)) // numbers(spec): the kind's numbers and dates, then the attribute
	ref := analytics.NumberRef{Attribute: "score"}
	if i < len(spec.Numbers) {
		ref = analytics.NumberRef{Number: spec.Numbers[i].Name}
	}
	stats := []analytics.Stat{analytics.StatSum, analytics.StatAverage, analytics.StatMin, analytics.StatMax}
	if i < len(spec.Numbers) && spec.Numbers[i].Date {
		stats = stats[2:]
	}
	stat := stats[rng.IntN(len(stats))]
	of := func(g *naiveGroup) any {
		switch stat {
		case analytics.StatSum, analytics.StatAverage:
			if g.ns[i] == 0 {
				return nil
			}
			v := g.sums[i]
			if stat == analytics.StatAverage {
				v /= float64(g.ns[i])
			}
			return &v
		case analytics.StatMin:
			return g.mins[i]
		}
		return g.maxs[i]
	}
	h := analytics.NumberHaving{Stat: stat, Number: ref}
	switch x := of(some).(type) {
	case *float64:
		// A margin below the figure, so rounding on either side cannot
		// tell them apart.
		gte := *x - 1e-6*math.Max(1, math.Abs(*x))
		h.Float = &records.FloatFilter{Gte: &gte}
		maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool {
			y, _ := of(g).(*float64)
			return y == nil || *y < gte
		})
	case records.Date:
		h.Date = &records.DateFilter{Gte: &x}
		maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool {
			y, ok := of(g).(records.Date)
			return !ok || y < x
		})
	default:
		h.Float = &records.FloatFilter{IsNull: ptr(true)}
		maps.DeleteFunc(want, func(_ string, g *naiveGroup) bool { return of(g) != nil && of(g) != (*float64)(nil) })
	}
	return &analytics.Having{Numbers: []analytics.NumberHaving{h}}
}

// rates prints a group's rates as naiveGroup.rates does.
func rates(h *records.Handling) [3]float64 {
	var out [3]float64
	for i, r := range []*float64{h.HandlingRate(), h.OnTimeRate(), h.SatisfiedRate()} {
		out[i] = -1
		if r != nil {
			out[i] = *r
		}
	}
	return out
}
