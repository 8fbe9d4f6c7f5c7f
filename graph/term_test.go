package graph_test

import (
	"testing"
)

// TestTermsTrainingReview: terms, a training's hours and a 述职评议's votes
// written and read through the API, and a roster as of a day.
func TestTermsTrainingReview(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 2)
	c.MustDo(`mutation($id: ID!) { updateDeputy(id: $id, input: {terms: [
		{start: "2021-12-20", constituency: "第一选区", end: "2024-05-31", endReason: MOVED_AWAY}]}) { id } }`, map[string]any{"id": f.Deputies[0]}, nil)
	by := c.create("Deputy", map[string]any{"township": f.Township, "name": "补选代表", "levels": []string{"TOWNSHIP"},
		"terms": []map[string]any{{"start": "2024-07-10", "startReason": "BY_ELECTION", "constituency": "第一选区"}}})

	var out struct {
		Before, After struct {
			TotalCount int
			Nodes      []struct{ ID string }
		}
		Deputy struct {
			ServingOn bool
			Terms     []struct{ StartReason, Constituency string }
		}
	}
	c.MustDo(`query($t: ID!, $id: ID!) {
		before: deputies(township: $t, filter: {servingOn: "2024-05-31"}) { totalCount nodes { id } }
		after: deputies(township: $t, filter: {servingOn: "2024-08-01"}) { totalCount nodes { id } }
		deputy(id: $id) { servingOn(date: "2024-08-01") terms { startReason constituency } }
	}`, map[string]any{"t": f.Township, "id": by}, &out)
	if out.Before.TotalCount != 2 || out.After.TotalCount != 2 {
		t.Errorf("serving before %d after %d, want 2 and 2 (one moved away, one by-elected)", out.Before.TotalCount, out.After.TotalCount)
	}
	for _, n := range out.After.Nodes {
		if n.ID == f.Deputies[0] {
			t.Errorf("the deputy who moved away is on the roster after")
		}
	}
	if !out.Deputy.ServingOn || len(out.Deputy.Terms) != 1 || out.Deputy.Terms[0].StartReason != "BY_ELECTION" {
		t.Errorf("by-elected deputy %+v", out.Deputy)
	}
	c.MustFail(`mutation($id: ID!) { updateDeputy(id: $id, input: {terms: [{start: "2021-12-20", end: "2022-01-01"}]}) { id } }`,
		map[string]any{"id": by}, "BAD_USER_INPUT", "input.terms.0.endReason")

	var act struct {
		A struct {
			Training     struct{ Hours float64 }
			ReportReview struct {
				Results []struct {
					Total  int
					Deputy struct{ Name string }
				}
			}
		}
	}
	c.MustDo(`mutation($t: ID!, $d: ID!) { a: createActivity(input: {township: $t, kind: REPORT_REVIEW, title: "述职评议", date: {date: "2024-11-15", precision: DAY},
		participantIds: [$d], reportReview: {voters: 55, results: [{deputyId: $d, satisfied: 50, basicallySatisfied: 4, dissatisfied: 1}]}}) {
		reportReview { results { total deputy { name } } } } }`, map[string]any{"t": f.Township, "d": by}, &act)
	if r := act.A.ReportReview.Results; len(r) != 1 || r[0].Total != 55 || r[0].Deputy.Name != "补选代表" {
		t.Errorf("review results %+v, want 55 votes for 补选代表", r)
	}
	c.MustDo(`mutation($t: ID!) { a: createActivity(input: {township: $t, kind: TRAINING, title: "培训", date: {date: "2024-04-10", precision: DAY},
		training: {hours: 3.5}}) { training { hours } } }`, map[string]any{"t": f.Township}, &act)
	if act.A.Training.Hours != 3.5 {
		t.Errorf("training hours %v, want 3.5", act.A.Training.Hours)
	}
}
