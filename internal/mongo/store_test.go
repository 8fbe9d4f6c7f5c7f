package mongo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// eachLayout runs test on a fresh store of each layout, so neither path
// goes untested.
func eachLayout(t *testing.T, test func(*testing.T, *store.Store)) {
	for _, l := range []store.Layout{store.LayoutSplit, store.LayoutShared} {
		t.Run(string(l), func(t *testing.T) {
			test(t, storetest.MustMongo(t, func(o *store.Options) { o.Layout = l }))
		})
	}
}

// MustTownship creates a township with a few villages and deputies.
func MustTownship(tb testing.TB, s *store.Store) (*records.Township, []*records.Village) {
	tb.Helper()
	ctx := context.Background()
	t, err := s.Townships.Create(ctx, &records.Township{Name: "测试镇", County: "测试县"})
	if err != nil {
		tb.Fatalf("create township: %v", err)
	}
	var villages []*records.Village
	for _, name := range []string{"一号村", "二号村", "三号村"} {
		v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: t.ID}, Name: name})
		if err != nil {
			tb.Fatalf("create village: %v", err)
		}
		villages = append(villages, v)
	}
	return t, villages
}

func TestCollection_Create(t *testing.T) { eachLayout(t, testCreate) }

func testCreate(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, villages := MustTownship(t, s)

	t.Run("OK", func(t *testing.T) {
		d, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: town.ID, Tags: []string{"优秀"}},
			Name: "张三", Levels: []records.Level{records.COUNTY, records.TOWNSHIP}, VillageID: villages[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Deputies.Get(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "张三" || got.Version != 1 || got.NameKey != "zhang1 san1\t张三" || got.CreatedAt.IsZero() {
			t.Fatalf("got %+v, want 张三 at version 1 with a pinyin key and a creation time", got)
		}
	})
	t.Run("ErrUnknownVillage", func(t *testing.T) {
		_, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: town.ID},
			Name: "李四", Levels: []records.Level{records.TOWNSHIP}, VillageID: "nope"})
		if code, field := records.ErrorCode(err), records.ErrorField(err); code != records.EINVALID || field != "villageId" {
			t.Fatalf("got %v (code %q field %q), want EINVALID on villageId", err, code, field)
		}
	})
	t.Run("ErrUnknownTownship", func(t *testing.T) {
		_, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: "nope"}, Name: "x"})
		if code, field := records.ErrorCode(err), records.ErrorField(err); code != records.EINVALID || field != "township" {
			t.Fatalf("got %v, want EINVALID on township", err)
		}
	})
	t.Run("ErrVillageOfOtherTownship", func(t *testing.T) {
		other, err := s.Townships.Create(ctx, &records.Township{Name: "别镇"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Projects.Create(ctx, &records.Project{Meta: records.Meta{Township: other.ID}, Name: "路", Kind: records.ROAD,
			Status: records.PLANNED, Year: 2023, VillageIDs: []string{villages[1].ID}})
		if code, field := records.ErrorCode(err), records.ErrorField(err); code != records.EINVALID || field != "villageIds.0" {
			t.Fatalf("got %v, want EINVALID on villageIds.0", err)
		}
	})
	t.Run("ErrDuplicateID", func(t *testing.T) {
		_, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: villages[0].ID, Township: town.ID}, Name: "x"})
		if code := records.ErrorCode(err); code != records.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
	})
}

func TestCollection_Update(t *testing.T) { eachLayout(t, testUpdate) }

func testUpdate(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, _ := MustTownship(t, s)
	v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: town.ID}, Name: "四号村"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		pop := 1200
		one := 1
		got, err := s.Villages.Update(ctx, v.ID, &one, (&records.VillagePatch{Population: &pop}).Apply)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || *got.Population != 1200 || got.Name != "四号村" {
			t.Fatalf("got version %d population %v name %q, want 2, 1200, 四号村", got.Version, got.Population, got.Name)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		stale := 1
		name := "改名村"
		_, err := s.Villages.Update(ctx, v.ID, &stale, (&records.VillagePatch{Name: &name}).Apply)
		if records.ErrorCode(err) != records.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
		got, _ := s.Villages.Get(ctx, v.ID)
		if got.Name != "四号村" || got.Version != 2 {
			t.Fatalf("after a conflict the village is %q at version %d, want unchanged 四号村 at 2", got.Name, got.Version)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		neg := -5
		_, err := s.Villages.Update(ctx, v.ID, nil, (&records.VillagePatch{Population: &neg}).Apply)
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "population" {
			t.Fatalf("got %v, want EINVALID on population", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Villages.Update(ctx, "nope", nil, (&records.VillagePatch{}).Apply)
		if records.ErrorCode(err) != records.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND", err)
		}
	})
}

// TestCollection_ConcurrentUpdates is the version guard under a race: 20
// writers holding the same version, exactly one wins.
func TestCollection_ConcurrentUpdates(t *testing.T) { eachLayout(t, testConcurrentUpdates) }

