package graph_test

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"renda/internal/records"
)

// analystChecks answer each question of docs/analysts.md naively, from
// the county's lists, and compare.
var analystChecks = map[int]func(t *testing.T, c *analystCounty, out map[string]any){
	1: func(t *testing.T, c *analystCounty, out map[string]any) {
		ins, _, _ := c.dutyIn()
		want := 0
		for _, d := range c.deputies {
			if ins[d.ID] == 0 {
				want++
			}
		}
		wantEqual(t, "deputies in no inspection", at(out, "deputies", "totalCount"), want)
		wantEqual(t, "names listed", len(items(at(out, "deputies", "nodes"))), min(want, 500))
	},
	2: func(t *testing.T, c *analystCounty, out map[string]any) {
		ins, acts, sugs := c.dutyIn()
		want := 0
		for _, d := range c.deputies {
			if ins[d.ID]+acts[d.ID]+sugs[d.ID] == 0 {
				want++
			}
		}
		wantEqual(t, "deputies with no duty work", at(out, "deputies", "totalCount"), want)
	},
	3: func(t *testing.T, c *analystCounty, out map[string]any) {
		_, _, sugs := c.dutyIn()
		wantEqual(t, "suggestions", at(out, "suggestionsAggregate", "count"), len(c.suggestionsOf(year)))
		wantEqual(t, "distinct deputies", at(out, "suggestionsAggregate", "deputies"), len(sugs))
	},
	4: func(t *testing.T, c *analystCounty, out map[string]any) {
		_, _, sugs := c.dutyIn()
		want := 0
		for _, n := range sugs {
			if n >= 3 {
				want++
			}
		}
		wantEqual(t, "deputies with 3 or more", at(out, "deputies", "totalCount"), want)
	},
	5: func(t *testing.T, c *analystCounty, out map[string]any) {
		_, _, sugs := c.dutyIn()
		var counts []int
		for _, n := range sugs {
			counts = append(counts, n)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(counts)))
		var got []int
		for _, g := range items(at(out, "suggestionsAggregate", "groups", "nodes")) {
			got = append(got, int(num(at(g, "count"))))
		}
		wantEqual(t, "totalCount", at(out, "suggestionsAggregate", "groups", "totalCount"), len(sugs))
		wantEqual(t, "top ten counts", got, counts[:min(10, len(counts))])
	},
	6: func(t *testing.T, c *analystCounty, out map[string]any) {
		xs := c.suggestionsOf(year)
		all := naiveRates(xs)
		for i, k := range []string{"handling", "onTime", "satisfied"} {
			wantRate(t, "county "+k, at(out, "suggestionsAggregate", "rates", k), all[i])
		}
		byTown := map[string][]*records.Suggestion{}
		for _, s := range xs {
			byTown[s.Township] = append(byTown[s.Township], s)
		}
		names := townNames(c)
		groups := items(at(out, "suggestionsAggregate", "groupBy"))
		wantEqual(t, "townships", len(groups), len(byTown))
		for _, g := range groups {
			town := names[at(g, "keys", "township", "name").(string)]
			wantEqual(t, town+" count", at(g, "count"), len(byTown[town]))
			r := naiveRates(byTown[town])
			for i, k := range []string{"handling", "onTime", "satisfied"} {
				wantRate(t, town+" "+k, at(g, "rates", k), r[i])
			}
		}
	},
	7: func(t *testing.T, c *analystCounty, out map[string]any) {
		want := map[string]int{}
		total := 0
		for _, s := range c.suggestionsOf(year) {
			if _, late := naiveReplies(s); late {
				want[s.Department+"/"+s.Township]++
				total++
			}
		}
		names := townNames(c)
		got := map[string]int{}
		for _, g := range items(at(out, "suggestionsAggregate", "groupBy")) {
			dep, _ := at(g, "keys", "department").(string)
			got[dep+"/"+names[at(g, "keys", "township", "name").(string)]] = int(num(at(g, "count")))
		}
		wantEqual(t, "late", at(out, "suggestionsAggregate", "count"), total)
		wantEqual(t, "late by department and township", got, want)
	},
	8: func(t *testing.T, c *analystCounty, out map[string]any) {
		byDep := map[string][]*records.Suggestion{}
		for _, s := range c.suggestionsOf(year) {
			byDep[s.Department] = append(byDep[s.Department], s)
		}
		want := map[string]bool{}
		for dep, xs := range byDep {
			if r := naiveRates(xs)[2]; r != nil && *r < 0.8 {
				want[dep] = true
			}
		}
		got := map[string]bool{}
		for _, g := range items(at(out, "suggestionsAggregate", "groupBy")) {
			dep, _ := at(g, "keys", "department").(string)
			got[dep] = true
		}
		wantEqual(t, "dissatisfying departments", got, want)
	},
	9: func(t *testing.T, c *analystCounty, out map[string]any) {
		most := map[string]float64{}
		for _, s := range c.suggestionsOf(year) {
			if r := repliedOn(s); r != nil {
				days := r.Time().Sub(s.Submitted.Time()).Hours() / 24
				most[s.Department] = max(most[s.Department], days)
			}
		}
		want := map[string]float64{}
		for dep, d := range most {
			if d > 30 {
				want[dep] = d
			}
		}
		got := map[string]float64{}
		last := math.Inf(1)
		for _, g := range items(at(out, "suggestionsAggregate", "groupBy")) {
			dep, _ := at(g, "keys", "department").(string)
			m := num(at(g, "max", "daysToReply"))
			got[dep] = m
			if m > last {
				t.Fatalf("not slowest first: %v after %v", m, last)
			}
			last = m
		}
		wantEqual(t, "slowest departments", got, want)
	},
	10: func(t *testing.T, c *analystCounty, out map[string]any) {
		want := map[int]int{}
		total := 0
		for _, x := range c.inspections {
			if inYear(x.Date.Date) {
				want[int(x.Date.Date.Time().Month())]++
				total++
			}
		}
		got := map[int]int{}
		for _, g := range items(at(out, "inspectionsAggregate", "groupBy")) {
			got[int(num(at(g, "keys", "month")))] = int(num(at(g, "count")))
		}
		wantEqual(t, "inspections", at(out, "inspectionsAggregate", "count"), total)
		wantEqual(t, "by month", got, want)
	},
	11: func(t *testing.T, c *analystCounty, out map[string]any) {
		type fig struct {
			n, people   int
			first, last records.Date
		}
		want := map[string]*fig{}
		for _, x := range c.inspections {
			if !inYear(x.Date.Date) {
				continue
			}
			f := want[x.Township]
			if f == nil {
				f = &fig{first: x.Date.Date, last: x.Date.Date}
				want[x.Township] = f
			}
			people := len(x.ParticipantIDs)
			for _, h := range x.OtherParticipants {
				people += h.Count
			}
			f.n, f.people = f.n+1, f.people+people
			f.first, f.last = min(f.first, x.Date.Date), max(f.last, x.Date.Date)
		}
		names := townNames(c)
		groups := items(at(out, "inspectionsAggregate", "groupBy"))
		wantEqual(t, "townships", len(groups), len(want))
		for _, g := range groups {
			town := names[at(g, "keys", "township", "name").(string)]
			f := want[town]
			if f == nil || int(num(at(g, "count"))) != f.n || !near(num(at(g, "average", "participantCount")), float64(f.people)/float64(f.n)) ||
				at(g, "min", "date") != string(f.first) || at(g, "max", "date") != string(f.last) {
				t.Fatalf("%s: got %v, want %+v", town, g, f)
			}
		}
	},
	12: func(t *testing.T, c *analystCounty, out map[string]any) {
		sum, longest := map[string]float64{}, map[string]float64{}
		total := 0.0
		for _, p := range c.projects {
			if p.Kind == records.ROAD && p.Status == records.COMPLETED && p.Year == year && p.LengthKm != nil {
				sum[p.Township] += *p.LengthKm
				longest[p.Township] = max(longest[p.Township], *p.LengthKm)
				total += *p.LengthKm
			}
		}
		if !near(num(at(out, "projectsAggregate", "sum", "lengthKm")), math.Round(total*1e9)/1e9) {
			t.Fatalf("road km %v, want %v", at(out, "projectsAggregate", "sum", "lengthKm"), total)
		}
		names := townNames(c)
		last := math.Inf(1)
		for _, g := range items(at(out, "projectsAggregate", "groupBy")) {
			town := names[at(g, "keys", "township", "name").(string)]
			km := num(at(g, "sum", "lengthKm"))
			if math.Abs(km-sum[town]) > 1e-6 || num(at(g, "max", "lengthKm")) != longest[town] || km > last {
				t.Fatalf("%s: %v, want %v km, longest %v, after %v", town, g, sum[town], longest[town], last)
			}
			last = km
		}
	},
	13: func(t *testing.T, c *analystCounty, out map[string]any) {
		reached := map[string]bool{}
		for _, p := range c.projects {
			for _, v := range p.VillageIDs {
				reached[v] = true
			}
		}
		want := 0
		for _, v := range c.villages {
			if !reached[v.ID] {
				want++
			}
		}
		wantEqual(t, "villages with no project", at(out, "villages", "totalCount"), want)
	},
	14: func(t *testing.T, c *analystCounty, out map[string]any) {
		ins, _, _ := c.dutyIn()
		has, active := map[string]bool{}, map[string]bool{}
		for _, d := range c.deputies {
			if d.VillageID != "" {
				has[d.VillageID] = true
				if ins[d.ID] > 0 {
					active[d.VillageID] = true
				}
			}
		}
		want := 0
		for _, v := range c.villages {
			if has[v.ID] && !active[v.ID] {
				want++
			}
		}
		wantEqual(t, "villages whose deputies did not inspect", at(out, "villages", "totalCount"), want)
	},
}

