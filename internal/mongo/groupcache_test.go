package mongo_test

import (
	"context"
	"sync/atomic"
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestGroupCache: on the embedded store a grouping asked again is
// answered from memory while nothing was written to the township, and a
// write makes the next one read the database again.
func TestGroupCache(t *testing.T) {
	var aggregates atomic.Int64
	s := storetest.MustMongo(t, func(o *store.Options) {
		o.Layout = store.LayoutSplit
		o.OnCommand = func(name string) {
			if name == "aggregate" {
				aggregates.Add(1)
			}
		}
	})
	ctx := context.Background()
	towns := MustCounty(t, s, 3, 4)
	count := func() int {
		gs, err := s.Villages.Group(ctx, records.Grouping{Paths: []string{"township"}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, g := range gs {
			n += g.Count
		}
		return n
	}
	before := aggregates.Load()
	first := count()
	mid := aggregates.Load()
	second := count()
	after := aggregates.Load()
	if first != 12 || second != 12 || mid-before != 3 || after != mid {
		t.Fatalf("counts %d then %d with %d then %d aggregate commands; want 12 twice, 3 commands then none", first, second, mid-before, after-mid)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: towns[1]}, Name: "新村"}); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 13 || aggregates.Load()-after != 1 {
		t.Fatalf("after a create in one township: %d villages with %d commands, want 13 with only that township read again", got, aggregates.Load()-after)
	}
}
