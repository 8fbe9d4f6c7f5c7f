package graph_test

import (
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

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
		var out map[string]any
		c.MustDo(m[1], nil, &out)
		if len(out) == 0 {
			t.Fatalf("example %d answers nothing", i+1)
		}
	}
}
