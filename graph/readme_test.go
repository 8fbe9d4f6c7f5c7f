package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/storetest"
)

// TestReadme_Analytics: the README's aggregate and dashboard examples run
// on the demo township and answer something.
func TestReadme_Analytics(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start, end := strings.Index(doc, "## Analysts and dashboards"), strings.Index(doc, "## Limits")
	if start < 0 || end < start {
		t.Fatal("README has no section Analysts and dashboards before Limits")
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(doc[start:end], -1)
	if len(blocks) < 2 {
		t.Fatalf("%d GraphQL examples, want the aggregates' and the dashboard's", len(blocks))
	}
	s := storetest.MustDemo(t)
	c := &Client{tb: t, h: graph.New(s, slog.New(slog.DiscardHandler)), commands: &commandCounter{n: map[string]int{}}}
	for i, m := range blocks {
		if strings.HasPrefix(strings.TrimSpace(m[1]), "subscription") {
			// A subscription is a stream: it must open (over SSE) without
			// an error; the changes it tells are TestChangesSSE's.
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			body, _ := json.Marshal(map[string]any{"query": m[1]})
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "text/event-stream")
			rec := httptest.NewRecorder()
			c.h.ServeHTTP(rec, req)
			cancel()
			if got := rec.Body.String(); rec.Code != http.StatusOK || !strings.HasPrefix(got, ":") || strings.Contains(got, "errors") {
				t.Fatalf("example %d (a subscription): %d %q", i+1, rec.Code, got)
			}
			continue
		}
		var out map[string]any
		c.MustDo(m[1], nil, &out)
		if len(out) == 0 {
			t.Fatalf("example %d answers nothing", i+1)
		}
	}
}
