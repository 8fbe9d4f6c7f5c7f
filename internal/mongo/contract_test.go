package mongo_test

import (
	"testing"

	"renda/internal/records"
	"renda/internal/storetest"
)

// TestContract runs the contract every store passes on the MongoDB store.
func TestContract(t *testing.T) {
	storetest.Contract(t, storetest.Mongo, func(t *testing.T) *records.Store {
		return storetest.MustMongo(t).Records()
	})
}
