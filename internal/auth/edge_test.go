package auth_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// get fetches path with the client's cookie or key ("" path: none).
func (c *Client) get(path string) (*http.Response, string) {
	c.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestSignedInOnly: /metrics, GraphiQL and the schema (introspection)
// answer signed-in callers, not whoever reaches the port; only signing in
// (and __typename) stays open.
func TestSignedInOnly(t *testing.T) {
	srv := MustServer(t)
	anon := srv.Client(t)
	for _, path := range []string{"/metrics", "/graphiql", "/graphiql/assets/graphiql-3.9.0.min.js"} {
		if resp, body := anon.get(path); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "sign in") {
			t.Errorf("GET %s without credentials: %d %.100q; want 401 saying to sign in", path, resp.StatusCode, body)
		}
	}
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "Deputy") { name } }`} {
		if r := anon.Do(q, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s without credentials: %+v, want UNAUTHENTICATED", q, r.Errors)
		}
	}
	if r := anon.Do(`{ __typename }`, nil); len(r.Errors) > 0 {
		t.Errorf("__typename without credentials: %+v", r.Errors)
	}

	viewer := srv.Client(t)
	viewer.Login("viewer-a")
	if resp, body := viewer.get("/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "renda_http_requests_total") {
		t.Errorf("GET /metrics signed in: %d, want the figures", resp.StatusCode)
	}
	if resp, body := viewer.get("/graphiql"); resp.StatusCode != 200 || !strings.Contains(body, "GraphiQL") {
		t.Errorf("GET /graphiql signed in: %d, want the page", resp.StatusCode)
	}
	if r := viewer.Do(`{ __type(name: "Deputy") { name } }`, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data["__type"]), "Deputy") {
		t.Errorf("introspection signed in: %s %+v", r.Data["__type"], r.Errors)
	}
}

// TestSignedInOnlyOpen: on a server that runs open (loopback, no account
// yet) every caller is the local admin: /metrics, GraphiQL and the schema
// answer.
func TestSignedInOnlyOpen(t *testing.T) {
	srv := mustStack(t, ServerConfig{})
	c := srv.Client(t)
	for _, path := range []string{"/metrics", "/graphiql"} {
		if resp, _ := c.get(path); resp.StatusCode != 200 {
			t.Errorf("GET %s on an open server: %d, want 200", path, resp.StatusCode)
		}
	}
	if r := c.Do(`{ __schema { queryType { name } } }`, nil); len(r.Errors) > 0 {
		t.Errorf("introspection on an open server: %+v", r.Errors)
	}
}

// TestReportsNotFramed: every answer under /reports — the page, a
// document, a refusal — forbids other sites' pages to frame it.
func TestReportsNotFramed(t *testing.T) {
	srv := MustServer(t)
	clerk := srv.Client(t)
	clerk.Login("clerk-a")
	anon := srv.Client(t)
	for _, tc := range []struct {
		c      *Client
		path   string
		status int
	}{
		{clerk, "/reports", 200},
		{clerk, "/reports/deputy-roster?township=qps&format=html", 200},
		{clerk, "/reports/deputy-roster?township=qps&format=docx", 200},
		{clerk, "/reports/annual-summary?township=qps", 400},
		{anon, "/reports/deputy-roster?township=qps&format=html", 401},
	} {
		resp, _ := tc.c.get(tc.path)
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != tc.status || resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: %d, X-Frame-Options %q, CSP %q; want %d, DENY and frame-ancestors 'none'",
				tc.path, resp.StatusCode, resp.Header.Get("X-Frame-Options"), csp, tc.status)
		}
		if strings.Contains(tc.path, "html") && tc.status == 200 && !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("GET %s: CSP %q lost the page's own policy", tc.path, csp)
		}
	}
}

// TestCrossSiteOrigin: a write with the session cookie must come from
// renda's own origin — scheme, host and port — not only its host: a page
// of another port of the same host gets the cookie too.
func TestCrossSiteOrigin(t *testing.T) {
	srv := MustServer(t)
	c := srv.Client(t)
	c.Login("clerk-a")
	u, _ := url.Parse(srv.URL) // http://127.0.0.1:port
	write := func(headers map[string]string) int {
		body, _ := json.Marshal(map[string]any{"query": `mutation { updateVillage(id: "v-qps", input: {population: 7}) { id } }`})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"SameOrigin", map[string]string{"Origin": srv.URL}, 200},
		{"SameOriginCase", map[string]string{"Origin": "HTTP://" + strings.ToUpper(u.Host)}, 200},
		{"SameReferer", map[string]string{"Referer": srv.URL + "/villages"}, 200},
		{"ErrOtherPort", map[string]string{"Origin": "http://" + u.Hostname() + ":1"}, 403},
		{"ErrNoPort", map[string]string{"Origin": "http://" + u.Hostname()}, 403},
		{"ErrOtherScheme", map[string]string{"Origin": "https://" + u.Host}, 403},
		{"ErrRefererOtherPort", map[string]string{"Referer": "http://" + u.Hostname() + ":1/page"}, 403},
		{"ErrNull", map[string]string{"Origin": "null"}, 403},
		// Behind a proxy that ends TLS and says so, the browser's origin is https.
		{"BehindTLSProxy", map[string]string{"Origin": "https://" + u.Host, "X-Forwarded-Proto": "https"}, 200},
		{"ErrBehindTLSProxyPlain", map[string]string{"Origin": srv.URL, "X-Forwarded-Proto": "https"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := write(tc.headers); got != tc.status {
				t.Errorf("a cookie write with %v: %d, want %d", tc.headers, got, tc.status)
			}
		})
	}
}
