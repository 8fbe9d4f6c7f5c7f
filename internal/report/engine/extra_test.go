package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/report/engine"
)

func TestCompare(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data := map[string]any{"n": 2.0, "k": 2, "s": "2"}
		got := MustRender(t, map[string]string{"a.tmpl": `{{eq .n .k}} {{lt .k 2.5}} {{ge .n .k}} {{eq .s .k}} {{ne .s .k}} {{eq nil nil}}`}, engine.Options{}, data)
		if want := "true true true false true true"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("ErrOrderMixedKinds", func(t *testing.T) {
		err := MustError(t, map[string]string{"a.tmpl": `{{lt "a" 1}}`}, engine.Options{}, nil)
		if !strings.Contains(err.Msg, "cannot order") || err.Line != 1 {
			t.Fatalf("got %v, want a 'cannot order' error on line 1", err)
		}
	})
	t.Run("ErrCompareLists", func(t *testing.T) {
		err := MustError(t, map[string]string{"a.tmpl": `{{eq (list 1) 1}}`}, engine.Options{}, nil)
		if !strings.Contains(err.Msg, "cannot compare") {
			t.Fatalf("got %v, want a 'cannot compare' error", err)
		}
	})
}

func TestWarn(t *testing.T) {
	tmpl := MustParse(t, map[string]string{"a.tmpl": `{{range .}}{{warn "no %s records" .}}{{end}}done`}, engine.Options{})
	t.Run("OK", func(t *testing.T) {
		var w []string
		out, err := tmpl.Execute(engine.CollectWarnings(context.Background(), &w), "a.tmpl", []string{"视察", "评议"})
		if err != nil || string(out) != "done" {
			t.Fatalf("got %q, %v; want done", out, err)
		}
		if want := []string{"no 视察 records", "no 评议 records"}; !slices.Equal(w, want) {
			t.Fatalf("warnings %q, want %q", w, want)
		}
	})
	t.Run("OKWithoutCollector", func(t *testing.T) {
		if out, err := tmpl.Execute(context.Background(), "a.tmpl", []string{"x"}); err != nil || string(out) != "done" {
			t.Fatalf("got %q, %v; want done", out, err)
		}
	})
	t.Run("AtMost100", func(t *testing.T) {
		var w []string
		items := make([]int, 500)
		if _, err := tmpl.Execute(engine.CollectWarnings(context.Background(), &w), "a.tmpl", items); err != nil {
			t.Fatal(err)
		}
		if len(w) != 100 {
			t.Fatalf("%d warnings kept, want 100", len(w))
		}
	})
}

// TestSortHugeStrings: sorting long texts is bounded, not a way to
// exhaust memory.
func TestSortHugeStrings(t *testing.T) {
	for _, fn := range []string{"sortNatural", "sortByPinyin"} {
		t.Run(fn, func(t *testing.T) {
			files := map[string]string{"a.tmpl": `{{ $s := repeat 1000000 "1a" }}{{ $l := list }}{{ range until 100 }}{{ $l = append $l $s }}{{ end }}{{ ` + fn + ` $l | len }}`}
			tmpl := MustParse(t, files, engine.Options{Timeout: 5 * time.Second})
			start := time.Now()
			_, err := tmpl.Execute(context.Background(), "a.tmpl", nil)
			if err == nil {
				t.Fatal("sorting 100 strings of 2 MB each was accepted")
			}
			if !strings.Contains(err.Error(), fn) {
				t.Fatalf("got %v, want %s itself to refuse", err, fn)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("took %v", took)
			}
		})
	}
}

func TestDuplicateDefine(t *testing.T) {
	t.Run("ErrTwoFiles", func(t *testing.T) {
		_, err := engine.Parse(map[string]string{
			"a.tmpl":  `{{ include "part" . }}`,
			"_x.tmpl": "{{ define \"part\" }}x{{ end }}",
			"_y.tmpl": "\n{{ define \"part\" }}y{{ end }}",
		}, engine.Options{})
		if err == nil || err.Error() != `_y.tmpl:2: template "part" is defined in _x.tmpl too; give one of them another name` {
			t.Fatalf("got %v, want the second definition named", err)
		}
	})
	t.Run("ErrShadowsFile", func(t *testing.T) {
		_, err := engine.Parse(map[string]string{"a.tmpl": "{{ define \"b.tmpl\" }}{{ end }}", "b.tmpl": "b"}, engine.Options{})
		if err == nil || !strings.Contains(err.Error(), `"b.tmpl" is defined in b.tmpl too`) {
			t.Fatalf("got %v", err)
		}
	})
}
