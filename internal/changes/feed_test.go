package changes_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"renda/internal/changes"
	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
)

var bg = context.Background()

// next waits up to a second and a half for the next batch on ch.
func next(tb testing.TB, ch <-chan []changes.Change) []changes.Change {
	tb.Helper()
	select {
	case cs := <-ch:
		return cs
	case <-time.After(1500 * time.Millisecond):
		return nil
	}
}

func as(id string, towns ...string) context.Context {
	return records.WithActor(bg, records.Actor{ID: id, Role: records.Viewer, Townships: towns})
}

// TestFeed: a listener hears the townships and kinds that changed, within
// a second, once a batch; only what it may see and asked for.
func TestFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *records.Store) {
		storetest.MustTownships(t, s, "ta", "tb")
		f := changes.New(s, nil)
		ctx, cancel := context.WithCancel(as("user:county"))
		defer cancel()
		all, err := f.Listen(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		tbCtx, tbCancel := context.WithCancel(as("user:tb", "tb"))
		defer tbCancel()
		onlyTB, err := f.Listen(tbCtx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		deputies, err := f.Listen(ctx, []string{"ta"}, []records.Kind{records.KindDeputy})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		for _, name := range []string{"东村", "西村", "南村"} {
			storetest.MustCreate(t, bg, s.Villages, &records.Village{Meta: records.Meta{Township: "ta"}, Name: name})
		}
		got := next(t, all)
		if len(got) != 1 || got[0].Township != "ta" || got[0].Kind != records.KindVillage || got[0].At.IsZero() {
			t.Fatalf("three villages of ta: %+v, want one change of ta's villages", got)
		}
		if cs := next(t, onlyTB); cs != nil {
			t.Errorf("a caller of tb heard %+v", cs)
		}
		if cs := next(t, deputies); cs != nil {
			t.Errorf("a listener of deputies heard %+v", cs)
		}
		storetest.MustCreate(t, bg, s.Deputies, &records.Deputy{Meta: records.Meta{Township: "ta"}, Name: "张三", Levels: []records.Level{records.TOWNSHIP}})
		if cs := next(t, deputies); len(cs) != 1 || cs[0].Kind != records.KindDeputy {
			t.Errorf("a new deputy of ta: %+v", cs)
		}
		storetest.MustCreate(t, bg, s.Villages, &records.Village{Meta: records.Meta{Township: "tb"}, Name: "北村"})
		if cs := next(t, onlyTB); len(cs) != 1 || cs[0].Township != "tb" {
			t.Errorf("a caller of tb, a village of tb: %+v", cs)
		}
		cancel()
		if _, open := <-all; open {
			for range all {
			}
		}
	})
}

// TestFeedOtherProcess: a write by another process on the same file (the
// CLI beside the server) is heard too.
func TestFeedOtherProcess(t *testing.T) {
	s := storetest.MustSQLite(t)
	rs := s.Records()
	storetest.MustTownships(t, rs, "ta")
	f := changes.New(rs, nil)
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	ch, err := f.Listen(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := sqlite.Open(bg, filepath.Dir(s.Path()), sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(bg)
	time.Sleep(50 * time.Millisecond)
	storetest.MustCreate(t, bg, other.Records().Villages, &records.Village{Meta: records.Meta{Township: "ta"}, Name: "东村"})
	if cs := next(t, ch); len(cs) != 1 || cs[0].Kind != records.KindVillage {
		t.Errorf("another process's village: %+v", cs)
	}
}

// TestFeedLimits: a caller holds at most MaxPerActor listeners; one more
// is BUSY, and one closed frees its place.
func TestFeedLimits(t *testing.T) {
	s := storetest.MustOpen(t)
	f := changes.New(s, nil)
	ctx, cancel := context.WithCancel(as("user:li"))
	for range changes.MaxPerActor - 1 {
		if _, err := f.Listen(ctx, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	last, lastCancel := context.WithCancel(as("user:li"))
	if _, err := f.Listen(last, nil, nil); err != nil {
		t.Fatalf("listener %d of %d: %v", changes.MaxPerActor, changes.MaxPerActor, err)
	}
	_, err := f.Listen(ctx, nil, nil)
	if records.ErrorCode(err) != records.EBUSY {
		t.Fatalf("one more listener: %v, want BUSY", err)
	}
	if _, err := f.Listen(ctx2(t, "user:wang"), nil, nil); err != nil {
		t.Errorf("another caller: %v", err)
	}
	lastCancel()
	time.Sleep(50 * time.Millisecond)
	if _, err := f.Listen(ctx, nil, nil); err != nil {
		t.Errorf("after one closed: %v", err)
	}
	cancel()
	time.Sleep(400 * time.Millisecond) // the feed stops reading with nobody listening
}

// ctx2 is a caller's context that ends with the test.
func ctx2(t *testing.T, id string) context.Context {
	ctx, cancel := context.WithCancel(as(id))
	t.Cleanup(cancel)
	return ctx
}
