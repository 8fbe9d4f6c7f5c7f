package sqlite_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"renda/internal/records"
	"renda/internal/sqlite"
)

// TestSchemaRebuild: a file whose tables lack the columns a kind now has
// (written before a field was added) is rebuilt at start, its rows kept
// and filtered, sorted and grouped by the new columns.
func TestSchemaRebuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Records()
	if _, err := rs.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: "t1"}, Name: "一镇"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"张三", "李四", "王五"} {
		if _, err := rs.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: "t1"}, Name: name, Group: "第一组", Levels: []records.Level{records.TOWNSHIP}}); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.Close(ctx)

	// As an older layout: the deputies' table without its computed columns.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE old AS SELECT id, township, version, created_at, updated_at, doc FROM deputies`,
		`DROP TABLE deputies`,
		`ALTER TABLE old RENAME TO deputies`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_ = db.Close()

	s, err = sqlite.Open(ctx, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	rs = s.Records()
	p, err := rs.Deputies.Find(ctx, records.Query{First: 10, Sort: []records.Sort{{Path: "nameKey"}},
		Filter: records.Expr{Cond: &records.Cond{Path: "group", Op: records.OpEq, Value: "第一组"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range p.Items {
		got = append(got, d.Name)
	}
	if len(got) != 3 || got[0] != "李四" || got[1] != "王五" || got[2] != "张三" {
		t.Errorf("after the rebuild: %v, want 李四 王五 张三 (pinyin order, all of 第一组)", got)
	}
	g, err := rs.Deputies.Group(ctx, records.Grouping{Paths: []string{"group"}})
	if err != nil || len(g) != 1 || g[0].Count != 3 || g[0].Values[0] != "第一组" {
		t.Errorf("grouped by group: %+v (%v), want 第一组: 3", g, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the store's file: %v (%v), want mode 0600", fi.Mode().Perm(), err)
	}
}

// TestAccountsGainHistory: accounts of a file written before they kept
// their earlier password hashes are read and signed in as they were, and
// keep a history from their next change on.
func TestAccountsGainHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE accounts (id TEXT PRIMARY KEY, password_hash TEXT NOT NULL, doc TEXT NOT NULL)`,
		`INSERT INTO accounts VALUES ('wang', 'hash-1', '{"id":"wang","name":"王","role":"admin","townships":null,"version":1}')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_ = db.Close()

	s, err := sqlite.Open(ctx, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	cr := s.Records().Credentials
	a, err := cr.Account(ctx, "wang")
	if err != nil || a.PasswordHash != "hash-1" || a.PasswordHistory != nil || a.Name != "王" {
		t.Fatalf("an account of the older file: %+v (%v), want wang with hash-1 and no history", a, err)
	}
	if _, err := cr.UpdateAccount(ctx, "wang", func(a *records.Account) error {
		a.SetPassword("hash-2", records.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if a, err := cr.Account(ctx, "wang"); err != nil || a.PasswordHash != "hash-2" || len(a.PasswordHistory) != 1 || a.PasswordHistory[0] != "hash-1" {
		t.Fatalf("after a new password: %+v (%v), want hash-2 with hash-1 in the history", a, err)
	}
}

// TestHostilePaths: a path no API field has — quotes, brackets, SQL —
// matches nothing and reaches no statement as text.
func TestHostilePaths(t *testing.T) {
	ctx := context.Background()
	s := sqliteStore(t)
	if _, err := s.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: "t1"}, Name: "一镇"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: "t1", Attributes: map[string]any{"a": 1}}, Name: "村"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`attributes.a') OR 1=1 --`, `name" OR "1"="1`, `attributes.a[0]`, `x'); DROP TABLE villages; --`} {
		n, err := s.Villages.Count(ctx, records.Query{Filter: records.Expr{Cond: &records.Cond{Path: p, Op: records.OpEq, Value: 1}}})
		if err != nil || n != 0 {
			t.Errorf("%q: %d villages (%v), want none", p, n, err)
		}
		if _, err := s.Villages.Group(ctx, records.Grouping{Paths: []string{p}}); err != nil {
			t.Errorf("grouped by %q: %v", p, err)
		}
	}
	if n, err := s.Villages.Count(ctx, records.Query{}); err != nil || n != 1 {
		t.Errorf("%d villages after (%v), want the one", n, err)
	}
}

func sqliteStore(t *testing.T) *records.Store {
	s, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s.Records()
}
