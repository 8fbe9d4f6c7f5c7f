package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"renda/internal/report/engine"
)

// MustError runs files (rendering main.tmpl or the only file) and returns
// the *engine.Error of Parse or Execute, failing if there is none.
func MustError(tb testing.TB, files map[string]string, opts engine.Options, data any) *engine.Error {
	tb.Helper()
	tmpl, err := engine.Parse(files, opts)
	if err == nil {
		_, err = tmpl.Execute(context.Background(), firstName(files), data)
	}
	if err == nil {
		tb.Fatalf("no error, want one")
	}
	var e *engine.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v is %T, want *engine.Error", err, err)
	}
	return e
}

func checkError(t *testing.T, e *engine.Error, file string, line, col int, contains string) {
	t.Helper()
	if e.File != file || e.Line != line || e.Col != col {
		t.Errorf("error at %s:%d:%d, want %s:%d:%d (%v)", e.File, e.Line, e.Col, file, line, col, e)
	}
	if !strings.Contains(e.Msg, contains) {
		t.Errorf("error %q, want it to contain %q", e.Msg, contains)
	}
}

func short() engine.Options { return engine.Options{Timeout: 200 * time.Millisecond} }

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got := MustRender(t, map[string]string{
			"main.tmpl":   `{{template "_head.tmpl" .}}|{{include "_intro.tmpl" . | trim}}|{{template "x" .}}`,
			"_head.tmpl":  `{{.name}}`,
			"_intro.tmpl": "  {{cnNum .n}}  {{define \"x\"}}{{section 1 .n}}{{end}}",
		}, engine.Options{}, map[string]any{"name": "棋盘山镇", "n": 6.0})
		if want := "棋盘山镇|六|六、"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	for _, fn := range []string{"env", "expandenv", "getHostByName", "genPrivateKey", "randAlpha", "uuidv4", "randInt", "bcrypt", "osBase", "dateInZone"} {
		t.Run("ErrRemoved/"+fn, func(t *testing.T) {
			e := MustError(t, map[string]string{"a.tmpl": "第一行\n内容{{ " + fn + ` "HOME" }}`}, engine.Options{}, nil)
			checkError(t, e, "a.tmpl", 2, 6, `function "`+fn+`" not defined`)
		})
	}
	t.Run("ErrSyntax", func(t *testing.T) {
		e := MustError(t, map[string]string{"b.tmpl": "ok\n{{if .x}}"}, engine.Options{}, nil)
		checkError(t, e, "b.tmpl", 2, 0, "unexpected EOF")
		if got := e.Error(); !strings.HasPrefix(got, "b.tmpl:2: ") {
			t.Errorf("Error() = %q, want it to start with b.tmpl:2: ", got)
		}
	})
	t.Run("ErrNoFiles", func(t *testing.T) {
		if _, err := engine.Parse(nil, engine.Options{}); err == nil {
			t.Fatal("no error for no files")
		}
	})
}

