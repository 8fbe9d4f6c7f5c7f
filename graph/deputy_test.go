package graph_test

import "testing"

func TestDeputy_VotersAndHonours(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	sid := c.create("Suggestion", map[string]any{"township": f.Township, "deputyId": f.Deputies[0], "title": "路灯", "submitted": "2023-03-02"})
	var out struct {
		UpdateDeputy struct {
			Honours []struct {
				Year         int
				Title, Level string
			}
			Voters []struct {
				Name     string
				Village  struct{ Name string }
				Contacts []struct {
					Date       string
					Suggestion struct{ Title string }
				}
			}
		}
	}
	c.MustDo(`mutation($id: ID!, $v: ID!, $s: ID!) { updateDeputy(id: $id, input: {
			honours: [{year: 2023, title: "优秀人大代表", level: COUNTY}],
			voters: [{name: "李大山", villageId: $v, contacts: [{date: "2023-03-01", channel: "走访", suggestionId: $s}]}]}) {
			honours { year title level } voters { name village { name } contacts { date suggestion { title } } } } }`,
		map[string]any{"id": f.Deputies[0], "v": f.Villages[1], "s": sid}, &out)
	d := out.UpdateDeputy
	if len(d.Honours) != 1 || d.Honours[0].Level != "COUNTY" || d.Voters[0].Village.Name != "西村" || d.Voters[0].Contacts[0].Suggestion.Title != "路灯" {
		t.Fatalf("deputy = %+v", d)
	}
	t.Run("FilterByHonour", func(t *testing.T) {
		var out struct{ Deputies struct{ TotalCount int } }
		c.MustDo(`query($t: ID) { deputies(township: $t, filter: {honourYear: {eq: 2023}, honour: {contains: "优秀"}}) { totalCount } }`,
			map[string]any{"t": f.Township}, &out)
		if out.Deputies.TotalCount != 1 {
			t.Fatalf("deputies honoured in 2023 = %d, want 1", out.Deputies.TotalCount)
		}
	})
	t.Run("ErrHonourLevel", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { updateDeputy(id: $id, input: {honours: [{year: 1800, title: "x", level: TOWNSHIP}]}) { id } }`,
			map[string]any{"id": f.Deputies[0]}, "BAD_USER_INPUT", "input.honours.0.year")
	})
	t.Run("ErrDeleteSuggestionOfContact", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { deleteSuggestion(id: $id) { id } }`, map[string]any{"id": sid}, "CONFLICT", "")
	})
}

func TestDeputy_Duty(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 11) // deputy 0 is in inspection 视察0 (1月中旬 2023)
	for _, s := range []struct {
		date     string
		valuable bool
	}{{"2023-01-05", true}, {"2023-03-09", true}, {"2023-03-20", false}, {"2022-12-01", true}} {
		c.create("Suggestion", map[string]any{"township": f.Township, "deputyId": f.Deputies[0], "title": "建议",
			"submitted": s.date, "valuable": s.valuable})
	}
	c.create("Activity", map[string]any{"township": f.Township, "kind": "GROUP_DAY", "title": "代表小组活动日",
		"date": map[string]any{"date": "2023-04-10"}, "participantIds": f.Deputies[:1]})
	var out struct {
		Deputy struct {
			Duty struct {
				Inspections           []struct{ Topic string }
				Activities            []struct{ Kind string }
				Suggestions           []struct{ Submitted string }
				SuggestionsByMonth    []struct{ Month, Count, Valuable int }
				MonthsWithoutValuable []int
				Compliant             bool
			}
		}
	}
	c.MustDo(`query($id: ID!) { deputy(id: $id) { duty(year: 2023) { inspections { topic } activities { kind } suggestions { submitted }
		suggestionsByMonth { month count valuable } monthsWithoutValuable compliant } } }`, map[string]any{"id": f.Deputies[0]}, &out)
	d := out.Deputy.Duty
	if len(d.Inspections) != 1 || len(d.Activities) != 1 || len(d.Suggestions) != 3 {
		t.Fatalf("duty holds %d inspections, %d activities, %d suggestions; want 1, 1, 3 (of 2023 only)", len(d.Inspections), len(d.Activities), len(d.Suggestions))
	}
	if m := d.SuggestionsByMonth[2]; m.Count != 2 || m.Valuable != 1 {
		t.Fatalf("March = %+v, want 2 items, 1 valuable", m)
	}
	want := []int{2, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	if len(d.MonthsWithoutValuable) != len(want) || d.MonthsWithoutValuable[0] != 2 || d.Compliant {
		t.Fatalf("months without a valuable item = %v, want %v", d.MonthsWithoutValuable, want)
	}
	t.Run("ErrYear", func(t *testing.T) {
		c.MustFail(`query($id: ID!) { deputy(id: $id) { duty(year: 99) { compliant } } }`, map[string]any{"id": f.Deputies[0]}, "BAD_USER_INPUT", "year")
	})
}
