package graph_test

import (
	"strings"
	"testing"
)

func TestSuggestion(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 2)
	var created struct {
		CreateSuggestion struct {
			ID                 string
			Status             string
			AllowedTransitions []string
			History            []struct{ To string }
		}
	}
	c.MustDo(`mutation($in: CreateSuggestionInput!) { createSuggestion(input: $in) { id status allowedTransitions history { to } } }`,
		map[string]any{"in": map[string]any{"township": f.Township, "deputyId": f.Deputies[0], "title": "修缮村路排水沟",
			"submitted": "2023-05-08", "valuable": true, "voterName": "李大山"}}, &created)
	s := created.CreateSuggestion
	if s.Status != "SUBMITTED" || len(s.History) != 1 || strings.Join(s.AllowedTransitions, ",") != "ACCEPTED,REJECTED" {
		t.Fatalf("created %+v, want SUBMITTED with one history step, allowed ACCEPTED,REJECTED", s)
	}
	move := func(to string) response {
		return c.Do(`mutation($id: ID!, $to: SuggestionStatus!) { transitionSuggestion(id: $id, to: $to, note: "依规办理") { status version } }`,
			map[string]any{"id": s.ID, "to": to})
	}
	update := func(input map[string]any) {
		c.MustDo(`mutation($id: ID!, $in: UpdateSuggestionInput!) { updateSuggestion(id: $id, input: $in) { id } }`,
			map[string]any{"id": s.ID, "in": input}, nil)
	}

	t.Run("ErrForbiddenTransition", func(t *testing.T) {
		e := c.MustFail(`mutation($id: ID!) { transitionSuggestion(id: $id, to: CLOSED) { status } }`, map[string]any{"id": s.ID}, "BAD_USER_INPUT", "to")
		if !strings.Contains(e.Message, "ACCEPTED or REJECTED") {
			t.Fatalf("message %q does not name the allowed transitions", e.Message)
		}
		var out struct {
			Suggestion struct {
				Status  string
				Version int
			}
		}
		c.MustDo(`query($id: ID!) { suggestion(id: $id) { status version } }`, map[string]any{"id": s.ID}, &out)
		if out.Suggestion.Status != "SUBMITTED" || out.Suggestion.Version != 1 {
			t.Fatalf("after a refused transition: %+v, want unchanged SUBMITTED at version 1", out.Suggestion)
		}
	})
	t.Run("ErrReplyMissing", func(t *testing.T) {
		if r := move("ACCEPTED"); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		update(map[string]any{"department": "镇交通办"})
		if r := move("ASSIGNED"); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		if r := move("REPLIED"); len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" {
			t.Fatalf("moving to REPLIED without a reply: %+v, want BAD_USER_INPUT", r.Errors)
		}
	})
	t.Run("OKWholeWorkflow", func(t *testing.T) {
		update(map[string]any{"reply": "已列入明年计划", "replyClass": "C"})
		for _, to := range []string{"REPLIED", "REOPENED", "ASSIGNED", "REPLIED"} {
			if r := move(to); len(r.Errors) > 0 {
				t.Fatalf("move to %s: %+v", to, r.Errors)
			}
		}
		update(map[string]any{"satisfaction": "SATISFIED"})
		for _, to := range []string{"EVALUATED", "CLOSED"} {
			if r := move(to); len(r.Errors) > 0 {
				t.Fatalf("move to %s: %+v", to, r.Errors)
			}
		}
		var out struct {
			Suggestion struct {
				Status  string
				History []struct{ From, To, Note, By string }
				Deputy  struct{ Name string }
			}
		}
		c.MustDo(`query($id: ID!) { suggestion(id: $id) { status history { from to note by } deputy { name } } }`, map[string]any{"id": s.ID}, &out)
		var steps []string
		for _, h := range out.Suggestion.History {
			steps = append(steps, h.To)
		}
		want := "SUBMITTED ACCEPTED ASSIGNED REPLIED REOPENED ASSIGNED REPLIED EVALUATED CLOSED"
		if got := strings.Join(steps, " "); got != want || out.Suggestion.Status != "CLOSED" || out.Suggestion.Deputy.Name != "代表000" {
			t.Fatalf("history %s, status %s; want %s and CLOSED", got, out.Suggestion.Status, want)
		}
		if h := out.Suggestion.History[1]; h.From != "SUBMITTED" || h.Note != "依规办理" || h.By == "" {
			t.Fatalf("second step %+v, want from SUBMITTED with the note and who", h)
		}
	})
	t.Run("ErrStatusNotPatchable", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { updateSuggestion(id: $id, input: {status: SUBMITTED}) { id } }`, map[string]any{"id": s.ID}, "BAD_USER_INPUT", "")
	})
	t.Run("FilterByMonthAndValuable", func(t *testing.T) {
		var out struct{ Suggestions struct{ TotalCount int } }
		c.MustDo(`query($t: ID) { suggestions(township: $t, filter: {year: {eq: 2023}, month: {eq: 5}, valuable: {eq: true}, status: {eq: CLOSED}}) { totalCount } }`,
			map[string]any{"t": f.Township}, &out)
		if out.Suggestions.TotalCount != 1 {
			t.Fatalf("valuable May suggestions = %d, want 1", out.Suggestions.TotalCount)
		}
	})
	t.Run("ErrDeadlineBeforeSubmission", func(t *testing.T) {
		c.MustFail(`mutation($in: CreateSuggestionInput!) { createSuggestion(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"township": f.Township, "deputyId": f.Deputies[1], "title": "x", "submitted": "2023-05-08", "deadline": "2023-05-01"}},
			"BAD_USER_INPUT", "input.deadline")
	})
}