func TestExecute(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data := map[string]any{"count": json.Number("3"), "items": []any{map[string]any{"n": 1.0}}}
		got := MustRender(t, map[string]string{"a.tmpl": `{{range .count}}{{.}}{{end}}{{range .items}}{{.n}}{{end}}{{range $i := 2}}{{if eq $i 1}}{{break}}{{end}}x{{end}}`}, engine.Options{}, data)
		if want := "0121x"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("Each", func(t *testing.T) {
		// A document and its file name in one execution: each output its
		// own, an error located in the template that failed.
		tmpl := MustParse(t, map[string]string{"a.tmpl": `{{.n}} 件{{define "name"}}第{{.n}}号{{end}}{{define "bad"}}{{.x.y}}{{end}}`}, engine.Options{})
		outs, err := tmpl.ExecuteEach(context.Background(), map[string]any{"n": 3, "x": map[string]any{}}, "a.tmpl", "name")
		if err != nil || len(outs) != 2 || string(outs[0]) != "3 件" || string(outs[1]) != "第3号" {
			t.Fatalf("got %q, %v; want [3 件 第3号]", outs, err)
		}
		if !tmpl.Has("name") || tmpl.Has("nothing") {
			t.Errorf("Has: name %v, nothing %v", tmpl.Has("name"), tmpl.Has("nothing"))
		}
		_, err = tmpl.ExecuteEach(context.Background(), map[string]any{"n": 3, "x": map[string]any{}}, "a.tmpl", "bad")
		if err == nil || !strings.Contains(err.Error(), `map has no entry for key "y"`) {
			t.Errorf("got %v, want the missing key of the second template", err)
		}
		if _, err := tmpl.ExecuteEach(context.Background(), nil, "a.tmpl", "nothing"); err == nil || !strings.Contains(err.Error(), `no template "nothing"`) {
			t.Errorf("got %v, want no template error", err)
		}
	})
	t.Run("ErrNoTemplate", func(t *testing.T) {
		tmpl := MustParse(t, map[string]string{"a.tmpl": "x"}, engine.Options{})
		if _, err := tmpl.Execute(context.Background(), "b.tmpl", nil); err == nil || !strings.Contains(err.Error(), `no template "b.tmpl"`) {
			t.Errorf("got %v, want no template error", err)
		}
	})
	t.Run("ErrMissingKey", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": "镇名：{{.township.nmae}}"}, engine.Options{}, map[string]any{"township": map[string]any{"name": "x"}})
		checkError(t, e, "a.tmpl", 1, 15, `map has no entry for key "nmae"`)
		if want := `a.tmpl:1:15: <.township.nmae>: map has no entry for key "nmae"`; e.Error() != want {
			t.Errorf("Error() = %q, want %q", e.Error(), want)
		}
	})
	t.Run("ErrRequired", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": `{{required "请填写年份" .year}}`}, engine.Options{}, map[string]any{"year": ""})
		checkError(t, e, "a.tmpl", 1, 3, "请填写年份")
		if e.Msg != "请填写年份" || !e.Missing {
			t.Errorf("Msg = %q, Missing = %v; want only the message, marked missing", e.Msg, e.Missing)
		}
	})
	t.Run("ErrFail", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": `{{fail "stop"}}`}, engine.Options{}, nil)
		checkError(t, e, "a.tmpl", 1, 3, "stop")
		if e.Missing {
			t.Errorf("fail is marked missing; only required is")
		}
	})
	t.Run("ErrPanic", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": "\n  {{div 1 0}}"}, engine.Options{}, nil)
		checkError(t, e, "a.tmpl", 2, 5, "integer divide by zero")
	})
	t.Run("ErrFunction", func(t *testing.T) {
		e := MustError(t, map[string]string{"a.tmpl": `{{cnNum "abc"}}`}, engine.Options{}, nil)
		checkError(t, e, "a.tmpl", 1, 3, `not a number: "abc"`)
	})
	t.Run("ErrInDefine", func(t *testing.T) {
		e := MustError(t, map[string]string{
			"main.tmpl":  `{{template "x" .}}`,
			"_defs.tmpl": "{{define \"x\"}}\n{{.missing}}{{end}}",
		}, engine.Options{}, map[string]any{})
		checkError(t, e, "_defs.tmpl", 2, 3, `map has no entry for key "missing"`)
	})
	t.Run("ErrInInclude", func(t *testing.T) {
		e := MustError(t, map[string]string{
			"main.tmpl": `{{include "_sub.tmpl" .}}`,
			"_sub.tmpl": "\n\n 你好{{cnNum .x}}",
		}, engine.Options{}, map[string]any{"x": "y"})
		checkError(t, e, "_sub.tmpl", 3, 6, `not a number: "y"`)
	})
	t.Run("ErrCancelled", func(t *testing.T) {
		tmpl := MustParse(t, map[string]string{"a.tmpl": "{{range 10}}x{{end}}"}, engine.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := tmpl.Execute(ctx, "a.tmpl", nil)
		if err == nil || !strings.Contains(err.Error(), "cancel") {
			t.Errorf("got %v, want cancelled", err)
		}
	})
}

