package analytics_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/analytics"
	"renda/internal/records"
	"renda/internal/storetest"
)

// now is the moment the dashboards are asked at: mid-2023, so 2023 has
// six months over and 2022 all twelve.
var now = time.Date(2023, 7, 15, 3, 0, 0, 0, time.UTC)

func counts(cs []analytics.Count) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[id(c.Key)] += c.Count
	}
	return m
}

func mustEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// inTowns keeps the records of towns (nil: all).
func inTowns[T any](xs []*T, towns []string, town func(*T) string) []*T {
	var out []*T
	for _, x := range xs {
		if towns == nil || slices.Contains(towns, town(x)) {
			out = append(out, x)
		}
	}
	return out
}

// checkDashboards compares every dashboard figure with the naive count,
// for both years and for the whole county and one township.
func checkDashboards(t *testing.T, s *records.Store, c *county) {
	t.Helper()
	ctx := context.Background()
	today := records.DateOf(now.In(shanghai))
	townSets := [][]string{nil}
	if len(c.towns) > 1 {
		townSets = append(townSets, c.towns[1:2])
	}
	for _, towns := range townSets {
		what := fmt.Sprintf("townships %v", towns)
		deps := inTowns(c.deputies, towns, func(d *records.Deputy) string { return d.Township })
		f, err := analytics.Deputies(ctx, s, towns)
		if err != nil {
			t.Fatal(err)
		}
		level, group, gender, party := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		for _, d := range deps {
			for _, l := range d.Levels {
				level[id(string(l))]++
			}
			group[id(norm(d.Group))]++
			party[id(norm(d.Party))]++
			var g any
			if d.Gender != nil {
				g = string(*d.Gender)
			}
			gender[id(g)]++
		}
		for _, l := range []records.Level{records.CITY, records.COUNTY, records.TOWNSHIP} {
			level[id(string(l))] += 0
		}
		gender[id(string(records.MALE))] += 0
		gender[id(string(records.FEMALE))] += 0
		mustEqual(t, what+": deputies", f.Total, len(deps))
		mustEqual(t, what+": deputies by level", counts(f.ByLevel), level)
		mustEqual(t, what+": deputies by group", counts(f.ByGroup), group)
		mustEqual(t, what+": deputies by gender", counts(f.ByGender), gender)
		mustEqual(t, what+": deputies by party", counts(f.ByParty), party)
		mustOrdered(t, what+": deputies by group", f.ByGroup)

		for _, year := range []int{2022, 2023} {
			what := fmt.Sprintf("%s, %d", what, year)
			for _, kind := range []string{"inspections", "activities"} {
				var spans []records.DateSpan
				byKind := map[string]int{}
				var m *analytics.Monthly
				if kind == "inspections" {
					for _, x := range inTowns(c.inspections, towns, func(x *records.Inspection) string { return x.Township }) {
						spans = append(spans, x.Date)
					}
					m, err = analytics.Inspections(ctx, s, towns, year)
				} else {
					for _, a := range inTowns(c.activities, towns, func(a *records.Activity) string { return a.Township }) {
						spans = append(spans, a.Date)
						if a.Date.Date.Time().Year() == year {
							byKind[id(string(a.Kind))]++
						}
					}
					m, err = analytics.Activities(ctx, s, towns, year)
				}
				if err != nil {
					t.Fatal(err)
				}
				months, coarser, total := make([]int, 12), 0, 0
				for _, sp := range spans {
					d := sp.Date.Time()
					if d.Year() != year {
						continue
					}
					total++
					if sp.Precision == records.DAY || sp.Precision == records.DEKAD || sp.Precision == records.MONTH {
						months[d.Month()-1]++
					} else {
						coarser++
					}
				}
				var got []int
				for _, x := range m.Months {
					got = append(got, x.Count)
				}
				mustEqual(t, what+": "+kind+" by month", got, months)
				mustEqual(t, what+": "+kind+" coarser", m.Coarser, coarser)
				mustEqual(t, what+": "+kind, m.Total, total)
				if kind == "activities" {
					mustEqual(t, what+": activities by kind", counts(m.ByKind), byKind)
				}
			}

			pf, err := analytics.Projects(ctx, s, towns, year)
			if err != nil {
				t.Fatal(err)
			}
			pk, ps, both := map[string]int{}, map[string]int{}, map[string]int{}
			for _, k := range []records.ProjectKind{records.ROAD, records.SCHOOL, records.MARKET, records.OTHER} {
				pk[id(string(k))] = 0
			}
			for _, st := range []records.ProjectStatus{records.PLANNED, records.IN_PROGRESS, records.COMPLETED, records.SUSPENDED} {
				ps[id(string(st))] = 0
			}
			km, kmDone, n := 0.0, 0.0, 0
			for _, p := range inTowns(c.projects, towns, func(p *records.Project) string { return p.Township }) {
				if p.Year != year {
					continue
				}
				n++
				pk[id(string(p.Kind))]++
				ps[id(string(p.Status))]++
				both[string(p.Kind)+"/"+string(p.Status)]++
				if p.Kind == records.ROAD && p.LengthKm != nil {
					km += *p.LengthKm
					if p.Status == records.COMPLETED {
						kmDone += *p.LengthKm
					}
				}
			}
			gotBoth := map[string]int{}
			for _, x := range pf.ByKindAndStatus {
				gotBoth[string(x.Kind)+"/"+string(x.Status)] = x.Count
			}
			mustEqual(t, what+": projects", pf.Total, n)
			mustEqual(t, what+": projects by kind", counts(pf.ByKind), pk)
			mustEqual(t, what+": projects by status", counts(pf.ByStatus), ps)
			mustEqual(t, what+": projects by kind and status", gotBoth, both)
			if !near(pf.RoadKm, km) || !near(pf.RoadKmCompleted, kmDone) {
				t.Fatalf("%s: road km %v, completed %v; want %v, %v", what, pf.RoadKm, pf.RoadKmCompleted, km, kmDone)
			}

			checkSuggestions(t, what, s, c, towns, year, today)
			checkLacking(t, what, s, c, towns, year)
		}
	}
}

