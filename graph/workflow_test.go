package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSuggestionWorkflow: a suggestion's whole handling through the API,
// on the days a clerk would take each step — assignment with its deadline,
// 退办 on its last day and the day after, assignment to another
// department, the one extension, 重点督办, a classed reply, 不满意 sending it
// back with a new deadline — each step in its history and in the audit.
func TestSuggestionWorkflow(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	id := c.mustDoAt("2023-03-01", `mutation($t: ID!, $d: ID!) { r: createSuggestion(input: {township: $t, deputyId: $d, title: "修缮村路排水沟", submitted: "2023-03-01"}) { id } }`,
		map[string]any{"t": f.Township, "d": f.Deputies[0]})["r"].ID
	vars := func(kv ...any) map[string]any {
		m := map[string]any{"id": id}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	const move = `mutation($id: ID!, $to: SuggestionStatus!, $note: String) { r: transitionSuggestion(id: $id, to: $to, note: $note) { id } }`
	const patch = `mutation($id: ID!, $in: UpdateSuggestionInput!) { r: updateSuggestion(id: $id, input: $in) { id } }`
	const extend = `mutation($id: ID!, $days: Int!, $reason: String!) { r: extendSuggestion(id: $id, days: $days, reason: $reason) { id } }`
	fails := func(day, query string, v map[string]any, field string) {
		t.Helper()
		r := c.doCtx(onDay(day), query, v)
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != field {
			t.Fatalf("on %s %v: %+v, want BAD_USER_INPUT on %s", day, v, r.Errors, field)
		}
	}
	type state struct {
		Status, Deadline, ReplyDue, Department, AssignedOn string
		Extended, Supervised, Overdue                      bool
		Redos                                              int
		History                                            []struct{ To, Step, Deadline, Department, Note, ReplyClass, Satisfaction, Reply string }
	}
	get := func() state {
		var out struct{ Suggestion state }
		c.MustDo(`query($id: ID!) { suggestion(id: $id) { status deadline replyDue department assignedOn extended supervised overdue redos
			history { to step deadline department note replyClass satisfaction reply } } }`, vars(), &out)
		return out.Suggestion
	}

	c.mustDoAt("2023-03-02", move, vars("to", "ACCEPTED"))
	c.mustDoAt("2023-03-02", patch, vars("in", map[string]any{"department": "镇交通办", "coDepartments": []string{"镇财政所"}}))
	c.mustDoAt("2023-03-10", move, vars("to", "ASSIGNED"))
	if s := get(); s.Deadline != "2023-06-10" || s.ReplyDue != "2023-06-10" || s.AssignedOn != "2023-03-10" {
		t.Fatalf("assigned on 03-10: %+v, want due 2023-06-10 (three months)", s)
	}
	fails("2023-03-11", patch, vars("in", map[string]any{"deadline": "2023-12-31"}), "input.deadline")

	t.Run("Return", func(t *testing.T) {
		fails("2023-03-18", move, vars("to", "RETURNED", "note", "不属本单位职责"), "to")
		fails("2023-03-17", move, vars("to", "RETURNED"), "note")
		c.mustDoAt("2023-03-17", move, vars("to", "RETURNED", "note", "不属本单位职责"))
		c.mustDoAt("2023-03-17", patch, vars("in", map[string]any{"department": "镇交通办"}))
		fails("2023-03-18", move, vars("to", "ASSIGNED"), "department")
		c.mustDoAt("2023-03-18", patch, vars("in", map[string]any{"department": "镇村建办"}))
		c.mustDoAt("2023-03-18", move, vars("to", "ASSIGNED"))
		if s := get(); s.Deadline != "2023-06-18" || s.Department != "镇村建办" {
			t.Fatalf("assigned again on 03-18: %+v, want 镇村建办 due 2023-06-18", s)
		}
	})
	t.Run("Extension", func(t *testing.T) {
		fails("2023-06-18", extend, vars("days", 31, "reason", "需报县交通局审批"), "days")
		fails("2023-06-19", extend, vars("days", 30, "reason", "需报县交通局审批"), "days")
		c.mustDoAt("2023-06-18", extend, vars("days", 30, "reason", "需报县交通局审批"))
		fails("2023-06-20", extend, vars("days", 1, "reason", "再延"), "days")
		if s := get(); s.Deadline != "2023-07-18" || !s.Extended || !s.Overdue {
			t.Fatalf("extended: %+v, want due 2023-07-18, extended, overdue today (no reply)", s)
		}
	})
	t.Run("Supervision", func(t *testing.T) {
		c.mustDoAt("2023-06-20", `mutation($id: ID!) { r: superviseSuggestion(id: $id, supervised: true, note: "主任会议确定") { id } }`, vars())
		var out struct {
			Suggestions struct{ Nodes []struct{ ID string } }
		}
		c.MustDo(`query($t: ID!) { suggestions(township: $t, filter: {supervised: {eq: true}, overdue: true}) { nodes { id } } }`, map[string]any{"t": f.Township}, &out)
		if len(out.Suggestions.Nodes) != 1 || out.Suggestions.Nodes[0].ID != id {
			t.Fatalf("supervised and overdue: %+v, want the suggestion", out.Suggestions.Nodes)
		}
	})
	t.Run("Dissatisfied", func(t *testing.T) {
		c.mustDoAt("2023-07-10", patch, vars("in", map[string]any{"reply": "已纳入今年村道改造计划"}))
		fails("2023-07-10", move, vars("to", "REPLIED"), "replyClass")
		c.mustDoAt("2023-07-10", patch, vars("in", map[string]any{"replyClass": "C"}))
		c.mustDoAt("2023-07-10", move, vars("to", "REPLIED"))
		c.mustDoAt("2023-07-15", patch, vars("in", map[string]any{"satisfaction": "DISSATISFIED"}))
		c.mustDoAt("2023-07-15", move, vars("to", "EVALUATED"))
		s := get()
		if s.Status != "REOPENED" || s.Deadline != "2023-07-30" || s.ReplyDue != "2023-07-30" || s.Redos != 1 {
			t.Fatalf("不满意 on 07-15: %+v, want REOPENED, due 2023-07-30", s)
		}
		var steps []string
		for _, h := range s.History {
			steps = append(steps, h.To+"/"+h.Step)
		}
		want := "SUBMITTED/,ACCEPTED/,ASSIGNED/,RETURNED/,ASSIGNED/,ASSIGNED/EXTENDED,ASSIGNED/SUPERVISED,REPLIED/,EVALUATED/,REOPENED/REDO"
		if strings.Join(steps, ",") != want {
			t.Fatalf("history %s, want %s", strings.Join(steps, ","), want)
		}
		h := s.History
		if h[3].Department != "镇交通办" || h[3].Note != "不属本单位职责" || h[5].Deadline != "2023-07-18" || h[7].ReplyClass != "C" ||
			h[8].Satisfaction != "DISSATISFIED" || h[9].Reply != "已纳入今年村道改造计划" {
			t.Fatalf("the history does not keep each step's facts: %+v", h)
		}
	})
	t.Run("Audit", func(t *testing.T) {
		var out struct {
			History []struct {
				Action string
				After  json.RawMessage
			}
		}
		c.MustDo(`query($id: ID!) { history(id: $id) { action after } }`, vars(), &out)
		// created, then: accepted, patched, assigned, returned, patched
		// twice, assigned, extended, supervised, patched twice, replied,
		// patched, evaluated (and reopened in the same write).
		if len(out.History) != 15 {
			t.Fatalf("%d audit entries, want one for each of the 15 writes", len(out.History))
		}
		if !strings.Contains(string(out.History[0].After), `"REDO"`) {
			t.Fatalf("the newest audit entry does not hold the REDO step: %s", out.History[0].After)
		}
	})
	t.Run("Rules", func(t *testing.T) {
		var out struct {
			SuggestionRules struct{ ReturnDays, ReplyMonths, ExtensionDays, RedoDays int }
		}
		c.MustDo(`{ suggestionRules { returnDays replyMonths extensionDays redoDays } }`, nil, &out)
		if r := out.SuggestionRules; r.ReturnDays != 7 || r.ReplyMonths != 3 || r.ExtensionDays != 30 || r.RedoDays != 15 {
			t.Fatalf("rules %+v", r)
		}
	})
}
