package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"renda/internal/records"
)

// testCreate: a new record is validated, stamped (id, version 1, who and
// when), derived and stored; what it points at must exist in its own
// township.
func (c *contract) testCreate(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("ta", "va", "一号村"))
	MustCreate(t, bg, s.Villages, village("tb", "vb", "别村"))
	clerk := as("user:li", records.Editor, "ta")

	t.Run("OK", func(t *testing.T) {
		before := records.Now()
		created, err := s.Deputies.Create(clerk, &records.Deputy{
			Meta: records.Meta{Township: "ta", Tags: []string{"优秀"}, Attributes: map[string]any{"wechat": "zs01", "funding": map[string]any{"county": 5}}},
			Name: "张三", Levels: []records.Level{records.COUNTY, records.TOWNSHIP}, VillageID: "va",
			Honours: []records.Honour{{Year: 2020, Title: "优秀人大代表", Level: records.COUNTY}},
		})
		wantOK(t, "create", err)
		if created.ID == "" || created.Version != 1 {
			t.Fatalf("created id %q version %d, want a fresh id at version 1", created.ID, created.Version)
		}
		got := MustGet(t, s.Deputies, created.ID)
		if got.ID != created.ID || got.Township != "ta" || got.Version != 1 || got.Name != "张三" || got.VillageID != "va" {
			t.Errorf("got %s in %s v%d %q village %q, want %s in ta v1 张三 village va", got.ID, got.Township, got.Version, got.Name, got.VillageID, created.ID)
		}
		if want := "zhang1 san1\t张三"; got.NameKey != want {
			t.Errorf("name key %q, want %q", got.NameKey, want)
		}
		if got.CreatedAt.Before(before) || !got.CreatedAt.Equal(created.CreatedAt) || !got.UpdatedAt.Equal(got.CreatedAt) {
			t.Errorf("created %v updated %v (create answered %v), want both the create's time, after %v", got.CreatedAt, got.UpdatedAt, created.CreatedAt, before)
		}
		if got.CreatedBy != "user:li" || got.UpdatedBy != "user:li" {
			t.Errorf("created by %q updated by %q, want user:li", got.CreatedBy, got.UpdatedBy)
		}
		if !slices.Equal(got.Levels, []records.Level{records.COUNTY, records.TOWNSHIP}) || !slices.Equal(got.Tags, []string{"优秀"}) {
			t.Errorf("levels %v tags %v, want [COUNTY TOWNSHIP] and [优秀]", got.Levels, got.Tags)
		}
		if len(got.Honours) != 1 || got.Honours[0] != created.Honours[0] {
			t.Errorf("honours %+v, want %+v", got.Honours, created.Honours)
		}
		if got, want := canon(got.Attributes), `{funding:{county:#5} wechat:"zs01"}`; got != want {
			t.Errorf("attributes %s, want %s", got, want)
		}
	})
	t.Run("Derived", func(t *testing.T) {
		d := MustCreate(t, bg, s.Deputies, deputy("ta", "", "李四"))
		x := MustCreate(t, bg, s.Inspections, &records.Inspection{Meta: records.Meta{Township: "ta"}, Topic: "视察",
			Date: records.DateSpan{Date: "2023-10-11", Precision: records.DEKAD}, ParticipantIDs: []string{d.ID},
			OtherParticipants: []records.Headcount{{Kind: "村民代表", Count: 4}}})
		got := MustGet(t, s.Inspections, x.ID)
		want := records.DateSpan{Date: "2023-10-11", Precision: records.DEKAD, End: "2023-10-20", Year: 2023, Half: 2, Month: 10, Quarter: 4}
		if got.Date != want || got.ParticipantTotal != 5 {
			t.Errorf("date %+v with %d participants, want %+v with 5", got.Date, got.ParticipantTotal, want)
		}
		// A new suggestion starts SUBMITTED whatever it says.
		sg := suggestion("ta", "", d.ID, "修路", "2023-08-15")
		sg.Status = records.CLOSED
		sg = MustCreate(t, clerk, s.Suggestions, sg)
		gs := MustGet(t, s.Suggestions, sg.ID)
		if gs.Status != records.SUBMITTED || len(gs.History) != 1 || gs.History[0].To != records.SUBMITTED || gs.History[0].By != "user:li" {
			t.Errorf("status %s history %+v, want SUBMITTED with that one step by user:li", gs.Status, gs.History)
		}
		if gs.Year != 2023 || gs.Half != 2 || gs.Quarter != 3 || gs.Month != 8 {
			t.Errorf("year %d half %d quarter %d month %d, want 2023 2 3 8", gs.Year, gs.Half, gs.Quarter, gs.Month)
		}
	})
	t.Run("Township", func(t *testing.T) {
		tw := MustCreate(t, bg, s.Townships, &records.Township{Name: "新镇"})
		got := MustGet(t, s.Townships, tw.ID)
		if got.Township != got.ID || got.Version != 1 {
			t.Errorf("township %s of township %q at version %d, want its own id at version 1", got.ID, got.Township, got.Version)
		}
		if ts, err := s.ResolveTownships(bg, []string{tw.ID}); err != nil || !slices.Equal(ts, []string{tw.ID}) {
			t.Errorf("resolve the new township: %v (%v), want it", ts, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.Villages.Create(bg, &records.Village{Meta: records.Meta{ID: "bad", Township: "ta"}, Name: " "})
		wantErr(t, "a village without a name", err, records.EINVALID, "name")
		_, err = s.Villages.Get(bg, "bad")
		wantErr(t, "the refused village", err, records.ENOTFOUND, "")
	})
	t.Run("ErrUnknownVillage", func(t *testing.T) {
		_, err := s.Deputies.Create(bg, &records.Deputy{Meta: records.Meta{Township: "ta"}, Name: "王五", Levels: []records.Level{records.TOWNSHIP}, VillageID: "nope"})
		wantErr(t, "an unknown village", err, records.EINVALID, "villageId")
	})
	t.Run("ErrUnknownTownship", func(t *testing.T) {
		_, err := s.Villages.Create(bg, village("nope", "", "x"))
		wantErr(t, "an unknown township", err, records.EINVALID, "township")
	})
	t.Run("ErrVillageOfOtherTownship", func(t *testing.T) {
		p := project("tb", "", "路", records.ROAD, 2023)
		p.VillageIDs = []string{"vb", "va"}
		_, err := s.Projects.Create(bg, p)
		wantErr(t, "a village of another township", err, records.EINVALID, "villageIds.1")
		_, err = s.Deputies.Create(bg, &records.Deputy{Meta: records.Meta{Township: "ta"}, Name: "赵六", Levels: []records.Level{records.TOWNSHIP},
			Voters: []records.Voter{{Name: "选民", VillageID: "vb"}}})
		wantErr(t, "a voter in a village of another township", err, records.EINVALID, "voters.0.villageId")
	})
	t.Run("ErrDuplicateID", func(t *testing.T) {
		_, err := s.Villages.Create(bg, village("ta", "va", "又一村"))
		wantErr(t, "an id taken in the same township", err, records.ECONFLICT, "")
		_, err = s.Villages.Create(bg, village("ta", "vb", "又一村"))
		wantErr(t, "an id taken in another township", err, records.ECONFLICT, "")
		if got := MustGet(t, s.Villages, "vb"); got.Township != "tb" || got.Name != "别村" {
			t.Errorf("vb is %q of %s, want 别村 of tb unchanged", got.Name, got.Township)
		}
	})
}

// testUpdate: a patch applies to the record as stored, raises its version
// and cannot move what identifies it; a stale version or a refused change
// stores nothing.
func (c *contract) testUpdate(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("tb", "vb", "别村"))
	v := MustCreate(t, as("user:li", records.Editor, "ta"), s.Villages, village("ta", "v", "四号村"))
	wang := as("user:wang", records.Editor, "ta")

	t.Run("OK", func(t *testing.T) {
		one, pop := 1, 1200
		got, err := s.Villages.Update(wang, v.ID, &one, (&records.VillagePatch{Population: &pop}).Apply)
		wantOK(t, "update", err)
		stored := MustGet(t, s.Villages, v.ID)
		for _, x := range []*records.Village{got, stored} {
			if x.Version != 2 || x.Population == nil || *x.Population != 1200 || x.Name != "四号村" {
				t.Errorf("version %d population %v name %q, want 2, 1200, 四号村", x.Version, x.Population, x.Name)
			}
			if x.CreatedBy != "user:li" || x.UpdatedBy != "user:wang" || !x.CreatedAt.Equal(v.CreatedAt) || x.UpdatedAt.Before(v.CreatedAt) {
				t.Errorf("created %v by %s, updated %v by %s; want the creation kept and the update by user:wang", x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy)
			}
		}
	})
	t.Run("KeepsIdentity", func(t *testing.T) {
		got, err := s.Villages.Update(bg, v.ID, nil, func(x *records.Village) {
			x.ID, x.Township, x.Version, x.CreatedBy = "other", "tb", 40, "someone"
			x.Name = "五号村"
		})
		wantOK(t, "update", err)
		stored := MustGet(t, s.Villages, v.ID)
		for _, x := range []*records.Village{got, stored} {
			if x.ID != v.ID || x.Township != "ta" || x.Version != 3 || x.CreatedBy != "user:li" || x.Name != "五号村" {
				t.Errorf("%s of %s at version %d created by %s named %q; want %s of ta at 3 by user:li named 五号村", x.ID, x.Township, x.Version, x.CreatedBy, x.Name, v.ID)
			}
		}
		if _, err := s.Villages.Get(bg, "other"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("a record under the id the patch set: %v, want NOT_FOUND", err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		before := MustGet(t, s.Villages, v.ID)
		stale, name := 1, "改名村"
		_, err := s.Villages.Update(bg, v.ID, &stale, (&records.VillagePatch{Name: &name}).Apply)
		wantErr(t, "a stale version", err, records.ECONFLICT, "")
		got := MustGet(t, s.Villages, v.ID)
		if got.Name != before.Name || got.Version != before.Version || !got.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("after a conflict: %q v%d updated %v, want %q v%d updated %v unchanged", got.Name, got.Version, got.UpdatedAt, before.Name, before.Version, before.UpdatedAt)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		neg := -5
		_, err := s.Villages.Update(bg, v.ID, nil, (&records.VillagePatch{Population: &neg}).Apply)
		wantErr(t, "a negative population", err, records.EINVALID, "population")
		if got := MustGet(t, s.Villages, v.ID); got.Version != 3 || *got.Population != 1200 {
			t.Errorf("after a refused patch: version %d population %d, want 3 and 1200", got.Version, *got.Population)
		}
	})
	t.Run("ErrRefused", func(t *testing.T) {
		_, err := s.Villages.Modify(bg, v.ID, nil, func(x *records.Village) error {
			x.Name = "不该存"
			return records.Invalidf("to", "not now")
		})
		wantErr(t, "a change that refuses", err, records.EINVALID, "to")
		if got := MustGet(t, s.Villages, v.ID); got.Version != 3 || got.Name != "五号村" {
			t.Errorf("after a refused change: %q at version %d, want 五号村 at 3", got.Name, got.Version)
		}
	})
	t.Run("ErrUnknownRef", func(t *testing.T) {
		d := MustCreate(t, bg, s.Deputies, deputy("ta", "d", "张三"))
		for _, ref := range []string{"nope", "vb"} {
			_, err := s.Deputies.Update(bg, d.ID, nil, func(x *records.Deputy) { x.VillageID = ref })
			wantErr(t, "a village "+ref, err, records.EINVALID, "villageId")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Villages.Update(bg, "nope", nil, (&records.VillagePatch{}).Apply)
		wantErr(t, "an unknown id", err, records.ENOTFOUND, "")
		_, err = s.Deputies.Update(bg, v.ID, nil, func(*records.Deputy) {})
		wantErr(t, "a village's id as a deputy", err, records.ENOTFOUND, "")
	})
}

// testConcurrentUpdates is the version guard under a race: 20 writers
// holding the same version, exactly one wins.
func (c *contract) testConcurrentUpdates(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	v := MustCreate(t, bg, s.Villages, village("ta", "v", "竞争村"))
	const writers = 20
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one, pop := 1, 100+i
			_, errs[i] = s.Villages.Update(bg, v.ID, &one, (&records.VillagePatch{Population: &pop}).Apply)
		}()
	}
	wg.Wait()
	ok, conflicts, winner := 0, 0, -1
	for i, err := range errs {
		switch records.ErrorCode(err) {
		case "":
			ok, winner = ok+1, i
		case records.ECONFLICT:
			conflicts++
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	got := MustGet(t, s.Villages, v.ID)
	if ok != 1 || conflicts != writers-1 || got.Version != 2 {
		t.Fatalf("%d succeeded, %d conflicted, version %d; want 1, %d, 2", ok, conflicts, got.Version, writers-1)
	}
	if got.Population == nil || *got.Population != 100+winner {
		t.Errorf("population %v, want the winner's %d", got.Population, 100+winner)
	}
}

// testConcurrentPatches: 20 writers patching one record without an
// expected version all succeed, and no change is lost.
func (c *contract) testConcurrentPatches(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	v := MustCreate(t, bg, s.Villages, village("ta", "v", "竞争村"))
	const writers = 20
	var wg sync.WaitGroup
	errs := make([]error, writers)
	var want []string
	for i := range writers {
		want = append(want, fmt.Sprintf("t%02d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Villages.Update(bg, v.ID, nil, func(x *records.Village) {
				x.Tags = append(x.Tags, fmt.Sprintf("t%02d", i)) // read-append-write, inside the store
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	got := MustGet(t, s.Villages, v.ID)
	if !slices.Equal(sorted(got.Tags), want) || got.Version != writers+1 {
		t.Fatalf("version %d with tags %v, want %d with every writer's tag %v", got.Version, got.Tags, writers+1, want)
	}
}

// testDelete: a record others point at cannot be deleted; a deleted one is
// gone from reads.
func (c *contract) testDelete(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	for _, id := range []string{"v1", "v2", "v3"} {
		MustCreate(t, bg, s.Villages, village("ta", id, id+"村"))
	}
	d := deputy("ta", "d", "王五")
	d.VillageID = "v1"
	MustCreate(t, bg, s.Deputies, d)
	p := project("ta", "p", "路", records.ROAD, 2023)
	p.VillageIDs = []string{"v3"}
	MustCreate(t, bg, s.Projects, p)

	t.Run("ErrReferenced", func(t *testing.T) {
		for _, id := range []string{"v1", "v3"} {
			_, err := s.Villages.Delete(bg, id, nil)
			wantErr(t, "delete "+id+", still pointed at", err, records.ECONFLICT, "")
			if got := MustGet(t, s.Villages, id); got.Version != 1 {
				t.Errorf("%s after a refused delete: version %d, want 1", id, got.Version)
			}
		}
	})
	t.Run("ErrStale", func(t *testing.T) {
		two := 2
		_, err := s.Villages.Delete(bg, "v2", &two)
		wantErr(t, "delete at a stale version", err, records.ECONFLICT, "")
		MustGet(t, s.Villages, "v2")
	})
	t.Run("OK", func(t *testing.T) {
		one := 1
		got, err := s.Villages.Delete(bg, "v2", &one)
		wantOK(t, "delete", err)
		if got.ID != "v2" || got.Name != "v2村" {
			t.Errorf("delete answered %s %q, want the deleted v2", got.ID, got.Name)
		}
		_, err = s.Villages.Get(bg, "v2")
		wantErr(t, "get after delete", err, records.ENOTFOUND, "")
		if n, err := s.Villages.Count(bg, records.Query{}); err != nil || n != 2 {
			t.Errorf("count after delete: %d (%v), want 2", n, err)
		}
		_, err = s.Villages.Delete(bg, "v2", nil)
		wantErr(t, "delete again", err, records.ENOTFOUND, "")
	})
	t.Run("OnceUnreferenced", func(t *testing.T) {
		if _, err := s.Deputies.Update(bg, "d", nil, func(x *records.Deputy) { x.VillageID = "" }); err != nil {
			t.Fatal(err)
		}
		_, err := s.Villages.Delete(bg, "v1", nil)
		wantOK(t, "delete a village no longer pointed at", err)
	})
}

// testDeleteTownship: only a county-level admin deletes a township, and
// only an empty one; it is then unknown everywhere.
func (c *contract) testDeleteTownship(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("ta", "v", "村"))
	_, err := s.Townships.Delete(as("user:a", records.Admin, "tb"), "tb", nil)
	wantErr(t, "a township's own admin deletes it", err, records.EFORBIDDEN, "")
	_, err = s.Townships.Delete(bg, "ta", nil)
	wantErr(t, "delete a township holding a village", err, records.ECONFLICT, "")
	_, err = s.Townships.Delete(bg, "tb", nil)
	wantOK(t, "delete an empty township", err)
	_, err = s.ResolveTownships(bg, []string{"tb"})
	wantErr(t, "resolve the deleted township", err, records.ENOTFOUND, "township")
	if ts, err := s.ResolveTownships(bg, nil); err != nil || !slices.Equal(ts, []string{"ta"}) {
		t.Errorf("townships after the delete: %v (%v), want [ta]", ts, err)
	}
	_, err = s.Villages.Create(bg, village("tb", "", "村"))
	wantErr(t, "create in the deleted township", err, records.EINVALID, "township")
}

// testCreateOnce: a create retried with the same key answers the first
// record; keys are the caller's own.
func (c *contract) testCreateOnce(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	li := as("user:li", records.Editor, "ta")
	first, err := s.Villages.CreateOnce(li, "k1", village("ta", "", "一村"))
	wantOK(t, "first create", err)
	again, err := s.Villages.CreateOnce(li, "k1", village("ta", "", "又一村"))
	wantOK(t, "create again with the key", err)
	if again.ID != first.ID || again.Name != "一村" || again.Version != 1 {
		t.Errorf("the retry answered %s %q v%d, want the first record %s 一村 v1", again.ID, again.Name, again.Version, first.ID)
	}
	if n, err := s.Villages.Count(bg, records.Query{}); err != nil || n != 1 {
		t.Fatalf("%d villages (%v) after a retried create, want 1", n, err)
	}
	other, err := s.Villages.CreateOnce(li, "k2", village("ta", "", "二村"))
	wantOK(t, "create with another key", err)
	wang, err := s.Villages.CreateOnce(as("user:wang", records.Editor, "ta"), "k1", village("ta", "", "王村"))
	wantOK(t, "another caller's create with the same key", err)
	plain1, err := s.Villages.CreateOnce(li, "", village("ta", "", "三村"))
	wantOK(t, "create without a key", err)
	plain2, err := s.Villages.CreateOnce(li, "", village("ta", "", "三村"))
	wantOK(t, "create without a key again", err)
	ids := []string{first.ID, other.ID, wang.ID, plain1.ID, plain2.ID}
	if u := slices.Compact(sorted(ids)); len(u) != 5 {
		t.Errorf("ids %v, want five records", ids)
	}
	if n, _ := s.Villages.Count(bg, records.Query{}); n != 5 {
		t.Errorf("%d villages, want 5", n)
	}
	t.Run("ErrKeyTooLong", func(t *testing.T) {
		_, err := s.Villages.CreateOnce(li, strings.Repeat("k", 101), village("ta", "", "长村"))
		wantErr(t, "a key of 101 characters", err, records.EINVALID, "idempotencyKey")
	})
	t.Run("RefusedThenFixed", func(t *testing.T) {
		_, err := s.Villages.CreateOnce(li, "k3", village("ta", "", ""))
		wantErr(t, "an invalid create under a key", err, records.EINVALID, "name")
		got, err := s.Villages.CreateOnce(li, "k3", village("ta", "", "好村"))
		if err != nil || got.Name != "好村" {
			t.Errorf("the corrected retry: %+v (%v), want 好村 created", got, err)
		}
	})
}

// testBulk: a bulk load stores one township's records, leaves those whose
// id is stored already, and answers how many it stored.
func (c *contract) testBulk(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("tb", "vb", "别村"))
	batch := func(ids ...string) []*records.Village {
		var out []*records.Village
		for _, id := range ids {
			out = append(out, village("ta", id, id+"村"))
		}
		return out
	}
	li := as("user:li", records.Editor, "ta")
	n, err := s.Villages.Bulk(li, batch("b1", "b2", "b3"))
	if err != nil || n != 3 {
		t.Fatalf("first load: %d (%v), want 3", n, err)
	}
	got := MustGet(t, s.Villages, "b2")
	if got.Version != 1 || got.Township != "ta" || got.Name != "b2村" || got.NameKey == "" || got.CreatedBy != "user:li" || got.CreatedAt.IsZero() {
		t.Errorf("b2 is %+v, want version 1 in ta named b2村 with a name key, created by user:li", got)
	}
	n, err = s.Villages.Bulk(li, batch("b1", "b2", "b3", "b4"))
	if err != nil || n != 1 {
		t.Fatalf("second load: %d (%v), want 1 (b4 only)", n, err)
	}
	if ids := findAll(t, bg, s.Villages, records.Query{Townships: []string{"ta"}, First: 500}); !slices.Equal(sorted(ids), list("b1", "b2", "b3", "b4")) {
		t.Errorf("villages %v, want b1 … b4 once each", ids)
	}
	if n, err := s.Villages.Bulk(li, nil); err != nil || n != 0 {
		t.Errorf("an empty load: %d (%v), want 0", n, err)
	}
	t.Run("ErrTwoTownships", func(t *testing.T) {
		xs := batch("c1", "c2")
		xs[1].Township = "tb"
		_, err := s.Villages.Bulk(bg, xs)
		wantErr(t, "a load of two townships", err, records.EINVALID, "1.township")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		xs := batch("c1", "c2")
		xs[1].Name = ""
		_, err := s.Villages.Bulk(bg, xs)
		wantErr(t, "a load with a nameless village", err, records.EINVALID, "1.name")
		if _, err := s.Villages.Get(bg, "c1"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("c1 of the refused load: %v, want NOT_FOUND (nothing stored)", err)
		}
	})
	t.Run("ErrRefOfOtherTownship", func(t *testing.T) {
		d := deputy("ta", "c3", "张三")
		d.VillageID = "vb"
		_, err := s.Deputies.Bulk(bg, []*records.Deputy{d})
		wantErr(t, "a deputy of a village of another township", err, records.EINVALID, "")
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.Villages.Bulk(as("user:v", records.Viewer, "ta"), batch("c4"))
		wantErr(t, "a viewer's load", err, records.EFORBIDDEN, "")
		_, err = s.Villages.Bulk(as("user:b", records.Editor, "tb"), batch("c4"))
		wantErr(t, "a load into a township the caller does not see", err, records.ENOTFOUND, "")
	})
	t.Run("IDOfOtherTownship", func(t *testing.T) {
		c.skipOn(t, Mongo, "under the split layout a bulk load stores a second record under an id another township's record holds "+
			"(the registry's copy is ignored): the county then counts two, and the new one is unreachable by id")
		n, err := s.Villages.Bulk(bg, []*records.Village{village("ta", "vb", "重号村")})
		if err != nil || n != 0 {
			t.Errorf("a load of tb's village id into ta: %d stored (%v), want 0: the id is stored already", n, err)
		}
		if got := MustGet(t, s.Villages, "vb"); got.Township != "tb" || got.Name != "别村" {
			t.Errorf("vb is %q of %s, want 别村 of tb unchanged", got.Name, got.Township)
		}
		if xs, err := s.Villages.GetIn(bg, "ta", []string{"vb"}); err != nil || len(xs) != 0 {
			t.Errorf("ta's villages named vb: %d (%v), want none", len(xs), err)
		}
	})
}
