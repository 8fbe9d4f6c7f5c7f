package storetest

import (
	"context"
	"slices"
	"testing"

	"renda/internal/records"
)

// mustScopeFixture makes townships ta and tb, each with a village v<t>, a
// deputy d<t> of it, an inspection i<t> and a suggestion s<t> of the
// deputy, and a village x<t> that was deleted.
func mustScopeFixture(tb testing.TB, s *records.Store) {
	tb.Helper()
	MustTownships(tb, s, "ta", "tb")
	for _, t := range []string{"a", "b"} {
		town := "t" + t
		MustCreate(tb, bg, s.Villages, village(town, "v"+t, "村"+t))
		d := deputy(town, "d"+t, "代表"+t)
		d.VillageID = "v" + t
		MustCreate(tb, bg, s.Deputies, d)
		in := inspection(town, "i"+t, "视察", "2023-05-01", records.DAY)
		in.ParticipantIDs, in.VillageIDs = []string{"d" + t}, []string{"v" + t}
		MustCreate(tb, bg, s.Inspections, in)
		MustCreate(tb, bg, s.Suggestions, suggestion(town, "s"+t, "d"+t, "修路", "2023-05-02"))
		MustCreate(tb, bg, s.Villages, village(town, "x"+t, "废村"+t))
		if _, err := s.Villages.Delete(bg, "x"+t, nil); err != nil {
			tb.Fatal(err)
		}
	}
}