func testConcurrentUpdates(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, _ := MustTownship(t, s)
	v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: town.ID}, Name: "竞争村"})
	if err != nil {
		t.Fatal(err)
	}
	const writers = 20
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one, pop := 1, i
			_, errs[i] = s.Villages.Update(ctx, v.ID, &one, (&records.VillagePatch{Population: &pop}).Apply)
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch records.ErrorCode(err) {
		case "":
			ok++
		case records.ECONFLICT:
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	got, _ := s.Villages.Get(ctx, v.ID)
	if ok != 1 || conflicts != writers-1 || got.Version != 2 {
		t.Fatalf("%d succeeded, %d conflicted, version %d; want 1, %d, 2", ok, conflicts, got.Version, writers-1)
	}
}

func TestCollection_Delete(t *testing.T) { eachLayout(t, testDelete) }

func testDelete(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, villages := MustTownship(t, s)
	if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: town.ID}, Name: "王五",
		Levels: []records.Level{records.TOWNSHIP}, VillageID: villages[0].ID}); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrReferenced", func(t *testing.T) {
		_, err := s.Villages.Delete(ctx, villages[0].ID, nil)
		if records.ErrorCode(err) != records.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
	})
	t.Run("ErrStale", func(t *testing.T) {
		two := 2
		_, err := s.Villages.Delete(ctx, villages[1].ID, &two)
		if records.ErrorCode(err) != records.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if _, err := s.Villages.Delete(ctx, villages[1].ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Villages.Get(ctx, villages[1].ID); records.ErrorCode(err) != records.ENOTFOUND {
			t.Fatalf("get after delete: %v, want ENOTFOUND", err)
		}
	})
}

func TestCollection_Find(t *testing.T) { eachLayout(t, testFind) }

func testFind(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, _ := MustTownship(t, s)
	// 23 villages: 一号村 … plus 20 more, named so pinyin order is known.
	for i := range 20 {
		if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: town.ID}, Name: fmt.Sprintf("村%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("PagesCoverAllOnce", func(t *testing.T) {
		sorts, _ := records.Sorts(records.KindVillage, []records.Order{{Field: "NAME", Direction: records.DESC}})
		seen := map[string]bool{}
		var names []string
		after := ""
		for pages := 0; ; pages++ {
			page, err := s.Villages.Find(ctx, records.Query{Townships: []string{town.ID}, Sort: sorts, First: 7, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range page.Items {
				if seen[v.ID] {
					t.Fatalf("village %s on two pages", v.Name)
				}
				seen[v.ID] = true
				names = append(names, v.NameKey)
			}
			if !page.HasNextPage {
				break
			}
			after = page.Cursors[len(page.Cursors)-1]
		}
		if len(seen) != 23 {
			t.Fatalf("saw %d villages across pages, want 23", len(seen))
		}
		for i := 1; i < len(names); i++ {
			if names[i-1] < names[i] {
				t.Fatalf("not in descending order: %q before %q", names[i-1], names[i])
			}
		}
	})
	t.Run("ErrCursorOfOtherOrder", func(t *testing.T) {
		asc, _ := records.Sorts(records.KindVillage, nil)
		page, err := s.Villages.Find(ctx, records.Query{Townships: []string{town.ID}, Sort: asc, First: 2})
		if err != nil {
			t.Fatal(err)
		}
		desc, _ := records.Sorts(records.KindVillage, []records.Order{{Field: "NAME", Direction: records.DESC}})
		_, err = s.Villages.Find(ctx, records.Query{Townships: []string{town.ID}, Sort: desc, First: 2, After: page.Cursors[1]})
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "after" {
			t.Fatalf("got %v, want EINVALID on after", err)
		}
	})
	t.Run("ErrPageTooLarge", func(t *testing.T) {
		_, err := s.Villages.Find(ctx, records.Query{First: 501})
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "first" {
			t.Fatalf("got %v, want EINVALID on first", err)
		}
	})
}

// TestCollection_ConcurrentPatches: 20 writers patching one record without
// an expected version all succeed, and no change is lost.
func TestCollection_ConcurrentPatches(t *testing.T) { eachLayout(t, testConcurrentPatches) }

func testConcurrentPatches(t *testing.T, s *store.Store) {
	ctx := context.Background()
	town, _ := MustTownship(t, s)
	v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: town.ID}, Name: "竞争村"})
	if err != nil {
		t.Fatal(err)
	}
	const writers = 20
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Villages.Update(ctx, v.ID, nil, func(x *records.Village) {
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
	got, _ := s.Villages.Get(ctx, v.ID)
	if got.Version != writers+1 || len(got.Tags) != writers {
		t.Fatalf("version %d with %d tags, want %d with every writer's tag", got.Version, len(got.Tags), writers+1)
	}
}
