package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"renda/web"
)

// sources lists the console's source files as scripts/stamp.mjs does: every
// file under web/ except node_modules/, dist/, Go files and dotfiles.
func sources(tb testing.TB) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (name == "node_modules" || name == "dist" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[filepath.ToSlash(p)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestBuildMatchesSources fails when dist/ was not rebuilt after a source
// changed: the build records every source file's hash in dist/SOURCES.txt.
func TestBuildMatchesSources(t *testing.T) {
	data, err := fs.ReadFile(web.Dist(), "SOURCES.txt")
	if err != nil {
		t.Fatalf("the embedded build has no SOURCES.txt (%v): rebuild with `cd web && npm ci && npm run build`", err)
	}
	built := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SOURCES.txt: bad line %q", line)
		}
		built[name] = sum
	}
	have := sources(t)
	var stale []string
	for name, sum := range have {
		switch b, ok := built[name]; {
		case !ok:
			stale = append(stale, name+" (new since the build)")
		case b != sum:
			stale = append(stale, name+" (changed since the build)")
		}
	}
	for name := range built {
		if _, ok := have[name]; !ok {
			stale = append(stale, name+" (removed since the build)")
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Fatalf("the committed build in web/dist does not match the sources; rebuild with `cd web && npm ci && npm run build` and commit web/dist:\n  %s", strings.Join(stale, "\n  "))
	}
	for _, must := range []string{"package.json", "package-lock.json", "index.html", "src/main.js"} {
		if _, ok := built[must]; !ok {
			t.Errorf("SOURCES.txt does not cover %s", must)
		}
	}
}
