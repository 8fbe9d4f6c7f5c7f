package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"renda/internal/records"
)

// sameTime reports two times equal to the millisecond, the least a store
// keeps.
func sameTime(a, b time.Time) bool { return a.Sub(b).Abs() < time.Millisecond }

// testCredentials: accounts, sessions and keys are kept as given and
// changed only as asked.
func (c *contract) testCredentials(t *testing.T) {
	s := c.open(t)
	cr := s.Credentials
	now := time.Now()
	if n, err := cr.Count(bg); err != nil || n != 0 {
		t.Fatalf("count of an empty store: %d (%v), want 0", n, err)
	}
	account := func(id string, role records.Role, towns ...string) *records.Account {
		a := &records.Account{ID: id, Name: "名" + id, Role: role, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + id,
			PasswordChangedAt: now, Version: 1, CreatedAt: now, CreatedBy: "local", UpdatedAt: now, UpdatedBy: "local"}
		if len(towns) > 0 {
			a.Townships = towns
		}
		return a
	}
	li := account("li", records.Viewer, "ta")
	li.Disabled = true
	for _, a := range []*records.Account{account("wang", records.Editor, "ta", "tb"), account("zhao", records.Admin), li} {
		wantOK(t, "create account "+a.ID, cr.CreateAccount(bg, a))
	}

	t.Run("Accounts", func(t *testing.T) {
		got, err := cr.Account(bg, "wang")
		wantOK(t, "account", err)
		if got.ID != "wang" || got.Name != "名wang" || got.Role != records.Editor || !slices.Equal(got.Townships, []string{"ta", "tb"}) ||
			got.PasswordHash != "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$wang" || !sameTime(got.PasswordChangedAt, now) || got.Disabled ||
			got.Version != 1 || !sameTime(got.CreatedAt, now) || got.CreatedBy != "local" {
			t.Errorf("account %+v, want wang as created", got)
		}
		if got, err := cr.Account(bg, "zhao"); err != nil || got.Townships != nil {
			t.Errorf("a county-level account: townships %#v (%v), want nil", got.Townships, err)
		}
		if got, err := cr.Account(bg, "li"); err != nil || !got.Disabled {
			t.Errorf("li: %+v (%v), want disabled", got, err)
		}
		_, err = cr.Account(bg, "nope")
		wantErr(t, "an unknown account", err, records.ENOTFOUND, "")
		wantErr(t, "an account name taken", cr.CreateAccount(bg, account("wang", records.Viewer)), records.ECONFLICT, "")
		all, err := cr.Accounts(bg)
		var ids []string
		for _, a := range all {
			ids = append(ids, a.ID)
		}
		if err != nil || !slices.Equal(ids, []string{"li", "wang", "zhao"}) {
			t.Errorf("accounts %v (%v), want li wang zhao, by id", ids, err)
		}
	})
	t.Run("UpdateAccount", func(t *testing.T) {
		locked := now.Add(time.Minute)
		history := []string{"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$old1", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$old2"}
		got, err := cr.UpdateAccount(bg, "wang", func(a *records.Account) error {
			a.FailedLogins, a.LockedUntil, a.Townships, a.PasswordHistory = 5, locked, nil, history
			return nil
		})
		wantOK(t, "update", err)
		stored, err := cr.Account(bg, "wang")
		wantOK(t, "account", err)
		listed, err := cr.Accounts(bg)
		wantOK(t, "accounts", err)
		for _, a := range []*records.Account{got, stored, listed[1]} {
			if a.FailedLogins != 5 || !sameTime(a.LockedUntil, locked) || a.Townships != nil || a.Version != 2 || a.UpdatedAt.Before(now.Add(-time.Millisecond)) || a.Name != "名wang" ||
				!slices.Equal(a.PasswordHistory, history) || a.PasswordHash != "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$wang" {
				t.Errorf("after the update: %+v, want 5 failures, locked, county-level, version 2, the earlier hashes kept, the rest as it was", a)
			}
		}
		if a, err := cr.Account(bg, "zhao"); err != nil || a.PasswordHistory != nil {
			t.Errorf("an account without earlier passwords: history %#v (%v), want nil", a.PasswordHistory, err)
		}
		_, err = cr.UpdateAccount(bg, "wang", func(a *records.Account) error {
			a.Name = "不该存"
			return records.Invalidf("name", "no")
		})
		wantErr(t, "a refused change", err, records.EINVALID, "name")
		if a, _ := cr.Account(bg, "wang"); a.Name != "名wang" || a.Version != 2 {
			t.Errorf("after a refused change: %q v%d, want 名wang v2", a.Name, a.Version)
		}
		_, err = cr.UpdateAccount(bg, "nope", func(*records.Account) error { return nil })
		wantErr(t, "update of an unknown account", err, records.ENOTFOUND, "")
	})
	t.Run("UpdateAccountConcurrent", func(t *testing.T) {
		// Failed sign-ins are counted by concurrent requests: none is lost.
		var wg sync.WaitGroup
		errs := make([]error, 10)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = cr.UpdateAccount(bg, "zhao", func(a *records.Account) error { a.FailedLogins++; return nil })
			}()
		}
		wg.Wait()
		for i, err := range errs {
			wantOK(t, fmt.Sprint("update ", i), err)
		}
		if a, err := cr.Account(bg, "zhao"); err != nil || a.FailedLogins != 10 || a.Version != 11 {
			t.Errorf("zhao: %d failures at version %d (%v), want 10 at 11", a.FailedLogins, a.Version, err)
		}
	})
	t.Run("Sessions", func(t *testing.T) {
		for _, x := range []records.Session{
			{ID: "s1", AccountID: "wang", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour)},
			{ID: "s2", AccountID: "wang", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour)},
			{ID: "s3", AccountID: "zhao", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour)},
		} {
			wantOK(t, "create session", cr.CreateSession(bg, &x))
		}
		got, err := cr.Session(bg, "s1")
		if err != nil || got.ID != "s1" || got.AccountID != "wang" || !sameTime(got.CreatedAt, now) || !sameTime(got.ExpiresAt, now.Add(12*time.Hour)) {
			t.Errorf("session s1: %+v (%v), want wang's as created", got, err)
		}
		if !got.LastUsed.IsZero() {
			t.Errorf("session s1 never used: last used %v, want zero", got.LastUsed)
		}
		used := now.Add(10 * time.Minute)
		wantOK(t, "touch s1", cr.TouchSession(bg, "s1", used))
		if got, err := cr.Session(bg, "s1"); err != nil || !sameTime(got.LastUsed, used) || !sameTime(got.ExpiresAt, now.Add(12*time.Hour)) || got.AccountID != "wang" {
			t.Errorf("session s1 after a touch: %+v (%v), want last used %v, the rest as it was", got, err, used)
		}
		if got, err := cr.Session(bg, "s2"); err != nil || !got.LastUsed.IsZero() {
			t.Errorf("session s2 after s1 was touched: %+v (%v), want it unused", got, err)
		}
		wantOK(t, "delete s1", cr.DeleteSession(bg, "s1"))
		_, err = cr.Session(bg, "s1")
		wantErr(t, "a deleted session", err, records.ENOTFOUND, "")
		wantOK(t, "delete s1 again", cr.DeleteSession(bg, "s1"))
		wantOK(t, "delete wang's sessions", cr.DeleteSessions(bg, "wang"))
		_, err = cr.Session(bg, "s2")
		wantErr(t, "a session of wang's", err, records.ENOTFOUND, "")
		if _, err := cr.Session(bg, "s3"); err != nil {
			t.Errorf("zhao's session after wang's were deleted: %v, want it kept", err)
		}
	})
	t.Run("Keys", func(t *testing.T) {
		k1 := &records.APIKey{ID: "k1", Name: "大屏", Role: records.Viewer, Townships: []string{"ta"}, Hash: "h1", CreatedAt: now, CreatedBy: "user:zhao"}
		k2 := &records.APIKey{ID: "k2", Name: "脚本", Role: records.Editor, Hash: "h2", CreatedAt: now.Add(time.Second), CreatedBy: "local"}
		for _, k := range []*records.APIKey{k1, k2} {
			wantOK(t, "create key", cr.CreateKey(bg, k))
		}
		wantErr(t, "a key id taken", cr.CreateKey(bg, &records.APIKey{ID: "k1", Name: "x", Role: records.Viewer, Hash: "h"}), records.ECONFLICT, "")
		got, err := cr.Key(bg, "k1")
		if err != nil || got.Name != "大屏" || got.Role != records.Viewer || !slices.Equal(got.Townships, []string{"ta"}) || got.Hash != "h1" ||
			!sameTime(got.CreatedAt, now) || got.CreatedBy != "user:zhao" || got.LastUsed != nil || got.RevokedAt != nil {
			t.Errorf("key k1: %+v (%v), want it as created", got, err)
		}
		if got, err := cr.Key(bg, "k2"); err != nil || got.Townships != nil {
			t.Errorf("a county-level key: townships %#v (%v), want nil", got.Townships, err)
		}
		_, err = cr.Key(bg, "nope")
		wantErr(t, "an unknown key", err, records.ENOTFOUND, "")
		keys, err := cr.Keys(bg)
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.ID)
		}
		if err != nil || !slices.Equal(ids, []string{"k2", "k1"}) {
			t.Errorf("keys %v (%v), want k2 k1, newest first", ids, err)
		}
		if n, err := cr.Count(bg); err != nil || n != 4 {
			t.Errorf("count: %d (%v), want 4 (wang, zhao, k1, k2; li is disabled)", n, err)
		}
		used := now.Add(time.Minute)
		wantOK(t, "touch", cr.TouchKey(bg, "k1", used))
		if got, _ := cr.Key(bg, "k1"); got.LastUsed == nil || !sameTime(*got.LastUsed, used) {
			t.Errorf("last used %v, want %v", got.LastUsed, used)
		}
		revoked, err := cr.RevokeKey(bg, "k1")
		if err != nil || revoked.RevokedAt == nil || revoked.ID != "k1" {
			t.Fatalf("revoke: %+v (%v), want k1 revoked", revoked, err)
		}
		stored, _ := cr.Key(bg, "k1")
		if stored.RevokedAt == nil || !sameTime(*stored.RevokedAt, *revoked.RevokedAt) || stored.LastUsed == nil {
			t.Errorf("k1 after the revoke: %+v, want revoked at %v, its last use kept", stored, revoked.RevokedAt)
		}
		again, err := cr.RevokeKey(bg, "k1")
		if err != nil || again.RevokedAt == nil || !sameTime(*again.RevokedAt, *revoked.RevokedAt) {
			t.Errorf("revoke again: %+v (%v), want the first revocation kept", again, err)
		}
		_, err = cr.RevokeKey(bg, "nope")
		wantErr(t, "revoke of an unknown key", err, records.ENOTFOUND, "")
		if n, err := cr.Count(bg); err != nil || n != 3 {
			t.Errorf("count after the revoke: %d (%v), want 3", n, err)
		}
	})
}

