package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"renda/internal/records"
)

// testAuditChain: every entry the store writes — a record's changes, a
// bulk load, changes kept outside the kinds, many at once — is linked into
// one chain that verifies whole; only county-level auditors and admins
// may verify it.
func (c *contract) testAuditChain(t *testing.T) {
	s := c.open(t)
	check, err := s.VerifyAudit(bg, nil)
	wantOK(t, "verify an empty trail", err)
	if check.Broken != nil || check.Chained != 0 || check.Unchained != 0 {
		t.Fatalf("an empty trail: %+v, want nothing and nothing broken", check)
	}
	n := MustChainEntries(t, s)
	check, err = s.VerifyAudit(bg, nil)
	wantOK(t, "verify", err)
	if check.Broken != nil {
		t.Fatalf("an untouched trail is broken: %v", check.Broken)
	}
	if check.Chained != n || check.First != 1 || check.Last != int64(n) || check.Unchained != 0 || len(check.Head) != 64 {
		t.Errorf("verified %+v, want %d entries chained #1 to #%d with a SHA-256 head", check, n, n)
	}
	t.Run("Noted", func(t *testing.T) {
		// A head noted earlier (kept off the machine) must still be on
		// the chain as it grows; one it no longer passes is a rewrite.
		noted := &records.ChainHead{Seq: check.Last, Hash: check.Head}
		s.Audit(bg, records.AuditEntry{Action: "login", Kind: "accounts", RecordID: "wang"})
		later, err := s.VerifyAudit(bg, noted)
		if err != nil || later.Broken != nil || later.Last != noted.Seq+1 {
			t.Errorf("verify through the noted head: %+v (%v), want it to hold up to #%d", later, err, noted.Seq+1)
		}
		for _, c := range []struct {
			noted   records.ChainHead
			seq     int64
			problem string
		}{
			{records.ChainHead{Seq: noted.Seq, Hash: strings.Repeat("0", 64)}, noted.Seq, "rewritten"},
			{records.ChainHead{Seq: noted.Seq + 10, Hash: noted.Hash}, noted.Seq + 2, "missing"},
		} {
			got, err := s.VerifyAudit(bg, &c.noted)
			if err != nil || got.Broken == nil || got.Broken.Seq != c.seq || !strings.Contains(got.Broken.Problem, c.problem) {
				t.Errorf("verify through #%d %.8s: %+v (%v), want broken at #%d: %s", c.noted.Seq, c.noted.Hash, got.Broken, err, c.seq, c.problem)
			}
		}
	})
	t.Run("Rights", func(t *testing.T) {
		if _, err := s.VerifyAudit(as("user:au", records.Auditor), nil); err != nil {
			t.Errorf("a county auditor: %v", err)
		}
		for _, ctx := range []struct {
			who  string
			role records.Role
			town []string
		}{{"a township's auditor", records.Auditor, []string{"ta"}}, {"an editor", records.Editor, nil}, {"a sysadmin", records.Sysadmin, nil}, {"a secadmin", records.Secadmin, nil}} {
			_, err := s.VerifyAudit(as("user:x", ctx.role, ctx.town...), nil)
			wantErr(t, ctx.who, err, records.EFORBIDDEN, "")
		}
		// The audit log is read by auditors (and admins) only.
		for _, role := range []records.Role{records.Viewer, records.Editor, records.Sysadmin, records.Secadmin} {
			_, _, err := s.AuditLog(as("user:x", role), records.AuditFilter{}, 10, "")
			wantErr(t, string(role)+" reading the audit log", err, records.EFORBIDDEN, "")
		}
		if es, _, err := s.AuditLog(as("user:au", records.Auditor, "ta"), records.AuditFilter{}, 100, ""); err != nil || len(es) == 0 {
			t.Errorf("a township's auditor reads %d entries (%v), want its township's", len(es), err)
		}
	})
}

