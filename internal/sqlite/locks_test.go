package sqlite_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"os/exec"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
)

// TestReopenKeepsLocks: opening the same folder a second time in one
// process (a CLI command's code path run inside a test, a legacy move, a
// check) and closing it must not release the first store's file locks. If
// it did, another process closing its connection would believe it was the
// last one, checkpoint and delete the write-ahead log under the running
// store, which then fails its next read or loses its last writes.
func TestReopenKeepsLocks(t *testing.T) {
	if path := os.Getenv("RENDA_LOCKS_CHILD"); path != "" {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM townships").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		return
	}
	ctx := context.Background()
	dir := t.TempDir()
	opts := sqlite.Options{Logger: slog.New(slog.DiscardHandler)}
	first, err := sqlite.Open(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close(ctx)
	if _, err := first.Townships.Create(ctx, &records.Township{Name: "甲镇"}); err != nil {
		t.Fatal(err)
	}

	second, err := sqlite.Open(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Close(ctx); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestReopenKeepsLocks$")
	child.Env = append(os.Environ(), "RENDA_LOCKS_CHILD="+first.Path())
	if out, err := child.CombinedOutput(); err != nil {
		t.Fatalf("another process reading the file: %v\n%s", err, out)
	}
	if _, err := os.Stat(first.Path() + "-wal"); err != nil {
		t.Errorf("the write-ahead log of the open store is gone after another process closed: %v", err)
	}
	if _, err := first.Townships.Create(ctx, &records.Township{Name: "乙镇"}); err != nil {
		t.Fatalf("write after another process closed: %v", err)
	}
	got, err := first.Townships.Count(ctx, records.Query{})
	if err != nil {
		t.Fatalf("read after another process closed: %v", err)
	}
	if want := 2; got != want {
		t.Errorf("townships = %d, want %d", got, want)
	}
}
