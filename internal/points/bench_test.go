package points_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"renda/internal/points"
	"renda/internal/records"
	"renda/internal/storetest"
)

// BenchmarkLedger computes a year's ranking of a large township in memory
// — 60 deputies, 3 rules, 200 inspections, 2000 activities, 600
// suggestions, 100 reception days — (go test -run '^$' -bench Ledger
// ./internal/points).
func BenchmarkLedger(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	big := randomWorld(r)
	var w world
	w.Rules = big.Rules
	var ids []string
	for i := range 60 {
		d := &records.Deputy{Meta: records.Meta{ID: fmt.Sprintf("d%02d", i)}, Name: "代表", NameKey: fmt.Sprintf("k%02d", i)}
		for v := range 3 {
			voter := records.Voter{Name: fmt.Sprint(v)}
			for range 4 {
				voter.Contacts = append(voter.Contacts, records.ContactEvent{Date: day(r)})
			}
			d.Voters = append(d.Voters, voter)
		}
		w.Deputies = append(w.Deputies, d)
		ids = append(ids, d.ID)
	}
	for i := range 200 {
		w.Inspections = append(w.Inspections, &records.Inspection{Meta: records.Meta{ID: fmt.Sprint("i", i)}, Date: records.DateSpan{Date: day(r)}, ParticipantIDs: someOf(r, ids)})
	}
	kinds := []records.ActivityKind{records.DELIBERATION, records.GROUP_DAY, records.TRAINING, records.MEETING}
	for i := range 2000 {
		a := &records.Activity{Kind: kinds[i%4], Meta: records.Meta{ID: fmt.Sprint("a", i), Tags: []string{"镇人民代表大会"}}, Date: records.DateSpan{Date: day(r)}, ParticipantIDs: someOf(r, ids)}
		if a.Kind == records.TRAINING {
			a.Training = &records.Training{Hours: 2}
		}
		w.Activities = append(w.Activities, a)
	}
	for i := range 600 {
		w.Suggestions = append(w.Suggestions, &records.Suggestion{Meta: records.Meta{ID: fmt.Sprint("s", i)}, DeputyID: ids[i%60], Submitted: day(r)})
	}
	for i := range 100 {
		w.Receptions = append(w.Receptions, &records.Reception{Meta: records.Meta{ID: fmt.Sprint("r", i)}, Date: day(r), DeputyIDs: someOf(r, ids)})
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := points.Ledger(w.Records, points.Period{Year: 2024}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeDemo reads the demo township's records from the
// embedded store and ranks its 40 deputies for 2023.
func BenchmarkComputeDemo(b *testing.B) {
	s := storetest.MustDemo(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := points.Compute(ctx, s, "qps", points.Period{Year: 2023}); err != nil {
			b.Fatal(err)
		}
	}
}
