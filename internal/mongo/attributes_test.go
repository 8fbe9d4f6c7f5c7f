package mongo_test

import (
	"context"
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
)

// TestAttributeDefs: definitions are an admin's, per township and kind;
// writes are checked and coerced against them; filters compare defined
// attributes as their types and undefined numbers as numbers.
func TestAttributeDefs(t *testing.T) {
	eachLayout(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		towns := MustCounty(t, s, 2, 1)
		defs := s.AttributeDefs()
		score := records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrNumber}
		t.Run("ErrForbidden", func(t *testing.T) {
			editor := records.WithActor(ctx, records.Actor{ID: "user:e", Role: records.Editor})
			if _, err := defs.Put(editor, towns[0], records.KindVillage, score); records.ErrorCode(err) != records.EFORBIDDEN {
				t.Fatalf("got %v, want FORBIDDEN", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			other := records.WithActor(ctx, records.Actor{ID: "user:a", Role: records.Admin, Townships: []string{towns[1]}})
			if _, err := defs.Put(other, towns[0], records.KindVillage, score); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("got %v, want NOT_FOUND", err)
			}
			if _, err := defs.Get(ctx, "nowhere", records.KindVillage); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("got %v, want NOT_FOUND", err)
			}
		})
		// Before the definition: one village holds 5, another "5", a third "高".
		for i, v := range []any{int64(5), "5", "高"} {
			if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: towns[0], Attributes: map[string]any{"score": v}}, Name: "村" + string(rune('甲'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		count := func(f records.AttributeFilter) (int, error) {
			x, err := records.Compile(&records.VillageFilter{Common: records.Common{Attributes: []*records.AttributeFilter{&f}}}, "filter")
			if err != nil {
				return 0, err
			}
			return s.Villages.Count(ctx, records.Query{Townships: towns[:1], Filter: x})
		}
		t.Run("OK/Undefined", func(t *testing.T) {
			// gte "3" compares as the number 3: the stored 5 (not "5", text).
			if n, err := count(records.AttributeFilter{Path: "score", Gte: "3"}); err != nil || n != 1 {
				t.Fatalf("gte \"3\": %d (%v), want 1", n, err)
			}
			// eq "5" matches the number and the text.
			if n, err := count(records.AttributeFilter{Path: "score", Eq: "5"}); err != nil || n != 2 {
				t.Fatalf("eq \"5\": %d (%v), want 2", n, err)
			}
		})
		if _, err := defs.Put(ctx, towns[0], records.KindVillage, score); err != nil {
			t.Fatal(err)
		}
		t.Run("OK/Defined", func(t *testing.T) {
			if n, err := count(records.AttributeFilter{Path: "score", Eq: "5"}); err != nil || n != 1 {
				t.Fatalf("eq \"5\" on a NUMBER: %d (%v), want 1 (the number)", n, err)
			}
			v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: towns[0], Attributes: map[string]any{"score": "7"}}, Name: "新村"})
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Attributes["score"]; got != int64(7) {
				t.Fatalf("stored %#v, want the number 7", got)
			}
			// The other township defines nothing: text stays text.
			w, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: towns[1], Attributes: map[string]any{"score": "7"}}, Name: "新村"})
			if err != nil || w.Attributes["score"] != "7" {
				t.Fatalf("stored %#v (%v), want the text 7", w.Attributes["score"], err)
			}
		})
		t.Run("ErrInvalid/Write", func(t *testing.T) {
			_, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: towns[0], Attributes: map[string]any{"score": "高"}}, Name: "坏村"})
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "attributes.score" {
				t.Fatalf("got %v, want EINVALID on attributes.score", err)
			}
		})
		t.Run("ErrInvalid/Filter", func(t *testing.T) {
			_, err := count(records.AttributeFilter{Path: "score", Gte: "高"})
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "filter.attributes.0.gte" {
				t.Fatalf("got %v, want EINVALID on filter.attributes.0.gte", err)
			}
		})
		t.Run("ErrInvalid/TypesDiffer", func(t *testing.T) {
			if _, err := defs.Put(ctx, towns[1], records.KindVillage, records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrText}); err != nil {
				t.Fatal(err)
			}
			x, _ := records.Compile(&records.VillageFilter{Common: records.Common{Attributes: []*records.AttributeFilter{{Path: "score", Eq: "5"}}}}, "filter")
			_, err := s.Villages.Count(ctx, records.Query{Filter: x})
			if records.ErrorCode(err) != records.EINVALID {
				t.Fatalf("got %v, want EINVALID: the townships define score differently", err)
			}
		})
		t.Run("OK/Remove", func(t *testing.T) {
			if _, err := defs.Remove(ctx, towns[0], records.KindVillage, "score"); err != nil {
				t.Fatal(err)
			}
			set, err := defs.Get(ctx, towns[0], records.KindVillage)
			if err != nil || len(set.Defs) != 0 {
				t.Fatalf("defs %v (%v), want none", set, err)
			}
			if _, err := defs.Remove(ctx, towns[0], records.KindVillage, "score"); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("got %v, want NOT_FOUND", err)
			}
		})
	})
}

// TestGroup: a grouping covers the townships asked for, those the caller
// may see when none are, and an unknown or hidden one is NOT_FOUND.
func TestGroup(t *testing.T) {
	eachLayout(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		towns := MustCounty(t, s, 3, 4)
		total := func(ctx context.Context, ts []string) (int, error) {
			gs, err := s.Villages.Group(ctx, records.Grouping{Townships: ts, Paths: []string{"township"}})
			n := 0
			for _, g := range gs {
				if g.Values[0] != g.Township {
					t.Fatalf("group of township %q holds %v", g.Township, g.Values[0])
				}
				n += g.Count
			}
			return n, err
		}
		if n, err := total(ctx, nil); err != nil || n != 12 {
			t.Fatalf("all: %d (%v), want 12", n, err)
		}
		if n, err := total(ctx, towns[1:]); err != nil || n != 8 {
			t.Fatalf("two townships: %d (%v), want 8", n, err)
		}
		scoped := records.WithActor(ctx, records.Actor{ID: "user:v", Role: records.Viewer, Townships: towns[:1]})
		if n, err := total(scoped, nil); err != nil || n != 4 {
			t.Fatalf("a viewer of one township: %d (%v), want 4", n, err)
		}
		for _, c := range []struct {
			ctx   context.Context
			towns []string
			field string
		}{{ctx, []string{"nowhere"}, "township"}, {ctx, []string{towns[0], "nowhere"}, "townships.1"}, {scoped, []string{towns[1]}, "township"}} {
			if _, err := total(c.ctx, c.towns); records.ErrorCode(err) != records.ENOTFOUND || records.ErrorField(err) != c.field {
				t.Fatalf("townships %v: got %v, want NOT_FOUND on %s", c.towns, err, c.field)
			}
		}
	})
}
