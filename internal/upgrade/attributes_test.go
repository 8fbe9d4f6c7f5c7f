package upgrade_test

import (
	"context"
	"slices"
	"testing"

	"renda/internal/records"
	"renda/internal/storetest"
	"renda/internal/upgrade"
)

// TestAttributes: records written by an earlier release, with their order,
// series and amountFor in custom attributes, come out with them in their
// fields; other attributes, and ones the fields cannot take, stay; a second
// run changes nothing. On both stores.
func TestAttributes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *records.Store) {
		ctx := context.Background()
		storetest.MustTownships(t, s, "ta")
		day := records.DateSpan{Date: "2023-05-01", Precision: records.DAY}
		ins := storetest.MustCreate(t, ctx, s.Inspections, &records.Inspection{Meta: records.Meta{Township: "ta", Attributes: map[string]any{"order": 3, "片区": "北片"}}, Topic: "视察道路", Date: day})
		bad := storetest.MustCreate(t, ctx, s.Inspections, &records.Inspection{Meta: records.Meta{Township: "ta", Attributes: map[string]any{"order": "第二"}}, Topic: "视察学校", Date: day})
		del := storetest.MustCreate(t, ctx, s.Activities, &records.Activity{Meta: records.Meta{Township: "ta", Attributes: map[string]any{"series": "试点", "topic": "公路建设资金筹集", "order": 2}},
			Kind: records.DELIBERATION, Title: "第一次会", Date: day, Deliberation: &records.Deliberation{Topic: "集资方式"}})
		std := storetest.MustCreate(t, ctx, s.Activities, &records.Activity{Meta: records.Meta{Township: "ta", Attributes: map[string]any{"amountFor": []any{"微机一台"}}},
			Kind: records.STANDARDIZATION, Title: "建设代表之家", Date: day, Standardization: &records.Standardization{Items: []string{"微机一台", "文件橱"}}})

		n, err := upgrade.Attributes(ctx, s)
		if err != nil || n != 3 {
			t.Fatalf("moved %d records (%v), want 3", n, err)
		}
		got := storetest.MustGet(t, s.Inspections, ins.ID)
		if got.Order == nil || *got.Order != 3 || got.Attributes["order"] != nil || got.Attributes["片区"] != "北片" {
			t.Errorf("inspection: order %v, attributes %v; want 3 and 片区 kept", got.Order, got.Attributes)
		}
		if got := storetest.MustGet(t, s.Inspections, bad.ID); got.Order != nil || got.Attributes["order"] != "第二" {
			t.Errorf("an order the field cannot take: order %v, attributes %v; want it left in the attributes", got.Order, got.Attributes)
		}
		d := storetest.MustGet(t, s.Activities, del.ID)
		if d.Order == nil || *d.Order != 2 || d.Deliberation.Series != "公路建设资金筹集" || len(d.Attributes) != 0 {
			t.Errorf("deliberation: order %v, series %q, attributes %v", d.Order, d.Deliberation.Series, d.Attributes)
		}
		st := storetest.MustGet(t, s.Activities, std.ID)
		if !slices.Equal(st.Standardization.AmountFor, []string{"微机一台"}) || len(st.Attributes) != 0 {
			t.Errorf("standardization: amountFor %v, attributes %v", st.Standardization.AmountFor, st.Attributes)
		}
		if n, err := upgrade.Attributes(ctx, s); err != nil || n != 0 {
			t.Errorf("a second run moved %d (%v), want none", n, err)
		}
	})
}
