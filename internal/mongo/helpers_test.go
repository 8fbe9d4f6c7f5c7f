package mongo_test

import (
	"context"
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
)

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
