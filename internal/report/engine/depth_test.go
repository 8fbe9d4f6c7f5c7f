package engine_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"renda/internal/report/engine"
)

// TestCallDepth: a template that calls itself through template or include,
// with blocks around each call, is stopped with a clear error long before
// the goroutine stack is in danger: before the limit on calls, the stack
// of an execution stays small whatever the template does.
func TestCallDepth(t *testing.T) {
	blocks := func(open, close string, n int) (string, string) {
		return strings.Repeat(open, n), strings.Repeat(close, n)
	}
	with8o, with8c := blocks("{{with .}}", "{{end}}", 8)
	range8o, range8c := blocks("{{range list 1}}", "{{end}}", 8)
	if8o, if8c := blocks("{{if true}}", "{{end}}", 8)
	deepo, deepc := blocks("{{with .}}", "{{end}}", 99)
	for _, tc := range []struct{ name, src, want string }{
		{"ErrTemplateWith", `{{define "r"}}` + with8o + `{{template "r" .}}` + with8c + `{{end}}{{template "r" .}}`, "template recursion too deep"},
		{"ErrTemplateRange", `{{define "r"}}` + range8o + `{{template "r" .}}` + range8c + `{{end}}{{template "r" .}}`, "template recursion too deep"},
		{"ErrTemplateIf", `{{define "r"}}` + if8o + `{{template "r" .}}` + if8c + `{{end}}{{template "r" .}}`, "template recursion too deep"},
		{"ErrIncludeWith", `{{define "r"}}` + with8o + `{{include "r" .}}` + with8c + `{{end}}{{include "r" .}}`, "include recursion too deep"},
		{"ErrIncludePiped", `{{define "r"}}` + with8o + `{{. | include "r"}}` + with8c + `{{end}}{{include "r" .}}`, "include recursion too deep"},
		{"ErrMutual", `{{define "a"}}{{with .}}{{template "b" .}}{{end}}{{end}}{{define "b"}}{{if .}}{{include "a" .}}{{end}}{{end}}{{template "a" .}}`, "recursion too deep"},
		{"ErrDeepBlocksRecursion", `{{define "r"}}` + deepo + `{{template "r" .}}` + deepc + `{{end}}{{template "r" .}}`, "recursion too deep"},
		{"ErrPlain", `{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}`, "template recursion too deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			e := MustError(t, map[string]string{"a.tmpl": tc.src}, engine.Options{}, map[string]any{"x": 1})
			if !strings.Contains(e.Msg, tc.want) {
				t.Errorf("error %q, want it to contain %q", e.Msg, tc.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v, want the limit to stop it at once", d)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		// Recursion that ends: 20 levels with blocks around each call.
		src := `{{define "r"}}{{if gt . 0}}{{with .}}{{.}}{{template "r" (sub . 1)}}{{end}}{{end}}{{end}}{{template "r" 20}}`
		if got := MustRender(t, map[string]string{"a.tmpl": src}, engine.Options{}, nil); !strings.HasPrefix(got, "2019181716") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("StackStaysSmall", func(t *testing.T) {
		// Just under the limits: the deepest stack an execution can build.
		src := `{{define "r"}}{{if gt . 0}}` + strings.Repeat("{{with .}}", 38) + `{{template "r" (sub . 1)}}` + strings.Repeat("{{end}}", 38) + `{{end}}{{end}}{{template "r" 49}}`
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		MustRender(t, map[string]string{"a.tmpl": src}, engine.Options{}, nil)
		runtime.ReadMemStats(&after) // the test's goroutine keeps its grown stack until the next GC
		peak := after.StackInuse
		t.Logf("stacks in use: %d KiB before, %d KiB after the deepest execution", before.StackInuse>>10, peak>>10)
		if peak > 64<<20 {
			t.Errorf("stacks in use peaked at %d MiB, want far below the 1 GiB goroutine limit", peak>>20)
		}
	})
}

// TestNesting: blocks and parentheses nest at most 100 deep in one
// template; deeper is refused when the template is parsed.
func TestNesting(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  func(n int) string
	}{
		{"With", func(n int) string { return strings.Repeat("{{with .}}", n) + "x" + strings.Repeat("{{end}}", n) }},
		{"Range", func(n int) string { return strings.Repeat("{{range list 1}}", n) + "x" + strings.Repeat("{{end}}", n) }},
		{"Parens", func(n int) string { return "{{" + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "}}" }},
	} {
		t.Run(tc.name+"/OK", func(t *testing.T) {
			MustParse(t, map[string]string{"a.tmpl": tc.src(99)}, engine.Options{})
		})
		t.Run(tc.name+"/ErrTooDeep", func(t *testing.T) {
			_, err := engine.Parse(map[string]string{"a.tmpl": tc.src(101)}, engine.Options{})
			if err == nil || !strings.Contains(err.Error(), "more than 100 levels deep") || !strings.HasPrefix(err.Error(), "a.tmpl:1") {
				t.Fatalf("got %v, want a.tmpl:1:… nests … more than 100 levels deep", err)
			}
		})
	}
}
