package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestCounty: the generator gives townships of the demo's shape, the same
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
	if g.Township.ID != "t01" || len(g.Villages) != len(d.Villages) || len(g.Deputies) != len(d.Deputies) {
		t.Fatalf("township %s with %d villages and %d deputies, want t01 like the demo (%d, %d)", g.Township.ID, len(g.Villages), len(g.Deputies), len(d.Villages), len(d.Deputies))
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
