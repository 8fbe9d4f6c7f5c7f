// Package storetest gives tests and benchmarks a real store, fresh for each
// caller: renda's SQLite store in a temporary file, or the MongoDB store on
// one embedded FerretDB per test binary. Contract (contract.go) is the
// suite both stores pass.
package storetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"renda/internal/embedded"
	"renda/internal/mongo"
	"renda/internal/records"
)

// Backend names a store implementation.
type Backend string

const (
	SQLite Backend = "sqlite"
	Mongo  Backend = "mongo"
)

// Backends are every implementation, for tests that run on each.
var Backends = []Backend{SQLite, Mongo}

// Default is the backend MustOpen opens: the one RENDA_TEST_STORE names,
// else the embedded default.
func Default() Backend {
	if b := os.Getenv("RENDA_TEST_STORE"); b != "" {
		return Backend(b)
	}
	return defaultBackend
}

// Options are what a test may ask of any store.
type Options struct {
	// OnCommand is called with the name of every command the store sends
	// its database (a find, an insert; a query, an exec), to count round
	// trips from outside.
	OnCommand func(name string)
}

// Option sets an Option.
type Option func(*Options)

// OnCommand counts the store's commands.
func OnCommand(f func(string)) Option { return func(o *Options) { o.OnCommand = f } }

var (
	once   sync.Once
	server *embedded.Server
	dir    string
	err    error
	dbSeq  atomic.Int64
)

// URI returns the address of the test binary's embedded FerretDB, starting
// it on first use. Its SQLite files live in a temporary directory.
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

// MustOpen returns a fresh, empty store on the default backend, closed and
// removed when the test ends.
func MustOpen(tb testing.TB, opts ...Option) *records.Store {
	tb.Helper()
	return MustOpenOn(tb, Default(), opts...)
}

// MustOpenOn is MustOpen on the backend b.
func MustOpenOn(tb testing.TB, b Backend, opts ...Option) *records.Store {
	tb.Helper()
	var o Options
	for _, f := range opts {
		f(&o)
	}
	switch b {
	case Mongo:
		return MustMongo(tb, func(mo *mongo.Options) { mo.OnCommand = o.OnCommand }).Records()
	case SQLite:
		return mustSQLite(tb, o)
	}
	tb.Fatalf("unknown store backend %q (RENDA_TEST_STORE is sqlite or mongo)", b)
	return nil
}

// MustMongo returns the MongoDB store on a fresh database of the embedded
// FerretDB, dropped when the test ends.
func MustMongo(tb testing.TB, opts ...func(*mongo.Options)) *mongo.Store {
	tb.Helper()
	o := mongo.Options{
		Database:        fmt.Sprintf("test%d_%d", os.Getpid(), dbSeq.Add(1)),
		SerializeWrites: true,
	}
	for _, f := range opts {
		f(&o)
	}
	s, err := mongo.Open(context.Background(), URI(tb), o)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		_ = s.Drop(context.Background())
		_ = s.Close(context.Background())
	})
	return s
}

// Each runs f once on every backend, as subtests named after them.
func Each(t *testing.T, f func(t *testing.T, s *records.Store)) {
	for _, b := range Backends {
		t.Run(string(b), func(t *testing.T) { f(t, MustOpenOn(t, b)) })
	}
}
