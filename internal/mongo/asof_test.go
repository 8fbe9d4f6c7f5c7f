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

// TestAsOfLimit: a read as of an instant copies at most the limit, over
// the kinds it touches; fewer townships fit.
func TestAsOfLimit(t *testing.T) {
	s := storetest.MustMongo(t)
	bg := context.Background()
	for _, tw := range []string{"ta", "tb"} {
		if _, err := s.Townships.Create(bg, &records.Township{Meta: records.Meta{ID: tw}, Name: "镇" + tw, County: "测试县"}); err != nil {
			t.Fatal(err)
		}
	}
	mustVillages(t, s, "ta", 6)
	defer store.SetAsOfLimit(8)()
	ctx := records.WithAsOf(bg, time.Now())
	if n, err := s.Villages.Count(ctx, records.Query{Townships: []string{"ta"}}); err != nil || n != 6 {
		t.Errorf("count of ta: %d (%v), want 6", n, err)
	}
	// Villages and their deputies: 6 + 6 copied.
	for i := range 6 {
		v := fmt.Sprintf("v%05d", i)
		if _, err := s.Deputies.Create(bg, &records.Deputy{Meta: records.Meta{Township: "ta"}, Name: "代表" + v, VillageID: v, Levels: []records.Level{records.TOWNSHIP}}); err != nil {
			t.Fatal(err)
		}
	}
	some, err := records.Compile(&records.VillageFilter{Deputies: &records.DeputyRelation{Some: &records.DeputyFilter{}}}, "filter")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Villages.Count(records.WithAsOf(bg, time.Now()), records.Query{Filter: some})
	if records.ErrorCode(err) != records.EINVALID {
		t.Errorf("a relation filter over the limit: %v, want invalid", err)
	}
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