// MustChainEntries writes entries of every sort into s — records created,
// changed and deleted, a bulk load, an account's change, twenty writes at
// once — and returns how many entries the trail holds.
func MustChainEntries(tb testing.TB, s *records.Store) int {
	tb.Helper()
	MustTownships(tb, s, "ta")
	v := MustCreate(tb, bg, s.Villages, village("ta", "v", "一村"))
	name := "二村"
	MustUpdate(tb, bg, s.Villages, v.ID, (&records.VillagePatch{Name: &name}).Apply)
	MustCreate(tb, bg, s.Villages, village("ta", "gone", "废村"))
	if _, err := s.Villages.Delete(bg, "gone", nil); err != nil {
		tb.Fatal(err)
	}
	bulk := []*records.Village{village("ta", "b1", "甲村"), village("ta", "b2", "乙村"), village("ta", "b3", "丙村")}
	if _, err := s.Villages.Bulk(bg, bulk); err != nil {
		tb.Fatal(err)
	}
	s.Audit(bg, records.AuditEntry{Action: "login", Kind: "accounts", RecordID: "li", Note: "from 10.0.0.7"})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := s.Villages.Create(bg, village("ta", fmt.Sprintf("c%02d", i), fmt.Sprintf("同时村%d", i)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	es, _, err := s.AuditLog(bg, records.AuditFilter{}, 500, "")
	if err != nil {
		tb.Fatal(err)
	}
	if want := 1 + 4 + 3 + 1 + 20; len(es) != want {
		tb.Fatalf("the trail holds %d entries, want %d", len(es), want)
	}
	return len(es)
}

// Tamperer changes a store's audit trail behind its back, as someone with
// the database's files or credentials could: each method first removes
// whatever guard the store keeps against it.
type Tamperer interface {
	// Edit changes the note of the chained entry #seq.
	Edit(tb testing.TB, seq int64)
	// Remove deletes the chained entry #seq.
	Remove(tb testing.TB, seq int64)
	// Swap exchanges the places (sequence numbers) of entries #a and #b.
	Swap(tb testing.TB, a, b int64)
}

// AuditTamper checks that verification names the first broken link of a
// trail that was edited, had an entry removed (in the middle, or the
// newest), or had entries reordered. open returns a fresh store and its
// tamperer.
func AuditTamper(t *testing.T, open func(t *testing.T) (*records.Store, Tamperer)) {
	for _, c := range []struct {
		name    string
		tamper  func(tb testing.TB, x Tamperer, n int64)
		seq     func(n int64) int64
		problem string
	}{
		{"Edited", func(tb testing.TB, x Tamperer, n int64) { x.Edit(tb, 5) }, func(int64) int64 { return 5 }, "edited"},
		{"Removed", func(tb testing.TB, x Tamperer, n int64) { x.Remove(tb, 5) }, func(int64) int64 { return 5 }, "missing"},
		{"RemovedNewest", func(tb testing.TB, x Tamperer, n int64) { x.Remove(tb, n) }, func(n int64) int64 { return n }, "missing"},
		{"RemovedFirst", func(tb testing.TB, x Tamperer, n int64) { x.Remove(tb, 1) }, func(int64) int64 { return 1 }, "missing"},
		{"Reordered", func(tb testing.TB, x Tamperer, n int64) { x.Swap(tb, 5, 6) }, func(int64) int64 { return 5 }, "reordered"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, x := open(t)
			n := int64(MustChainEntries(t, s))
			c.tamper(t, x, n)
			check, err := s.VerifyAudit(bg, nil)
			wantOK(t, "verify", err)
			if check.Broken == nil {
				t.Fatalf("verification found nothing wrong: %+v", check)
			}
			if got, want := check.Broken.Seq, c.seq(n); got != want || !strings.Contains(check.Broken.Problem, c.problem) {
				t.Errorf("broken link: %v; want entry #%d, %s", check.Broken, want, c.problem)
			}
		})
	}
}

// testAuditKept: the trail keeps every entry (等保 asks for six months at
// least; renda deletes none): deleting a record and then its township
// leaves all their entries in the log, and the chain whole.
func (c *contract) testAuditKept(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("tb", "v", "村"))
	if _, err := s.Villages.Delete(bg, "v", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Townships.Delete(bg, "tb", nil); err != nil {
		t.Fatal(err)
	}
	es, _, err := s.AuditLog(bg, records.AuditFilter{}, 100, "")
	wantOK(t, "audit log", err)
	var got []string
	for _, e := range es {
		got = append(got, e.Action+":"+e.RecordID)
	}
	want := []string{"delete:tb", "delete:v", "create:v", "create:tb", "create:ta"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the log holds %v, want %v", got, want)
	}
	check, err := s.VerifyAudit(bg, nil)
	if err != nil || check.Broken != nil || check.Chained != len(want) {
		t.Errorf("verify: %+v (%v), want %d entries chained whole", check, err, len(want))
	}
}
