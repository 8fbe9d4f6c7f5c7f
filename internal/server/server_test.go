package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"renda/internal/server"
)

// MustServer returns a handler whose database answers ping with pingErr.
func MustServer(tb testing.TB, pingErr error) (http.Handler, *server.Metrics) {
	tb.Helper()
	m := server.NewMetrics()
	h := server.Handler(server.Config{
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"data":{}}`) }),
		Ping:    func(context.Context) error { return pingErr },
		Metrics: m,
		Logger:  slog.New(slog.DiscardHandler),
	})
	return h, m
}

func get(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestEndpoints(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		h, m := MustServer(t, nil)
		m.DBCommand("find")
		m.DBCommand("find")
		for path, want := range map[string]string{
			"/healthz":  "ok",
			"/readyz":   "ready",
			"/":         "人大工作管理系统",
			"/graphiql": "GraphiQL",
			"/graphql":  `{"data":{}}`,
			"/metrics":  `renda_db_commands_total{command="find"} 2`,
		} {
			if code, body := get(h, path); code != 200 || !strings.Contains(body, want) {
				t.Errorf("GET %s = %d, body lacks %q", path, code, want)
			}
		}
		if _, body := get(h, "/metrics"); !strings.Contains(body, `renda_http_requests_total{code="200",path="GET /healthz"} 1`) {
			t.Errorf("request counter missing from /metrics")
		}
	})
	t.Run("ErrDatabaseDown", func(t *testing.T) {
		h, _ := MustServer(t, errors.New("connection refused"))
		if code, body := get(h, "/readyz"); code != 503 || strings.Contains(body, "refused") {
			t.Fatalf("GET /readyz = %d %q, want 503 without internal detail", code, body)
		}
		if code, _ := get(h, "/healthz"); code != 200 {
			t.Fatalf("GET /healthz = %d, want 200 while the process is up", code)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		h, _ := MustServer(t, nil)
		if code, _ := get(h, "/nope"); code != 404 {
			t.Fatalf("GET /nope = %d, want 404", code)
		}
	})
}
