package demo_test

import (
	"context"
	"testing"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestLoad checks that loading is idempotent and that a suggestion's
// handling is dated after its submission, step by step. The figures the
// records hold are checked in reference_test.go.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	created, err := demo.Load(ctx, s, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		again, _ := demo.Parse(renda.DemoTownship)
		n, err := demo.Load(ctx, s, again)
		if err != nil || n != 0 || created == 0 {
			t.Fatalf("first load created %d, second %d (%v); want some, then 0", created, n, err)
		}
	})
	t.Run("HistoryDatedAfterSubmission", func(t *testing.T) {
		page, err := s.Suggestions.Find(ctx, records.Query{Townships: []string{d.Township.ID}, First: records.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		walked := 0
		for _, x := range page.Items {
			if got := records.DateOf(x.History[0].At); got != x.Submitted {
				t.Fatalf("%s submitted %s, history starts %s", x.ID, x.Submitted, got)
			}
			for i := 1; i < len(x.History); i++ {
				// A 不满意 verdict reopens at the same moment (REDO).
				if same := x.History[i].Step == records.STEP_REDO; x.History[i].At.Before(x.History[i-1].At) ||
					!same && !x.History[i].At.After(x.History[i-1].At) {
					t.Fatalf("%s: step %d (%s) not after step %d", x.ID, i, x.History[i].To, i-1)
				}
			}
			if len(x.History) > 1 {
				walked++
			}
		}
		if walked == 0 {
			t.Fatal("no demo suggestion was walked past SUBMITTED")
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		if _, err := demo.Parse([]byte("township: {id: x, name: y, nmae: z}")); err == nil {
			t.Fatal("a misspelt key was accepted")
		}
	})
}
