package sqlite_test

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
)

// tamperer changes the store's file as someone with a copy of sqlite3
// could: it drops the triggers that keep the trail append-only first.
type tamperer struct{ path string }

func (x tamperer) exec(tb testing.TB, stmts ...string) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+x.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{"DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
}

func (x tamperer) Edit(tb testing.TB, seq int64) {
	x.exec(tb, "UPDATE audit SET note = 'nothing happened' WHERE chain_seq = "+itoa(seq))
}

func (x tamperer) Remove(tb testing.TB, seq int64) {
	x.exec(tb, "DELETE FROM audit WHERE chain_seq = "+itoa(seq))
}

func (x tamperer) Swap(tb testing.TB, a, b int64) {
	x.exec(tb, "UPDATE audit SET chain_seq = -1 WHERE chain_seq = "+itoa(a),
		"UPDATE audit SET chain_seq = "+itoa(a)+" WHERE chain_seq = "+itoa(b),
		"UPDATE audit SET chain_seq = "+itoa(b)+" WHERE chain_seq = -1")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAuditTamper: an edited, a removed and a reordered entry are each
// found, and named.
func TestAuditTamper(t *testing.T) {
	storetest.AuditTamper(t, func(t *testing.T) (*records.Store, storetest.Tamperer) {
		s := storetest.MustSQLite(t)
		return s.Records(), tamperer{s.Path()}
	})
}

// TestAuditAppendOnly: the file itself refuses to change or remove an
// entry of the trail.
func TestAuditAppendOnly(t *testing.T) {
	s := storetest.MustSQLite(t)
	storetest.MustTownships(t, s.Records(), "ta")
	db, err := sql.Open("sqlite", "file:"+s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"UPDATE audit SET note = 'x'", "DELETE FROM audit"} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused: the trail is append-only", q, err)
		}
	}
}

// TestAuditBeforeChain: a file written by a release before the chain
// keeps its entries; they are counted as written before the chain, which
// begins with the next entry and verifies.
func TestAuditBeforeChain(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, sqlite.FileName)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE audit (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
			kind TEXT NOT NULL, record_id TEXT NOT NULL, township TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL, before TEXT, after TEXT,
			note TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO audit (id, at, actor, action, kind, record_id, version) VALUES ('old1', 1700000000000, 'local', 'create', 'accounts', 'li', 1)`,
		`INSERT INTO audit (id, at, actor, action, kind, record_id, version) VALUES ('old2', 1700000001000, 'local', 'login', 'accounts', 'li', 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	storetest.MustTownships(t, s.Records(), "ta")
	check, err := s.VerifyAudit(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if check.Broken != nil || check.Unchained != 2 || check.Chained != 1 || check.First != 1 {
		t.Errorf("verified %+v (broken: %v), want 2 entries before the chain and a chain of 1 that holds", check, check.Broken)
	}
	es, _, err := s.AuditLog(ctx, records.AuditFilter{}, 10, "")
	if err != nil || len(es) != 3 {
		t.Errorf("the log: %d entries (%v), want the 2 old and the new one", len(es), err)
	}
}
