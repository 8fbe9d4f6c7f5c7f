package storetest

import (
	"context"
	"log/slog"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
)

// defaultBackend is the store tests open unless RENDA_TEST_STORE says.
const defaultBackend = SQLite

// MustSQLite returns the SQLite store in a fresh file of the test's
// temporary folder, closed when the test ends.
func MustSQLite(tb testing.TB, opts ...func(*sqlite.Options)) *sqlite.Store {
	tb.Helper()
	o := sqlite.Options{Logger: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(&o)
	}
	s, err := sqlite.Open(context.Background(), tb.TempDir(), o)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func mustSQLite(tb testing.TB, o Options) *records.Store {
	return MustSQLite(tb, func(so *sqlite.Options) { so.OnCommand = o.OnCommand }).Records()
}
