package graph_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"renda/internal/records"
)

// TestReceptions: a reception day recorded through the API, an item
// turned into a suggestion that names it back, and what each reader sees:
// visitors' phones whole, and confidential items and visitors, only for
// the township's editors, in the reception, the list and the record's
// history.
func TestReceptions(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	var created struct {
		R struct {
			ID    string
			Items []struct{ ID, Summary string }
		}
	}
	c.MustDo(`mutation($in: CreateReceptionInput!) { r: createReception(input: $in) { id items { id summary } } }`, map[string]any{"in": map[string]any{
		"township": f.Township, "station": "中心联络站", "date": "2024-03-05", "hours": "上午 9:00–11:00", "announcedOn": "2024-03-01",
		"deputyIds": f.Deputies[:2],
		"visitors": []map[string]any{{"name": "赵六", "phone": "13812345678", "villageId": f.Villages[0]}, {"phone": "13900001111"},
			{"name": "钱七", "phone": "13700002222", "confidential": true}},
		"items": []map[string]any{
			{"visitorName": "赵六", "summary": "村口桥梁年久失修,雨季通行危险", "route": "TOWNSHIP", "handler": "镇交管所"},
			{"summary": "反映村干部优亲厚友", "confidential": true},
		},
	}}, &created)
	rid := created.R.ID
	if len(created.R.Items) != 2 || created.R.Items[0].ID == "" {
		t.Fatalf("created %+v, want two items with ids", created.R)
	}
	item := created.R.Items[0].ID

	t.Run("SuggestFromItem", func(t *testing.T) {
		var out struct {
			S struct {
				Suggestion struct {
					ID, Title, VoterName, ReceptionItemID string
					Reception                             struct{ ID string }
				}
				Reception struct {
					Version int
					Items   []struct {
						Route      *string
						Suggestion *struct{ ID string }
					}
				}
			}
		}
		c.MustDo(`mutation($r: ID!, $i: ID!, $d: ID!) { s: suggestFromReceptionItem(receptionId: $r, itemId: $i, input: {deputyId: $d, submitted: "2024-03-06"}) {
			suggestion { id title voterName receptionItemId reception { id } }
			reception { version items { route suggestion { id } } } } }`,
			map[string]any{"r": rid, "i": item, "d": f.Deputies[0]}, &out)
		s := out.S.Suggestion
		if s.Reception.ID != rid || s.ReceptionItemID != item || s.VoterName != "赵六" || !strings.HasPrefix(s.Title, "村口桥梁") {
			t.Errorf("suggestion %+v, want it to name reception %s item %s, voter 赵六, the item's words as title", s, rid, item)
		}
		it := out.S.Reception.Items[0]
		if it.Suggestion == nil || it.Suggestion.ID != s.ID || it.Route == nil || *it.Route != "SUGGESTION" || out.S.Reception.Version != 2 {
			t.Errorf("item %+v at v%d, want route SUGGESTION and suggestion %s at v2", it, out.S.Reception.Version, s.ID)
		}
		c.MustFail(`mutation($r: ID!, $i: ID!, $d: ID!) { suggestFromReceptionItem(receptionId: $r, itemId: $i, input: {deputyId: $d}) { suggestion { id } } }`,
			map[string]any{"r": rid, "i": item, "d": f.Deputies[0]}, "CONFLICT", "")
		c.MustFail(`mutation($r: ID!) { deleteReception(id: $r) { id } }`, map[string]any{"r": rid}, "CONFLICT", "")
		c.MustFail(`mutation($r: ID!) { updateReception(id: $r, input: {items: [{summary: "别的"}]}) { id } }`, map[string]any{"r": rid}, "BAD_USER_INPUT", "input.items")
	})

	t.Run("Bounded", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!, $s: String!) { createReception(input: {township: $t, station: "站", date: "2024-03-05", items: [{summary: $s}]}) { id } }`,
			map[string]any{"t": f.Township, "s": strings.Repeat("长", 2001)}, "BAD_USER_INPUT", "input.items.0.summary")
	})

	const query = `query($id: ID!, $t: ID!) {
		reception(id: $id) { itemCount visitors { name phone } items { summary confidential } }
		receptions(township: $t, filter: {year: {eq: 2024}}) { nodes { items { summary } visitors { phone } } totalCount }
		receptionFigures(township: $t) { receptions items visitors byRoute { route count } }
		history(id: $id) { after }
	}`
	for _, tc := range []struct {
		name  string
		actor records.Actor
		whole bool
	}{
		{"TownshipViewer", records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{f.Township}}, false},
		{"CountyViewer", records.Actor{ID: "user:cv", Role: records.Viewer}, false},
		{"TownshipEditor", records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{f.Township}}, true},
		{"CountyAdmin", records.Actor{ID: "user:ca", Role: records.Admin}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.doCtx(records.WithActor(context.Background(), tc.actor), query, map[string]any{"id": rid, "t": f.Township})
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			var out struct {
				Reception struct {
					ItemCount int
					Visitors  []struct{ Name, Phone *string }
					Items     []struct{ Summary string }
				}
				ReceptionFigures struct{ Receptions, Items, Visitors int }
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			text := string(r.Data)
			phone, secret := "138****5678", false
			if tc.whole {
				phone, secret = "13812345678", true
			}
			if got := *out.Reception.Visitors[0].Phone; got != phone {
				t.Errorf("phone %q, want %q", got, phone)
			}
			if n := out.Reception.Visitors[1].Name; n != nil && *n != "" {
				t.Errorf("a visitor without a name reads %q, want none", *n)
			}
			if strings.Contains(text, "13812345678") != tc.whole || strings.Contains(text, "13900001111") != tc.whole {
				t.Errorf("whole phones in the answer: %v, want %v: %s", !tc.whole, tc.whole, text)
			}
			if strings.Contains(text, "优亲厚友") != secret || strings.Contains(text, "钱七") != secret || strings.Contains(text, "2222") != secret {
				t.Errorf("confidential item or visitor in the answer: %v, want %v: %s", !secret, secret, text)
			}
			wantItems := 1
			if secret {
				wantItems = 2
			}
			if len(out.Reception.Items) != wantItems || out.Reception.ItemCount != 2 {
				t.Errorf("%d items (itemCount %d), want %d (2)", len(out.Reception.Items), out.Reception.ItemCount, wantItems)
			}
			if fig := out.ReceptionFigures; fig.Receptions != 1 || fig.Items != 2 || fig.Visitors != 3 {
				t.Errorf("figures %+v, want 1 reception, 2 items, 3 visitors", fig)
			}
		})
	}
}

// TestReceptionAttributes: a township defines attributes for receptions
// as for any kind, and writes are checked against them.
func TestReceptionAttributes(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	c.MustDo(`mutation($t: ID!) { defineAttribute(township: $t, kind: RECEPTION, input: {path: "visitorsOutside", label: "站外接待人数", type: NUMBER}) { path } }`, map[string]any{"t": f.Township}, nil)
	var out struct {
		AttributeDefinitions struct{ Definitions []struct{ Path string } }
	}
	c.MustDo(`query($t: ID!) { attributeDefinitions(township: $t, kind: RECEPTION) { definitions { path } } }`, map[string]any{"t": f.Township}, &out)
	if d := out.AttributeDefinitions.Definitions; len(d) != 1 || d[0].Path != "visitorsOutside" {
		t.Errorf("definitions %+v, want visitorsOutside", d)
	}
	c.MustFail(`mutation($t: ID!) { createReception(input: {township: $t, station: "站", date: "2024-03-05", attributes: {visitorsOutside: "很多"}}) { id } }`,
		map[string]any{"t": f.Township}, "BAD_USER_INPUT", "")
	c.MustDo(`query($t: ID!) { attributeDefinitions(township: $t, kind: DEPUTY) { definitions { path } } }`, map[string]any{"t": f.Township}, &out)
	if d := out.AttributeDefinitions.Definitions; len(d) != 0 {
		t.Errorf("a reception's attribute is defined for deputies: %+v", d)
	}
}
