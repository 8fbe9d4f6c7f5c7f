package auth_test

import (
	"context"
	"strings"
	"testing"
)

// TestPasswordPolicy: a password too short, of fewer than three kinds of
// character, or holding the user name is refused on its field, in English
// and Chinese, wherever a password is set (an admin's createAccount and
// updateAccount, the user's changePassword); a user cannot go back to any
// of their last five passwords, and can once five others came after it.
func TestPasswordPolicy(t *testing.T) {
	srv := MustServer(t)
	admin := srv.Client(t)
	admin.Login("admin")
	create := `mutation($u: String!, $p: String!) { createAccount(input: {username: $u, role: VIEWER, townships: ["qps"], password: $p}) { id } }`
	for _, tc := range []struct{ name, password, says, zh string }{
		{"Short", "Ab1-短", "at least 10 characters", "至少 10 个字符"},
		{"OneKind", "一个足够长的初始密码", "3 of 4 kinds", "中的至少 3 类"},
		{"TwoKinds", "alllowercase123", "3 of 4 kinds", "中的至少 3 类"},
		{"HoldsName", "Xx-Wangwu-2024", "user name", "不能包含用户名"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			r := admin.Do(create, map[string]any{"u": "wangwu", "p": tc.password})
			if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != "input.password" ||
				!strings.Contains(r.Errors[0].Message, tc.says) || !strings.Contains(r.Errors[0].Message, tc.zh) {
				t.Fatalf("createAccount with %q: %s, want BAD_USER_INPUT on input.password saying %q and %q", tc.password, r.Raw, tc.says, tc.zh)
			}
		})
	}
	admin.MustOK(create, map[string]any{"u": "wangwu", "p": "王五的-Pass-2024"})

	user := srv.Client(t)
	signIn := func(pw string) {
		t.Helper()
		r := user.Do(loginMutation, map[string]any{"u": "wangwu", "p": pw})
		if len(r.Errors) > 0 {
			t.Fatalf("sign in with %q: %s", pw, r.Raw)
		}
	}
	signIn("王五的-Pass-2024")
	change := func(old, next string) result {
		return user.Do(`mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }`, map[string]any{"o": old, "n": next})
	}
	if r := change("王五的-Pass-2024", "onlylowercase"); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != "newPassword" {
		t.Fatalf("changePassword to a weak one: %s, want BAD_USER_INPUT on newPassword", r.Raw)
	}
	if r := change("Not-The-0ld-One", "Second-口令-2"); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != "oldPassword" {
		t.Fatalf("changePassword with a wrong old one: %s, want BAD_USER_INPUT on oldPassword", r.Raw)
	}
	if a, _ := srv.Store.Credentials.Account(context.Background(), "wangwu"); a.FailedLogins != 1 {
		t.Errorf("after a wrong old password: %d failed sign-ins, want 1 (it counts as one)", a.FailedLogins)
	}
	passwords := []string{"王五的-Pass-2024", "Second-口令-2", "Third-口令-3", "Fourth-口令-4", "Fifth-口令-5"}
	for i := 1; i < len(passwords); i++ {
		if r := change(passwords[i-1], passwords[i]); len(r.Errors) > 0 {
			t.Fatalf("change %d: %s", i, r.Raw)
		}
		user.MustOK(`{ me { id } }`, nil) // the new session goes on
	}
	for _, old := range passwords[:4] {
		r := change(passwords[4], old)
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != "newPassword" || !strings.Contains(r.Errors[0].Message, "none of your last 5") {
			t.Fatalf("back to %q, one of the last five: %s, want BAD_USER_INPUT on newPassword", old, r.Raw)
		}
	}
	if r := admin.Do(`mutation($p: String!) { updateAccount(id: "wangwu", input: {password: $p}) { id } }`, map[string]any{"p": passwords[1]}); r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions.Field != "input.password" {
		t.Fatalf("an admin's reset to one of the last five: %s, want BAD_USER_INPUT on input.password", r.Raw)
	}
	if r := change(passwords[4], "Sixth-口令-6"); len(r.Errors) > 0 {
		t.Fatalf("a sixth password: %s", r.Raw)
	}
	if r := change("Sixth-口令-6", passwords[0]); len(r.Errors) > 0 {
		t.Fatalf("the first password again after five others: %s, want it allowed", r.Raw)
	}
	signIn(passwords[0])
	if a, _ := srv.Store.Credentials.Account(context.Background(), "wangwu"); a.FailedLogins != 0 || len(a.PasswordHistory) != 4 {
		t.Errorf("after the changes: %d failed sign-ins, %d earlier passwords kept; want 0 and 4", a.FailedLogins, len(a.PasswordHistory))
	}
}
