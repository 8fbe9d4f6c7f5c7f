package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
)

// TestCredentialsBesideServer is row 10 of issue 17: accounts and keys
// made, disabled, reset or revoked from the command line (another process
// on the same file) take effect on the running server's next request,
// the first account closing a server that ran open.
func TestCredentialsBesideServer(t *testing.T) {
	data := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	c := startChild(t, data)
	defer c.kill()
	cli := func(what string, stdin string, args ...string) string {
		t.Helper()
		var out bytes.Buffer
		args = append(args, "--data", data, "--mongodb-uri", "")
		if err := credentialsCmd(context.Background(), what, args, strings.NewReader(stdin), &out, log); err != nil {
			t.Fatalf("renda %s %v: %v", what, args, err)
		}
		return out.String()
	}
	browser := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar}
	}
	type answer struct {
		status int
		code   string
		data   map[string]any
	}
	ask := func(hc *http.Client, key, query string, vars map[string]any) answer {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, "http://"+c.addr+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var r struct {
			Data   map[string]any
			Errors []struct{ Extensions struct{ Code string } }
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%d: not JSON: %.200s", resp.StatusCode, b)
		}
		a := answer{status: resp.StatusCode, data: r.Data}
		if len(r.Errors) > 0 {
			a.code = r.Errors[0].Extensions.Code
		}
		return a
	}
	const deputies = `{ deputies { totalCount } }`
	const login = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { id } }`
	anon := browser()
	if a := ask(anon, "", `{ me { id open } }`, nil); a.code != "" || a.data["me"].(map[string]any)["open"] != true {
		t.Fatalf("before any account: %+v, want the server open", a)
	}

	cli("users", "县里的-Boss-2024\n", "create", "--name", "admin", "--role", "admin", "--password-stdin")
	if a := ask(anon, "", deputies, nil); a.code != "UNAUTHENTICATED" {
		t.Fatalf("the request right after the CLI made the first account: %+v, want UNAUTHENTICATED", a)
	}

	out := cli("keys", "", "create", "--name", "大屏", "--role", "viewer")
	key := regexp.MustCompile(`rk_\S+`).FindString(out)
	id := regexp.MustCompile(`API key (\S+) `).FindStringSubmatch(out)
	if key == "" || id == nil {
		t.Fatalf("keys create printed %q, want the key and its id", out)
	}
	if a := ask(anon, key, deputies, nil); a.code != "" {
		t.Fatalf("a key made by the CLI, on its first request: %+v, want it accepted", a)
	}

	cli("users", "文书的-Wenshu-2024\n", "create", "--name", "clerk", "--role", "editor", "--password-stdin")
	clerk := browser()
	if a := ask(clerk, "", login, map[string]any{"u": "clerk", "p": "文书的-Wenshu-2024"}); a.code != "" {
		t.Fatalf("signing in to an account the CLI made: %+v", a)
	}
	if a := ask(clerk, "", deputies, nil); a.code != "" {
		t.Fatalf("the clerk's session: %+v", a)
	}
	cli("users", "", "disable", "--name", "clerk")
	if a := ask(clerk, "", deputies, nil); a.code != "UNAUTHENTICATED" {
		t.Fatalf("the session of an account the CLI disabled: %+v, want UNAUTHENTICATED", a)
	}
	if a := ask(browser(), "", login, map[string]any{"u": "clerk", "p": "文书的-Wenshu-2024"}); a.code != "UNAUTHENTICATED" {
		t.Fatalf("signing in to a disabled account: %+v, want UNAUTHENTICATED", a)
	}
	cli("users", "", "enable", "--name", "clerk")
	clerk = browser()
	if a := ask(clerk, "", login, map[string]any{"u": "clerk", "p": "文书的-Wenshu-2024"}); a.code != "" {
		t.Fatalf("signing in once the CLI enabled the account again: %+v", a)
	}
	cli("users", "文书的-Reset-2025\n", "passwd", "--name", "clerk", "--password-stdin")
	if a := ask(clerk, "", deputies, nil); a.code != "UNAUTHENTICATED" {
		t.Fatalf("a session after the CLI reset its password: %+v, want UNAUTHENTICATED", a)
	}
	if a := ask(browser(), "", login, map[string]any{"u": "clerk", "p": "文书的-Reset-2025"}); a.code != "" {
		t.Fatalf("signing in with the password the CLI set: %+v", a)
	}

	cli("keys", "", "revoke", id[1])
	if a := ask(anon, key, deputies, nil); a.code != "UNAUTHENTICATED" || a.status != http.StatusUnauthorized {
		t.Fatalf("a key the CLI revoked: %+v, want 401 UNAUTHENTICATED", a)
	}
}
