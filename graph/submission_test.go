package graph_test

import (
	"context"
	"encoding/json"
	"testing"

	"renda/internal/records"
)

// TestDutySubmissions: a deputy's own account submits a voter contact and
// sees only their own submissions; the clerk's 审核 queue lists it; before
// approval it earns no points, after approval it does, once; a returned
// suggestion carries its reason back, and its correction goes to the queue
// again.
func TestDutySubmissions(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	d0, d1 := f.Deputies[0], f.Deputies[1]
	deputy := func(d string) context.Context {
		return records.WithActor(context.Background(), records.Actor{ID: "user:" + d, Role: records.DeputyRole, Townships: []string{f.Township}, DeputyID: d})
	}
	clerk := records.WithActor(context.Background(), records.Actor{ID: "user:clerk", Role: records.Editor, Townships: []string{f.Township}})
	viewer := records.WithActor(context.Background(), records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{f.Township}})
	c.MustDo(`mutation($t: ID!) { createPointRules(input: {township: $t, name: "积分办法", effectiveFrom: "2024-01-01", base: 0,
		items: [{item: VOTER_CONTACT, points: 2}]}) { id } }`, map[string]any{"t": f.Township}, nil)

	must := func(ctx context.Context, q string, vars map[string]any, out any) {
		t.Helper()
		r := c.doCtx(ctx, q, vars)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", q, r.Errors)
		}
		if out != nil {
			if err := json.Unmarshal(r.Data, out); err != nil {
				t.Fatalf("decode %s: %v", r.Data, err)
			}
		}
	}
	fail := func(ctx context.Context, q string, vars map[string]any, code, field string) {
		t.Helper()
		r := c.doCtx(ctx, q, vars)
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != code || field != "" && r.Errors[0].Extensions.Field != field {
			t.Fatalf("%s: got %+v, want %s %s", q, r.Errors, code, field)
		}
	}
	points := func() float64 {
		t.Helper()
		var out struct {
			DutyPoints struct {
				Nodes []struct {
					Points float64
					Deputy struct{ ID string }
				}
			}
		}
		c.MustDo(`query($t: ID!) { dutyPoints(township: $t, year: 2024) { nodes { points deputy { id } } } }`, map[string]any{"t": f.Township}, &out)
		for _, n := range out.DutyPoints.Nodes {
			if n.Deputy.ID == d0 {
				return n.Points
			}
		}
		return 0
	}

	const submit = `mutation($in: SubmitDutyInput!) { submitDuty(input: $in) { id status deputy { id } createdBy } }`
	var sub struct {
		SubmitDuty struct {
			ID, Status, CreatedBy string
			Deputy                struct{ ID string }
		}
	}
	contact := map[string]any{"kind": "VOTER_CONTACT", "date": "2024-03-05", "voterName": "刘大爷", "channel": "走访", "summary": "反映村道路灯不亮"}
	must(deputy(d0), submit, map[string]any{"in": contact}, &sub)
	if s := sub.SubmitDuty; s.Status != "PENDING" || s.Deputy.ID != d0 || s.CreatedBy != "user:"+d0 {
		t.Fatalf("a deputy's submission: %+v", s)
	}
	id := sub.SubmitDuty.ID
	other := map[string]any{"deputyId": d1, "kind": "VOTER_CONTACT", "date": "2024-03-05", "voterName": "王婶", "summary": "x"}
	fail(deputy(d0), submit, map[string]any{"in": other}, "FORBIDDEN", "input.deputyId")
	fail(viewer, submit, map[string]any{"in": map[string]any{"township": f.Township, "deputyId": d0, "kind": "VOTER_CONTACT", "date": "2024-03-05", "voterName": "王婶", "summary": "x"}}, "FORBIDDEN", "")
	fail(deputy(d0), `mutation($t: ID!) { createVillage(input: {township: $t, name: "新村"}) { id } }`, map[string]any{"t": f.Township}, "FORBIDDEN", "")
	fail(deputy(d0), `mutation($in: SubmitDutyInput!) { submitDuty(input: $in) { id } }`, map[string]any{"in": map[string]any{"kind": "VOTER_CONTACT", "date": "2024-03-05", "summary": "没有选民"}}, "BAD_USER_INPUT", "input.voterName")

	const list = `query($t: ID!, $s: SubmissionStatus) { dutySubmissions(township: $t, status: $s) { totalCount nodes { id status deputy { id } } } }`
	var l struct {
		DutySubmissions struct {
			TotalCount int
			Nodes      []struct {
				ID, Status string
				Deputy     struct{ ID string }
			}
		}
	}
	must(deputy(d1), list, map[string]any{"t": f.Township}, &l)
	if l.DutySubmissions.TotalCount != 0 {
		t.Errorf("another deputy sees %d submissions, want none of d0's", l.DutySubmissions.TotalCount)
	}
	fail(deputy(d1), `query($id: ID!) { dutySubmission(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND", "")
	must(clerk, list, map[string]any{"t": f.Township, "s": "PENDING"}, &l)
	if l.DutySubmissions.TotalCount != 1 || l.DutySubmissions.Nodes[0].ID != id {
		t.Fatalf("the clerk's queue: %+v, want the one submission", l.DutySubmissions)
	}

	if got := points(); got != 0 {
		t.Errorf("before approval the deputy has %v points, want 0 (nothing counts unverified)", got)
	}
	const review = `mutation($id: ID!, $ok: Boolean!, $why: String) { reviewDutySubmission(id: $id, approve: $ok, reason: $why) { status reason reviewedBy suggestion { id title } } }`
	fail(deputy(d0), review, map[string]any{"id": id, "ok": true}, "FORBIDDEN", "")
	var rv struct {
		ReviewDutySubmission struct {
			Status, Reason, ReviewedBy string
			Suggestion                 *struct{ ID, Title string }
		}
	}
	must(clerk, review, map[string]any{"id": id, "ok": true}, &rv)
	if rv.ReviewDutySubmission.Status != "APPROVED" || rv.ReviewDutySubmission.ReviewedBy != "user:clerk" {
		t.Errorf("approved: %+v", rv.ReviewDutySubmission)
	}
	if got := points(); got != 2 {
		t.Errorf("after approval the deputy has %v points, want 2 (one contact)", got)
	}
	fail(clerk, review, map[string]any{"id": id, "ok": true}, "CONFLICT", "id")
	if got := points(); got != 2 {
		t.Errorf("after a second approval was refused: %v points, want 2", got)
	}

	// A suggestion, returned with a reason, corrected, approved.
	must(deputy(d0), submit, map[string]any{"in": map[string]any{"kind": "SUGGESTION", "date": "2024-04-02", "title": "关于修建村路灯的建议", "summary": "主路无路灯"}}, &sub)
	sid := sub.SubmitDuty.ID
	fail(clerk, review, map[string]any{"id": sid, "ok": false}, "BAD_USER_INPUT", "reason")
	must(clerk, review, map[string]any{"id": sid, "ok": false, "why": "请写明路段"}, &rv)
	if rv.ReviewDutySubmission.Status != "RETURNED" || rv.ReviewDutySubmission.Reason != "请写明路段" {
		t.Errorf("returned: %+v", rv.ReviewDutySubmission)
	}
	var up struct{ UpdateDutySubmission struct{ Status string } }
	must(deputy(d0), `mutation($id: ID!) { updateDutySubmission(id: $id, input: {summary: "主路东段800米无路灯"}) { status } }`, map[string]any{"id": sid}, &up)
	if up.UpdateDutySubmission.Status != "PENDING" {
		t.Errorf("corrected: status %s, want PENDING", up.UpdateDutySubmission.Status)
	}
	must(clerk, review, map[string]any{"id": sid, "ok": true}, &rv)
	if s := rv.ReviewDutySubmission.Suggestion; s == nil || s.Title != "关于修建村路灯的建议" {
		t.Errorf("approved suggestion: %+v", rv.ReviewDutySubmission)
	}
	fail(deputy(d0), `mutation($id: ID!) { updateDutySubmission(id: $id, input: {summary: "再改"}) { status } }`, map[string]any{"id": sid}, "FORBIDDEN", "")

	var me struct {
		Me struct {
			Role   string
			Deputy struct{ ID string }
		}
	}
	must(deputy(d0), `{ me { role deputy { id } } }`, nil, &me)
	if me.Me.Role != "DEPUTY" || me.Me.Deputy.ID != d0 {
		t.Errorf("me as a deputy: %+v", me.Me)
	}
}
