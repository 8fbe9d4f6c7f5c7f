package graph_test

import (
	"fmt"
	"slices"
	"testing"
)

func TestActivity(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 6)
	create := `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id kind date { text } participantCount } }`
	base := func(kind string, extra map[string]any) map[string]any {
		in := map[string]any{"township": f.Township, "kind": kind, "title": "活动", "date": map[string]any{"date": "2023-04-05"}}
		for k, v := range extra {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	t.Run("OK", func(t *testing.T) {
		var out struct {
			CreateActivity struct {
				Kind             string
				Date             struct{ Text string }
				ParticipantCount int
			}
		}
		c.MustDo(create, base("DELIBERATION", map[string]any{
			"title": "寄宿制学校建设的可行性", "participantIds": f.Deputies[:4],
			"otherParticipants": []any{map[string]any{"kind": "镇中心校负责人", "count": 1}},
			"deliberation":      map[string]any{"topic": "寄宿制学校是否可行", "decision": "合并校点，势在必行"},
		}), &out)
		if a := out.CreateActivity; a.Kind != "DELIBERATION" || a.Date.Text != "4月5日" || a.ParticipantCount != 5 {
			t.Fatalf("created %+v, want a DELIBERATION on 4月5日 with 5 participants", a)
		}
		for i, name := range []string{"农业站", "林业站", "派出所"} {
			c.MustDo(create, base("APPRAISAL", map[string]any{"date": map[string]any{"date": fmt.Sprintf("2023-%02d-01", 6+i), "precision": "MONTH"},
				"participantIds": f.Deputies[:2],
				"appraisal":      map[string]any{"subjects": []any{map[string]any{"name": name, "methods": []string{"述职", "质询", "测评票"}, "verdict": "满意"}}}}), nil)
		}
		c.MustDo(create, base("OTHER", map[string]any{"category": "宣传"}), nil)
	})
	t.Run("FilterAndRelations", func(t *testing.T) {
		var out struct {
			Activities struct {
				TotalCount int
				Nodes      []struct {
					Date      struct{ Text string }
					Appraisal struct{ Subjects []struct{ Name string } }
				}
			}
			Deputy struct{ Activities []struct{ Kind string } }
		}
		c.MustDo(`query($t: ID, $d: ID!) {
			activities(township: $t, filter: {kind: {eq: APPRAISAL}, subject: {in: ["林业站", "派出所"]}}, orderBy: [{field: DATE, direction: DESC}]) {
				totalCount nodes { date { text } appraisal { subjects { name } } } }
			deputy(id: $d) { activities { kind } } }`,
			map[string]any{"t": f.Township, "d": f.Deputies[0]}, &out)
		if a := out.Activities; a.TotalCount != 2 || a.Nodes[0].Date.Text != "8月" || a.Nodes[0].Appraisal.Subjects[0].Name != "派出所" {
			t.Fatalf("appraisals = %+v, want 派出所 (8月) then 林业站", a)
		}
		if n := len(out.Deputy.Activities); n != 4 || out.Deputy.Activities[0].Kind != "DELIBERATION" {
			t.Fatalf("deputy's activities = %+v, want the deliberation first and 3 appraisals", out.Deputy.Activities)
		}
	})
	t.Run("ErrAppraisalWithoutSubjects", func(t *testing.T) {
		c.MustFail(create, base("APPRAISAL", nil), "BAD_USER_INPUT", "input.appraisal.subjects")
	})
	t.Run("ErrDetailsOfOtherKind", func(t *testing.T) {
		c.MustFail(create, base("MEETING", map[string]any{"deliberation": map[string]any{"topic": "x"}}), "BAD_USER_INPUT", "input.deliberation")
	})
	t.Run("ErrOtherWithoutCategory", func(t *testing.T) {
		c.MustFail(create, base("OTHER", nil), "BAD_USER_INPUT", "input.category")
	})
	t.Run("ErrAttachmentURL", func(t *testing.T) {
		c.MustFail(create, base("MEETING", map[string]any{"attachments": []any{map[string]any{"name": "纪要", "url": "javascript:alert(1)"}}}),
			"BAD_USER_INPUT", "input.attachments.0.url")
	})
	t.Run("ErrDeleteParticipant", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { deleteDeputy(id: $id) { id } }`, map[string]any{"id": f.Deputies[1]}, "CONFLICT", "")
	})
}

// TestParticipantTally: an activity's and an inspection's participant
// deputies counted in code, as the summary words them: how many, and
// their levels once each, highest first; none is zero and no level.
func TestParticipantTally(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3) // levels: TOWNSHIP; COUNTY, TOWNSHIP; CITY, COUNTY
	type tally struct {
		Count  int
		Levels []string
	}
	for _, tc := range []struct {
		ids  []string
		want tally
	}{
		{nil, tally{0, []string{}}},
		{f.Deputies[:1], tally{1, []string{"TOWNSHIP"}}},
		{[]string{f.Deputies[2], f.Deputies[0]}, tally{2, []string{"CITY", "COUNTY", "TOWNSHIP"}}},
		{f.Deputies[1:], tally{2, []string{"CITY", "COUNTY", "TOWNSHIP"}}},
	} {
		a := c.create("Activity", map[string]any{"township": f.Township, "kind": "DELIBERATION", "title": "议政",
			"date": map[string]any{"date": "2023-05-06"}, "participantIds": tc.ids})
		i := c.create("Inspection", map[string]any{"township": f.Township, "topic": "视察",
			"date": map[string]any{"date": "2023-05-06"}, "participantIds": tc.ids})
		var out struct {
			Activity   struct{ ParticipantTally tally }
			Inspection struct{ ParticipantTally tally }
		}
		c.MustDo(`query($a: ID!, $i: ID!) { activity(id: $a) { participantTally { count levels } } inspection(id: $i) { participantTally { count levels } } }`,
			map[string]any{"a": a, "i": i}, &out)
		for what, got := range map[string]tally{"activity": out.Activity.ParticipantTally, "inspection": out.Inspection.ParticipantTally} {
			if got.Count != tc.want.Count || !slices.Equal(got.Levels, tc.want.Levels) {
				t.Errorf("%s with %d participants: %+v, want %+v", what, len(tc.ids), got, tc.want)
			}
		}
	}
}

// TestDeputyContact: the roster's county and township deputies counted
// through the API, and a year out of range refused on its field.
func TestDeputyContact(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 4)                                                                               // levels: TOWNSHIP; COUNTY, TOWNSHIP; CITY, COUNTY; TOWNSHIP
	c.create("Deputy", map[string]any{"township": f.Township, "name": "市代表", "levels": []string{"CITY"}, // counted for its honour only
		"honours": []map[string]any{{"year": 2023, "title": "优秀人大代表", "level": "COUNTY"}}})
	var out struct {
		DeputyContact struct {
			Deputies, Voters, ExcellentCounty, ExcellentTownship int
			VotersEach                                           *int
		}
	}
	c.MustDo(`query($t: ID!) { deputyContact(township: $t, year: 2023) { deputies voters votersEach excellentCounty excellentTownship } }`,
		map[string]any{"t": f.Township}, &out)
	got := out.DeputyContact
	if got.Deputies != 4 || got.Voters != 0 || got.VotersEach == nil || *got.VotersEach != 0 || got.ExcellentCounty != 1 || got.ExcellentTownship != 0 {
		t.Errorf("got %+v (each %v), want 4 county or township deputies keeping no voters, one county honour", got, got.VotersEach)
	}
	c.MustFail(`query($t: ID!) { deputyContact(township: $t, year: 1800) { deputies } }`, map[string]any{"t": f.Township}, "BAD_USER_INPUT", "year")
}
