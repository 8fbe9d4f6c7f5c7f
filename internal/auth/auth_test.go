package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/auth"
	"renda/internal/export"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/storetest"
	"renda/reports"
)

// Server is renda's whole HTTP stack over a fresh store holding two
// townships, A (qps, the demo) and B (a copy of it), with the accounts and
// keys the tests sign in with.
type Server struct {
	URL   string
	Store *records.Store
	Auth  *auth.Service
	now   *clock
}

// clock is the server's time, which a test moves on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// password is what every test account signs in with: long, of three kinds
// of character (汉字 and punctuation, upper-case, digits).
const password = "正确的马、电池和订书钉-OK7"

// ServerConfig is what a test may change of the stack.
type ServerConfig struct {
	NoAccounts  bool     // no account exists: the server runs open
	PublicHosts []string // --public-host
}

func MustServer(tb testing.TB) *Server { return MustServerWith(tb, ServerConfig{}) }

func MustServerWith(tb testing.TB, cfg ServerConfig) *Server {
	tb.Helper()
	srv := mustStack(tb, cfg)
	if cfg.NoAccounts {
		return srv
	}
	for _, a := range []auth.AccountInput{
		{ID: "admin", Role: records.Admin, Password: password},
		{ID: "clerk-a", Name: "甲镇文书", Role: records.Editor, Townships: []string{"qps"}, Password: password},
		{ID: "viewer-a", Role: records.Viewer, Townships: []string{"qps"}, Password: password},
	} {
		if _, err := srv.Auth.CreateAccount(context.Background(), a); err != nil {
			tb.Fatal(err)
		}
	}
	return srv
}

// mustStack is the stack of MustServer without its accounts: on loopback,
// it runs open.
func mustStack(tb testing.TB, cfg ServerConfig) *Server {
	tb.Helper()
	s := storetest.MustDemo(tb)
	ctx := context.Background()
	if _, err := s.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: "b"}, Name: "乙镇", County: "测试县"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: "b-v1", Township: "b"}, Name: "乙村"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{ID: "b-d1", Township: "b"}, Name: "乙代表", Levels: []records.Level{records.TOWNSHIP}, VillageID: "b-v1"}); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	srv := &Server{Store: s, now: &clock{t: time.Now().UTC().Truncate(time.Millisecond)}}
	svc := auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, Logger: log,
		SessionTTL: time.Hour, Now: srv.now.Now})
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	gate := auth.NewGate(auth.GateConfig{Service: svc, Logger: log, Loopback: true, Origins: []string{"https://dash.example"}, PublicHosts: cfg.PublicHosts})
	api.SetAuth(svc, gate.Open)
	h := server.Handler(server.Config{GraphQL: api, Reports: auth.RequireSignIn(report.Handler(reg, log)), Gate: gate.Handler,
		ReportsIndex: auth.RequireSignIn(report.IndexHandler(reg, log)),
		Export:       auth.RequireSignIn(export.Handler(api, s, log)),
		Ping:         s.Ping, Metrics: server.NewMetrics(), Logger: log})
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	srv.URL, srv.Auth = ts.URL, svc
	return srv
}

// Client is a browser (with a cookie jar) or a script (with a key).
type Client struct {
	tb     testing.TB
	srv    *Server
	c      *http.Client
	key    string
	origin string
	host   string // the Host header, if not the server's address
}

func (s *Server) Client(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{tb: tb, srv: s, c: &http.Client{Jar: jar}}
}

type result struct {
	Status int
	Raw    []byte // the body as answered
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code, Field string }
	}
}

func (r result) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