// testReports: every save of a plugin is a new version; the newest
// records.MaxReportVersions are kept.
func (c *contract) testReports(t *testing.T) {
	s := c.open(t)
	r := s.Reports
	wang := as("user:wang", records.Admin)
	_, err := r.Latest(bg, "r1")
	wantErr(t, "latest of nothing saved", err, records.ENOTFOUND, "")
	files := func(n int) []records.ReportFile {
		return []records.ReportFile{{Name: "manifest.yaml", Content: fmt.Sprintf("id: r1\nversion: %d", n)}, {Name: "report.md.tmpl", Content: "{{.x}}"}}
	}
	for n := 1; n <= 3; n++ {
		v, err := r.Save(wang, "r1", files(n), fmt.Sprintf("第%d版", n))
		if err != nil || v.Version != n || v.PluginID != "r1" || v.CreatedBy != "user:wang" || v.CreatedAt.IsZero() || v.Note != fmt.Sprintf("第%d版", n) {
			t.Fatalf("save %d: %+v (%v), want version %d of r1 by user:wang", n, v, err, n)
		}
	}
	if _, err := r.Save(wang, "r2", files(1), ""); err != nil {
		t.Fatal(err)
	}
	latest, err := r.Latest(bg, "r1")
	if err != nil || latest.Version != 3 || !slices.Equal(latest.Files, files(3)) {
		t.Errorf("latest: %+v (%v), want version 3 with its files", latest, err)
	}
	two, err := r.Get(bg, "r1", 2)
	if err != nil || two.Version != 2 || two.PluginID != "r1" || !slices.Equal(two.Files, files(2)) || two.Note != "第2版" {
		t.Errorf("version 2: %+v (%v), want it as saved", two, err)
	}
	_, err = r.Get(bg, "r1", 9)
	wantErr(t, "a version never saved", err, records.ENOTFOUND, "")
	versions := func(vs []*records.ReportVersion) []int {
		out := []int{}
		for _, v := range vs {
			out = append(out, v.Version)
		}
		return out
	}
	if vs, err := r.List(bg, "r1"); err != nil || !slices.Equal(versions(vs), []int{3, 2, 1}) {
		t.Errorf("list: %v (%v), want 3 2 1", versions(vs), err)
	}
	if vs, err := r.List(bg, "nope"); err != nil || len(vs) != 0 {
		t.Errorf("list of nothing saved: %v (%v), want none", versions(vs), err)
	}
	heads, err := r.LatestAll(bg)
	got := map[string]int{}
	for _, v := range heads {
		got[v.PluginID] = v.Version
		if v.PluginID == "r1" && !slices.Equal(v.Files, files(3)) {
			t.Errorf("r1's newest files %v, want version 3's", v.Files)
		}
	}
	if err != nil || len(heads) != 2 || got["r1"] != 3 || got["r2"] != 1 {
		t.Errorf("latest of all: %v (%v), want r1 at 3 and r2 at 1", got, err)
	}
	t.Run("Kept", func(t *testing.T) {
		last := records.MaxReportVersions + 2
		for n := 1; n <= last; n++ {
			if _, err := r.Save(wang, "r3", files(n), ""); err != nil {
				t.Fatal(err)
			}
		}
		vs, err := r.List(bg, "r3")
		wantOK(t, "list", err)
		if got := versions(vs); len(got) != records.MaxReportVersions || got[0] != last || got[len(got)-1] != 3 {
			t.Errorf("versions kept: %v, want %d down to 3", got, last)
		}
		for n, code := range map[int]string{1: records.ENOTFOUND, 2: records.ENOTFOUND, 3: "", last: ""} {
			_, err := r.Get(bg, "r3", n)
			wantErr(t, fmt.Sprint("version ", n), err, code, "")
		}
		if v, err := r.Latest(bg, "r3"); err != nil || v.Version != last {
			t.Errorf("latest: %+v (%v), want %d", v, err, last)
		}
	})
	// A version carries the townships of the admin who saved it (nil for
	// a county admin); Heads and LatestAll give the newest of each scope,
	// and one scope's saves never push another's versions out.
	t.Run("Scopes", func(t *testing.T) {
		county, ta := as("user:county", records.Admin), as("user:ta", records.Admin, "ta")
		tbta := as("user:both", records.Admin, "tb", "ta")
		for _, s := range []struct {
			ctx  context.Context
			want []string
		}{{county, nil}, {ta, []string{"ta"}}, {county, nil}, {tbta, []string{"ta", "tb"}}, {ta, []string{"ta"}}} {
			v, err := r.Save(s.ctx, "s1", files(1), "")
			if err != nil || !slices.Equal(v.Townships, s.want) || (s.want == nil) != (v.Townships == nil) {
				t.Fatalf("save: %+v (%v), want townships %v", v, err, s.want)
			}
		}
		if v, err := r.Get(bg, "s1", 4); err != nil || !slices.Equal(v.Townships, []string{"ta", "tb"}) {
			t.Errorf("version 4 read back: %+v (%v), want its townships sorted", v, err)
		}
		if v, err := r.Get(bg, "s1", 3); err != nil || v.Townships != nil {
			t.Errorf("the county's version 3 read back: %+v (%v), want no townships", v, err)
		}
		hs, err := r.Heads(bg, "s1")
		if got := versions(hs); err != nil || !slices.Equal(got, []int{5, 4, 3}) {
			t.Errorf("heads: %v (%v), want 5 (ta), 4 (ta,tb), 3 (county)", got, err)
		}
		if hs, err := r.Heads(bg, "nope"); err != nil || len(hs) != 0 {
			t.Errorf("heads of nothing saved: %v (%v)", versions(hs), err)
		}
		all, err := r.LatestAll(bg)
		var s1 []int
		for _, v := range all {
			if v.PluginID == "s1" {
				s1 = append(s1, v.Version)
			}
		}
		if err != nil || !slices.Equal(s1, []int{5, 4, 3}) {
			t.Errorf("latest of all for s1: %v (%v), want 5 4 3", s1, err)
		}
		// ta saves past the limit: the county's only version stays.
		if _, err := r.Save(county, "s2", files(1), ""); err != nil {
			t.Fatal(err)
		}
		for range records.MaxReportVersions + 2 {
			if _, err := r.Save(ta, "s2", files(2), ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Get(bg, "s2", 1); err != nil {
			t.Errorf("the county's version after %d of ta's: %v, want it kept", records.MaxReportVersions+2, err)
		}
		vs, err := r.List(bg, "s2")
		if err != nil || len(vs) != records.MaxReportVersions+1 || vs[len(vs)-2].Version != 4 {
			t.Errorf("%d versions kept (%v), want ta's newest %d (down to 4) and the county's", len(vs), err, records.MaxReportVersions)
		}
	})
}

// testAttributes: definitions are an admin's, per township and kind;
// writes are checked and coerced against them; filters compare defined
// attributes as their types and undefined ones holding numbers as numbers.
func (c *contract) testAttributes(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	defs := s.Attributes
	score := records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrNumber}
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := defs.Put(as("user:e", records.Editor), "ta", records.KindVillage, score)
		wantErr(t, "an editor defines", err, records.EFORBIDDEN, "")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := defs.Put(as("user:a", records.Admin, "tb"), "ta", records.KindVillage, score)
		wantErr(t, "tb's admin defines for ta", err, records.ENOTFOUND, "")
		_, err = defs.Get(bg, "nowhere", records.KindVillage)
		wantErr(t, "definitions of an unknown township", err, records.ENOTFOUND, "")
	})
	// Before the definition: one village holds 5, one "5", one "高".
	for i, v := range []any{5, "5", "高"} {
		MustCreate(t, bg, s.Villages, &records.Village{Meta: records.Meta{ID: fmt.Sprintf("s%d", i), Township: "ta", Attributes: map[string]any{"score": v}}, Name: fmt.Sprintf("村%d", i)})
	}
	find := func(f records.AttributeFilter, towns ...string) ([]string, error) {
		x, err := records.Compile(&records.VillageFilter{Common: records.Common{Attributes: []*records.AttributeFilter{&f}}}, "filter")
		if err != nil {
			return nil, err
		}
		p, err := s.Villages.Find(bg, records.Query{Townships: towns, Filter: x, First: 100})
		if err != nil {
			return nil, err
		}
		return sorted(idsOf(p.Items)), nil
	}
	check := func(t *testing.T, f records.AttributeFilter, want []string) {
		t.Helper()
		if got, err := find(f, "ta"); err != nil || !slices.Equal(got, want) {
			t.Errorf("%+v: %v (%v), want %v", f, got, err, want)
		}
	}
	t.Run("Undefined", func(t *testing.T) {
		check(t, records.AttributeFilter{Path: "score", Gte: "3"}, list("s0")) // the number 5, not the text "5"
		check(t, records.AttributeFilter{Path: "score", Eq: "5"}, list("s0", "s1"))
	})
	d, err := defs.Put(bg, "ta", records.KindVillage, score)
	if err != nil || d.Path != "score" || d.Label != "评分" || d.Type != records.AttrNumber {
		t.Fatalf("put: %+v (%v), want the definition", d, err)
	}
	t.Run("Get", func(t *testing.T) {
		set, err := defs.Get(bg, "ta", records.KindVillage)
		if err != nil || len(set.Defs) != 1 || set.Defs[0].Path != "score" || set.Defs[0].Type != records.AttrNumber || set.Defs[0].Label != "评分" {
			t.Errorf("ta's village attributes: %+v (%v), want score", set, err)
		}
		for _, x := range []struct {
			t    string
			kind records.Kind
		}{{"ta", records.KindDeputy}, {"tb", records.KindVillage}} {
			if set, err := defs.Get(bg, x.t, x.kind); err != nil || len(set.Defs) != 0 {
				t.Errorf("%s's %s attributes: %+v (%v), want none", x.t, x.kind, set, err)
			}
		}
	})
	t.Run("Defined", func(t *testing.T) {
		check(t, records.AttributeFilter{Path: "score", Eq: "5"}, list("s0")) // the number
		v := MustCreate(t, bg, s.Villages, &records.Village{Meta: records.Meta{ID: "s3", Township: "ta", Attributes: map[string]any{"score": "7"}}, Name: "新村"})
		for _, x := range []*records.Village{v, MustGet(t, s.Villages, "s3")} {
			if got, ok := records.Number(x.Attributes["score"]); !ok || got != 7 {
				t.Errorf("stored %#v, want the number 7", x.Attributes["score"])
			}
		}
		u, err := s.Villages.Update(bg, "s1", nil, func(x *records.Village) { x.Attributes = map[string]any{"score": " 8 "} })
		wantOK(t, "update", err)
		for _, x := range []*records.Village{u, MustGet(t, s.Villages, "s1")} {
			if got, ok := records.Number(x.Attributes["score"]); !ok || got != 8 {
				t.Errorf("updated %#v, want the number 8", x.Attributes["score"])
			}
		}
		n, err := s.Villages.Bulk(bg, []*records.Village{{Meta: records.Meta{ID: "s4", Township: "ta", Attributes: map[string]any{"score": "9"}}, Name: "批村"}})
		wantOK(t, "bulk", err)
		if got, ok := records.Number(MustGet(t, s.Villages, "s4").Attributes["score"]); n != 1 || !ok || got != 9 {
			t.Errorf("bulk loaded %#v, want the number 9", MustGet(t, s.Villages, "s4").Attributes["score"])
		}
		check(t, records.AttributeFilter{Path: "score", Gte: "6"}, list("s1", "s3", "s4"))
		check(t, records.AttributeFilter{Path: "score", Lt: 8}, list("s0", "s3"))
		check(t, records.AttributeFilter{Path: "score", In: []any{"5", 9}}, list("s0", "s4"))
		// The other township defines nothing: text stays text.
		w := MustCreate(t, bg, s.Villages, &records.Village{Meta: records.Meta{ID: "w", Township: "tb", Attributes: map[string]any{"score": "7"}}, Name: "新村"})
		if w.Attributes["score"] != "7" || MustGet(t, s.Villages, "w").Attributes["score"] != "7" {
			t.Errorf("tb's village holds %#v, want the text 7", w.Attributes["score"])
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.Villages.Create(bg, &records.Village{Meta: records.Meta{Township: "ta", Attributes: map[string]any{"score": "高"}}, Name: "坏村"})
		wantErr(t, "text in a NUMBER", err, records.EINVALID, "attributes.score")
		_, err = find(records.AttributeFilter{Path: "score", Gte: "高"}, "ta")
		wantErr(t, "a NUMBER compared with text", err, records.EINVALID, "filter.attributes.0.gte")
		_, err = defs.Put(bg, "ta", records.KindVillage, records.AttributeDef{Path: "score.x", Label: "子", Type: records.AttrText})
		wantErr(t, "a path under a defined one", err, records.EINVALID, "path")
		_, err = defs.Put(bg, "ta", records.KindVillage, records.AttributeDef{Path: "kind", Label: "类", Type: "COLOUR"})
		wantErr(t, "an unknown type", err, records.EINVALID, "type")
	})
	t.Run("Required", func(t *testing.T) {
		_, err := defs.Put(bg, "ta", records.KindDeputy, records.AttributeDef{Path: "contact.wechat", Label: "微信", Type: records.AttrText, Required: true})
		wantOK(t, "put", err)
		_, err = s.Deputies.Create(bg, deputy("ta", "", "张三"))
		wantErr(t, "a deputy without a required attribute", err, records.EINVALID, "attributes.contact.wechat")
		d := deputy("ta", "", "张三")
		d.Attributes = map[string]any{"contact": map[string]any{"wechat": 12345}}
		got, err := s.Deputies.Create(bg, d)
		wantOK(t, "create", err)
		if w := records.AsMap(MustGet(t, s.Deputies, got.ID).Attributes["contact"])["wechat"]; w != "12345" {
			t.Errorf("wechat %#v, want the text 12345", w)
		}
	})
	t.Run("ErrTypesDiffer", func(t *testing.T) {
		_, err := defs.Put(bg, "tb", records.KindVillage, records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrText})
		wantOK(t, "put", err)
		_, err = find(records.AttributeFilter{Path: "score", Eq: "5"})
		wantErr(t, "a filter on score in ta (NUMBER) and tb (TEXT)", err, records.EINVALID, "")
		if got, err := find(records.AttributeFilter{Path: "score", Eq: "7"}, "tb"); err != nil || !slices.Equal(got, list("w")) {
			t.Errorf("tb alone: %v (%v), want w", got, err)
		}
	})
	t.Run("AttributeTypes", func(t *testing.T) {
		types, err := s.AttributeTypes(bg, records.KindVillage, nil)
		wantOK(t, "types", err)
		if len(types) != 2 || types["ta"]["score"] == nil || types["ta"]["score"].Type != records.AttrNumber || types["tb"]["score"] == nil || types["tb"]["score"].Type != records.AttrText {
			t.Errorf("types %v, want score NUMBER in ta and TEXT in tb", types)
		}
		types, err = s.AttributeTypes(bg, records.KindVillage, []string{"tb"})
		if err != nil || len(types) != 1 || types["tb"]["score"] == nil {
			t.Errorf("tb's types: %v (%v), want tb's only", types, err)
		}
	})
	t.Run("Redefine", func(t *testing.T) {
		_, err := defs.Put(bg, "ta", records.KindVillage, records.AttributeDef{Path: "score", Label: "得分", Type: records.AttrNumber})
		wantOK(t, "put", err)
		if set, err := defs.Get(bg, "ta", records.KindVillage); err != nil || len(set.Defs) != 1 || set.Defs[0].Label != "得分" {
			t.Errorf("after redefining: %+v (%v), want the one definition, relabelled", set, err)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		got, err := defs.Remove(bg, "ta", records.KindVillage, "score")
		if err != nil || got.Path != "score" {
			t.Fatalf("remove: %+v (%v), want score's definition", got, err)
		}
		if set, err := defs.Get(bg, "ta", records.KindVillage); err != nil || len(set.Defs) != 0 {
			t.Errorf("after removing: %+v (%v), want none", set, err)
		}
		_, err = defs.Remove(bg, "ta", records.KindVillage, "score")
		wantErr(t, "remove again", err, records.ENOTFOUND, "path")
		// The values stored stay as they are.
		if got, ok := records.Number(MustGet(t, s.Villages, "s3").Attributes["score"]); !ok || got != 7 {
			t.Errorf("s3 holds %#v, want the number 7 still", MustGet(t, s.Villages, "s3").Attributes["score"])
		}
	})
}

// testMarkers: a marker, once set, stays set.
func (c *contract) testMarkers(t *testing.T) {
	s := c.open(t)
	if ok, err := s.Marked(bg, "demo"); err != nil || ok {
		t.Fatalf("marked before: %v (%v), want false", ok, err)
	}
	wantOK(t, "mark", s.Mark(bg, "demo"))
	wantOK(t, "mark again", s.Mark(bg, "demo"))
	if ok, err := s.Marked(bg, "demo"); err != nil || !ok {
		t.Errorf("marked after: %v (%v), want true", ok, err)
	}
	if ok, err := s.Marked(bg, "other"); err != nil || ok {
		t.Errorf("another marker: %v (%v), want false", ok, err)
	}
}
