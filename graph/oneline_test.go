package graph_test

import (
	"strings"
	"testing"
)

// TestMutation_OneLineFields: a name, title, topic, tag or any other
// one-line field holding a line break or another control character (a
// name of "王\r\n秀兰" would split a CSV row or a document's line) is
// refused on its field path and nothing is stored; free text (findings,
// summaries, suggestions) keeps its lines.
func TestMutation_OneLineFields(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	createDeputy := `mutation($in: CreateDeputyInput!) { createDeputy(input: $in) { id } }`
	deputy := func(set func(in map[string]any)) map[string]any {
		in := map[string]any{"township": f.Township, "name": "王秀兰", "levels": []string{"TOWNSHIP"}}
		set(in)
		return map[string]any{"in": in}
	}
	for _, tc := range []struct {
		name, field string
		vars        map[string]any
	}{
		{"CRLF", "input.name", deputy(func(in map[string]any) { in["name"] = "王\r\n秀兰" })},
		{"LF", "input.name", deputy(func(in map[string]any) { in["name"] = "王秀兰\n" + strings.Repeat("x", 3) })},
		{"Tab", "input.phone", deputy(func(in map[string]any) { in["phone"] = "138\t0000" })},
		{"NUL", "input.group", deputy(func(in map[string]any) { in["group"] = "第一组\x00" })},
		{"NEL", "input.name", deputy(func(in map[string]any) { in["name"] = "王\u0085秀兰" })},
		{"LineSeparator", "input.name", deputy(func(in map[string]any) { in["name"] = "王\u2028秀兰" })},
		{"Tag", "input.tags.1", deputy(func(in map[string]any) { in["tags"] = []string{"好", "坏\r"} })},
		{"Nested", "input.voters.0.name", deputy(func(in map[string]any) { in["voters"] = []map[string]any{{"name": "李\n四"}} })},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			e := c.MustFail(createDeputy, tc.vars, "BAD_USER_INPUT", tc.field)
			if !strings.Contains(e.Message, "one line") {
				t.Errorf("message %q, want it to say the field is one line", e.Message)
			}
		})
	}
	var count struct{ Deputies struct{ TotalCount int } }
	c.MustDo(`query($t: ID!) { deputies(township: $t) { totalCount } }`, map[string]any{"t": f.Township}, &count)
	if count.Deputies.TotalCount != 1 {
		t.Fatalf("%d deputies after the refused creates, want the fixture's 1", count.Deputies.TotalCount)
	}
	t.Run("ErrUpdate", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { updateVillage(id: $id, input: {name: "东村\r\n西村"}) { id } }`, map[string]any{"id": f.Villages[0]}, "BAD_USER_INPUT", "input.name")
		c.MustFail(`mutation($t: ID!) { createInspection(input: {township: $t, topic: "视察\n", date: {date: "2023-10-11", precision: DEKAD}}) { id } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.topic")
	})
	t.Run("FreeTextKeepsLines", func(t *testing.T) {
		var out struct {
			CreateInspection struct {
				Findings    string
				Suggestions []string
			}
		}
		c.MustDo(`mutation($t: ID!) { createInspection(input: {township: $t, topic: "视察", date: {date: "2023-10-11", precision: DEKAD},
			findings: "第一段\r\n第二段\n\t第三段", suggestions: ["一、修路\n二、修桥"]}) { findings suggestions } }`, map[string]any{"t": f.Township}, &out)
		if out.CreateInspection.Findings != "第一段\r\n第二段\n\t第三段" || len(out.CreateInspection.Suggestions) != 1 || out.CreateInspection.Suggestions[0] != "一、修路\n二、修桥" {
			t.Fatalf("free text stored as %+v, want its lines kept", out.CreateInspection)
		}
	})
}