func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		opts      engine.Options
		want      string
	}{
		{"ErrUntil", `{{until 100000000}}`, engine.Options{}, "until: 100000000 elements exceed the limit of 10000"},
		{"ErrUntilStep", `{{untilStep 0 100000000 1}}`, engine.Options{}, "exceed the limit"},
		{"ErrSeq", `{{seq 1 1000000}}`, engine.Options{}, "exceed the limit"},
		{"ErrRangeInt", `{{range 1000000000}}{{end}}`, short(), "range over 1e+09 items exceeds the limit of 100000"},
		{"ErrDeadlineNested", `{{range $i := until 10000}}{{range until 10000}}{{end}}{{end}}`, short(), "render deadline exceeded (200ms)"},
		{"ErrDeadlineRecursion", `{{define "r"}}{{template "r" .}}{{template "r" .}}{{end}}{{template "r" .}}`, short(), ""},
		{"ErrIncludeRecursion", `{{define "a"}}{{include "b" .}}{{end}}{{define "b"}}{{include "a" .}}{{end}}{{include "a" .}}`, engine.Options{}, "include recursion too deep: a.tmpl → a → b → a → b → a …"},
		{"ErrOutput", `{{range 1000}}0123456789{{end}}`, engine.Options{MaxOutput: 1000}, "output exceeds 1000 bytes"},
		{"ErrOutputInclude", `{{define "x"}}{{range 1000}}0123456789{{end}}{{end}}{{include "x" .}}`, engine.Options{MaxOutput: 1000}, "output exceeds 1000 bytes"},
		{"ErrRepeat", `{{repeat 100000000 "x"}}`, engine.Options{}, "repeat: result would exceed 4194304 bytes"},
		{"ErrIndent", `{{indent 100000000 "x"}}`, engine.Options{}, "outside 0..1000"},
		{"ErrPrintfWidth", `{{printf "%0999999999d" 1}}`, engine.Options{}, "printf: width or precision above 1000"},
		{"ErrPrintfStar", `{{printf "%*d" 100000000 1}}`, engine.Options{}, "printf: * widths are not allowed"},
		{"ErrReplace", `{{$s := repeat 3000 "x"}}{{replace "" $s $s}}`, engine.Options{}, "replace: result would exceed"},
		{"ErrRegexReplace", `{{$s := repeat 3000 "x"}}{{regexReplaceAll "" $s $s}}`, engine.Options{}, "regexReplaceAll: result would exceed"},
		{"ErrDoubling", `{{$l := list 1}}{{range 100}}{{$l = concat $l $l}}{{end}}`, engine.Options{}, "items exceeds the limit of 100000 items"},
		{"ErrStringDoubling", `{{$s := "x"}}{{range 100}}{{$s = print $s $s}}{{end}}`, engine.Options{}, "print: value too large"},
		{"ErrJoinShared", `{{$s := repeat 1000000 "x"}}{{$l := list}}{{range 100}}{{$l = append $l $s}}{{end}}{{join "" $l}}`, engine.Options{}, "join: value too large"},
		{"ErrPrintShared", `{{$s := repeat 1000000 "x"}}{{$l := list}}{{range 100}}{{$l = append $l $s}}{{end}}{{$l}}`, engine.Options{}, "value to print is larger than 4194304 bytes"},
		{"ErrCycle", `{{$d := dict}}{{$_ := set $d "self" $d}}{{$d}}`, engine.Options{}, "value contains itself"},
		{"ErrCycleJSON", `{{$d := dict}}{{$_ := set $d "self" $d}}{{toJson $d}}`, engine.Options{}, "value contains itself"},
		{"ErrCycleThroughAnother", `{{$a := dict}}{{$b := dict "a" (list 1 $a)}}{{$_ := set $a "b" $b}}{{$a}}`, engine.Options{}, "value contains itself"},
		{"ErrCycleMerge", `{{$a := dict}}{{$b := dict "x" (list $a)}}{{$_ := merge $a $b}}{{$a}}`, engine.Options{}, "value contains itself"},
		{"ErrDeep", `{{$d := dict}}{{range 5000}}{{$d = dict "a" $d}}{{end}}{{$d}}`, engine.Options{}, "nested more than 1000 levels deep"},
		{"ErrWork", `{{$s := repeat 4000000 "x"}}{{range 100}}{{$_ := cat $s}}{{end}}`, engine.Options{}, "template does too much work"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			e := MustError(t, map[string]string{"a.tmpl": tc.src}, tc.opts, nil)
			if e.File != "a.tmpl" {
				t.Errorf("error in file %q, want a.tmpl (%v)", e.File, e)
			}
			if !strings.Contains(e.Msg, tc.want) {
				t.Errorf("error %q, want it to contain %q", e.Msg, tc.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		got := MustRender(t, map[string]string{"a.tmpl": `{{len (until 10000)}} {{repeat 3 "ab"}} {{printf "%5d|%.2f" 42 3.14159}} {{indent 2 "a\nb"}}`}, engine.Options{}, nil)
		if want := "10000 ababab    42|3.14   a\n  b"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestConcurrent(t *testing.T) {
	tmpl := MustParse(t, map[string]string{"a.tmpl": `{{range .}}{{cnNum .}}{{end}}`}, engine.Options{})
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			out, err := tmpl.Execute(context.Background(), "a.tmpl", []any{1, 2, 3})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- string(out)
		}()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; got != "一二三" {
			t.Errorf("got %q", got)
		}
	}
}

func BenchmarkExecute(b *testing.B) {
	tmpl := MustParse(b, map[string]string{"a.tmpl": `{{range .deputies}}{{.name}}{{end}}{{sumBy .projects "lengthKm" | approx}}`}, engine.Options{})
	data := engine.ExampleData()
	for b.Loop() {
		if _, err := tmpl.Execute(context.Background(), "a.tmpl", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReuse renders one parsed template after renders that failed: a
// cancelled context, a deadline, spent work and an include stack left
// by an error belong to the render that met them, never to the next.
func TestReuse(t *testing.T) {
	src := `{{define "deep"}}{{include "deeper" .}}{{end}}{{define "deeper"}}{{fail "stop"}}{{end}}` +
		`{{if eq .do "loop"}}{{range $i := until 10000}}{{range until 10000}}{{end}}{{end}}` +
		`{{else if eq .do "work"}}{{$s := repeat 4000000 "x"}}{{range 20}}{{$_ := cat $s}}{{end}}` +
		`{{else if eq .do "fail"}}{{include "deep" .}}` +
		`{{else}}{{cnNum 3}}{{end}}`
	tmpl := MustParse(t, map[string]string{"a.tmpl": src}, short())
	render := func(ctx context.Context, do string) (string, error) {
		out, err := tmpl.Execute(ctx, "a.tmpl", map[string]any{"do": do})
		return string(out), err
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct{ do, want string }{
		{"loop", "render deadline exceeded"},
		{"work", ""}, // 84 MB of work is under the limit alone …
		{"work", ""}, // … and again: the first render's work is not carried over
		{"fail", "stop"},
	} {
		_, err := render(context.Background(), tc.do)
		if tc.want == "" && err != nil {
			t.Errorf("%s: %v", tc.do, err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: error %v, want %q", tc.do, err, tc.want)
		}
		if got, err := render(context.Background(), "ok"); err != nil || got != "三" {
			t.Errorf("after %s: got %q, %v; want 三", tc.do, got, err)
		}
	}
	if _, err := render(cancelled, "loop"); err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("cancelled: error %v, want it cancelled", err)
	}
	if got, err := render(context.Background(), "ok"); err != nil || got != "三" {
		t.Errorf("after a cancelled render: got %q, %v; want 三", got, err)
	}
}
