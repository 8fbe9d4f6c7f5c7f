// Package embedded runs FerretDB in-process on SQLite files, so renda works
// with zero set-up. It listens on a Unix socket in a folder only this
// process's user can enter, never on a TCP port: another user or program on
// the machine cannot reach the records through it.
package embedded

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running embedded FerretDB.
type Server struct {
	uri     string
	sockDir string
	cancel  context.CancelFunc
	done    chan struct{}
}

// Start runs FerretDB with its SQLite files under dir (created if missing,
// and with its files, made private: 0700 and 0600); with inMemory the data
// lives in memory only (for tests). It returns once the listener is ready.
func Start(dir string, inMemory bool, logger *slog.Logger) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := private(abs); err != nil {
		return nil, fmt.Errorf("make the data directory private: %w", err)
	}
	// The socket sits in a fresh 0700 folder with a short path (a socket's
	// path is at most 108 bytes).
	sockDir, err := os.MkdirTemp("", "renda-db-")
	if err != nil {
		return nil, fmt.Errorf("create the socket's folder: %w", err)
	}
	sock := filepath.Join(sockDir, "ferretdb.sock")
	u := &url.URL{Scheme: "file", Opaque: abs + "/"}
	if inMemory {
		u.RawQuery = "mode=memory"
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Handler:   "sqlite",
		SQLiteURL: u.String(),
		Logger:    logger,
	})
	if err != nil {
		_ = os.RemoveAll(sockDir)
		return nil, fmt.Errorf("start embedded FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{}), sockDir: sockDir}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	_ = f.MongoDBURI() // waits until the listener is ready
	s.uri = "mongodb://" + url.PathEscape(sock) + "/"
	return s, nil
}

// private makes dir and everything under it readable by its owner only.
func private(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		return os.Chmod(path, mode)
	})
}

// URI is the mongodb:// address to connect the driver to: the Unix socket.
func (s *Server) URI() string { return s.uri }

// Stop shuts the server down and waits until its files are closed. It is
// safe to call more than once.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
	_ = os.RemoveAll(s.sockDir)
}
