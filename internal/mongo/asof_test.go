package mongo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// mustVillages loads n villages into township tw in bulk.
func mustVillages(tb testing.TB, s *store.Store, tw string, n int) {
	tb.Helper()
	xs := make([]*records.Village, n)
	for i := range xs {
		xs[i] = &records.Village{Meta: records.Meta{ID: fmt.Sprintf("v%05d", i), Township: tw}, Name: fmt.Sprintf("村%05d", i)}
	}
	if _, err := s.Villages.Bulk(context.Background(), xs); err != nil {
		tb.Fatal(err)
	}
}

func wantNoCopies(tb testing.TB, s *store.Store, after string) {
	tb.Helper()
	left, err := s.AsOfCopies(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if len(left) > 0 {
		tb.Errorf("after %s, copies left: %v", after, left)
	}
}

// TestAsOfCopiesDropped: the copies a read as of an instant makes are
// gone when it returns — having answered, failed, or run out of time.
func TestAsOfCopiesDropped(t *testing.T) {
	s := storetest.MustMongo(t)
	bg := context.Background()
	tw, vs := MustTownship(t, s)
	ctx := records.WithAsOf(bg, time.Now())
	if _, err := s.Villages.Find(ctx, records.Query{First: 10}); err != nil {
		t.Fatal(err)
	}
	wantNoCopies(t, s, "a list")
	noDeputy, err := records.Compile(&records.VillageFilter{Deputies: &records.DeputyRelation{None: &records.DeputyFilter{}}}, "filter")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Villages.Count(ctx, records.Query{Filter: noDeputy}); err != nil || n != len(vs) {
		t.Fatalf("count with a relation: %d (%v), want %d", n, err, len(vs))
	}
	wantNoCopies(t, s, "a count with a relation")
	if _, err := s.Villages.Group(ctx, records.Grouping{Paths: []string{"name"}}); err != nil {
		t.Fatal(err)
	}
	wantNoCopies(t, s, "a grouping")
	if got, err := s.Villages.GetIn(ctx, tw.ID, []string{vs[0].ID}); err != nil || len(got) != 1 {
		t.Fatalf("getIn: %v (%v)", got, err)
	}
	wantNoCopies(t, s, "a lookup of several")

	defer store.SetAsOfLimit(2)()
	_, err = s.Villages.Find(ctx, records.Query{First: 10})
	if records.ErrorCode(err) != records.EINVALID {
		t.Errorf("a read over the limit: %v, want invalid", err)
	}
	wantNoCopies(t, s, "a read refused")

	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Villages.Find(ended, records.Query{First: 10}); err == nil {
		t.Errorf("a read whose request ended answered")
	}
	wantNoCopies(t, s, "a read whose request ended")
}

// TestAsOfLimit: a read as of an instant copies at most the limit: the
// records changed since, in the townships it reads, and the page it asks
// for. Counts copy only the records changed since.
func TestAsOfLimit(t *testing.T) {
	s := storetest.MustMongo(t)
	bg := context.Background()
	for _, tw := range []string{"ta", "tb"} {
		if _, err := s.Townships.Create(bg, &records.Township{Meta: records.Meta{ID: tw}, Name: "镇" + tw, County: "测试县"}); err != nil {
			t.Fatal(err)
		}
	}
	mustVillages(t, s, "ta", 6)
	time.Sleep(2 * time.Millisecond)
	at := time.Now()
	time.Sleep(2 * time.Millisecond)
	defer store.SetAsOfLimit(4)()
	ctx := records.WithAsOf(bg, at)
	if n, err := s.Villages.Count(ctx, records.Query{}); err != nil || n != 6 {
		t.Errorf("count: %d (%v), want 6", n, err)
	}
	if p, err := s.Villages.Find(ctx, records.Query{First: 2}); err != nil || len(p.Items) != 2 {
		t.Errorf("a page of 2: %v (%v)", p, err)
	}
	if _, err := s.Villages.Find(ctx, records.Query{First: 10}); records.ErrorCode(err) != records.EINVALID {
		t.Errorf("a page of 10 over the limit: %v, want invalid", err)
	}
	for i := range 5 {
		name := fmt.Sprintf("新村%d", i)
		if _, err := s.Villages.Update(bg, fmt.Sprintf("v%05d", i), nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Villages.Count(ctx, records.Query{}); records.ErrorCode(err) != records.EINVALID {
		t.Errorf("a count of 5 changed since, over the limit: %v, want invalid", err)
	}
	if n, err := s.Villages.Count(ctx, records.Query{Townships: []string{"tb"}}); err != nil || n != 0 {
		t.Errorf("count of tb: %d (%v), want 0", n, err)
	}
}

// TestAsOfGroupsAddUp: a group some of whose records changed since the
// instant is one group, counted from what is stored and from the copy.
func TestAsOfGroupsAddUp(t *testing.T) {
	s := storetest.MustMongo(t)
	bg := context.Background()
	tw, vs := MustTownship(t, s)
	for _, v := range vs {
		if _, err := s.Villages.Update(bg, v.ID, nil, func(x *records.Village) { x.Name, x.Code = "东村", "1" }); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Millisecond)
	at := time.Now()
	time.Sleep(2 * time.Millisecond)
	if _, err := s.Villages.Update(bg, vs[0].ID, nil, func(x *records.Village) { x.Name = "西村" }); err != nil {
		t.Fatal(err)
	}
	gs, err := s.Villages.Group(records.WithAsOf(bg, at), records.Grouping{Paths: []string{"name", "code"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Count != 3 || gs[0].Township != tw.ID || gs[0].Values[0] != "东村" {
		t.Errorf("groups as of then: %+v, want 东村 ×3", gs)
	}
}

// TestAsOfPages: a list as of an instant pages as the list did then, its
// order by names changed since, its records deleted or created since.
func TestAsOfPages(t *testing.T) {
	s := storetest.MustMongo(t)
	bg := context.Background()
	if _, err := s.Townships.Create(bg, &records.Township{Meta: records.Meta{ID: "ta"}, Name: "镇", County: "测试县"}); err != nil {
		t.Fatal(err)
	}
	mustVillages(t, s, "ta", 20)
	list := func(ctx context.Context, first int) []string {
		var ids []string
		q := records.Query{Townships: []string{"ta"}, First: first}
		for {
			p, err := s.Villages.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.Items {
				ids = append(ids, v.ID+" "+v.Name)
			}
			if !p.HasNextPage {
				return ids
			}
			q.After = p.Cursors[len(p.Cursors)-1]
		}
	}
	then := list(bg, 100)
	time.Sleep(2 * time.Millisecond)
	at := time.Now()
	time.Sleep(2 * time.Millisecond)
	// The last villages move to the top: a page then is not the page now.
	for i := 14; i < 20; i++ {
		name := fmt.Sprintf("阿村%d", i)
		if _, err := s.Villages.Update(bg, fmt.Sprintf("v%05d", i), nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"v00012", "v00002"} {
		if _, err := s.Villages.Delete(bg, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Villages.Create(bg, &records.Village{Meta: records.Meta{ID: "new", Township: "ta"}, Name: "阿新村"}); err != nil {
		t.Fatal(err)
	}
	for _, first := range []int{1, 3, 7, 50} {
		if got := list(records.WithAsOf(bg, at), first); !slices.Equal(got, then) {
			t.Errorf("pages of %d as of then:\n%v\nwant\n%v", first, got, then)
		}
	}
	wantNoCopies(t, s, "pages")
}

// TestAsOfLeftovers: copies a dead process left are dropped when a store
// opens, once they are an hour old; younger ones may be a read of another
// instance, and stay.
func TestAsOfLeftovers(t *testing.T) {
	s := storetest.MustMongo(t)
	ctx := context.Background()
	old, err := s.LeaveAsOfCopy(ctx, time.Now().Add(-2*time.Hour), records.KindVillage)
	if err != nil {
		t.Fatal(err)
	}
	young, err := s.LeaveAsOfCopy(ctx, time.Now().Add(-time.Minute), records.KindVillage)
	if err != nil {
		t.Fatal(err)
	}
	again, err := store.Open(ctx, storetest.URI(t), store.Options{Database: s.Name(), SerializeWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close(ctx)
	left, err := s.AsOfCopies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(left, old) || !slices.Contains(left, young) {
		t.Errorf("copies after a start: %v, want %s dropped and %s kept", left, old, young)
	}
}

// BenchmarkAsOfList: one page of a township's villages as of an instant
// before a tenth of them were renamed, against the same page now.
func BenchmarkAsOfList(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		s := storetest.MustMongo(b)
		bg := context.Background()
		if _, err := s.Townships.Create(bg, &records.Township{Meta: records.Meta{ID: "ta"}, Name: "镇", County: "测试县"}); err != nil {
			b.Fatal(err)
		}
		mustVillages(b, s, "ta", n)
		time.Sleep(2 * time.Millisecond)
		at := time.Now()
		time.Sleep(2 * time.Millisecond)
		for i := 0; i < n; i += 10 {
			name := fmt.Sprintf("新村%05d", i)
			if _, err := s.Villages.Update(bg, fmt.Sprintf("v%05d", i), nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
				b.Fatal(err)
			}
		}
		q := records.Query{Townships: []string{"ta"}, First: 50}
		for _, asOf := range []bool{false, true} {
			ctx := bg
			if asOf {
				ctx = records.WithAsOf(bg, at)
			}
			b.Run(fmt.Sprintf("villages=%d/asOf=%v", n, asOf), func(b *testing.B) {
				for b.Loop() {
					p, err := s.Villages.Find(ctx, q)
					if err != nil || len(p.Items) != 50 {
						b.Fatalf("%v (%v)", p, err)
					}
					if asOf && p.Items[0].Name != "村00000" {
						b.Fatalf("as of then, %s", p.Items[0].Name)
					}
				}
			})
		}
	}
}
