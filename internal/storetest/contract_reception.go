package storetest

import (
	"slices"
	"strings"
	"testing"

	"renda/internal/records"
)

// reception is a reception day of station at date with the deputies on
// duty and items of the summaries given.
func reception(t, id, station string, date records.Date, deputyIDs []string, summaries ...string) *records.Reception {
	x := &records.Reception{Meta: records.Meta{ID: id, Township: t}, Station: station, Date: date, DeputyIDs: deputyIDs}
	for _, s := range summaries {
		x.Items = append(x.Items, records.ReceptionItem{Summary: s})
	}
	return x
}

// testReceptions: a reception day is a record like the others — checked,
// bounded, stamped, scoped, versioned — whose items get ids of their own,
// and which lists filter by day, station, deputy on duty and route.
func (c *contract) testReceptions(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Deputies, deputy("ta", "d1", "张三"))
	MustCreate(t, bg, s.Deputies, deputy("ta", "d2", "李四"))
	MustCreate(t, bg, s.Deputies, deputy("tb", "e1", "王五"))
	MustCreate(t, bg, s.Villages, village("ta", "va", "一号村"))
	clerk := as("user:li", records.Editor, "ta")

	t.Run("Create", func(t *testing.T) {
		x := reception("ta", "r1", "中心联络站", "2024-03-05", []string{"d1", "d2"}, "村道路灯坏了", "低保评定不公开")
		x.Visitors = []records.Visitor{{Name: "赵六", Phone: "13812345678", VillageID: "va"}, {}}
		x.Items[1].Confidential = true
		x.Items[0].Route = ptr(records.TO_VILLAGE)
		got := MustCreate(t, clerk, s.Receptions, x)
		stored := MustGet(t, s.Receptions, got.ID)
		if stored.Year != 2024 || stored.Quarter != 1 || stored.Month != 3 || stored.VisitorCount != 2 || stored.ItemCount != 2 {
			t.Errorf("derived year %d quarter %d month %d visitors %d items %d, want 2024 1 3 2 2",
				stored.Year, stored.Quarter, stored.Month, stored.VisitorCount, stored.ItemCount)
		}
		if len(stored.Items) != 2 || stored.Items[0].ID == "" || stored.Items[0].ID == stored.Items[1].ID {
			t.Fatalf("items %+v, want two with ids of their own", stored.Items)
		}
		if !stored.Items[1].Confidential || stored.Visitors[0].Phone != "13812345678" {
			t.Errorf("stored %+v, want the item confidential and the phone whole (masking is the reader's)", stored)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		long := strings.Repeat("字", 2001)
		for _, c := range []struct {
			name  string
			x     *records.Reception
			field string
		}{
			{"NoStation", reception("ta", "", " ", "2024-03-05", nil), "station"},
			{"BadDate", reception("ta", "", "站", "2024-02-30", nil), "date"},
			{"OtherTownshipsDeputy", reception("ta", "", "站", "2024-03-05", []string{"d1", "e1"}), "deputyIds.1"},
			{"DeputyTwice", reception("ta", "", "站", "2024-03-05", []string{"d1", "d1"}), "deputyIds.1"},
			{"EmptySummary", reception("ta", "", "站", "2024-03-05", nil, "有事", " "), "items.1.summary"},
			{"LongSummary", reception("ta", "", "站", "2024-03-05", nil, long), "items.0.summary"},
			{"TooManyItems", reception("ta", "", "站", "2024-03-05", nil, slices.Repeat([]string{"事"}, records.MaxListItems+1)...), "items"},
			{"AnnouncedAfter", func() *records.Reception {
				x := reception("ta", "", "站", "2024-03-05", nil)
				x.AnnouncedOn = ptr(records.Date("2024-03-06"))
				return x
			}(), "announcedOn"},
			{"UnknownRoute", func() *records.Reception {
				x := reception("ta", "", "站", "2024-03-05", nil, "事")
				x.Items[0].Route = ptr(records.ReceptionRoute("LOST"))
				return x
			}(), "items.0.route"},
			{"PhoneTwoLines", func() *records.Reception {
				x := reception("ta", "", "站", "2024-03-05", nil)
				x.Visitors = []records.Visitor{{Phone: "138\n1234"}}
				return x
			}(), "visitors.0.phone"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Receptions.Create(clerk, c.x)
				wantErr(t, "create", err, records.EINVALID, c.field)
			})
		}
		_, err := s.Receptions.Create(as("user:v", records.Viewer, "ta"), reception("ta", "", "站", "2024-03-05", nil))
		wantErr(t, "create as a viewer", err, records.EFORBIDDEN, "")
		_, err = s.Receptions.Create(as("user:w", records.Editor, "tb"), reception("ta", "", "站", "2024-03-05", nil))
		if code := records.ErrorCode(err); code != records.EFORBIDDEN && code != records.ENOTFOUND {
			t.Errorf("create in another township: %v, want FORBIDDEN or NOT_FOUND", err)
		}
	})
	t.Run("ListAndScope", func(t *testing.T) {
		MustCreate(t, bg, s.Receptions, reception("ta", "r2", "东村联络点", "2024-05-10", []string{"d2"}, "水渠淤堵"))
		MustCreate(t, bg, s.Receptions, reception("ta", "r3", "中心联络站", "2023-11-20", []string{"d1"}))
		MustCreate(t, bg, s.Receptions, reception("tb", "r4", "别镇站", "2024-03-05", []string{"e1"}))
		for _, c := range []struct {
			name string
			f    records.ReceptionFilter
			want []string
		}{
			{"All", records.ReceptionFilter{}, list("r3", "r1", "r2")},
			{"Year", records.ReceptionFilter{Year: &records.IntFilter{Eq: ptr(2024)}}, list("r1", "r2")},
			{"Station", records.ReceptionFilter{Station: &records.StringFilter{Eq: ptr("中心联络站")}}, list("r3", "r1")},
			{"Deputy", records.ReceptionFilter{Deputies: &records.TagFilter{Has: ptr("d2")}}, list("r1", "r2")},
			{"Route", records.ReceptionFilter{Route: &records.ReceptionRouteFilter{Eq: ptr(records.TO_VILLAGE)}}, list("r1")},
		} {
			t.Run(c.name, func(t *testing.T) {
				expr, err := records.Compile(&c.f, "filter")
				wantOK(t, "compile", err)
				sorts, _ := records.Sorts(records.KindReception, nil)
				got := findAll(t, clerk, s.Receptions, records.Query{Townships: []string{"ta"}, Filter: expr, Sort: sorts, First: 2})
				if !slices.Equal(got, c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
		if _, err := s.Receptions.Get(clerk, "r4"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("another township's reception: %v, want NOT_FOUND", err)
		}
	})
	t.Run("HistoryAndAudit", func(t *testing.T) {
		x := MustUpdate(t, clerk, s.Receptions, "r2", func(x *records.Reception) { x.Hours = "上午 9:00–11:00" })
		if x.Version != 2 {
			t.Fatalf("version %d after one update, want 2", x.Version)
		}
		h, err := s.Receptions.History(clerk, "r2")
		wantOK(t, "history", err)
		if len(h) != 2 || h[0].Version != 2 || h[0].Actor != "user:li" {
			t.Errorf("history %+v, want versions 2 then 1, the last by user:li", h)
		}
		_, err = s.Deputies.Delete(bg, "d2", nil)
		wantErr(t, "delete a deputy on duty", err, records.ECONFLICT, "")
	})
}

// testReceptionSuggestion: an item turned into a suggestion links both
// ways, once; the link survives edits of the reception and keeps the
// reception from being deleted.
func (c *contract) testReceptionSuggestion(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	MustCreate(t, bg, s.Deputies, deputy("ta", "d1", "张三"))
	clerk := as("user:li", records.Editor, "ta")
	x := reception("ta", "r1", "中心联络站", "2024-03-05", []string{"d1"}, "村口桥梁年久失修,雨季通行危险", "路灯")
	x.Items[0].VisitorName = "赵六"
	r := MustCreate(t, clerk, s.Receptions, x)
	item := r.Items[0].ID

	sg, linked, err := s.SuggestFromReception(clerk, "r1", item, &records.Suggestion{DeputyID: "d1", Kind: records.SUGGESTION, Submitted: "2024-03-06"})
	wantOK(t, "suggest", err)
	if sg.ReceptionID != "r1" || sg.ReceptionItemID != item || sg.VoterName != "赵六" || sg.Content != x.Items[0].Summary || sg.Title == "" {
		t.Errorf("suggestion %+v, want it to name r1/%s, the voter 赵六 and the item's words", sg, item)
	}
	got := MustGet(t, s.Receptions, "r1")
	if it := got.Item(item); it.SuggestionID != sg.ID || it.Route == nil || *it.Route != records.TO_SUGGESTION || linked.Version != 2 {
		t.Errorf("item %+v (reception v%d), want it to name suggestion %s with route SUGGESTION at v2", it, linked.Version, sg.ID)
	}
	if stored := MustGet(t, s.Suggestions, sg.ID); stored.ReceptionID != "r1" || stored.ReceptionItemID != item {
		t.Errorf("stored suggestion names %q/%q, want r1/%s", stored.ReceptionID, stored.ReceptionItemID, item)
	}

	t.Run("Twice", func(t *testing.T) {
		_, _, err := s.SuggestFromReception(clerk, "r1", item, &records.Suggestion{DeputyID: "d1", Kind: records.SUGGESTION})
		wantErr(t, "suggest again", err, records.ECONFLICT, "")
		n, _ := s.Suggestions.Count(bg, records.Query{})
		if n != 1 {
			t.Errorf("%d suggestions after a refused second link, want 1", n)
		}
	})
	t.Run("NoSuchItem", func(t *testing.T) {
		_, _, err := s.SuggestFromReception(clerk, "r1", "nope", &records.Suggestion{DeputyID: "d1", Kind: records.SUGGESTION})
		wantErr(t, "suggest from a missing item", err, records.ENOTFOUND, "itemId")
	})
	t.Run("BadSuggestion", func(t *testing.T) {
		_, _, err := s.SuggestFromReception(clerk, "r1", got.Items[1].ID, &records.Suggestion{DeputyID: "nobody", Kind: records.SUGGESTION})
		wantErr(t, "suggest for a missing deputy", err, records.EINVALID, "input.deputyId")
		if it := MustGet(t, s.Receptions, "r1").Items[1]; it.SuggestionID != "" {
			t.Errorf("item linked to %q after a refused suggestion", it.SuggestionID)
		}
	})
	t.Run("ViewerRefused", func(t *testing.T) {
		_, _, err := s.SuggestFromReception(as("user:v", records.Viewer, "ta"), "r1", got.Items[1].ID, &records.Suggestion{DeputyID: "d1", Kind: records.SUGGESTION})
		wantErr(t, "suggest as a viewer", err, records.EFORBIDDEN, "")
	})
	t.Run("LinkKept", func(t *testing.T) {
		p := records.ReceptionPatch{Items: []records.ReceptionItem{{ID: item, Summary: "村口桥梁年久失修", Route: ptr(records.TO_SUGGESTION)}, {Summary: "新的事"}}}
		x, err := s.Receptions.Modify(clerk, "r1", nil, func(x *records.Reception) error { return p.Apply(x) })
		wantOK(t, "edit the items", err)
		if x.Items[0].SuggestionID != sg.ID || x.Items[1].ID == "" {
			t.Errorf("items %+v, want the first still linked to %s and the new one with an id", x.Items, sg.ID)
		}
		p = records.ReceptionPatch{Items: []records.ReceptionItem{{Summary: "只剩这条"}}}
		_, err = s.Receptions.Modify(clerk, "r1", nil, func(x *records.Reception) error { return p.Apply(x) })
		wantErr(t, "drop the linked item", err, records.EINVALID, "items")
		_, err = s.Receptions.Delete(clerk, "r1", nil)
		wantErr(t, "delete a reception a suggestion came from", err, records.ECONFLICT, "")
		// Nor the suggestion while its item links to it: the item would
		// point at nothing.
		_, err = s.Suggestions.Delete(clerk, sg.ID, nil)
		wantErr(t, "delete a suggestion a reception item links to", err, records.ECONFLICT, "")
		if _, err := s.Suggestions.Get(clerk, sg.ID); err != nil {
			t.Errorf("the suggestion is gone after a refused delete: %v", err)
		}
	})
}
