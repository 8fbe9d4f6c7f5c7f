package mongo_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"renda/internal/embedded"
	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// MustCounty creates n townships named 甲镇, 乙镇 … each with villages
// whose names interleave across townships, and returns the townships' ids.
func MustCounty(tb testing.TB, s *store.Store, n, villages int) []string {
	tb.Helper()
	ctx := context.Background()
	var ids []string
	for i := range n {
		t, err := s.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: fmt.Sprintf("t%02d", i)}, Name: fmt.Sprintf("镇%02d", i)})
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, t.ID)
		for j := range villages {
			pop := (j*7 + i*3) % 10 // many equal populations: ties broken by id
			if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: fmt.Sprintf("v%02d-%02d", i, j), Township: t.ID},
				Name: fmt.Sprintf("村%02d", (j*5+i)%villages), Code: fmt.Sprintf("%03d", j), Population: &pop}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return ids
}

// pageAll reads every page of q and returns the ids in order.
func pageAll(tb testing.TB, s *store.Store, q records.Query) []string {
	tb.Helper()
	var ids []string
	for {
		p, err := s.Villages.Find(context.Background(), q)
		if err != nil {
			tb.Fatal(err)
		}
		for _, v := range p.Items {
			ids = append(ids, v.ID)
		}
		if !p.HasNextPage {
			return ids
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}

// TestCounty: lists and counts across townships page and count the same
// on both layouts, in the order one collection would sort them (the
// order and counts themselves are the contract's, storetest.Contract).
func TestCounty(t *testing.T) {
	ctx := context.Background()
	split := storetest.MustMongo(t, func(o *store.Options) { o.Layout = store.LayoutSplit })
	shared := storetest.MustMongo(t, func(o *store.Options) { o.Layout = store.LayoutShared })
	towns := MustCounty(t, split, 4, 9)
	MustCounty(t, shared, 4, 9)
	orders := [][]records.Order{
		nil,
		{{Field: "NAME", Direction: records.DESC}},
		{{Field: "CODE"}, {Field: "NAME", Direction: records.DESC}},
		{{Field: "CREATED_AT", Direction: records.DESC}},
	}
	for i, o := range orders {
		sorts, _ := records.Sorts(records.KindVillage, o)
		for _, ts := range [][]string{nil, towns[1:3], {towns[2]}} {
			for _, first := range []int{1, 4, 500} {
				q := records.Query{Townships: ts, Sort: sorts, First: first}
				// Population 3–5, a filter on a field with many ties.
				q.Filter = records.Expr{And: []records.Expr{
					{Cond: &records.Cond{Path: "population", Op: records.OpGte, Value: 3}},
					{Cond: &records.Cond{Path: "population", Op: records.OpLte, Value: 5}},
				}}
				got, want := pageAll(t, split, q), pageAll(t, shared, q)
				if !slices.Equal(got, want) {
					t.Fatalf("order %d, townships %v, first %d: split layout pages %v, shared %v", i, ts, first, got, want)
				}
				if i == 0 && len(got) == 0 {
					t.Fatalf("townships %v: no villages, want some", ts)
				}
				nSplit, err1 := split.Villages.Count(ctx, q)
				nShared, err2 := shared.Villages.Count(ctx, q)
				if err1 != nil || err2 != nil || nSplit != len(got) || nShared != len(got) {
					t.Fatalf("townships %v: counts %d and %d (%v %v), want %d", ts, nSplit, nShared, err1, err2, len(got))
				}
			}
		}
	}
}

// TestRegistry: under LayoutSplit ids are unique across townships, and an
// id left registered by a create that stopped half way can be used again.
func TestRegistry(t *testing.T) {
	s := storetest.MustMongo(t, func(o *store.Options) { o.Layout = store.LayoutSplit })
	ctx := context.Background()
	towns := MustCounty(t, s, 2, 1)
	_, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: "v00-00", Township: towns[1]}, Name: "重号村"})
	if records.ErrorCode(err) != records.ECONFLICT {
		t.Fatalf("an id of another township's village: %v, want CONFLICT", err)
	}
	if _, err := s.Villages.Delete(ctx, "v00-00", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: "v00-00", Township: towns[1]}, Name: "新村"}); err != nil {
		t.Fatalf("the id of a deleted village: %v", err)
	}
	v, err := s.Villages.Get(ctx, "v00-00")
	if err != nil || v.Township != towns[1] {
		t.Fatalf("got %+v (%v), want the new village in %s", v, err, towns[1])
	}
}

