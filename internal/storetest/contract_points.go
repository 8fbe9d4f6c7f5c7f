package storetest

import (
	"testing"

	"renda/internal/records"
)

// testPointRules: a township's point rules are its admins' to write —
// created, changed, reverted, deleted — and every change is a version.
func (c *contract) testPointRules(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	admin := as("user:a", records.Admin, "ta")
	editor := as("user:e", records.Editor, "ta")
	rules := func() *records.PointRules {
		return &records.PointRules{Meta: records.Meta{Township: "ta"}, Name: "2024年办法", EffectiveFrom: "2024-01-01", Base: 60,
			Items: []records.PointRule{{Item: records.PT_SUGGESTION, Points: 3, Cap: ptr(30.0)}, {Item: records.PT_ABSENCE, Points: -2}}}
	}
	_, err := s.PointRules.Create(editor, rules())
	wantErr(t, "an editor creates rules", err, records.EFORBIDDEN, "")
	_, err = s.PointRules.Create(as("user:b", records.Admin, "tb"), rules())
	if code := records.ErrorCode(err); code != records.ENOTFOUND && code != records.EFORBIDDEN {
		t.Errorf("another township's admin creates rules: %v, want NOT_FOUND or FORBIDDEN", err)
	}
	x := MustCreate(t, admin, s.PointRules, rules())
	if x.SessionTag != records.DefaultSessionTag || x.KeyTag != records.DefaultKeyTag {
		t.Errorf("defaults %q %q, want %q %q", x.SessionTag, x.KeyTag, records.DefaultSessionTag, records.DefaultKeyTag)
	}
	_, err = s.PointRules.Update(editor, x.ID, nil, func(x *records.PointRules) { x.Base = 100 })
	wantErr(t, "an editor changes rules", err, records.EFORBIDDEN, "")
	MustUpdate(t, admin, s.PointRules, x.ID, func(x *records.PointRules) { x.Base = 50 })
	_, err = s.PointRules.Revert(editor, x.ID, 1, nil)
	wantErr(t, "an editor reverts rules", err, records.EFORBIDDEN, "")
	h, err := s.PointRules.History(editor, x.ID)
	wantOK(t, "history, read by an editor", err)
	if len(h) != 2 || h[0].Actor != "user:a" {
		t.Errorf("history %+v, want 2 versions by user:a", h)
	}
	if got, _ := s.PointRules.Get(editor, x.ID); got == nil || got.Base != 50 {
		t.Errorf("rules as read %+v, want base 50", got)
	}
	for _, c := range []struct {
		name  string
		edit  func(x *records.PointRules)
		field string
	}{
		{"ItemTwice", func(x *records.PointRules) {
			x.Items = append(x.Items, records.PointRule{Item: records.PT_SUGGESTION, Points: 1})
		}, "items.2.item"},
		{"BaseAsItem", func(x *records.PointRules) { x.Items = []records.PointRule{{Item: records.PT_BASE, Points: 1}} }, "items.0.item"},
		{"AbsenceEarns", func(x *records.PointRules) { x.Items = []records.PointRule{{Item: records.PT_ABSENCE, Points: 1}} }, "items.0.points"},
		{"HugePoints", func(x *records.PointRules) { x.Items = []records.PointRule{{Item: records.PT_INSPECTION, Points: 1e9}} }, "items.0.points"},
		{"NegativeCap", func(x *records.PointRules) { x.Cap = ptr(-1.0) }, "cap"},
		{"BadDay", func(x *records.PointRules) { x.EffectiveFrom = "2024-13-01" }, "effectiveFrom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := rules()
			c.edit(x)
			_, err := s.PointRules.Create(admin, x)
			wantErr(t, "create", err, records.EINVALID, c.field)
		})
	}
	_, err = s.PointRules.Delete(editor, x.ID, nil)
	wantErr(t, "an editor deletes rules", err, records.EFORBIDDEN, "")
	_, err = s.PointRules.Delete(admin, x.ID, nil)
	wantOK(t, "an admin deletes rules", err)
}

// testPointRulesBulk: a bulk load of rules (a seed, an import) is an
// admin's too.
func (c *contract) testPointRulesBulk(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	x := &records.PointRules{Meta: records.Meta{Township: "ta"}, Name: "办法", EffectiveFrom: "2024-01-01"}
	_, err := s.PointRules.Bulk(as("user:e", records.Editor, "ta"), []*records.PointRules{x})
	wantErr(t, "an editor bulk-loads rules", err, records.EFORBIDDEN, "")
	n, err := s.PointRules.Bulk(as("user:a", records.Admin, "ta"), []*records.PointRules{x})
	if err != nil || n != 1 {
		t.Errorf("an admin bulk-loads rules: %d, %v", n, err)
	}
}
