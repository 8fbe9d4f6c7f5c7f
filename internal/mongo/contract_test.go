package mongo_test

import (
	"testing"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestContract runs the contract every store passes on the MongoDB store,
// in each of its layouts.
func TestContract(t *testing.T) {
	for _, l := range []store.Layout{store.LayoutSplit, store.LayoutShared} {
		t.Run(string(l), func(t *testing.T) {
			storetest.Contract(t, storetest.Mongo, func(t *testing.T) *records.Store {
				return storetest.MustMongo(t, func(o *store.Options) { o.Layout = l }).Records()
			})
		})
	}
}
