package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
)

// TestAuditVerify is Done-when 3 of issue 17: `renda audit verify` passes
// an untouched trail, and names the first broken link of one with an
// entry edited, removed or moved (by someone with the file and sqlite3,
// who drops the triggers that keep the trail append-only first).
func TestAuditVerify(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	fresh := func(t *testing.T) string {
		data := t.TempDir()
		ctx := context.Background()
		s, err := sqlite.Open(ctx, data, sqlite.Options{Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		storetest.MustChainEntries(t, s.Records())
		_ = s.Close(ctx)
		return data
	}
	verify := func(data string) (string, error) {
		var out bytes.Buffer
		err := auditCmd(context.Background(), []string{"verify", "--data", data, "--mongodb-uri", ""}, &out, log)
		return out.String(), err
	}
	tamper := func(t *testing.T, data string, stmts ...string) {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(data, sqlite.FileName))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range append([]string{"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"}, stmts...) {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	t.Run("Holds", func(t *testing.T) {
		data := fresh(t)
		out, err := verify(data)
		if err != nil || !strings.Contains(out, "the audit trail holds: 29 entries chained, #1 to #29") || !strings.Contains(out, "head: #29 sha256:") {
			t.Fatalf("verify: %v\n%s", err, out)
		}
		// The head printed, given back: it holds; another hash: broken.
		head := regexp.MustCompile(`head: (#29 sha256:[0-9a-f]{64})`).FindStringSubmatch(out)[1]
		var again bytes.Buffer
		if err := auditCmd(context.Background(), []string{"verify", "--head", head, "--data", data, "--mongodb-uri", ""}, &again, log); err != nil ||
			!strings.Contains(again.String(), "passes through the head noted: #29") {
			t.Errorf("verify --head %q: %v\n%s", head, err, again.String())
		}
		wrong := "29:" + strings.Repeat("ab", 32)
		again.Reset()
		err = auditCmd(context.Background(), []string{"verify", "--head", wrong, "--data", data, "--mongodb-uri", ""}, &again, log)
		if !errors.Is(err, errBroken) || !strings.Contains(again.String(), "BROKEN at entry #29") || !strings.Contains(again.String(), "rewritten") {
			t.Errorf("verify --head %s: %v\n%s", wrong, err, again.String())
		}
	})
	for _, c := range []struct {
		name  string
		stmts []string
		want  string
	}{
		{"Edited", []string{`UPDATE audit SET actor = 'user:nobody' WHERE chain_seq = 7`}, "BROKEN at entry #7 (id "},
		{"Removed", []string{`DELETE FROM audit WHERE chain_seq = 7`}, "BROKEN at entry #7: missing: #8 follows #6"},
		{"Reordered", []string{`UPDATE audit SET chain_seq = -1 WHERE chain_seq = 7`, `UPDATE audit SET chain_seq = 7 WHERE chain_seq = 8`,
			`UPDATE audit SET chain_seq = 8 WHERE chain_seq = -1`}, "which comes after it: entries were reordered"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := fresh(t)
			tamper(t, data, c.stmts...)
			out, err := verify(data)
			if !errors.Is(err, errBroken) || !strings.Contains(out, c.want) {
				t.Errorf("verify: %v\n%s\nwant the broken link named: %q", err, out, c.want)
			}
			if c.name == "Edited" && !strings.Contains(out, "edited") {
				t.Errorf("verify: %s\nwant the entry said edited", out)
			}
		})
	}
}

// TestUsersCreateRoles: the command line gives the roles of an office
// that separates its administrators.
func TestUsersCreateRoles(t *testing.T) {
	data := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	for _, role := range []string{"sysadmin", "secadmin", "auditor"} {
		var out bytes.Buffer
		args := []string{"create", "--name", "the-" + role, "--role", role, "--password-stdin", "--data", data, "--mongodb-uri", ""}
		if err := credentialsCmd(context.Background(), "users", args, strings.NewReader("正确的马、电池和订书钉-OK7\n"), &out, log); err != nil {
			t.Fatalf("users create --role %s: %v", role, err)
		}
		if !strings.Contains(out.String(), role) {
			t.Errorf("users create --role %s: %s", role, out.String())
		}
	}
	var out bytes.Buffer
	if err := credentialsCmd(context.Background(), "users", []string{"list", "--data", data, "--mongodb-uri", ""}, nil, &out, log); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"sysadmin", "secadmin", "auditor"} {
		if !strings.Contains(out.String(), "the-"+role) || !strings.Contains(out.String(), role) {
			t.Errorf("users list:\n%s\nwant the %s", out.String(), role)
		}
	}
	err := credentialsCmd(context.Background(), "users", []string{"create", "--name", "xx", "--role", "root", "--password-stdin", "--data", data, "--mongodb-uri", ""},
		strings.NewReader("正确的马、电池和订书钉-OK7\n"), &bytes.Buffer{}, log)
	if err == nil || !strings.Contains(err.Error(), "auditor") {
		t.Errorf("users create --role root: %v, want refused, naming the roles", err)
	}
}

// TestUsersCreateDeputy: the command line gives a deputy their own account,
// naming a deputy of its one township, and refuses one that names none.
func TestUsersCreateDeputy(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	data := t.TempDir()
	db := dbFlags{data: data, quiet: true}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadDemoIfNeeded(ctx, s, log); err != nil {
		t.Fatal(err)
	}
	page, err := s.Deputies.Find(ctx, records.Query{First: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("the demo's deputies: %v", err)
	}
	ds := page.Items
	closeStore()
	create := func(args ...string) (string, error) {
		var out bytes.Buffer
		args = append([]string{"create", "--role", "deputy", "--password-stdin", "--data", data, "--mongodb-uri", ""}, args...)
		err := credentialsCmd(ctx, "users", args, strings.NewReader("正确的马、电池和订书钉-OK7\n"), &out, log)
		return out.String(), err
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"NoDeputy", []string{"--name", "d1", "--township", "qps"}},
		{"UnknownDeputy", []string{"--name", "d2", "--township", "qps", "--deputy", "nobody"}},
		{"OtherTownship", []string{"--name", "d3", "--township", "elsewhere", "--deputy", ds[0].ID}},
		{"NoTownship", []string{"--name", "d4", "--deputy", ds[0].ID}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if out, err := create(c.args...); err == nil {
				t.Errorf("users create %v: %s, want refused", c.args, out)
			}
		})
	}
	out, err := create("--name", "wang", "--township", ds[0].Township, "--deputy", ds[0].ID)
	if err != nil || !strings.Contains(out, "deputy") {
		t.Fatalf("users create --role deputy --deputy %s: %v %s", ds[0].ID, err, out)
	}
}
