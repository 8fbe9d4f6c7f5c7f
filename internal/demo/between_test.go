package demo_test

import (
	"context"
	"testing"

	"renda/internal/points"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestDemoBetweenSessions: the demo's reception days, terms, training,
// 述职评议 and point rules are consistent with its year: every record
// naming a deputy falls within one of the deputy's terms, each of the
// five routes occurs, the item that became a suggestion and the
// suggestion name each other, one term began by by-election, and the
// rules rank every deputy.
func TestDemoBetweenSessions(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustDemo(t)
	x := MustLoadDemo(t)
	q := records.Query{Townships: []string{"qps"}, First: records.MaxPageSize}
	receptions := mustAll(t, s.Receptions, q)

	byID := map[string]*records.Deputy{}
	byElections := 0
	for _, d := range x.Deputies {
		byID[d.ID] = d
		for _, term := range d.Terms {
			if term.StartReason == records.BY_ELECTION {
				byElections++
			}
		}
	}
	if byElections != 1 {
		t.Errorf("%d by-elections, want 1", byElections)
	}
	serving := func(what string, ids []string, day records.Date) {
		for _, id := range ids {
			if d := byID[id]; d == nil || !d.ServingOn(day) {
				t.Errorf("%s on %s names %s, who is not serving then", what, day, id)
			}
		}
	}
	for _, i := range x.Inspections {
		serving("inspection "+i.ID, i.ParticipantIDs, i.Date.Date)
	}
	var trainings, reviews int
	for _, a := range x.Activities {
		serving("activity "+a.ID, a.ParticipantIDs, a.Date.Date)
		if a.Kind == records.TRAINING && a.Training != nil && a.Date.Year == 2023 {
			trainings++
		}
		if a.Kind == records.REPORT_REVIEW && a.ReportReview != nil && a.Date.Year == 2023 {
			reviews++
			for _, r := range a.ReportReview.Results {
				if r.Total() > a.ReportReview.Voters {
					t.Errorf("review %s: %d votes for %s, more than %d voters", a.ID, r.Total(), r.DeputyID, a.ReportReview.Voters)
				}
			}
		}
	}
	if trainings < 1 || reviews < 1 {
		t.Errorf("%d trainings and %d reviews in 2023, want some of each", trainings, reviews)
	}
	for _, sg := range x.Suggestions {
		serving("suggestion "+sg.ID, []string{sg.DeputyID}, sg.Submitted)
	}
	routes := map[records.ReceptionRoute]int{}
	linked := 0
	for _, r := range receptions {
		serving("reception "+r.ID, r.DeputyIDs, r.Date)
		if r.Year != 2023 || r.AnnouncedOn == nil || r.AnnouncedOn.Time().AddDate(0, 0, 3).After(r.Date.Time()) {
			t.Errorf("reception %s on %s announced on %v: want a day of 2023 announced 3 days ahead or more", r.ID, r.Date, r.AnnouncedOn)
		}
		for _, it := range r.Items {
			if it.Route != nil {
				routes[*it.Route]++
			}
			if it.SuggestionID == "" {
				continue
			}
			linked++
			sg, err := s.Suggestions.Get(ctx, it.SuggestionID)
			if err != nil || sg.ReceptionID != r.ID || sg.ReceptionItemID != it.ID || sg.Submitted < r.Date {
				t.Errorf("item %s names suggestion %s, which names %s/%s (err %v)", it.ID, it.SuggestionID, sg.ReceptionID, sg.ReceptionItemID, err)
			}
		}
	}
	for _, route := range records.ReceptionRoutes {
		if routes[route] == 0 {
			t.Errorf("no item on route %s", route)
		}
	}
	if linked != 1 {
		t.Errorf("%d items became suggestions, want 1", linked)
	}
	ranked, err := points.Compute(ctx, s, "qps", points.Period{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranked) != len(x.Deputies) || ranked[0].Points <= ranked[len(ranked)-1].Points || ranked[len(ranked)-1].Points < 60 {
		t.Errorf("ranking of %d deputies from %v to %v points, want all %d, base 60, not all equal", len(ranked), ranked[0].Points, ranked[len(ranked)-1].Points, len(x.Deputies))
	}
}
