package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renda/internal/importer"
)

// TestDocs keeps docs/import.md's tables of headers in step with the
// headers the importer recognises.
func TestDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "import.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []importer.Kind{importer.Deputies, importer.Villages, importer.Projects} {
		section := string(doc)[strings.Index(string(doc), "(`"+string(kind)+"`)"):]
		for _, f := range importer.Fields(kind) {
			line := ""
			for _, l := range strings.Split(section, "\n") {
				if strings.HasPrefix(l, "| `"+f.Name+"` |") {
					line = l
					break
				}
			}
			if got, want := line, "| `"+f.Name+"` | "+strings.Join(append([]string{f.Label}, f.Headers...), "、")+" |"; got != want {
				t.Errorf("docs/import.md, %s:\ngot  %s\nwant %s", kind, got, want)
			}
		}
	}
}