func (c *Client) Do(query string, vars map[string]any) result {
	c.tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	if c.host != "" {
		req.Host = c.host
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r result
	if err := json.Unmarshal(b, &r); err != nil {
		c.tb.Fatalf("%d: not JSON: %.200s", resp.StatusCode, b)
	}
	r.Status, r.Raw = resp.StatusCode, b
	return r
}

func (c *Client) Login(user string) {
	c.tb.Helper()
	r := c.Do(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { id role townships { id } } }`, map[string]any{"u": user, "p": password})
	if len(r.Errors) > 0 {
		c.tb.Fatalf("login %s: %+v", user, r.Errors)
	}
	if user == "clerk-a" && !strings.Contains(string(r.Data["login"]), `"townships":[{"id":"qps"}]`) {
		c.tb.Fatalf("login answered %s, want the account's township", r.Data["login"])
	}
}

func (c *Client) MustOK(query string, vars map[string]any) map[string]json.RawMessage {
	c.tb.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) > 0 {
		c.tb.Fatalf("%s: %+v", query, r.Errors)
	}
	return r.Data
}

// TestSignIn: without credentials only sign-in is open; a session and a
// key act with their role and townships; logout, an ended session and a
// revoked key are refused on their next request.
func TestSignIn(t *testing.T) {
	srv := MustServer(t)
	t.Run("ErrNoCredentials", func(t *testing.T) {
		c := srv.Client(t)
		for _, q := range []string{`{ deputies { totalCount } }`, `mutation { deleteVillage(id: "v-qps") { id } }`, `{ reportTemplates { id } }`} {
			if r := c.Do(q, nil); r.code() != "UNAUTHENTICATED" {
				t.Errorf("%s without credentials: %+v, want UNAUTHENTICATED", q, r.Errors)
			}
		}
		if r := c.Do(`{ me { id } }`, nil); len(r.Errors) > 0 || string(r.Data["me"]) != "null" {
			t.Errorf("me without credentials: %s %+v, want null", r.Data["me"], r.Errors)
		}
		resp, err := http.Get(srv.URL + "/reports/deputy-roster?township=qps")
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a report without credentials: %v %v, want 401", resp.StatusCode, err)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Do(`mutation { login(username: "clerk-a", password: "nope nope nope") { id } }`, nil)
		if r.code() != "UNAUTHENTICATED" || strings.Contains(r.Errors[0].Message, "clerk-a") {
			t.Fatalf("got %+v, want UNAUTHENTICATED without the name", r.Errors)
		}
		r = c.Do(`mutation { login(username: "nobody", password: "nope nope nope") { id } }`, nil)
		if r.code() != "UNAUTHENTICATED" {
			t.Fatalf("unknown user: %+v", r.Errors)
		}
	})
	t.Run("LoginLogout", func(t *testing.T) {
		c := srv.Client(t)
		c.Login("clerk-a")
		var me struct {
			Name      string
			Role      string
			Townships []struct{ ID string }
		}
		_ = json.Unmarshal(c.MustOK(`{ me { name role townships { id } } }`, nil)["me"], &me)
		if me.Name != "甲镇文书" || me.Role != "EDITOR" || len(me.Townships) != 1 || me.Townships[0].ID != "qps" {
			t.Fatalf("me %+v, want 甲镇文书, editor of qps", me)
		}
		c.MustOK(`mutation { logout }`, nil)
		if r := c.Do(`{ deputies { totalCount } }`, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("after logout: %+v, want UNAUTHENTICATED", r.Errors)
		}
	})
	t.Run("ErrSessionExpired", func(t *testing.T) {
		c := srv.Client(t)
		c.Login("viewer-a")
		c.MustOK(`{ deputies { totalCount } }`, nil)
		srv.now.Add(2 * time.Hour)
		defer srv.now.Add(-2 * time.Hour)
		r := c.Do(`{ deputies { totalCount } }`, nil)
		if r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "session has ended") {
			t.Fatalf("an expired session: %+v, want UNAUTHENTICATED saying the session ended", r.Errors)
		}
	})
	t.Run("Lockout", func(t *testing.T) {
		c := srv.Client(t)
		for range auth.MaxFailures {
			c.Do(`mutation { login(username: "viewer-a", password: "wrong wrong wrong") { id } }`, nil)
		}
		r := c.Do(`mutation($p: String!) { login(username: "viewer-a", password: $p) { id } }`, map[string]any{"p": password})
		if r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "try again in") {
			t.Fatalf("the right password while locked: %+v, want UNAUTHENTICATED, try again later", r.Errors)
		}
		srv.now.Add(2 * time.Minute)
		c.Login("viewer-a")
	})
	t.Run("KeyRevoked", func(t *testing.T) {
		admin := srv.Client(t)
		admin.Login("admin")
		var nk struct {
			Key    string
			APIKey struct{ ID string }
		}
		_ = json.Unmarshal(admin.MustOK(`mutation { createAPIKey(input: {name: "大屏", role: VIEWER, townships: ["qps"]}) { key apiKey { id } } }`, nil)["createAPIKey"], &nk)
		dash := srv.Client(t)
		dash.key = nk.Key
		dash.MustOK(`{ deputies { totalCount } }`, nil)
		if r := dash.Do(`mutation { updateVillage(id: "v-qps", input: {population: 1}) { id } }`, nil); r.code() != "FORBIDDEN" {
			t.Fatalf("a viewer key's mutation: %+v, want FORBIDDEN", r.Errors)
		}
		admin.MustOK(`mutation($id: ID!) { revokeAPIKey(id: $id) { revokedAt } }`, map[string]any{"id": nk.APIKey.ID})
		if r := dash.Do(`{ deputies { totalCount } }`, nil); r.code() != "UNAUTHENTICATED" || r.Status != http.StatusUnauthorized {
			t.Fatalf("a revoked key: %d %+v, want 401 UNAUTHENTICATED", r.Status, r.Errors)
		}
		bad := srv.Client(t)
		bad.key = "rk_nope_nope"
		if r := bad.Do(`{ me { id } }`, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("a made-up key: %+v, want UNAUTHENTICATED", r.Errors)
		}
	})
	t.Run("ErrCrossSiteWrite", func(t *testing.T) {
		c := srv.Client(t)
		c.Login("clerk-a")
		c.origin = "https://evil.example"
		if r := c.Do(`mutation { updateVillage(id: "v-qps", input: {population: 2}) { id } }`, nil); r.code() != "FORBIDDEN" || r.Status != http.StatusForbidden {
			t.Fatalf("a write from another site with the session: %d %+v, want 403 FORBIDDEN", r.Status, r.Errors)
		}
		c.origin = srv.URL
		c.MustOK(`mutation { updateVillage(id: "v-qps", input: {population: 2}) { id } }`, nil)
	})
}

// TestTownshipScope: a credential of township A sees nothing of B, by any
// path: by id, by filter, through a relation, through a report, through a
// count; a viewer may not write.
func TestTownshipScope(t *testing.T) {
	srv := MustServer(t)
	c := srv.Client(t)
	c.Login("clerk-a")
	for name, tc := range map[string]struct {
		query string
		code  string
	}{
		"ByID":          {`{ deputy(id: "b-d1") { name } }`, "NOT_FOUND"},
		"ByTownship":    {`{ deputies(township: "b") { totalCount } }`, "NOT_FOUND"},
		"Township":      {`{ township(id: "b") { name } }`, "NOT_FOUND"},
		"Report":        {`{ renderReport(template: "deputy-roster", params: {township: "b"}) { content } }`, "NOT_FOUND"},
		"History":       {`{ history(id: "b-d1") { version } }`, "NOT_FOUND"},
		"Update":        {`mutation { updateDeputy(id: "b-d1", input: {name: "改"}) { id } }`, "NOT_FOUND"},
		"CreateIn":      {`mutation { createVillage(input: {township: "b", name: "新村"}) { id } }`, "NOT_FOUND"},
		"CreateTown":    {`mutation { createTownship(input: {name: "新镇"}) { id } }`, "FORBIDDEN"},
		"AccountsAdmin": {`{ accounts { id } }`, "FORBIDDEN"},
		"Aggregate":     {`{ deputiesAggregate(township: "b") { count } }`, "NOT_FOUND"},
		"Aggregates":    {`{ villagesAggregate(townships: ["qps", "b"]) { count } }`, "NOT_FOUND"},
		"Dashboard":     {`{ dashboard(townships: ["b"], year: 2023) { deputies { byLevel { count } } } }`, "NOT_FOUND"},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			if r := c.Do(tc.query, nil); r.code() != tc.code {
				t.Fatalf("%s: %+v, want %s", tc.query, r.Errors, tc.code)
			}
		})
	}
	t.Run("ListsAndCounts", func(t *testing.T) {
		var out struct {
			Deputies struct {
				TotalCount int
				Nodes      []struct{ Township struct{ ID string } }
			}
			Townships struct{ Nodes []struct{ ID string } }
			Villages  struct{ TotalCount int }
		}
		d := c.MustOK(`{ deputies(first: 500) { totalCount nodes { township { id } } } townships { nodes { id } } villages { totalCount } }`, nil)
		b, _ := json.Marshal(d)
		_ = json.Unmarshal(b, &out)
		if out.Deputies.TotalCount != 40 || len(out.Townships.Nodes) != 1 || out.Townships.Nodes[0].ID != "qps" || out.Villages.TotalCount != 15 {
			t.Fatalf("counts %d deputies, %d townships, %d villages; want only qps's 40, 1, 15", out.Deputies.TotalCount, len(out.Townships.Nodes), out.Villages.TotalCount)
		}
		for _, n := range out.Deputies.Nodes {
			if n.Township.ID != "qps" {
				t.Fatalf("a deputy of %s in the list", n.Township.ID)
			}
		}
	})
	t.Run("AggregatesCountOwn", func(t *testing.T) {
		var out struct {
			DeputiesAggregate struct {
				Count   int
				GroupBy []struct{ Count int }
			}
		}
		d := c.MustOK(`{ deputiesAggregate { count groupBy(fields: [TOWNSHIP]) { count } } }`, nil)
		b, _ := json.Marshal(d)
		_ = json.Unmarshal(b, &out)
		if out.DeputiesAggregate.Count != 40 || len(out.DeputiesAggregate.GroupBy) != 1 {
			t.Fatalf("aggregate %+v, want qps's 40 deputies in one township group", out.DeputiesAggregate)
		}
	})
	t.Run("ErrExport", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/deputies.csv?township=b", nil)
		resp, err := c.c.Do(req)
		if err != nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("exporting B's deputies: %v %v, want 404", resp.StatusCode, err)
		}
		resp, err = http.Get(srv.URL + "/export/deputies.csv?township=qps")
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("an export without credentials: %v %v, want 401", resp.StatusCode, err)
		}
	})
	t.Run("ErrReportDownload", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/reports/deputy-roster?township=b", nil)
		resp, err := c.c.Do(req)
		if err != nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("downloading B's roster: %v %v, want 404", resp.StatusCode, err)
		}
	})
	t.Run("ErrViewerWrites", func(t *testing.T) {
		v := srv.Client(t)
		v.Login("viewer-a")
		if r := v.Do(`mutation { updateVillage(id: "v-qps", input: {population: 3}) { id } }`, nil); r.code() != "FORBIDDEN" {
			t.Fatalf("a viewer's mutation: %+v, want FORBIDDEN", r.Errors)
		}
		if r := v.Do(`mutation { saveReportTemplate(id: "x", files: []) { id } }`, nil); r.code() != "FORBIDDEN" {
			t.Fatalf("a viewer's upload: %+v, want FORBIDDEN", r.Errors)
		}
	})
}

// TestRevertAudited: an admin reverts a change a clerk made; the record is
// back as it was, and the audit log says who did what.
func TestRevertAudited(t *testing.T) {
	srv := MustServer(t)
	clerk := srv.Client(t)
	clerk.Login("clerk-a")
	clerk.MustOK(`mutation { updateVillage(id: "v-qps", input: {name: "改错的名字"}) { version } }`, nil)
	admin := srv.Client(t)
	admin.Login("admin")
	var h []struct {
		Version int
		Actor   string
		Action  string
		After   map[string]any
	}
	_ = json.Unmarshal(admin.MustOK(`{ history(id: "v-qps") { version actor action after } }`, nil)["history"], &h)
	if len(h) < 2 || h[0].Actor != "user:clerk-a" || h[0].After["name"] != "改错的名字" {
		t.Fatalf("history %+v, want the clerk's change first", h)
	}
	var e struct {
		Version int
		Actor   string
		Action  string
		Before  map[string]any
		After   map[string]any
	}
	_ = json.Unmarshal(admin.MustOK(`mutation($v: Int!) { revert(id: "v-qps", version: $v) { version actor action before after } }`, map[string]any{"v": h[1].Version})["revert"], &e)
	if e.Action != "revert" || e.Actor != "user:admin" || e.Before["name"] != "改错的名字" || e.After["name"] != "棋盘山村" {
		t.Fatalf("revert entry %+v, want admin reverting 改错的名字 to 棋盘山村", e)
	}
	var log struct {
		Nodes []struct {
			Actor, Action, RecordID string
		}
	}
	_ = json.Unmarshal(admin.MustOK(`{ auditLog(filter: {recordId: "v-qps"}, first: 5) { nodes { actor action recordId } } }`, nil)["auditLog"], &log)
	if len(log.Nodes) < 2 || log.Nodes[0].Action != "revert" || log.Nodes[0].Actor != "user:admin" || log.Nodes[1].Actor != "user:clerk-a" {
		t.Fatalf("audit log %+v, want the revert by admin, then the clerk's update", log.Nodes)
	}
	if r := clerk.Do(`{ auditLog { nodes { id } } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("a clerk reading the audit log: %+v, want FORBIDDEN", r.Errors)
	}
}

// TestCORS: a browser page of an origin configured may call the API with
// a key; any other origin gets no CORS answer, so its page cannot read one.
func TestCORS(t *testing.T) {
	srv := MustServer(t)
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := preflight("https://dash.example"); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://dash.example" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight from the allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight("https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin answered %v", resp.Header)
	}
}
