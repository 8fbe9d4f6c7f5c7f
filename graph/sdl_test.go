package graph_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"renda/graph"
)

var update = flag.Bool("update", false, "rewrite ../schema.graphqls")

// TestSchemaFile: schema.graphqls at the repository root is the whole
// schema the sources under graph/schema/ make, so clients generating code
// from it generate it for what the server serves.
func TestSchemaFile(t *testing.T) {
	const path = "../schema.graphqls"
	want := graph.SchemaSDL()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: regenerate it with go test ./graph -run TestSchemaFile -update", err)
	}
	if string(got) != want {
		t.Fatalf("schema.graphqls is stale (it differs from graph/schema/*.graphqls from line %d): regenerate it with go test ./graph -run TestSchemaFile -update", firstDiff(string(got), want))
	}
	// It stands alone: a client's tools load it without renda's sources.
	if _, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(got)}); err != nil {
		t.Fatalf("schema.graphqls does not load on its own: %v", err)
	}
}

func firstDiff(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