// TestMigrate: a data folder written in the shared layout (renda before
// LayoutSplit) starts under LayoutSplit with every record, version and
// history as it was; a second start finds nothing more to move.
func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func(l store.Layout) (*store.Store, func()) {
		srv, err := embedded.Start(dir, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, srv.URI(), store.Options{Layout: l, SerializeWrites: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			srv.Stop()
			t.Fatal(err)
		}
		return s, func() { _ = s.Close(ctx); srv.Stop() }
	}
	old, stop := open(store.LayoutShared)
	towns := MustCounty(t, old, 3, 4)
	d, err := old.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: towns[1]}, Name: "张三", Levels: []records.Level{records.TOWNSHIP}, VillageID: "v01-02"})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := old.Suggestions.Create(ctx, &records.Suggestion{Meta: records.Meta{Township: towns[1]}, DeputyID: d.ID, Kind: records.SUGGESTION, Title: "修路", Submitted: "2023-03-01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Suggestions.Modify(ctx, sg.ID, nil, func(x *records.Suggestion) error {
		return x.Move(records.ACCEPTED, "收到", "user:li", x.Submitted.Time())
	}); err != nil {
		t.Fatal(err)
	}
	name := "改名村"
	if _, err := old.Villages.Update(ctx, "v02-03", nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, old)
	stop()

	// A first start stopped half way through the move: after some records
	// were copied into their townships' databases, before they were
	// registered and removed from the shared collections.
	srv, err := embedded.Start(dir, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	cut, cancel := context.WithCancel(ctx)
	inserts := 0
	_, err = store.Open(cut, srv.URI(), store.Options{Layout: store.LayoutSplit, SerializeWrites: true, Logger: slog.New(slog.DiscardHandler),
		OnCommand: func(name string) {
			if name == "insert" {
				if inserts++; inserts == 2 {
					cancel()
				}
			}
		}})
	cancel()
	srv.Stop()
	if err == nil || inserts < 2 {
		t.Fatalf("the interrupted start: %v after %d inserts, want it stopped half way", err, inserts)
	}

	for run := range 2 {
		s, stop := open(store.LayoutSplit)
		after := snapshot(t, s)
		if !slices.Equal(before, after) {
			t.Fatalf("start %d under the split layout: records differ\nbefore %v\nafter  %v", run+1, before, after)
		}
		x, err := s.Suggestions.Get(ctx, sg.ID)
		if err != nil || x.Status != records.ACCEPTED || len(x.History) != 2 || x.History[1].By != "user:li" || x.Version != 2 {
			t.Fatalf("suggestion after the move: %+v (%v), want ACCEPTED at version 2 with its history", x, err)
		}
		stop()
	}
}

// snapshot lists every record of a store as id, township, version and
// the fields that matter, sorted.
func snapshot(tb testing.TB, s *store.Store) []string {
	tb.Helper()
	ctx := context.Background()
	var out []string
	vs, err := s.Villages.Find(ctx, records.Query{First: 500})
	if err != nil {
		tb.Fatal(err)
	}
	for _, v := range vs.Items {
		out = append(out, fmt.Sprintf("village %s %s v%d %s %d", v.ID, v.Township, v.Version, v.Name, *v.Population))
	}
	ds, _ := s.Deputies.Find(ctx, records.Query{First: 500})
	for _, d := range ds.Items {
		out = append(out, fmt.Sprintf("deputy %s %s v%d %s %s", d.ID, d.Township, d.Version, d.Name, d.VillageID))
	}
	ss, _ := s.Suggestions.Find(ctx, records.Query{First: 500})
	for _, x := range ss.Items {
		var h []string
		for _, t := range x.History {
			h = append(h, fmt.Sprintf("%s>%s@%s", t.From, t.To, t.By))
		}
		out = append(out, fmt.Sprintf("suggestion %s %s v%d %s %s", x.ID, x.Township, x.Version, x.Status, strings.Join(h, ",")))
	}
	slices.Sort(out)
	return out
}
