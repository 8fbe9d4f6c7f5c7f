package graph_test

import "testing"

func TestPresidiumMeeting(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 4)
	var s struct{ CreateSession struct{ ID string } }
	c.MustDo(`mutation($t: ID!) { createSession(input: {township: $t, term: 18, sitting: 3, start: "2024-01-10",
		agendaItems: [{order: 1, title: "听取和审议镇人民政府工作报告", kind: REPORT}]}) { id } }`, map[string]any{"t": f.Township}, &s)
	var m struct{ CreatePresidiumMeeting struct{ ID string } }
	c.MustDo(`mutation($in: CreatePresidiumMeetingInput!) { createPresidiumMeeting(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"township": f.Township, "title": "镇人大主席团第一次会议", "date": map[string]any{"date": "2023-12-20"},
		"attendeeIds": f.Deputies[:3], "topics": []string{"确定大会议程"}, "sessionId": s.CreateSession.ID,
		"decisions": []any{map[string]any{"text": "大会于1月10日召开", "owner": "人大办"}},
	}}, &m)
	var out struct {
		PresidiumMeetings struct {
			Nodes []struct {
				Title         string
				AttendeeCount int
				OpenDecisions int
				Attendees     []struct{ Name string }
				Session       struct{ AgendaItems []struct{ Title string } }
				Decisions     []struct{ Owner string }
			}
		}
	}
	c.MustDo(`query($t: ID) { presidiumMeetings(township: $t) { nodes { title attendeeCount openDecisions attendees { name }
		session { agendaItems { title } } decisions { owner } } } }`, map[string]any{"t": f.Township}, &out)
	n := out.PresidiumMeetings.Nodes
	if len(n) != 1 || n[0].AttendeeCount != 3 || n[0].OpenDecisions != 1 || len(n[0].Attendees) != 3 ||
		len(n[0].Session.AgendaItems) != 1 || n[0].Decisions[0].Owner != "人大办" {
		t.Fatalf("meetings %+v", n)
	}
	c.MustFail(`mutation($id: ID!) { updatePresidiumMeeting(id: $id, input: {sessionId: "nope"}) { id } }`,
		map[string]any{"id": m.CreatePresidiumMeeting.ID}, "BAD_USER_INPUT", "input.sessionId")
	c.MustFail(`mutation($id: ID!) { deleteSession(id: $id) { id } }`, map[string]any{"id": s.CreateSession.ID}, "CONFLICT", "")
}
