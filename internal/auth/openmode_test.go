package auth_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestOpenModeLoopbackNames is row 5 of issue 17. A server that runs open
// (no account yet, loopback listener) acts for a request addressed to a
// loopback name or the public host configured, and refuses any other
// (403): a page of another site whose name was made to resolve to
// 127.0.0.1 (DNS rebinding) cannot create an admin. Once the first
// account exists, the very next request without credentials is refused.
func TestOpenModeLoopbackNames(t *testing.T) {
	srv := MustServerWith(t, ServerConfig{NoAccounts: true, PublicHosts: []string{"Renda.County.Example:8443"}})
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	create := `mutation($u: String!) { createAccount(input: {username: $u, role: ADMIN, password: "Rebound-口令-2024"}) { id } }`
	t.Run("ErrRebound", func(t *testing.T) {
		for _, host := range []string{"rebind.attacker.example", "rebind.attacker.example" + port, "localhost.attacker.example" + port, "10.0.0.8" + port, "[::2]" + port, "127.0.0.1.nip.io" + port} {
			c := srv.Client(t)
			c.host = host
			r := c.Do(create, map[string]any{"u": "evil"})
			if r.Status != http.StatusForbidden || r.code() != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "answers only requests addressed to localhost") {
				t.Errorf("Host %s: %d %s, want 403 FORBIDDEN saying only loopback names are answered", host, r.Status, r.Raw)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/deputies.csv?township=qps", nil)
		req.Host = "rebind.attacker.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "runs open") {
			t.Errorf("an export for a rebound name: %d %q, want 403 saying why", resp.StatusCode, b)
		}
		if n, err := srv.Store.Credentials.Count(context.Background()); err != nil || n != 0 {
			t.Fatalf("%d credentials after the rebound requests (%v), want none", n, err)
		}
	})
	t.Run("LoopbackNames", func(t *testing.T) {
		for _, host := range []string{"localhost" + port, "LOCALHOST", "127.0.0.1" + port, "127.3.2.1" + port, "[::1]" + port, "renda.county.example", "renda.county.example:8443"} {
			c := srv.Client(t)
			c.host = host
			var me struct {
				ID   string
				Open bool
			}
			_ = json.Unmarshal(c.MustOK(`{ me { id open } }`, nil)["me"], &me)
			if !me.Open || me.ID != "local" {
				t.Errorf("Host %s: me %+v, want the local admin of an open server", host, me)
			}
		}
	})
	t.Run("ClosesAtOnce", func(t *testing.T) {
		c := srv.Client(t)
		c.MustOK(create, map[string]any{"u": "first-admin"})
		if r := c.Do(`{ deputies { totalCount } }`, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("the request right after the first account was made: %s, want UNAUTHENTICATED", r.Raw)
		}
		if r := c.Do(create, map[string]any{"u": "second-admin"}); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("a second account without signing in: %s, want UNAUTHENTICATED", r.Raw)
		}
		// With accounts, a request for another host is asked to sign in
		// like any other: nothing acts as the local admin any more.
		c.host = "rebind.attacker.example"
		if r := c.Do(`{ me { id } }`, nil); r.Status != http.StatusOK || string(r.Data["me"]) != "null" {
			t.Fatalf("me for another host once accounts exist: %d %s, want null", r.Status, r.Raw)
		}
	})
}