// mustOrdered checks a by-count list: most first, none last.
func mustOrdered(t *testing.T, what string, cs []analytics.Count) {
	t.Helper()
	for i := 1; i < len(cs); i++ {
		a, b := cs[i-1], cs[i]
		if a.Key == nil || (b.Key != nil && b.Count > a.Count) {
			t.Fatalf("%s: %v before %v", what, a, b)
		}
	}
}

func checkSuggestions(t *testing.T, what string, s *records.Store, c *county, towns []string, year int, today records.Date) {
	t.Helper()
	f, err := analytics.Suggestions(context.Background(), s, towns, year, today)
	if err != nil {
		t.Fatal(err)
	}
	var total, unassigned, open, rejected, replied, onTime, late, noDeadline, overdue, sat, basic, dis, unrated int
	days := 0.0
	for _, x := range inTowns(c.suggestions, towns, func(x *records.Suggestion) string { return x.Township }) {
		if x.Submitted.Time().Year() != year {
			continue
		}
		total++
		switch x.Status {
		case records.SUBMITTED, records.ACCEPTED, records.RETURNED:
			unassigned++
		case records.ASSIGNED, records.REOPENED:
			open++
		case records.REJECTED:
			rejected++
		}
		awaiting := false
		switch x.Status {
		case records.SUBMITTED, records.ACCEPTED, records.ASSIGNED, records.REOPENED:
			awaiting = x.Deadline != nil && *x.Deadline < today
		}
		r := firstReply(x)
		if r != nil {
			replied++
			days += r.Time().Sub(x.Submitted.Time()).Hours() / 24
		}
		switch dated, isLate := naiveReplies(x); {
		case awaiting:
			overdue++
		case r == nil:
		case dated && isLate:
			late++
		case dated:
			onTime++
		default:
			noDeadline++
		}
		switch {
		case x.Satisfaction == nil:
			unrated++
		case *x.Satisfaction == records.SATISFIED:
			sat++
		case *x.Satisfaction == records.BASICALLY_SATISFIED:
			basic++
		default:
			dis++
		}
	}
	got := []int{f.Total, f.Unassigned, f.Open, f.Rejected, f.Replied, f.OnTime, f.Late, f.NoDeadline, f.OverdueOpen}
	mustEqual(t, what+": suggestions total, unassigned, open, rejected, replied, on time, late, no deadline, overdue", got, []int{total, unassigned, open, rejected, replied, onTime, late, noDeadline, overdue})
	var gotSat []int
	for _, x := range f.Satisfaction {
		gotSat = append(gotSat, x.Count)
	}
	mustEqual(t, what+": satisfaction", gotSat, []int{sat, basic, dis, unrated})
	rate := func(p *float64, a, b int) {
		t.Helper()
		if b == 0 {
			if p != nil {
				t.Fatalf("%s: rate %v of nothing, want none", what, *p)
			}
			return
		}
		if p == nil || !near(*p, float64(a)/float64(b)) {
			t.Fatalf("%s: rate %v, want %d/%d", what, p, a, b)
		}
	}
	rate(f.HandlingRate, replied, total-rejected-unassigned)
	rate(f.OnTimeRate, onTime, onTime+late+overdue)
	rate(f.SatisfiedRate, sat+basic, sat+basic+dis)
	if replied > 0 && (f.AverageDaysToReply == nil || !near(*f.AverageDaysToReply, days/float64(replied))) {
		t.Fatalf("%s: average days to reply %v, want %v", what, f.AverageDaysToReply, days/float64(replied))
	}
}

