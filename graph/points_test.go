package graph_test

import (
	"context"
	"fmt"
	"testing"

	"renda/internal/records"
)

// TestDutyPoints: rules written by the township's admin (not its
// editors), and a ranking through the API, highest first, each line
// naming the record it comes from; a quarter counts its own records
// without the base; a changed record changes the ranking at once.
func TestDutyPoints(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	editor := records.WithActor(context.Background(), records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{f.Township}})
	const createRules = `mutation($t: ID!) { createPointRules(input: {township: $t, name: "2024年代表履职积分办法", effectiveFrom: "2024-01-01", base: 60,
		items: [{item: INSPECTION, points: 3}, {item: RECEPTION_DUTY, points: 2}, {item: TRAINING_HOUR, points: 0.5}, {item: SUGGESTION, points: 3, cap: 5}]}) { id version } }`
	if r := c.doCtx(editor, createRules, map[string]any{"t": f.Township}); len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "FORBIDDEN" {
		t.Fatalf("an editor wrote the rules: %+v", r.Errors)
	}
	c.MustDo(createRules, map[string]any{"t": f.Township}, nil)
	d0, d1, d2 := f.Deputies[0], f.Deputies[1], f.Deputies[2]
	c.create("Reception", map[string]any{"township": f.Township, "station": "中心联络站", "date": "2024-02-20", "deputyIds": []string{d1, d2}})
	c.create("Activity", map[string]any{"township": f.Township, "kind": "TRAINING", "title": "履职培训", "date": map[string]any{"date": "2024-05-10", "precision": "DAY"},
		"participantIds": []string{d2}, "training": map[string]any{"hours": 4}})
	var sg struct{ S struct{ ID string } }
	for _, day := range []string{"2024-03-01", "2024-04-01"} {
		c.MustDo(`mutation($t: ID!, $d: ID!, $day: Date!) { s: createSuggestion(input: {township: $t, deputyId: $d, title: "建议", submitted: $day}) { id } }`,
			map[string]any{"t": f.Township, "d": d0, "day": day}, &sg)
	}
	// The fixture's inspection (2023) does not count in 2024.

	type standing struct {
		Rank   int
		Points float64
		Deputy struct{ ID string }
		Lines  []struct {
			Item   string
			Points float64
			Source struct{ Kind, ID string }
		}
	}
	var out struct {
		Year, Q1 struct {
			From, To   string
			TotalCount int
			Nodes      []standing
		}
	}
	const query = `query($t: ID!) {
		year: dutyPoints(township: $t, year: 2024) { from to totalCount nodes { rank points deputy { id } lines { item points capped source { kind id } } byItem { item points } } }
		q1: dutyPoints(township: $t, year: 2024, quarter: 1, first: 2) { from to totalCount nodes { rank points deputy { id } lines { item points source { kind id } } } }
	}`
	c.MustDo(query, map[string]any{"t": f.Township}, &out)
	// d0: 3 + 3 capped at 5, base 60 = 65; d2: duty 2 + 4 h × 0.5, base 60 = 64; d1: duty 2, base 60 = 62.
	got := map[string]float64{}
	for _, n := range out.Year.Nodes {
		got[n.Deputy.ID] = n.Points
	}
	if len(out.Year.Nodes) != 3 || out.Year.Nodes[0].Deputy.ID != d0 || got[d0] != 65 || got[d2] != 64 || got[d1] != 62 || out.Year.Nodes[2].Rank != 3 {
		t.Errorf("year ranking %+v, want %s 65, %s 64, %s 62", out.Year.Nodes, d0, d2, d1)
	}
	for _, l := range out.Year.Nodes[0].Lines {
		if l.Item == "SUGGESTION" && (l.Source.Kind != "SUGGESTION" || l.Source.ID == "") {
			t.Errorf("a suggestion's line names %+v", l.Source)
		}
	}
	// Q1: d0 3 (one suggestion), d1 2, d2 2; no base; first: 2 of 3.
	if out.Q1.From != "2024-01-01" || out.Q1.To != "2024-03-31" || out.Q1.TotalCount != 3 || len(out.Q1.Nodes) != 2 || out.Q1.Nodes[0].Points != 3 || out.Q1.Nodes[1].Rank != 2 {
		t.Errorf("Q1 %+v, want 3 ranked, the first two shown, 3 points first", out.Q1)
	}
	c.MustDo(`mutation($id: ID!) { updateSuggestion(id: $id, input: {submitted: "2023-12-30"}) { id } }`, map[string]any{"id": sg.S.ID}, nil)
	c.MustDo(query, map[string]any{"t": f.Township}, &out)
	if out.Year.Nodes[0].Deputy.ID != d2 || out.Year.Nodes[len(out.Year.Nodes)-1].Points != 62 {
		t.Errorf("after moving a suggestion to 2023: %+v, want %s first with 64 and 62 last", out.Year.Nodes, d2)
	}
	c.MustFail(`query($t: ID!) { dutyPoints(township: $t, year: 2024, quarter: 5) { totalCount } }`, map[string]any{"t": f.Township}, "BAD_USER_INPUT", "quarter")
	c.MustFail(`query { dutyPoints(township: "nowhere", year: 2024) { totalCount } }`, nil, "NOT_FOUND", "township")
}

// TestDutyPointsAbsence: a deputy absent from a session's roll call (not
// on leave) loses the ABSENCE points, on a line naming the session.
func TestDutyPointsAbsence(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	c.MustDo(`mutation($t: ID!) { createPointRules(input: {township: $t, name: "积分办法", effectiveFrom: "2024-01-01",
		items: [{item: ABSENCE, points: -5}]}) { id } }`, map[string]any{"t": f.Township}, nil)
	d0, d1, d2 := f.Deputies[0], f.Deputies[1], f.Deputies[2]
	session := c.create("Session", map[string]any{"township": f.Township, "term": 18, "sitting": 4, "start": "2024-01-15",
		"roll": []map[string]any{{"deputyId": d0, "status": "PRESENT"}, {"deputyId": d1, "status": "ON_LEAVE"}, {"deputyId": d2, "status": "ABSENT"}}})
	var out struct {
		DutyPoints struct {
			Nodes []struct {
				Points float64
				Deputy struct{ ID string }
				Lines  []struct {
					Item   string
					Points float64
					Source struct{ Kind, ID string }
				}
			}
		}
	}
	c.MustDo(`query($t: ID!) { dutyPoints(township: $t, year: 2024) { nodes { points deputy { id } lines { item points source { kind id } } } } }`,
		map[string]any{"t": f.Township}, &out)
	for _, n := range out.DutyPoints.Nodes {
		absent := n.Deputy.ID == d2
		var lines []string
		for _, l := range n.Lines {
			lines = append(lines, fmt.Sprintf("%s %v %s %s", l.Item, l.Points, l.Source.Kind, l.Source.ID))
		}
		if want := fmt.Sprintf("ABSENCE -5 SESSION %s", session); absent && (n.Points != -5 || len(lines) != 1 || lines[0] != want) {
			t.Errorf("the absent deputy: %v points, lines %v; want -5 on %q", n.Points, lines, want)
		} else if !absent && (n.Points != 0 || len(lines) != 0) {
			t.Errorf("deputy %s (present or on leave): %v points, lines %v; want none", n.Deputy.ID, n.Points, lines)
		}
	}
}
