package graph_test

import (
	"fmt"
	"testing"
)

// TestSession records a session through the API as the console does: the
// roll call with everyone present but two on leave, three votes of which
// one fails by the rule (exactly half of all deputies), and reads it back
// through the contract's query.
func TestSession(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 6)
	n := len(f.Deputies)
	roll := make([]any, n)
	for i, id := range f.Deputies {
		st := "PRESENT"
		if i >= n-2 {
			st = "ON_LEAVE"
		}
		roll[i] = map[string]any{"deputyId": id, "status": st}
	}
	in := map[string]any{
		"township": f.Township, "term": 18, "sitting": 3, "start": "2024-01-10", "end": "2024-01-11", "place": "镇政府大会议室",
		"agendaItems": []any{
			map[string]any{"order": 1, "title": "听取和审议镇人民政府工作报告", "kind": "REPORT", "reporter": "镇长"},
			map[string]any{"order": 2, "title": "审议镇人大主席团工作报告", "kind": "REPORT"},
			map[string]any{"order": 3, "title": "票决民生实事项目", "kind": "LIVELIHOOD_VOTE"},
		},
		"roll": roll,
		"votes": []any{
			map[string]any{"itemOrder": 1, "yes": n / 2, "no": n/2 - 2},
			map[string]any{"itemOrder": 2, "yes": n/2 + 1, "abstain": n/2 - 3},
			map[string]any{"itemOrder": 3, "method": "SECRET", "yes": n - 2},
		},
	}
	var created struct{ CreateSession struct{ ID, Title string } }
	c.MustDo(`mutation($in: CreateSessionInput!) { createSession(input: $in) { id title } }`, map[string]any{"in": in}, &created)
	if created.CreateSession.Title != "第十八届人民代表大会第三次会议" {
		t.Errorf("title %q", created.CreateSession.Title)
	}
	var out struct {
		Sessions struct {
			Nodes []struct {
				AgendaItems []struct{ Title string }
				Attendance  struct {
					Expected, Present, OnLeave, Absent, Needed int
					Quorum                                     bool
				}
				Votes []struct {
					Item             struct{ Title string }
					Yes, No, Abstain int
					Passed           bool
					Rule             string
				}
				Roll []struct{ Deputy struct{ Name string } }
			}
		}
	}
	c.MustDo(`query($t: ID) { sessions(township: $t) { nodes {
		agendaItems { title }
		attendance { expected present onLeave absent needed quorum }
		votes { item { title } yes no abstain passed rule }
		roll { deputy { name } } } } }`, map[string]any{"t": f.Township}, &out)
	if len(out.Sessions.Nodes) != 1 {
		t.Fatalf("sessions: %+v", out.Sessions)
	}
	s := out.Sessions.Nodes[0]
	if a := s.Attendance; a.Expected != n || a.Present != n-2 || a.OnLeave != 2 || a.Absent != 0 || !a.Quorum {
		t.Errorf("attendance %+v, want %d expected, %d present, 2 on leave, a quorum", a, n, n-2)
	}
	var got []string
	for _, v := range s.Votes {
		got = append(got, fmt.Sprintf("%s:%v", v.Item.Title, v.Passed))
	}
	if want := "[听取和审议镇人民政府工作报告:false 审议镇人大主席团工作报告:true 票决民生实事项目:true]"; fmt.Sprint(got) != want {
		t.Errorf("votes %v, want %s", got, want)
	}
	if s.Votes[0].Rule == "" || len(s.AgendaItems) != 3 || s.Roll[0].Deputy.Name == "" {
		t.Errorf("rule %q, %d agenda items, first on the roll %+v", s.Votes[0].Rule, len(s.AgendaItems), s.Roll[0])
	}
	t.Run("ErrTallyOverDeputies", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!, $v: [SessionVoteInput!]) { updateSession(id: $id, input: {votes: $v}) { id } }`,
			map[string]any{"id": created.CreateSession.ID, "v": []any{map[string]any{"itemOrder": 1, "yes": n, "no": 1}}}, "BAD_USER_INPUT", "input.votes.0.yes")
	})
	t.Run("History", func(t *testing.T) {
		var h struct{ History []struct{ Version int } }
		c.MustDo(`query($id: ID!) { history(id: $id, kind: SESSION) { version } }`, map[string]any{"id": created.CreateSession.ID}, &h)
		if len(h.History) != 1 {
			t.Errorf("history %+v", h.History)
		}
	})
}

// TestSessionPreview: the form's draft judged by the server without being
// stored, and refused with the field when it breaks a rule.
func TestSessionPreview(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 4)
	q := `query($in: CreateSessionInput!) { sessionPreview(input: $in) { attendance { expected present quorum } votes { passed needed } } }`
	in := map[string]any{"township": f.Township, "term": 18, "sitting": 3, "start": "2024-01-10", "deputyCount": 9,
		"agendaItems": []any{map[string]any{"order": 1, "title": "报告"}},
		"votes":       []any{map[string]any{"itemOrder": 1, "yes": 5}, map[string]any{"itemOrder": 1, "yes": 4, "no": 4}}}
	var out struct {
		SessionPreview struct {
			Attendance struct {
				Expected, Present int
				Quorum            bool
			}
			Votes []struct {
				Passed bool
				Needed int
			}
		}
	}
	c.MustDo(q, map[string]any{"in": in}, &out)
	if p := out.SessionPreview; p.Attendance.Expected != 9 || p.Attendance.Quorum || !p.Votes[0].Passed || p.Votes[1].Passed || p.Votes[1].Needed != 5 {
		t.Errorf("preview %+v", p)
	}
	var list struct{ Sessions struct{ TotalCount int } }
	c.MustDo(`query($t: ID) { sessions(township: $t) { totalCount } }`, map[string]any{"t": f.Township}, &list)
	if list.Sessions.TotalCount != 0 {
		t.Errorf("a preview stored a session")
	}
	in["votes"] = []any{map[string]any{"itemOrder": 1, "yes": 9, "no": 1}}
	c.MustFail(q, map[string]any{"in": in}, "BAD_USER_INPUT", "input.votes.0.yes")
}

// TestDeputyCongressAttendance: a deputy's attendance at the sessions, by
// year, counted from the roll calls.
func TestDeputyCongressAttendance(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	for i, st := range []string{"PRESENT", "ON_LEAVE", "PRESENT"} {
		in := map[string]any{"township": f.Township, "term": 18, "sitting": i + 1, "start": fmt.Sprintf("%d-01-10", 2022+i/2),
			"roll": []any{map[string]any{"deputyId": f.Deputies[0], "status": st}, map[string]any{"deputyId": f.Deputies[1], "status": "PRESENT"}}}
		c.MustDo(`mutation($in: CreateSessionInput!) { createSession(input: $in) { id } }`, map[string]any{"in": in}, nil)
	}
	var out struct {
		Deputy struct {
			All, Y2022 struct {
				Sessions, Present, OnLeave int
				Rate                       float64
				Entries                    []struct {
					Status  string
					Session struct{ Title string }
				}
			}
		}
	}
	c.MustDo(`query($d: ID!) { deputy(id: $d) {
		All: congressAttendance { sessions present onLeave rate entries { status session { title } } }
		Y2022: congressAttendance(year: 2022) { sessions present onLeave rate entries { status session { title } } } } }`,
		map[string]any{"d": f.Deputies[0]}, &out)
	if a := out.Deputy.All; a.Sessions != 3 || a.Present != 2 || a.OnLeave != 1 || len(a.Entries) != 3 || a.Entries[0].Session.Title == "" {
		t.Errorf("all years: %+v", a)
	}
	if a := out.Deputy.Y2022; a.Sessions != 2 || a.Present != 1 || a.Rate != 0.5 {
		t.Errorf("2022: %+v", a)
	}
}