func checkLacking(t *testing.T, what string, s *records.Store, c *county, towns []string, year int) {
	t.Helper()
	l, err := analytics.LackingValuable(context.Background(), s, towns, year, now)
	if err != nil {
		t.Fatal(err)
	}
	checked := 12
	if year == 2023 {
		checked = 6
	}
	mustEqual(t, what+": months checked", l.MonthsChecked, checked)
	want := map[string][]int{}
	for _, d := range inTowns(c.deputies, towns, func(d *records.Deputy) string { return d.Township }) {
		has := map[int]bool{}
		for _, x := range c.suggestions {
			if x.DeputyID == d.ID && x.Valuable && x.Submitted.Time().Year() == year {
				has[int(x.Submitted.Time().Month())] = true
			}
		}
		for m := 1; m <= checked; m++ {
			if !has[m] {
				want[d.ID] = append(want[d.ID], m)
			}
		}
	}
	got := map[string][]int{}
	for _, d := range l.Deputies {
		got[d.Deputy] = d.Months
	}
	mustEqual(t, what+": deputies lacking a valuable item", got, want)
}

// TestDemo: the aggregates and dashboard figures of the demo township, 棋
// 盘山镇, against the same counted in Go from its records.
func TestDemo(t *testing.T) {
	s := storetest.MustDemo(t)
	c := &county{towns: []string{"qps"}}
	c.reload(t, s)
	checkAggregates(t, s, c, nil, rand.New(rand.NewPCG(1, 1)), "demo")
	checkDashboards(t, s, c)
	f, err := analytics.Deputies(context.Background(), s, []string{"qps"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Total == 0 || f.ByLevel[0].Label != "市级" {
		t.Fatalf("demo deputies %+v: want some, by level starting with 市级", f)
	}
	t.Run("ErrMoreGroupsThanFirst", func(t *testing.T) {
		req := analytics.Request{Kind: records.KindActivity, Keys: []analytics.Key{{Field: "PARTICIPANT"}, {Field: "VILLAGE"}}}
		all, err := analytics.Groups(context.Background(), s, req)
		if err != nil || len(all) <= analytics.MaxGroups {
			t.Fatalf("%d groups (%v): the demo's activities by participant and village are more than %d", len(all), err, analytics.MaxGroups)
		}
		for _, first := range []*int{nil, ptr(100)} {
			req.First = first
			_, err = analytics.Aggregate(context.Background(), s, req)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "first" || !strings.Contains(err.Error(), fmt.Sprintf("there are %d groups", len(all))) || !strings.Contains(err.Error(), "groups(first:, after:)") {
				t.Fatalf("first %v: got %v, want EINVALID on first naming how many groups there are (%d) and how to page", first, err, len(all))
			}
		}
	})
}
