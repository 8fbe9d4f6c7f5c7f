package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestCounty: the generator gives townships made from the demo, the same
// for the same seed, that load and render like the demo.
func TestCounty(t *testing.T) {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	a, err := demo.County(d, 4, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := demo.County(d, 4, 3, 7)
	c, _ := demo.County(d, 4, 3, 8)
	if len(a) != 3 || a[1].Deputies[5].Name != b[1].Deputies[5].Name || a[2].Township.Name != b[2].Township.Name {
		t.Fatalf("two counties of seed 7 differ")
	}
	if a[1].Deputies[5].Name == c[1].Deputies[5].Name && a[1].Deputies[6].Name == c[1].Deputies[6].Name {
		t.Fatalf("seeds 7 and 8 give the same names")
	}
	g := a[0]
	if g.Township.ID != "t01" || len(g.Villages) < len(d.Villages)/2 || len(g.Villages) > 2*len(d.Villages) ||
		len(g.Deputies) < len(d.Deputies)/2 || len(g.Deputies) > 2*len(d.Deputies) || len(g.Suggestions) != 3*len(d.Suggestions) {
		t.Fatalf("township %s with %d villages, %d deputies and %d suggestions, want t01 of about the demo's size (%d, %d) and its suggestions each year",
			g.Township.ID, len(g.Villages), len(g.Deputies), len(g.Suggestions), len(d.Villages), len(d.Deputies))
	}
	s := storetest.MustOpen(t)
	ctx := context.Background()
	start := time.Now()
	n := 0
	for _, x := range a {
		k, err := demo.Load(ctx, s, x)
		if err != nil {
			t.Fatal(err)
		}
		n += k
	}
	t.Logf("3 townships of 3 years: %d records in %v", n, time.Since(start))
	for _, x := range a {
		got, err := s.Inspections.Count(ctx, records.Query{Townships: []string{x.Township.ID}, Filter: records.Expr{Cond: &records.Cond{Path: "date.year", Op: records.OpEq, Value: 2021}}})
		want := 0
		for _, i := range d.Inspections {
			if i.Date.Date.Time().Year() == 2023 {
				want++
			}
		}
		if err != nil || got != want {
			t.Fatalf("%s: %d inspections in 2021 (%v), want the demo year's %d again", x.Township.ID, got, err, want)
		}
	}
	again, err := demo.Load(ctx, s, a[0])
	if err != nil || again != 0 {
		t.Fatalf("loading again created %d (%v), want none", again, err)
	}
	_ = fmt.Sprint
}

// figures are what analysts rank townships by, counted from a loaded
// township's records as the store holds them.
type figures struct {
	Villages, Deputies, Activities, Suggestions int
	OnTime, Replied                             int // replied by the deadline, of those replied with one
	Satisfied, Rated                            int
	Departments                                 map[string]int
}

func countFigures(t *testing.T, s *records.Store, tid string) figures {
	t.Helper()
	ctx := context.Background()
	q := records.Query{Townships: []string{tid}}
	f := figures{Departments: map[string]int{}}
	var err error
	for _, c := range []struct {
		n     *int
		count func() (int, error)
	}{
		{&f.Villages, func() (int, error) { return s.Villages.Count(ctx, q) }},
		{&f.Deputies, func() (int, error) { return s.Deputies.Count(ctx, q) }},
		{&f.Activities, func() (int, error) { return s.Activities.Count(ctx, q) }},
	} {
		if *c.n, err = c.count(); err != nil {
			t.Fatal(err)
		}
	}
	q.First = records.MaxPageSize
	for {
		p, err := s.Suggestions.Find(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range p.Items {
			f.Suggestions++
			if x.OnTime != nil {
				f.Replied++
				if *x.OnTime {
					f.OnTime++
				}
			}
			if x.Satisfaction != nil {
				f.Rated++
				if *x.Satisfaction == records.SATISFIED {
					f.Satisfied++
				}
			}
			f.Departments[x.Department]++
		}
		if !p.HasNextPage {
			return f
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}

// TestCountyVaries: the generated townships are not copies of one
// another: two of a seeded county differ in their sizes, their activity,
// the departments answering their suggestions, how late the answers are
// and how satisfied their deputies are, as stored; the demo township
// keeps the demo's figures; the same seed gives the same county.
func TestCountyVaries(t *testing.T) {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(d)
	a, err := demo.County(d, 3, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(d); !bytes.Equal(before, after) {
		t.Fatal("County changed the demo dataset it was given")
	}
	b, _ := demo.County(d, 3, 1, 1)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatal("two counties of seed 1 differ")
	}
	c, _ := demo.County(d, 3, 1, 2)
	if jc, _ := json.Marshal(c); bytes.Equal(ja, jc) {
		t.Fatal("seeds 1 and 2 give the same county")
	}

	s := storetest.MustOpen(t)
	for _, x := range append([]*demo.Dataset{d}, a...) {
		if _, err := demo.Load(context.Background(), s, x); err != nil {
			t.Fatal(err)
		}
	}
	qps, t1, t2 := countFigures(t, s, "qps"), countFigures(t, s, "t01"), countFigures(t, s, "t02")
	t.Logf("qps %+v\nt01 %+v\nt02 %+v", qps, t1, t2)
	if qps.Villages != len(d.Villages) || qps.Deputies != len(d.Deputies) || qps.Activities != len(d.Activities) || qps.Suggestions != len(d.Suggestions) {
		t.Fatalf("qps holds %+v, want the demo's %d villages, %d deputies, %d activities, %d suggestions", qps, len(d.Villages), len(d.Deputies), len(d.Activities), len(d.Suggestions))
	}
	rate := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
	for _, c := range []struct {
		what   string
		t1, t2 any
	}{
		{"villages", t1.Villages, t2.Villages},
		{"deputies", t1.Deputies, t2.Deputies},
		{"activities", t1.Activities, t2.Activities},
		{"on-time share", rate(t1.OnTime, t1.Replied), rate(t2.OnTime, t2.Replied)},
		{"satisfied share", rate(t1.Satisfied, t1.Rated), rate(t2.Satisfied, t2.Rated)},
		{"departments", fmt.Sprint(t1.Departments), fmt.Sprint(t2.Departments)},
	} {
		if c.t1 == c.t2 {
			t.Errorf("t01 and t02 have the same %s: %v", c.what, c.t1)
		}
	}
	if t1.Suggestions != len(d.Suggestions) || t2.Suggestions != len(d.Suggestions) {
		t.Errorf("t01 and t02 hold %d and %d suggestions, want the demo's %d each", t1.Suggestions, t2.Suggestions, len(d.Suggestions))
	}
}
