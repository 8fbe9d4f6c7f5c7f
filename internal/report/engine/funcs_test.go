package engine_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"renda/internal/report/engine"
)

var update = flag.Bool("update", false, "rewrite docs/template-functions.md")

const referencePath = "../../../docs/template-functions.md"

// TestExamples runs every example of every function through Parse and
// Execute.
func TestExamples(t *testing.T) {
	for _, f := range engine.Funcs() {
		for i, ex := range f.Examples {
			t.Run(f.Name+"/"+string(rune('0'+i)), func(t *testing.T) {
				got := MustRender(t, map[string]string{"example.tmpl": ex.Template}, engine.ExampleOptions(), engine.ExampleData())
				if got != ex.Want {
					t.Errorf("%s\n got: %q\nwant: %q", ex.Template, got, ex.Want)
				}
			})
		}
	}
}

// TestFuncs checks that every listed function is documented and has an example.
func TestFuncs(t *testing.T) {
	for _, f := range engine.Funcs() {
		if f.Doc == "" {
			t.Errorf("%s: no doc", f.Name)
		}
		if f.Namespace == "" {
			t.Errorf("%s: no namespace", f.Name)
		}
		if f.Fn == nil && f.Namespace != "sprig" {
			t.Errorf("%s: no Fn", f.Name)
		}
	}
}

// TestFuncReference fails when docs/template-functions.md is stale;
// go test ./internal/report/engine -update rewrites it.
func TestFuncReference(t *testing.T) {
	want := engine.Reference()
	if *update {
		if err := os.WriteFile(filepath.FromSlash(referencePath), want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.FromSlash(referencePath))
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report/engine -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale; run go test ./internal/report/engine -update", referencePath)
	}
}

// MustParse parses files or fails the test.
func MustParse(tb testing.TB, files map[string]string, opts engine.Options) *engine.Template {
	tb.Helper()
	tmpl, err := engine.Parse(files, opts)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return tmpl
}

// MustRender parses files and renders the only (or "main.tmpl" / first) file.
func MustRender(tb testing.TB, files map[string]string, opts engine.Options, data any) string {
	tb.Helper()
	tmpl := MustParse(tb, files, opts)
	out, err := tmpl.Execute(context.Background(), firstName(files), data)
	if err != nil {
		tb.Fatalf("Execute: %v", err)
	}
	return string(out)
}

func firstName(files map[string]string) string {
	if _, ok := files["main.tmpl"]; ok {
		return "main.tmpl"
	}
	for name := range files {
		return name
	}
	return ""
}

// TestNowInChina: without a clock of its own, a template's now is the
// time in China, so a document rendered at 07:00 in Shanghai is dated that
// day, not the previous one of a server on UTC.
func TestNowInChina(t *testing.T) {
	tmpl := MustParse(t, map[string]string{"t": `{{ now | date "-0700" }}`}, engine.Options{})
	out, err := tmpl.Execute(context.Background(), "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "+0800"; got != want {
		t.Errorf("now's zone: got %s, want %s", got, want)
	}
}
