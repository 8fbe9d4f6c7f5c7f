package mongo_test

import (
	"context"
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
)

// TestHistory: every change leaves an entry with who and what; any version
// can be made current again, and a deleted record can be brought back.
func TestHistory(t *testing.T) {
	eachLayout(t, func(t *testing.T, s *store.Store) {
		towns := MustCounty(t, s, 2, 1)
		li := records.WithActor(context.Background(), records.Actor{ID: "user:li", Role: records.Editor, Townships: []string{towns[0]}})
		wang := records.WithActor(context.Background(), records.Actor{ID: "user:wang", Role: records.Admin})
		v, err := s.Villages.Create(li, &records.Village{Meta: records.Meta{Township: towns[0]}, Name: "初名村"})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"二名村", "三名村"} {
			if _, err := s.Villages.Update(li, v.ID, nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
				t.Fatal(err)
			}
		}
		h, err := s.Villages.History(li, v.ID)
		if err != nil || len(h) != 3 || h[0].Version != 3 || h[2].Action != records.ActionCreate || h[0].Before["name"] != "二名村" || h[0].After["name"] != "三名村" || h[0].Actor != "user:li" {
			t.Fatalf("history %+v (%v), want three versions, newest first, with before and after", h, err)
		}
		t.Run("Revert", func(t *testing.T) {
			three := 3
			got, err := s.Villages.Revert(wang, v.ID, 1, &three)
			if err != nil || got.Name != "初名村" || got.Version != 4 || got.UpdatedBy != "user:wang" || got.CreatedBy != "user:li" {
				t.Fatalf("reverted: %+v (%v), want version 4 named 初名村, created by li, updated by wang", got, err)
			}
			h, _ := s.Villages.History(li, v.ID)
			if h[0].Action != records.ActionRevert || h[0].Actor != "user:wang" || h[0].Before["name"] != "三名村" || h[0].After["name"] != "初名村" {
				t.Fatalf("the revert's entry: %+v", h[0])
			}
			if _, err := s.Villages.Revert(wang, v.ID, 1, &three); records.ErrorCode(err) != records.ECONFLICT {
				t.Fatalf("a revert on a stale version: %v, want CONFLICT", err)
			}
			if _, err := s.Villages.Revert(wang, v.ID, 9, nil); records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "version" {
				t.Fatalf("a version it never had: %v, want EINVALID on version", err)
			}
		})
		t.Run("DeleteRestore", func(t *testing.T) {
			if _, err := s.Villages.Delete(li, v.ID, nil); err != nil {
				t.Fatal(err)
			}
			del, err := s.Villages.Deleted(wang, towns[0], 10)
			if err != nil || len(del) != 1 || del[0].RecordID != v.ID || del[0].Before["name"] != "初名村" {
				t.Fatalf("deleted: %+v (%v), want the village", del, err)
			}
			if got, err := s.Villages.Restore(wang, v.ID); err != nil || got.Name != "初名村" || got.Version != 5 {
				t.Fatalf("restored: %+v (%v), want 初名村 at version 5", got, err)
			}
			if del, _ := s.Villages.Deleted(wang, towns[0], 10); len(del) != 0 {
				t.Fatalf("still listed as deleted: %+v", del)
			}
			if _, err := s.Villages.Restore(wang, v.ID); records.ErrorCode(err) != records.ECONFLICT {
				t.Fatalf("restoring a record that is there: %v, want CONFLICT", err)
			}
		})
		t.Run("ErrOtherTownship", func(t *testing.T) {
			other := records.WithActor(context.Background(), records.Actor{ID: "user:zhao", Role: records.Admin, Townships: []string{towns[1]}})
			if _, err := s.Villages.History(other, v.ID); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("another township's history: %v, want NOT_FOUND", err)
			}
			if _, err := s.Villages.Revert(other, v.ID, 1, nil); records.ErrorCode(err) != records.ENOTFOUND {
				t.Fatalf("another township's revert: %v, want NOT_FOUND", err)
			}
		})
		t.Run("AuditLog", func(t *testing.T) {
			all, next, err := s.AuditLog(wang, records.AuditFilter{RecordID: v.ID}, 2, "")
			if err != nil || len(all) != 2 || next == "" || all[0].Action != records.ActionRestore {
				t.Fatalf("first page %+v next %q (%v), want the restore first and more to come", all, next, err)
			}
			var actions []string
			for next != "" {
				var page []*records.AuditEntry
				page, next, err = s.AuditLog(wang, records.AuditFilter{RecordID: v.ID}, 2, next)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page {
					actions = append(actions, e.Action)
				}
			}
			want := []string{"revert", "update", "update", "create"}
			if len(actions) != len(want) {
				t.Fatalf("later pages %v, want %v", actions, want)
			}
			other := records.WithActor(context.Background(), records.Actor{ID: "user:zhao", Role: records.Admin, Townships: []string{towns[1]}})
			theirs, _, err := s.AuditLog(other, records.AuditFilter{}, 100, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range theirs {
				if e.Township != towns[1] {
					t.Fatalf("an admin of %s sees an entry of %q: %+v", towns[1], e.Township, e)
				}
			}
		})
	})
}
