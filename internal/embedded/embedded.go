// Package embedded runs FerretDB in-process on SQLite files, so renda works
// with zero set-up. It listens on loopback only.
package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running embedded FerretDB.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs FerretDB with its SQLite files under dir (created if missing);
// with inMemory the data lives in memory only (for tests). It returns once
// the listener is ready.
func Start(dir string, inMemory bool, logger *slog.Logger) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	u := &url.URL{Scheme: "file", Opaque: abs + "/"}
	if inMemory {
		u.RawQuery = "mode=memory"
	}
	sqliteURL := u.String()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("start embedded FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	s.uri = f.MongoDBURI()
	return s, nil
}

// URI is the mongodb:// address to connect the driver to.
func (s *Server) URI() string { return s.uri }

// Stop shuts the server down and waits until its files are closed. It is
// safe to call more than once.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
}
