package mongo_test

import (
	"context"
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

// MustTownship creates a township with a few villages.
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
