package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/server"
)

// TestBodyBudget: request bodies in flight share one budget. While one
// holds most of it, another that would pass it is told to retry (503,
// Retry-After) at once, unread; once the first is answered its share is
// free again.
func TestBodyBudget(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	graphql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Hold") != "" {
			entered <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done(): // the test ended early
				return
			}
		}
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		_, _ = io.WriteString(w, strconv.FormatInt(n, 10))
	})
	// A gate that signs in whoever says so (X-Anonymous: no credentials).
	gate := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := records.Actor{ID: "user:clerk", Role: records.Editor}
			if r.Header.Get("X-Anonymous") != "" {
				a = records.Anonymous
			}
			next.ServeHTTP(w, r.WithContext(records.WithActor(r.Context(), a)))
		})
	}
	ts := httptest.NewServer(server.Handler(server.Config{GraphQL: graphql, Gate: gate, Ping: func(context.Context) error { return nil },
		Metrics: server.NewMetrics(), Logger: slog.New(slog.DiscardHandler), BodyBudget: 1 << 20}))
	defer ts.Close()
	defer ts.CloseClientConnections() // first: handlers still held end

	// A request the guard wrongly let through would wait for its body:
	// a generous bound ends it instead of the test hanging.
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(size int64, body io.Reader, hold bool, headers ...string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", body)
		req.ContentLength = size
		if hold {
			req.Header.Set("X-Hold", "1")
		}
		for _, h := range headers {
			req.Header.Set(h, "1")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	const share = 600 << 10
	first := make(chan string, 1)
	go func() {
		_, b := post(share, bytes.NewReader(make([]byte, share)), true)
		first <- b
	}()
	<-entered // the first body holds its 600 KiB of the 1 MiB
	// The second says 600 KiB and sends none of it: it is answered anyway.
	pr, pw := io.Pipe()
	defer pw.Close()
	resp, body := post(share, pr, false)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" || !strings.Contains(body, `"code":"TIMEOUT"`) || !strings.Contains(body, `"limit":"BODY_BUDGET"`) {
		t.Fatalf("a second body past the budget: %d, Retry-After %q, %s; want 503, Retry-After 2, TIMEOUT BODY_BUDGET", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	release <- struct{}{}
	if b := <-first; b != strconv.Itoa(share) {
		t.Fatalf("the first answered %q, want its %d bytes read", b, share)
	}
	if resp, body := post(share, bytes.NewReader(make([]byte, share)), false); resp.StatusCode != 200 || body != strconv.Itoa(share) {
		t.Fatalf("the second again, once the first is answered: %d %q; want it served", resp.StatusCode, body)
	}

	// Anonymous bodies hold at most an eighth of the budget together (128
	// KiB of 1 MiB: eight of 16 KiB); a signed-in caller still gets in.
	const login = 16 << 10
	held := make(chan string, 8)
	for range 8 {
		go func() {
			_, b := post(login, bytes.NewReader(make([]byte, login)), true, "X-Anonymous")
			held <- b
		}()
		<-entered
	}
	pr2, pw2 := io.Pipe() // a body never sent: answered anyway
	defer pw2.Close()
	if resp, body := post(login, pr2, false, "X-Anonymous"); resp.StatusCode != 503 || !strings.Contains(body, "BODY_BUDGET") {
		t.Errorf("a ninth anonymous body while eight hold their share: %d %s; want 503", resp.StatusCode, body)
	}
	if resp, body := post(share, bytes.NewReader(make([]byte, share)), false); resp.StatusCode != 200 {
		t.Errorf("a signed-in body while anonymous ones hold their share: %d %s; want it served", resp.StatusCode, body)
	}
	for range 8 {
		release <- struct{}{}
	}
	for range 8 {
		if b := <-held; b != strconv.Itoa(login) {
			t.Errorf("an anonymous body answered %q", b)
		}
	}
}