func init() {
	analystChecks[15] = func(t *testing.T, c *analystCounty, out map[string]any) {
		levels := map[string][]records.Level{}
		for _, d := range c.deputies {
			levels[d.ID] = d.Levels
		}
		byLevel := map[string][]*records.Suggestion{}
		deputies := map[string]map[string]bool{}
		for _, s := range c.suggestionsOf(year) {
			ls := levels[s.DeputyID]
			if len(ls) == 0 {
				ls = []records.Level{""}
			}
			for _, l := range ls {
				byLevel[string(l)] = append(byLevel[string(l)], s)
				if deputies[string(l)] == nil {
					deputies[string(l)] = map[string]bool{}
				}
				deputies[string(l)][s.DeputyID] = true
			}
		}
		groups := items(at(out, "suggestionsAggregate", "groupBy"))
		wantEqual(t, "levels", len(groups), len(byLevel))
		for _, g := range groups {
			l, _ := at(g, "keys", "deputyLevel").(string)
			wantEqual(t, l+" count", at(g, "count"), len(byLevel[l]))
			wantEqual(t, l+" deputies", at(g, "deputies"), len(deputies[l]))
			wantRate(t, l+" satisfied", at(g, "rates", "satisfied"), naiveRates(byLevel[l])[2])
		}
	}
}