// testScope: a caller limited to township ta finds nothing of tb: NOT_FOUND
// by id, absent from lists, counts, groups, relations, histories and the
// audit log; and it cannot write there.
func (c *contract) testScope(t *testing.T) {
	s := c.open(t)
	mustScopeFixture(t, s)
	a := as("user:a", records.Editor, "ta")

	t.Run("Get", func(t *testing.T) {
		for _, get := range []func(ctx context.Context, t string) error{
			func(ctx context.Context, t string) error { _, err := s.Townships.Get(ctx, "t"+t); return err },
			func(ctx context.Context, t string) error { _, err := s.Villages.Get(ctx, "v"+t); return err },
			func(ctx context.Context, t string) error { _, err := s.Deputies.Get(ctx, "d"+t); return err },
			func(ctx context.Context, t string) error { _, err := s.Inspections.Get(ctx, "i"+t); return err },
			func(ctx context.Context, t string) error { _, err := s.Suggestions.Get(ctx, "s"+t); return err },
		} {
			wantErr(t, "get of tb's", get(a, "b"), records.ENOTFOUND, "")
			wantOK(t, "get of its own", get(a, "a"))
		}
	})
	t.Run("Find", func(t *testing.T) {
		for _, c := range []struct {
			kind string
			ids  func(q records.Query) []string
			want []string
		}{
			{"townships", func(q records.Query) []string { return findAll(t, a, s.Townships, q) }, list("ta")},
			{"villages", func(q records.Query) []string { return findAll(t, a, s.Villages, q) }, list("va")},
			{"deputies", func(q records.Query) []string { return findAll(t, a, s.Deputies, q) }, list("da")},
			{"inspections", func(q records.Query) []string { return findAll(t, a, s.Inspections, q) }, list("ia")},
			{"suggestions", func(q records.Query) []string { return findAll(t, a, s.Suggestions, q) }, list("sa")},
		} {
			if got := c.ids(records.Query{First: 50}); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.kind, got, c.want)
			}
		}
		_, err := s.Villages.Find(a, records.Query{Townships: []string{"tb"}, First: 5})
		wantErr(t, "find in tb", err, records.ENOTFOUND, "township")
		_, err = s.Villages.Find(a, records.Query{Townships: []string{"ta", "tb"}, First: 5})
		wantErr(t, "find in ta and tb", err, records.ENOTFOUND, "townships.1")
	})
	t.Run("Count", func(t *testing.T) {
		if n, err := s.Villages.Count(a, records.Query{}); err != nil || n != 1 {
			t.Errorf("count: %d (%v), want 1", n, err)
		}
		if n, err := s.Townships.Count(a, records.Query{}); err != nil || n != 1 {
			t.Errorf("count of townships: %d (%v), want 1", n, err)
		}
		_, err := s.Villages.Count(a, records.Query{Townships: []string{"tb"}})
		wantErr(t, "count in tb", err, records.ENOTFOUND, "township")
	})
	t.Run("Group", func(t *testing.T) {
		gs, err := s.Deputies.Group(a, records.Grouping{Paths: []string{"villageId"}})
		wantOK(t, "group", err)
		if got := groupKeys(gs); !slices.Equal(got, list(`ta|"va"=1`)) {
			t.Errorf("groups %v, want ta's only", got)
		}
		_, err = s.Deputies.Group(a, records.Grouping{Townships: []string{"tb"}, Paths: []string{"villageId"}})
		wantErr(t, "group in tb", err, records.ENOTFOUND, "township")
	})
	t.Run("Relations", func(t *testing.T) {
		if xs, err := s.Villages.GetIn(a, "tb", []string{"vb"}); err != nil || len(xs) != 0 {
			t.Errorf("GetIn of tb: %v (%v), want none", idsOf(xs), err)
		}
		if xs, err := s.Deputies.FindIn(a, "tb", "villageId", []string{"vb"}); err != nil || len(xs) != 0 {
			t.Errorf("FindIn of tb: %v (%v), want none", idsOf(xs), err)
		}
		if xs, err := s.Inspections.FindInWhere(a, "tb", "participantIds", []string{"db"}, records.Expr{}); err != nil || len(xs) != 0 {
			t.Errorf("FindInWhere of tb: %v (%v), want none", idsOf(xs), err)
		}
		if xs, err := s.Townships.GetIn(a, "", []string{"ta", "tb"}); err != nil || !slices.Equal(idsOf(xs), []string{"ta"}) {
			t.Errorf("townships ta and tb: %v (%v), want ta only", idsOf(xs), err)
		}
	})
	t.Run("History", func(t *testing.T) {
		_, err := s.Villages.History(a, "vb")
		wantErr(t, "history of tb's village", err, records.ENOTFOUND, "")
		_, err = s.Villages.History(a, "xb")
		wantErr(t, "history of tb's deleted village", err, records.ENOTFOUND, "")
		_, err = s.Townships.History(a, "tb")
		wantErr(t, "history of tb", err, records.ENOTFOUND, "")
		_, err = s.Villages.Deleted(a, "tb", 10)
		wantErr(t, "tb's deleted villages", err, records.ENOTFOUND, "township")
		if h, err := s.Villages.History(a, "va"); err != nil || len(h) != 1 {
			t.Errorf("history of its own: %d entries (%v), want 1", len(h), err)
		}
	})
	t.Run("KindOf", func(t *testing.T) {
		for _, id := range []string{"tb", "vb", "db", "sb", "xb", "nope"} {
			_, err := s.KindOf(a, id)
			wantErr(t, "kind of "+id, err, records.ENOTFOUND, "")
		}
		if k, err := s.KindOf(a, "xa"); err != nil || k != records.KindVillage {
			t.Errorf("kind of its own deleted village: %q (%v), want villages", k, err)
		}
	})
	t.Run("AuditLog", func(t *testing.T) {
		// The log is an auditor's to read (the store refuses an editor).
		a := as("user:a", records.Auditor, "ta")
		es, _, err := s.AuditLog(a, records.AuditFilter{}, 500, "")
		wantOK(t, "audit log", err)
		if len(es) == 0 {
			t.Fatalf("no entries, want ta's")
		}
		for _, e := range es {
			if e.Township != "ta" {
				t.Errorf("an entry of township %q (%s %s %s)", e.Township, e.Action, e.Kind, e.RecordID)
			}
		}
		_, _, err = s.AuditLog(a, records.AuditFilter{Townships: []string{"tb"}}, 10, "")
		wantErr(t, "audit log of tb", err, records.ENOTFOUND, "")
	})
	t.Run("Attributes", func(t *testing.T) {
		_, err := s.Attributes.Get(a, "tb", records.KindVillage)
		wantErr(t, "tb's attributes", err, records.ENOTFOUND, "")
		_, err = s.AttributeTypes(a, records.KindVillage, []string{"tb"})
		wantErr(t, "tb's attribute types", err, records.ENOTFOUND, "township")
	})
	t.Run("Writes", func(t *testing.T) {
		name := "改"
		_, err := s.Villages.Update(a, "vb", nil, (&records.VillagePatch{Name: &name}).Apply)
		wantErr(t, "update of tb's village", err, records.ENOTFOUND, "")
		_, err = s.Suggestions.Modify(a, "sb", nil, func(*records.Suggestion) error { return nil })
		wantErr(t, "modify of tb's suggestion", err, records.ENOTFOUND, "")
		_, err = s.Villages.Delete(a, "vb", nil)
		wantErr(t, "delete of tb's village", err, records.ENOTFOUND, "")
		_, err = s.Villages.Revert(a, "vb", 1, nil)
		wantErr(t, "revert of tb's village", err, records.ENOTFOUND, "")
		_, err = s.Villages.Restore(a, "xb")
		wantErr(t, "restore of tb's village", err, records.ENOTFOUND, "")
		_, err = s.Villages.Create(a, village("tb", "", "新村"))
		wantErr(t, "create in tb", err, records.ENOTFOUND, "")
		_, err = s.Villages.Bulk(a, []*records.Village{village("tb", "", "新村")})
		wantErr(t, "bulk load into tb", err, records.ENOTFOUND, "")
		_, err = s.Townships.Update(a, "tb", nil, (&records.TownshipPatch{Name: &name}).Apply)
		wantErr(t, "update of tb", err, records.ENOTFOUND, "")
		_, err = s.Townships.Create(a, &records.Township{Name: "新镇"})
		wantErr(t, "a township editor creates a township", err, records.EFORBIDDEN, "")
		d := deputy("ta", "", "越界")
		d.VillageID = "vb"
		_, err = s.Deputies.Create(a, d)
		wantErr(t, "a deputy of ta in tb's village", err, records.EINVALID, "villageId")
		if got := MustGet(t, s.Villages, "vb"); got.Version != 1 || got.Name != "村b" {
			t.Errorf("tb's village after the refused writes: %q v%d, want 村b v1", got.Name, got.Version)
		}
		if _, err := s.Villages.Get(bg, "xb"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("tb's deleted village: %v, want still deleted", err)
		}
		// Its own township is an editor's to change.
		if got, err := s.Townships.Update(a, "ta", nil, (&records.TownshipPatch{Name: &name}).Apply); err != nil || got.Name != name {
			t.Errorf("update of its own township: %+v (%v), want it renamed", got, err)
		}
	})
}

