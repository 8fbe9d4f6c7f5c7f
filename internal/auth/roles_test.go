package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"renda/internal/auth"
	"renda/internal/records"
)

// TestSeparatedRoles: an office that must separate its administrators
// (三员分立) gives accounts to a sysadmin, keys, password resets and
// unlocks to a secadmin, and the audit log to an auditor. Each may do its
// duty and nothing of another's, none writes records, none reads personal
// numbers whole, and none can give itself another's duty; an admin still
// does everything. Every case goes through the whole HTTP stack.
func TestSeparatedRoles(t *testing.T) {
	type op struct {
		name, query string
		vars        map[string]any
	}
	ops := []op{
		{"create a viewer", `mutation($u: String!, $p: String!) { createAccount(input: {username: $u, password: $p, role: VIEWER, townships: ["qps"]}) { id } }`,
			map[string]any{"u": "new-viewer", "p": password}},
		{"create an auditor", `mutation($u: String!, $p: String!) { createAccount(input: {username: $u, password: $p, role: AUDITOR}) { id } }`,
			map[string]any{"u": "new-auditor", "p": password}},
		{"make a clerk an admin", `mutation { updateAccount(id: "clerk-a", input: {role: ADMIN}) { id } }`, nil},
		{"disable a clerk", `mutation { updateAccount(id: "clerk-a", input: {disabled: true}) { id } }`, nil},
		{"disable the auditor", `mutation { updateAccount(id: "aud", input: {disabled: true}) { id } }`, nil},
		{"list accounts", `{ accounts { id } }`, nil},
		{"reset a viewer's password", `mutation($p: String!) { updateAccount(id: "viewer-a", input: {password: $p}) { id } }`,
			map[string]any{"p": "新的口令-Reset-2024"}},
		{"reset the sysadmin's password", `mutation($p: String!) { updateAccount(id: "sys", input: {password: $p}) { id } }`,
			map[string]any{"p": "新的口令-Reset-2024"}},
		{"unlock an account", `mutation { unlockAccount(id: "viewer-a") { id lockedUntil } }`, nil},
		{"create a viewer's key", `mutation { createAPIKey(input: {name: "大屏", role: VIEWER}) { key } }`, nil},
		{"create an admin's key", `mutation { createAPIKey(input: {name: "万能", role: ADMIN}) { key } }`, nil},
		{"list keys", `{ apiKeys { id } }`, nil},
		{"read the audit log", `{ auditLog(first: 5) { nodes { id action } } }`, nil},
		{"verify the audit trail", `{ auditVerification { ok chained } }`, nil},
		{"list deleted records", `{ deletedRecords(kind: VILLAGE, township: "qps") { id } }`, nil},
		{"write a record", `mutation { updateVillage(id: "v-qps", input: {name: "改名村"}) { version } }`, nil},
		{"define an attribute", `mutation { defineAttribute(township: "qps", kind: VILLAGE, input: {path: "area", type: NUMBER, label: "面积"}) { path } }`, nil},
	}
	allowed := map[string][]string{
		"admin": {"create a viewer", "create an auditor", "make a clerk an admin", "disable a clerk", "disable the auditor", "list accounts",
			"reset a viewer's password", "reset the sysadmin's password", "unlock an account", "create a viewer's key", "create an admin's key",
			"list keys", "read the audit log", "verify the audit trail", "list deleted records", "write a record", "define an attribute"},
		"sys":      {"create a viewer", "disable a clerk", "list accounts", "define an attribute"},
		"sec":      {"list accounts", "reset a viewer's password", "unlock an account", "create a viewer's key", "list keys"},
		"aud":      {"read the audit log", "verify the audit trail", "list deleted records"},
		"clerk-a":  {"write a record"},
		"viewer-a": {},
	}
	for _, who := range []string{"admin", "sys", "sec", "aud", "clerk-a", "viewer-a"} {
		t.Run(who, func(t *testing.T) {
			srv := MustServer(t)
			for _, a := range []auth.AccountInput{
				{ID: "sys", Role: records.Sysadmin, Password: password},
				{ID: "sec", Role: records.Secadmin, Password: password},
				{ID: "aud", Role: records.Auditor, Password: password},
			} {
				if _, err := srv.Auth.CreateAccount(context.Background(), a); err != nil {
					t.Fatal(err)
				}
			}
			c := srv.Client(t)
			c.Login(who)
			for _, o := range ops {
				r := c.Do(o.query, o.vars)
				may := false
				for _, x := range allowed[who] {
					may = may || x == o.name
				}
				switch {
				case may && len(r.Errors) > 0:
					t.Errorf("%s may %s: %+v", who, o.name, r.Errors)
				case !may && r.code() != "FORBIDDEN":
					t.Errorf("%s may not %s: got %s, want FORBIDDEN", who, o.name, r.Raw)
				}
			}
			if who == "admin" || who == "clerk-a" {
				return
			}
			// Personal numbers masked, as for a viewer.
			d := c.MustOK(`{ deputy(id: "d-001") { phone } }`, nil)
			if got := string(d["deputy"]); !strings.Contains(got, `138****0001`) {
				t.Errorf("%s reads the phone as %s, want it masked", who, got)
			}
		})
	}
	t.Run("Me", func(t *testing.T) {
		srv := MustServer(t)
		if _, err := srv.Auth.CreateAccount(context.Background(), auth.AccountInput{ID: "aud", Role: records.Auditor, Password: password}); err != nil {
			t.Fatal(err)
		}
		c := srv.Client(t)
		c.Login("aud")
		if got := fmt.Sprint(string(c.MustOK(`{ me { role } }`, nil)["me"])); got != `{"role":"AUDITOR"}` {
			t.Errorf("me: %s", got)
		}
	})
}