func init() {
	analystChecks[16] = func(t *testing.T, c *analystCounty, out map[string]any) {
		ins, _, _ := c.dutyIn()
		byDeputy := map[string][]*records.Suggestion{}
		for _, s := range c.suggestionsOf(year) {
			byDeputy[s.DeputyID] = append(byDeputy[s.DeputyID], s)
		}
		nodes := items(at(out, "deputies", "nodes"))
		if len(nodes) != min(500, len(c.deputies)) {
			t.Fatalf("%d deputies, want %d", len(nodes), min(500, len(c.deputies)))
		}
		for _, d := range nodes {
			id := at(d, "id").(string)
			wantEqual(t, id+" suggestions", at(d, "suggestionsAggregate", "count"), len(byDeputy[id]))
			wantRate(t, id+" handling", at(d, "suggestionsAggregate", "rates", "handling"), naiveRates(byDeputy[id])[0])
			wantEqual(t, id+" inspections", at(d, "inspectionsAggregate", "count"), ins[id])
		}
	}
}

func init() {
	analystChecks[17] = func(t *testing.T, c *analystCounty, out map[string]any) {
		byMonth := map[int][]*records.Suggestion{}
		for _, s := range c.suggestionsOf(year) {
			m := int(s.Submitted.Time().Month())
			byMonth[m] = append(byMonth[m], s)
		}
		groups := items(at(out, "suggestionsAggregate", "groupBy"))
		wantEqual(t, "months", len(groups), len(byMonth))
		for _, g := range groups {
			m := int(num(at(g, "keys", "month")))
			wantEqual(t, fmt.Sprint(m, " count"), at(g, "count"), len(byMonth[m]))
			r := naiveRates(byMonth[m])
			wantRate(t, fmt.Sprint(m, " handling"), at(g, "rates", "handling"), r[0])
			wantRate(t, fmt.Sprint(m, " onTime"), at(g, "rates", "onTime"), r[1])
		}
	}
	analystChecks[18] = func(t *testing.T, c *analystCounty, out map[string]any) {
		type fig struct {
			n, people int
			who       map[string]bool
		}
		want := map[string]*fig{}
		total := 0
		for _, a := range c.activities {
			if !inYear(a.Date.Date) {
				continue
			}
			total++
			f := want[string(a.Kind)]
			if f == nil {
				f = &fig{who: map[string]bool{}}
				want[string(a.Kind)] = f
			}
			people := len(a.ParticipantIDs)
			for _, h := range a.OtherParticipants {
				people += h.Count
			}
			f.n, f.people = f.n+1, f.people+people
			for _, id := range a.ParticipantIDs {
				f.who[id] = true
			}
		}
		wantEqual(t, "activities", at(out, "activitiesAggregate", "count"), total)
		groups := items(at(out, "activitiesAggregate", "groupBy"))
		wantEqual(t, "kinds", len(groups), len(want))
		last := math.MaxInt
		for _, g := range groups {
			k, _ := at(g, "keys", "kind").(string)
			f := want[k]
			if f == nil || int(num(at(g, "count"))) != f.n || !near(num(at(g, "average", "participantCount")), float64(f.people)/float64(f.n)) ||
				int(num(at(g, "deputies"))) != len(f.who) || f.n > last {
				t.Fatalf("%s: %v, want %d activities, %d people, %d deputies, after %d", k, g, f.n, f.people, len(f.who), last)
			}
			last = f.n
		}
	}
	analystChecks[19] = func(t *testing.T, c *analystCounty, out map[string]any) {
		type fig struct {
			n           int
			first, last records.Date
		}
		want := map[string]*fig{}
		for _, d := range c.deputies {
			gender := ""
			if d.Gender != nil {
				gender = string(*d.Gender)
			}
			for _, l := range d.Levels {
				k := string(l) + "/" + gender
				f := want[k]
				if f == nil {
					f = &fig{}
					want[k] = f
				}
				f.n++
				if d.BirthDate != nil {
					if f.first == "" || *d.BirthDate < f.first {
						f.first = *d.BirthDate
					}
					f.last = max(f.last, *d.BirthDate)
				}
			}
		}
		wantEqual(t, "deputies", at(out, "deputiesAggregate", "count"), len(c.deputies))
		groups := items(at(out, "deputiesAggregate", "groupBy"))
		wantEqual(t, "groups", len(groups), len(want))
		for _, g := range groups {
			l, _ := at(g, "keys", "level").(string)
			gender, _ := at(g, "keys", "gender").(string)
			f := want[l+"/"+gender]
			first, _ := at(g, "min", "birthDate").(string)
			last, _ := at(g, "max", "birthDate").(string)
			if f == nil || int(num(at(g, "count"))) != f.n || first != string(f.first) || last != string(f.last) {
				t.Fatalf("%s/%s: %v, want %+v", l, gender, g, f)
			}
		}
	}
	analystChecks[20] = func(t *testing.T, c *analystCounty, out map[string]any) {
		funding := map[string]float64{}
		for _, p := range c.projects {
			if p.Funding == nil || p.Funding.Total == nil {
				continue
			}
			for _, v := range slices.Compact(slices.Sorted(slices.Values(p.VillageIDs))) {
				funding[v] += *p.Funding.Total
			}
			if len(p.VillageIDs) == 0 {
				funding[""] += *p.Funding.Total
			}
		}
		var sums []float64
		for _, f := range funding {
			sums = append(sums, f)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(sums)))
		wantEqual(t, "villages", at(out, "projectsAggregate", "groups", "totalCount"), len(funding))
		for i, g := range items(at(out, "projectsAggregate", "groups", "nodes")) {
			if got := num(at(g, "sum", "fundingTotal")); math.Abs(got-sums[i]) > 1e-6 {
				t.Fatalf("village %d: %v yuan, want %v", i+1, got, sums[i])
			}
		}
	}
}

// townNames maps townships' names to their ids.
func townNames(c *analystCounty) map[string]string {
	out := map[string]string{}
	for _, x := range c.townships {
		out[x.Name] = x.ID
	}
	return out
}
