package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"renda/internal/records"
)

// actions lists the actions of entries, in order.
func actions(es []*records.AuditEntry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s@%d", e.Action, e.Version))
	}
	return out
}

// testHistory: every change leaves an entry with who, when and the record
// before and after; any version can be made current again.
func (c *contract) testHistory(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	li := as("user:li", records.Editor, "ta")
	wang := as("user:wang", records.Admin)
	v := MustCreate(t, li, s.Villages, village("ta", "v", "初名村"))
	for _, name := range []string{"二名村", "三名村"} {
		if _, err := s.Villages.Update(li, v.ID, nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Villages.History(li, v.ID)
	wantOK(t, "history", err)
	if got, want := actions(h), list("update@3", "update@2", "create@1"); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v (newest first)", got, want)
	}
	for i, e := range h {
		if e.RecordID != v.ID || e.Kind != string(records.KindVillage) || e.Township != "ta" || e.Actor != "user:li" || e.At.IsZero() || e.ID == "" {
			t.Errorf("entry %d: %+v, want an entry of village v of ta by user:li, with its time and id", i, e)
		}
		if i > 0 && e.At.After(h[i-1].At) {
			t.Errorf("entry %d at %v is newer than the one before it at %v", i, e.At, h[i-1].At)
		}
	}
	if h[0].Before["name"] != "二名村" || h[0].After["name"] != "三名村" || h[2].Before != nil || h[2].After["name"] != "初名村" {
		t.Errorf("before/after: %v→%v, %v→%v; want 二名村→三名村 and nothing→初名村", h[0].Before["name"], h[0].After["name"], h[2].Before, h[2].After["name"])
	}
	t.Run("Revert", func(t *testing.T) {
		three := 3
		got, err := s.Villages.Revert(wang, v.ID, 1, &three)
		wantOK(t, "revert", err)
		stored := MustGet(t, s.Villages, v.ID)
		for _, x := range []*records.Village{got, stored} {
			if x.Name != "初名村" || x.Version != 4 || x.UpdatedBy != "user:wang" || x.CreatedBy != "user:li" || x.Township != "ta" || x.NameKey != "chu1 ming2 cun1\t初名村" {
				t.Errorf("reverted: %+v, want version 4 named 初名村 (with its key), created by li, updated by wang", x)
			}
		}
		h, _ := s.Villages.History(li, v.ID)
		if len(h) != 4 || h[0].Action != records.ActionRevert || h[0].Actor != "user:wang" || h[0].Version != 4 || h[0].Before["name"] != "三名村" || h[0].After["name"] != "初名村" {
			t.Errorf("the revert's entry: %+v of %d, want a revert to version 4 by wang, 三名村→初名村", h[0], len(h))
		}
		_, err = s.Villages.Revert(wang, v.ID, 2, &three)
		wantErr(t, "a revert at a stale version", err, records.ECONFLICT, "")
		_, err = s.Villages.Revert(wang, v.ID, 9, nil)
		wantErr(t, "a revert to a version it never had", err, records.EINVALID, "version")
		if got := MustGet(t, s.Villages, v.ID); got.Version != 4 {
			t.Errorf("version %d after the refused reverts, want 4", got.Version)
		}
	})
	t.Run("Township", func(t *testing.T) {
		h, err := s.Townships.History(bg, "tb")
		if err != nil || !slices.Equal(actions(h), list("create@1")) {
			t.Errorf("tb's history: %v (%v), want its creation", actions(h), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Villages.History(bg, "nope")
		wantErr(t, "history of no record", err, records.ENOTFOUND, "")
		_, err = s.Deputies.History(bg, v.ID)
		wantErr(t, "a village's history as a deputy's", err, records.ENOTFOUND, "")
		_, err = s.Villages.Revert(bg, "nope", 1, nil)
		wantErr(t, "revert of no record", err, records.ENOTFOUND, "")
	})
}

// testDeleteRestore: a deleted record is listed as deleted and can be
// brought back, as a new version, if what it points at still exists.
func (c *contract) testDeleteRestore(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	li := as("user:li", records.Editor, "ta")
	wang := as("user:wang", records.Admin)
	v := MustCreate(t, li, s.Villages, village("ta", "v", "初名村"))
	name := "二名村"
	if _, err := s.Villages.Update(li, "v", nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
		t.Fatal(err)
	}
	deleted, err := s.Villages.Delete(li, "v", nil)
	wantOK(t, "delete", err)
	if deleted.Version != 2 || deleted.Name != "二名村" {
		t.Errorf("delete answered %q v%d, want the record as it was: 二名村 v2", deleted.Name, deleted.Version)
	}
	h, err := s.Villages.History(wang, "v")
	if err != nil || !slices.Equal(actions(h), list("delete@2", "update@2", "create@1")) || h[0].Before["name"] != "二名村" || h[0].Actor != "user:li" {
		t.Fatalf("history after the delete: %v (%v), want delete@2 (by li, before 二名村), update@2, create@1", actions(h), err)
	}
	del, err := s.Villages.Deleted(wang, "ta", 10)
	if err != nil || len(del) != 1 || del[0].RecordID != "v" || del[0].Action != records.ActionDelete || del[0].Before["name"] != "二名村" {
		t.Fatalf("deleted: %v (%v), want v's deletion", del, err)
	}
	if del, err := s.Villages.Deleted(wang, "tb", 10); err != nil || len(del) != 0 {
		t.Errorf("tb's deleted: %v (%v), want none", del, err)
	}
	if k, err := s.KindOf(li, "v"); err != nil || k != records.KindVillage {
		t.Errorf("kind of the deleted v: %q (%v), want villages", k, err)
	}
	got, err := s.Villages.Restore(wang, "v")
	wantOK(t, "restore", err)
	stored := MustGet(t, s.Villages, "v")
	for _, x := range []*records.Village{got, stored} {
		if x.Name != "二名村" || x.Version != 3 || x.UpdatedBy != "user:wang" || x.CreatedBy != "user:li" || !x.CreatedAt.Equal(v.CreatedAt) {
			t.Errorf("restored: %+v, want 二名村 at version 3, created by li as before, updated by wang", x)
		}
	}
	if h, _ := s.Villages.History(wang, "v"); len(h) != 4 || h[0].Action != records.ActionRestore || h[0].Version != 3 {
		t.Errorf("history after the restore: %v, want restore@3 first", actions(h))
	}
	if del, _ := s.Villages.Deleted(wang, "ta", 10); len(del) != 0 {
		t.Errorf("still listed as deleted: %v", del)
	}
	_, err = s.Villages.Restore(wang, "v")
	wantErr(t, "restore of a record that is there", err, records.ECONFLICT, "")
	_, err = s.Villages.Restore(wang, "nope")
	wantErr(t, "restore of no record", err, records.ENOTFOUND, "")

	t.Run("ErrDanglingRef", func(t *testing.T) {
		MustCreate(t, bg, s.Villages, village("ta", "w", "西村"))
		d := deputy("ta", "d", "张三")
		d.VillageID = "w"
		MustCreate(t, bg, s.Deputies, d)
		for _, err := range []error{
			func() error { _, err := s.Deputies.Delete(bg, "d", nil); return err }(),
			func() error { _, err := s.Villages.Delete(bg, "w", nil); return err }(),
		} {
			wantOK(t, "delete", err)
		}
		_, err := s.Deputies.Restore(bg, "d")
		wantErr(t, "restore of a deputy of a deleted village", err, records.EINVALID, "villageId")
		if _, err := s.Deputies.Get(bg, "d"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("the deputy after the refused restore: %v, want still deleted", err)
		}
	})
	t.Run("First", func(t *testing.T) {
		for _, id := range []string{"x1", "x2", "x3"} {
			MustCreate(t, bg, s.Villages, village("ta", id, id))
			if _, err := s.Villages.Delete(bg, id, nil); err != nil {
				t.Fatal(err)
			}
		}
		del, err := s.Villages.Deleted(bg, "ta", 2)
		if err != nil || len(del) != 2 {
			t.Fatalf("first 2: %d (%v), want 2", len(del), err)
		}
		if !del[1].At.Before(del[0].At) && !del[1].At.Equal(del[0].At) {
			t.Errorf("deleted at %v then %v, want newest first", del[0].At, del[1].At)
		}
		all, err := s.Villages.Deleted(bg, "ta", 10)
		if got := sorted(deletedIDs(all)); err != nil || !slices.Equal(got, list("w", "x1", "x2", "x3")) {
			t.Errorf("all deleted: %v (%v), want w x1 x2 x3", got, err)
		}
	})
	t.Run("AllTownships", func(t *testing.T) {
		MustCreate(t, bg, s.Villages, village("tb", "y", "东村"))
		if _, err := s.Villages.Delete(bg, "y", nil); err != nil {
			t.Fatal(err)
		}
		del, err := s.Villages.Deleted(bg, "", 10)
		if got := sorted(deletedIDs(del)); err != nil || !slices.Equal(got, list("w", "x1", "x2", "x3", "y")) {
			t.Errorf("deleted in all townships: %v (%v), want w x1 x2 x3 y", got, err)
		}
		del, err = s.Villages.Deleted(as("user:b", records.Admin, "tb"), "", 10)
		if got := sorted(deletedIDs(del)); err != nil || !slices.Equal(got, list("y")) {
			t.Errorf("deleted in all of tb's admin's townships: %v (%v), want y", got, err)
		}
	})
}

func deletedIDs(es []*records.AuditEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.RecordID)
	}
	return out
}

// testAuditLog: the audit trail pages newest first, filters by its
// fields, holds the entries Audit writes, and shows a caller limited to
// some townships only theirs.
func (c *contract) testAuditLog(t *testing.T) {
	s := c.open(t)
	start := records.Now()
	MustTownships(t, s, "ta", "tb")
	li := as("user:li", records.Editor, "ta")
	MustCreate(t, li, s.Villages, village("ta", "v", "一村"))
	for _, name := range []string{"二村", "三村"} {
		if _, err := s.Villages.Update(li, "v", nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
			t.Fatal(err)
		}
	}
	MustCreate(t, bg, s.Villages, village("tb", "w", "别村"))
	wang := as("user:wang", records.Admin)
	s.Audit(wang, records.AuditEntry{Action: records.ActionCreate, Kind: "accounts", RecordID: "zhang", After: map[string]any{"name": "张", "role": "viewer"}, Note: "新账号"})

	t.Run("Pages", func(t *testing.T) {
		var got []string
		after := ""
		for range 10 {
			es, next, err := s.AuditLog(wang, records.AuditFilter{RecordID: "v"}, 2, after)
			wantOK(t, "page", err)
			got = append(got, actions(es)...)
			if next == "" {
				break
			}
			after = next
		}
		if want := list("update@3", "update@2", "create@1"); !slices.Equal(got, want) {
			t.Errorf("pages of 2: %v, want %v", got, want)
		}
	})
	t.Run("PagesWhole", func(t *testing.T) {
		one, next, err := s.AuditLog(wang, records.AuditFilter{}, 500, "")
		if err != nil || next != "" {
			t.Fatalf("one page: next %q (%v), want the end", next, err)
		}
		var ids []string
		for _, e := range one {
			ids = append(ids, e.ID)
		}
		var paged []string
		after := ""
		for range 100 {
			es, next, err := s.AuditLog(wang, records.AuditFilter{}, 1, after)
			wantOK(t, "page", err)
			for _, e := range es {
				paged = append(paged, e.ID)
			}
			if next == "" {
				break
			}
			after = next
		}
		if !slices.Equal(paged, ids) || len(ids) < 7 {
			t.Errorf("pages of 1: %v, want one page's %v (2 townships, 3 changes of v, w, an account)", paged, ids)
		}
		for i := 1; i < len(one); i++ {
			if one[i].At.After(one[i-1].At) {
				t.Errorf("entry %d at %v after entry %d at %v: want newest first", i, one[i].At, i-1, one[i-1].At)
			}
		}
	})
	t.Run("Audit", func(t *testing.T) {
		es, _, err := s.AuditLog(wang, records.AuditFilter{Kind: "accounts"}, 10, "")
		wantOK(t, "audit log", err)
		if len(es) != 1 {
			t.Fatalf("%d entries of accounts, want 1", len(es))
		}
		e := es[0]
		if e.RecordID != "zhang" || e.Action != records.ActionCreate || e.Actor != "user:wang" || e.Township != "" || e.Note != "新账号" ||
			e.After["name"] != "张" || e.At.Before(start) || e.ID == "" {
			t.Errorf("entry %+v, want zhang's creation by user:wang, noted, with its after, time and id", e)
		}
	})
	t.Run("Filter", func(t *testing.T) {
		for _, c := range []struct {
			name string
			f    records.AuditFilter
			want []string
		}{
			{"Action", records.AuditFilter{Townships: []string{"ta"}, Action: records.ActionUpdate}, list("update@3", "update@2")},
			{"Actor", records.AuditFilter{Actor: "user:li"}, list("update@3", "update@2", "create@1")},
			{"Township", records.AuditFilter{Townships: []string{"tb"}, Kind: string(records.KindVillage)}, list("create@1")},
			{"From", records.AuditFilter{From: ptr(time.Now().Add(time.Hour))}, list()},
			{"To", records.AuditFilter{To: &start}, list()},
			{"FromTo", records.AuditFilter{RecordID: "v", From: &start, To: ptr(time.Now().Add(time.Hour))}, list("update@3", "update@2", "create@1")},
		} {
			t.Run(c.name, func(t *testing.T) {
				es, _, err := s.AuditLog(wang, c.f, 100, "")
				if err != nil || !slices.Equal(actions(es), c.want) {
					t.Errorf("got %v (%v), want %v", actions(es), err, c.want)
				}
			})
		}
	})
	t.Run("Scope", func(t *testing.T) {
		es, _, err := s.AuditLog(as("user:b", records.Admin, "tb"), records.AuditFilter{}, 100, "")
		wantOK(t, "audit log", err)
		var got []string
		for _, e := range es {
			got = append(got, e.Kind+":"+e.RecordID)
		}
		if want := list("villages:w", "townships:tb"); !slices.Equal(got, want) {
			t.Errorf("tb's admin sees %v, want %v", got, want)
		}
	})
	t.Run("ErrCursor", func(t *testing.T) {
		_, _, err := s.AuditLog(wang, records.AuditFilter{}, 10, "garbage")
		wantErr(t, "a garbage cursor", err, records.EINVALID, "after")
	})
}

// testKindOf: the kind of a record found by id alone, deleted or not.
func (c *contract) testKindOf(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	MustCreate(t, bg, s.Villages, village("ta", "v", "村"))
	MustCreate(t, bg, s.Deputies, deputy("ta", "d", "张三"))
	MustCreate(t, bg, s.Projects, project("ta", "p", "路", records.ROAD, 2023))
	MustCreate(t, bg, s.Inspections, inspection("ta", "i", "视察", "2023-01-01", records.DAY))
	MustCreate(t, bg, s.Activities, activity("ta", "a", "会议", records.MEETING, "2023-01-01"))
	MustCreate(t, bg, s.Suggestions, suggestion("ta", "s", "d", "修路", "2023-01-01"))
	MustCreate(t, bg, s.Villages, village("ta", "x", "废村"))
	if _, err := s.Villages.Delete(bg, "x", nil); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]records.Kind{
		"ta": records.KindTownship, "v": records.KindVillage, "d": records.KindDeputy, "p": records.KindProject,
		"i": records.KindInspection, "a": records.KindActivity, "s": records.KindSuggestion, "x": records.KindVillage,
	} {
		if got, err := s.KindOf(bg, id); err != nil || got != want {
			t.Errorf("kind of %s: %q (%v), want %q", id, got, err, want)
		}
	}
	_, err := s.KindOf(bg, "nope")
	wantErr(t, "kind of no record", err, records.ENOTFOUND, "")
}
