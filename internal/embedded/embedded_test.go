package embedded_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renda/internal/embedded"
	store "renda/internal/mongo"
	"renda/internal/records"
)

// MustStart starts an embedded server on dir, stopped when the test ends.
func MustStart(tb testing.TB, dir string) *embedded.Server {
	tb.Helper()
	s, err := embedded.Start(dir, false, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// TestRestartKeepsRecords: what was written before a restart is there after it.
func TestRestartKeepsRecords(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	srv := MustStart(t, dir)
	if !strings.HasPrefix(srv.URI(), "mongodb://%2F") || !strings.HasSuffix(srv.URI(), ".sock/") {
		t.Fatalf("URI = %q, want a Unix socket", srv.URI())
	}
	s, err := store.Open(ctx, srv.URI(), store.Options{SerializeWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	town, err := s.Townships.Create(ctx, &records.Township{Name: "持久镇"})
	if err != nil {
		t.Fatal(err)
	}
	name := "改名镇"
	if _, err := s.Townships.Update(ctx, town.ID, nil, (&records.TownshipPatch{Name: &name}).Apply); err != nil {
		t.Fatal(err)
	}
	_ = s.Close(ctx)
	srv.Stop()

	srv2 := MustStart(t, dir)
	s2, err := store.Open(ctx, srv2.URI(), store.Options{SerializeWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(ctx)
	got, err := s2.Townships.Get(ctx, town.ID)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if got.Name != "改名镇" || got.Version != 2 {
		t.Fatalf("after restart: %q at version %d, want 改名镇 at 2", got.Name, got.Version)
	}
}

// TestPrivate: the store listens on a socket in a folder only its user can
// enter, and its data folder and files are readable by that user only.
func TestPrivate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := MustStart(t, dir)
	sock, err := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(srv.URI(), "mongodb://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{filepath.Dir(sock): 0o700, dir: 0o700, filepath.Join(dir, "notes.txt"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
}
