// Package storetest gives tests and benchmarks a real store: one embedded
// FerretDB per test binary, a fresh database per caller.
package storetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"renda/internal/embedded"
	"renda/internal/store"
)

var (
	once   sync.Once
	server *embedded.Server
	dir    string
	err    error
	dbSeq  atomic.Int64
)

// URI returns the address of the test binary's embedded server, starting it
// on first use. Its SQLite files live in a temporary directory.
func URI(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		dir, err = os.MkdirTemp("", "renda-test-")
		if err == nil {
			server, err = embedded.Start(dir, false, nil)
		}
	})
	if err != nil {
		tb.Fatalf("start embedded server: %v", err)
	}
	return server.URI()
}

// Layout is the layout tests open stores with: the embedded store's own
// (LayoutSplit), or the one RENDA_TEST_LAYOUT names ("shared"), so the
// whole suite can run on either: RENDA_TEST_LAYOUT=shared go test ./...
func Layout() store.Layout {
	if l := os.Getenv("RENDA_TEST_LAYOUT"); l != "" {
		return store.Layout(l)
	}
	return store.LayoutSplit
}

// MustOpen returns a store on a fresh database of the embedded server,
// dropped when the test ends.
func MustOpen(tb testing.TB, opts ...func(*store.Options)) *store.Store {
	tb.Helper()
	o := store.Options{
		Database:        fmt.Sprintf("test%d_%d", os.Getpid(), dbSeq.Add(1)),
		Layout:          Layout(),
		SerializeWrites: true,
	}
	for _, f := range opts {
		f(&o)
	}
	s, err := store.Open(context.Background(), URI(tb), o)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		_ = s.Drop(context.Background())
		_ = s.Close(context.Background())
	})
	return s
}
