package auth_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"renda/internal/auth"
	"renda/internal/records"
)

// TestSignInsAudited: every sign-in leaves an audit entry with its result
// (success, failure, locked) and the client's address, through the whole
// HTTP stack; the password tried is in none, nor is a name no account
// has (often a password typed in the wrong box).
func TestSignInsAudited(t *testing.T) {
	srv := MustServer(t)
	const wrong = "Wrong-Password-猜-123"
	const unknown = "Mistyped-Passw0rd-名"
	for _, c := range []struct{ user, pw string }{
		{"clerk-a", password},
		{"clerk-a", wrong},
		{unknown, wrong},
	} {
		if _, err := srv.login(c.user, c.pw); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		_, _ = srv.login("viewer-a", wrong)
	}
	if a, _ := srv.login("viewer-a", password); a.signedIn {
		t.Fatal("a locked account signed in")
	}
	auditor := srv.Client(t)
	auditor.Login("admin")
	var log struct {
		Nodes []struct {
			Actor, Action, RecordID, Note string
			After                         map[string]any
		}
	}
	raw := auditor.MustOK(`{ auditLog(filter: {kind: "accounts"}, first: 100) { nodes { actor action recordId note after } } }`, nil)["auditLog"]
	if strings.Contains(string(raw), wrong) || strings.Contains(string(raw), password) || strings.Contains(strings.ToLower(string(raw)), strings.ToLower(unknown)) {
		t.Fatalf("the audit log holds a password or the unknown name tried: %s", raw)
	}
	_ = json.Unmarshal(raw, &log)
	type got struct{ actor, action, id, result, client string }
	var sign []got
	for i := len(log.Nodes) - 1; i >= 0; i-- { // oldest first
		n := log.Nodes[i]
		if !strings.HasPrefix(n.Action, "login") {
			continue
		}
		g := got{n.Actor, n.Action, n.RecordID, n.After["result"].(string), n.After["client"].(string)}
		sign = append(sign, g)
	}
	want := []got{
		{"user:clerk-a", "login", "clerk-a", "success", "127.0.0.1"},
		{"user:clerk-a", "loginFailed", "clerk-a", "failure", "127.0.0.1"},
		{"anonymous", "loginFailed", "", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginFailed", "viewer-a", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginFailed", "viewer-a", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginFailed", "viewer-a", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginFailed", "viewer-a", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginFailed", "viewer-a", "failure", "127.0.0.1"},
		{"user:viewer-a", "loginLocked", "viewer-a", "locked", "127.0.0.1"},
		{"user:admin", "login", "admin", "success", "127.0.0.1"},
	}
	if len(sign) != len(want) {
		t.Fatalf("sign-in entries:\n%v\nwant\n%v", sign, want)
	}
	for i := range want {
		if sign[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, sign[i], want[i])
		}
	}
}

// TestAuditVerificationAPI: a county auditor verifies the trail through
// the API, and gives back a head it noted.
func TestAuditVerificationAPI(t *testing.T) {
	srv := MustServer(t)
	if _, err := srv.Auth.CreateAccount(context.Background(), auth.AccountInput{ID: "aud", Role: records.Auditor, Password: password}); err != nil {
		t.Fatal(err)
	}
	c := srv.Client(t)
	c.Login("aud")
	type verification struct {
		Ok            bool
		Chained, Last int
		Head, Problem *string
		BrokenSeq     *int
	}
	ask := func(vars map[string]any) verification {
		var v verification
		q := `query($n: AuditHeadInput) { auditVerification(noted: $n) { ok chained last head problem brokenSeq } }`
		_ = json.Unmarshal(c.MustOK(q, vars)["auditVerification"], &v)
		return v
	}
	v := ask(nil)
	if !v.Ok || v.Chained == 0 || v.Head == nil || len(*v.Head) != 64 {
		t.Fatalf("verification: %+v, want the chain to hold, with its head", v)
	}
	if again := ask(map[string]any{"n": map[string]any{"seq": v.Last, "hash": *v.Head}}); !again.Ok {
		t.Errorf("through the head noted: %+v, want it to hold", again)
	}
	bad := ask(map[string]any{"n": map[string]any{"seq": v.Last, "hash": strings.Repeat("0", 64)}})
	if bad.Ok || bad.BrokenSeq == nil || *bad.BrokenSeq != v.Last || bad.Problem == nil || !strings.Contains(*bad.Problem, "rewritten") {
		t.Errorf("through another hash: %+v, want broken at #%d", bad, v.Last)
	}
}
