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
