package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"renda"
	"renda/graph"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// analystCounty is a generated county of 30 townships (the demo and 29
// made from it, two years each) and its records as listed, for the naive
// side.
type analystCounty struct {
	townships   []*records.Township
	deputies    []*records.Deputy
	villages    []*records.Village
	projects    []*records.Project
	inspections []*records.Inspection
	activities  []*records.Activity
	suggestions []*records.Suggestion
}

func listAll[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT]) []*T {
	tb.Helper()
	var out []*T
	q := records.Query{First: records.MaxPageSize}
	for {
		p, err := c.Find(context.Background(), q)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p.Items...)
		if !p.HasNextPage {
			return out
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}

// TestAnalystQuestions: every question of docs/analysts.md runs as its one
// query on a generated county, and its answer agrees with the same counted
// naively in Go from the lists of records.
func TestAnalystQuestions(t *testing.T) {
	b, err := os.ReadFile("../docs/analysts.md")
	if err != nil {
		t.Fatal(err)
	}
	qs := regexp.MustCompile("(?s)### Q(\\d+)\\. ([^\n]*)\n\n```graphql\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(qs) < 20 {
		t.Fatalf("%d questions in docs/analysts.md, want at least 20", len(qs))
	}
	for _, b := range storetest.Backends {
		t.Run(string(b), func(t *testing.T) {
			// FerretDB reads slowly: a smaller county there, the same questions.
			n := map[storetest.Backend]int{storetest.SQLite: 30, storetest.Mongo: 4}[b]
			askCounty(t, storetest.MustOpenOn(t, b), n, qs)
		})
	}
}

// askCounty asks every question of qs on a generated county of n
// townships in s.
func askCounty(t *testing.T, s *records.Store, n int, qs [][]string) {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.County(d, n, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range append([]*demo.Dataset{d}, gen...) {
		if _, err := demo.Load(context.Background(), s, x); err != nil {
			t.Fatal(err)
		}
	}
	// Every generated deputy works: three who do not, one in a new
	// village, so that the questions about idleness have answers.
	ctx := context.Background()
	v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: "t02"}, Name: "新建村"})
	if err != nil {
		t.Fatal(err)
	}
	for i, village := range []string{v.ID, "", ""} {
		if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: "t02"}, Name: fmt.Sprintf("闲%d", i), Levels: []records.Level{records.TOWNSHIP}, VillageID: village}); err != nil {
			t.Fatal(err)
		}
	}
	cty := &analystCounty{townships: listAll(t, s.Townships), deputies: listAll(t, s.Deputies), villages: listAll(t, s.Villages), projects: listAll(t, s.Projects),
		inspections: listAll(t, s.Inspections), activities: listAll(t, s.Activities), suggestions: listAll(t, s.Suggestions)}
	c := &Client{tb: t, h: graph.New(s, slog.New(slog.DiscardHandler)), commands: &commandCounter{n: map[string]int{}}}
	for _, q := range qs {
		n, _ := strconv.Atoi(q[1])
		check := analystChecks[n]
		t.Run(fmt.Sprintf("Q%02d", n), func(t *testing.T) {
			if check == nil {
				t.Fatalf("Q%d (%s) has no check", n, q[2])
			}
			var out map[string]any
			start := time.Now()
			c.MustDo(q[3], nil, &out)
			b, _ := json.Marshal(out)
			t.Logf("%s: %v: %.300s", q[2], time.Since(start).Round(time.Millisecond), b)
			check(t, cty, out)
		})
	}
}

// The naive side.

const year = 2023

var cst = time.FixedZone("CST", 8*3600)

func inYear(d records.Date) bool { return d.Time().Year() == year }

// repliedOn is the Shanghai day a suggestion's history first reached
// REPLIED.
func repliedOn(s *records.Suggestion) *records.Date {
	for _, h := range s.History {
		if h.To == records.REPLIED {
			d := records.Date(h.At.In(cst).Format(time.DateOnly))
			return &d
		}
	}
	return nil
}

func (c *analystCounty) suggestionsOf(y int) []*records.Suggestion {
	var out []*records.Suggestion
	for _, s := range c.suggestions {
		if s.Submitted.Time().Year() == y {
			out = append(out, s)
		}
	}
	return out
}

// dutyIn is the deputies with some inspection, activity, suggestion in the year.
func (c *analystCounty) dutyIn() (ins, acts, sugs map[string]int) {
	ins, acts, sugs = map[string]int{}, map[string]int{}, map[string]int{}
	for _, x := range c.inspections {
		if inYear(x.Date.Date) {
			for _, id := range x.ParticipantIDs {
				ins[id]++
			}
		}
	}
	for _, x := range c.activities {
		if inYear(x.Date.Date) {
			for _, id := range x.ParticipantIDs {
				acts[id]++
			}
		}
	}
	for _, x := range c.suggestionsOf(year) {
		sugs[x.DeputyID]++
	}
	return
}

// rates are handling, on-time and satisfied, counted from the records as
// of today; nil for nothing to divide by.
// naiveReplies reads a suggestion's replies against the deadline in
// effect when each came: the one the latest step before it set (or the
// record's own, for a history without deadlines). dated: some reply had a
// deadline; late: some reply came after it.
func naiveReplies(s *records.Suggestion) (dated, late bool) {
	var dl *records.Date
	stepped := false
	for _, h := range s.History {
		stepped = stepped || h.Deadline != nil
	}
	if !stepped {
		dl = s.Deadline
	}
	for _, h := range s.History {
		if h.Deadline != nil {
			dl = h.Deadline
		}
		if h.To == records.REOPENED && h.Step != records.STEP_REDO && h.Deadline == nil {
			dl = nil
		}
		if h.To == records.REPLIED && h.Step == "" && dl != nil {
			dated = true
			late = late || records.Date(h.At.In(cst).Format(time.DateOnly)) > *dl
		}
	}
	return dated, late
}

func naiveRates(xs []*records.Suggestion) [3]*float64 {
	today := records.Today()
	assigned, replied, onTime, due, sat, rated := 0, 0, 0, 0, 0, 0
	for _, s := range xs {
		switch s.Status {
		case records.SUBMITTED, records.ACCEPTED, records.REJECTED, records.RETURNED: // not with a department
		default:
			assigned++
		}
		awaiting := false
		switch s.Status {
		case records.SUBMITTED, records.ACCEPTED, records.ASSIGNED, records.REOPENED:
			awaiting = s.Deadline != nil && *s.Deadline < today
		}
		if repliedOn(s) != nil {
			replied++
		}
		if dated, late := naiveReplies(s); awaiting {
			due++ // overdue
		} else if dated {
			due++
			if !late {
				onTime++
			}
		}
		if s.Satisfaction != nil {
			rated++
			if *s.Satisfaction != records.DISSATISFIED {
				sat++
			}
		}
	}
	r := func(a, b int) *float64 {
		if b == 0 {
			return nil
		}
		f := float64(a) / float64(b)
		return &f
	}
	return [3]*float64{r(replied, assigned), r(onTime, due), r(sat, rated)}
}

// Reading answers.

func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func items(v any) []any { l, _ := v.([]any); return l }

func wantEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func wantRate(t *testing.T, what string, got any, want *float64) {
	t.Helper()
	if want == nil {
		if got != nil {
			t.Fatalf("%s: got %v, want null", what, got)
		}
		return
	}
	if f, ok := got.(float64); !ok || !near(f, *want) {
		t.Fatalf("%s: got %v, want %v", what, got, *want)
	}
}