// testScopeViewer: a viewer reads its townships and may write nothing; in
// a township it does not see, a write is NOT_FOUND, as a read.
func (c *contract) testScopeViewer(t *testing.T) {
	s := c.open(t)
	mustScopeFixture(t, s)
	for _, v := range []context.Context{as("user:v", records.Viewer, "ta"), as("user:cv", records.Viewer)} {
		wantOK(t, "a viewer's read", func() error { _, err := s.Villages.Get(v, "va"); return err }())
		name := "改"
		_, err := s.Villages.Update(v, "va", nil, (&records.VillagePatch{Name: &name}).Apply)
		wantErr(t, "a viewer's update", err, records.EFORBIDDEN, "")
		_, err = s.Suggestions.Modify(v, "sa", nil, func(*records.Suggestion) error { return nil })
		wantErr(t, "a viewer's modify", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Create(v, village("ta", "", "新村"))
		wantErr(t, "a viewer's create", err, records.EFORBIDDEN, "")
		_, err = s.Villages.CreateOnce(v, "k", village("ta", "", "新村"))
		wantErr(t, "a viewer's create under a key", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Bulk(v, []*records.Village{village("ta", "", "新村")})
		wantErr(t, "a viewer's bulk load", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Delete(v, "va", nil)
		wantErr(t, "a viewer's delete", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Revert(v, "va", 1, nil)
		wantErr(t, "a viewer's revert", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Restore(v, "xa")
		wantErr(t, "a viewer's restore", err, records.EFORBIDDEN, "")
		_, err = s.Attributes.Put(v, "ta", records.KindVillage, records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrNumber})
		wantErr(t, "a viewer defines an attribute", err, records.EFORBIDDEN, "")
	}
	_, err := s.Villages.Update(as("user:v", records.Viewer, "ta"), "vb", nil, func(*records.Village) {})
	wantErr(t, "a viewer of ta updates tb's village", err, records.ENOTFOUND, "")
	if got := MustGet(t, s.Villages, "va"); got.Version != 1 {
		t.Errorf("va at version %d after the viewers, want 1", got.Version)
	}
	if n, err := s.Villages.Count(bg, records.Query{}); err != nil || n != 2 {
		t.Errorf("%d villages (%v) after the viewers, want 2", n, err)
	}
	if _, err := s.Villages.Get(bg, "xa"); records.ErrorCode(err) != records.ENOTFOUND {
		t.Errorf("xa: %v, want still deleted", err)
	}
}

// testScopeAnonymous: a caller without credentials sees no township.
func (c *contract) testScopeAnonymous(t *testing.T) {
	s := c.open(t)
	mustScopeFixture(t, s)
	anon := records.WithActor(bg, records.Anonymous)
	if ids := findAll(t, anon, s.Villages, records.Query{First: 50}); len(ids) != 0 {
		t.Errorf("villages %v, want none", ids)
	}
	if ids := findAll(t, anon, s.Townships, records.Query{First: 50}); len(ids) != 0 {
		t.Errorf("townships %v, want none", ids)
	}
	if n, err := s.Deputies.Count(anon, records.Query{}); err != nil || n != 0 {
		t.Errorf("count %d (%v), want 0", n, err)
	}
	if ts, err := s.ResolveTownships(anon, nil); err != nil || len(ts) != 0 {
		t.Errorf("townships %v (%v), want none", ts, err)
	}
	_, err := s.Villages.Get(anon, "va")
	wantErr(t, "get", err, records.ENOTFOUND, "")
	_, err = s.Villages.Create(anon, village("ta", "", "新村"))
	wantErr(t, "create", err, records.ENOTFOUND, "")
}
