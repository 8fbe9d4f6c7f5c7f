package demo_test

import (
	"context"
	"testing"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestDemoTownship checks that the demo records hold the reference
// document's facts, and that loading twice creates nothing new.
func TestDemoTownship(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	all := records.Query{Township: d.Township.ID, First: records.MaxPageSize}

	t.Run("FifteenVillagesTwoCityDemoVillages", func(t *testing.T) {
		page, err := s.Villages.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		demoVillages := 0
		for _, v := range page.Items {
			for _, des := range v.Designations {
				if des.Title == "市级文明生态示范村" {
					demoVillages++
				}
			}
		}
		if len(page.Items) != 15 || demoVillages != 2 {
			t.Fatalf("%d villages, %d city-level demo villages; want 15 and 2 (全镇15个村; 棋盘山镇就占了2个)", len(page.Items), demoVillages)
		}
	})
	t.Run("RoadsIn13Villages60OddKm20OddCement", func(t *testing.T) {
		q := all
		q.Filter, _ = records.Compile(&records.ProjectFilter{Kind: &records.ProjectKindFilter{Eq: ptr(records.ROAD)}, Year: &records.IntFilter{Eq: ptr(2023)}}, "")
		page, err := s.Projects.Find(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		villages := map[string]bool{}
		var km, cement float64
		for _, p := range page.Items {
			for _, v := range p.VillageIDs {
				villages[v] = true
			}
			km += *p.LengthKm
			if p.Surface != nil && *p.Surface == records.CEMENT {
				cement += *p.LengthKm
			}
		}
		if len(villages) != 13 || km < 60 || km >= 70 || cement < 20 || cement >= 30 {
			t.Fatalf("roads in %d villages, %.1f km, %.1f km cement; want 13, 60多, 20多", len(villages), km, cement)
		}
	})
	t.Run("SixInspectionsDatedAsWritten", func(t *testing.T) {
		page, err := s.Inspections.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]bool{}
		for _, x := range page.Items {
			texts[x.Date.Text()] = true
		}
		for _, want := range []string{"春季", "9月11日", "10月中旬", "上半年", "7月中旬"} {
			if !texts[want] {
				t.Errorf("no inspection dated %s; have %v", want, texts)
			}
		}
		if len(page.Items) != 6 {
			t.Fatalf("%d inspections, want 6", len(page.Items))
		}
	})
	t.Run("SixteenTeamsBid", func(t *testing.T) {
		q := all
		q.Filter, _ = records.Compile(&records.ProjectFilter{BiddingTeams: &records.IntFilter{Eq: ptr(16)}}, "")
		n, err := s.Projects.Count(ctx, q)
		if err != nil || n != 1 {
			t.Fatalf("projects with 16 bidding teams: %d (%v), want 1", n, err)
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		again, _ := demo.Parse(renda.DemoTownship)
		created, err := demo.Load(ctx, s, again)
		if err != nil || created != 0 {
			t.Fatalf("second load created %d records (%v), want 0", created, err)
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		if _, err := demo.Parse([]byte("township: {id: x, name: y, nmae: z}")); err == nil {
			t.Fatal("a misspelt key was accepted")
		}
	})
}

func ptr[T any](v T) *T { return &v }
