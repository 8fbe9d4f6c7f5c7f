package sqlite_test

import (
	"testing"

	"renda/internal/records"
	"renda/internal/storetest"
)

// TestContract runs the contract every store passes on the SQLite store.
func TestContract(t *testing.T) {
	storetest.Contract(t, storetest.SQLite, func(t *testing.T) *records.Store {
		return storetest.MustSQLite(t).Records()
	})
}
