package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"renda/internal/report/engine"
)

// TestFastWrapSameChecks: the typed guards of the common signatures
// (fast.go) answer as wrap does. Every function's examples and templates
// that break each kind of limit render the same, or fail with the same
// message, both ways.
func TestFastWrapSameChecks(t *testing.T) {
	huge := `{{$s := repeat 60000 "x"}}`
	cases := map[string]string{
		"ArgTooLarge":    huge + `{{$l := list $s $s $s}}{{upper (toString $l)}}`,
		"ResultTooLarge": `{{$a := until 10000}}{{$b := concat $a $a $a $a $a $a $a $a $a $a $a}}{{len $b}}`,
		"CycleSet":       `{{$d := dict}}{{$_ := set $d "a" $d}}`,
		"ArgsTooLarge":   huge + `{{$l := list $s $s}}{{deepEqual $l $l}}`,
		"CycleDeep":      `{{$d := dict}}{{$_ := set $d "a" (list (dict "b" $d))}}`,
		"SetOK":          `{{$d := dict}}{{$_ := set $d "a" (list 1 2)}}{{len $d.a}}`,
		"ListTooLong":    `{{$l := list}}{{range until 100001}}{{$l = append $l 1}}{{end}}{{len $l}}`,
		"Deadline":       `{{range until 100000}}{{$x := list 1 2 3}}{{$y := append $x 4}}{{end}}`,
		"Variadic":       `{{cat "a" 1 (list 2 3)}} {{add 1 2 3}} {{default "x" ""}} {{dig "a" "b" 0 (dict "a" (dict "b" 7))}}`,
		"Errors":         `{{$x := mustRegexMatch "(" "a"}}`,
	}
	for _, f := range engine.Funcs() {
		for i, ex := range f.Examples {
			cases[fmt.Sprintf("example/%s/%d", f.Name, i)] = ex.Template
		}
	}
	render := func(slow bool, tmpl string) string {
		engine.SetSlowWrap(slow)
		defer engine.SetSlowWrap(false)
		opts := engine.ExampleOptions()
		opts.MaxOutput = 100_000
		opts.Timeout = 300 * time.Millisecond
		p, err := engine.Parse(map[string]string{"a.tmpl": tmpl}, opts)
		if err != nil {
			return "parse: " + err.Error()
		}
		out, err := p.Execute(context.Background(), "a.tmpl", engine.ExampleData())
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "deadline") {
				return "deadline" // the text names the timeout, the position differs with speed
			}
			return "error: " + msg
		}
		return string(out)
	}
	limits := 0
	for name, tmpl := range cases {
		t.Run(name, func(t *testing.T) {
			fast, slow := render(false, tmpl), render(true, tmpl)
			if fast != slow {
				t.Errorf("%s\n fast: %.300q\n slow: %.300q", tmpl, fast, slow)
			}
			if !strings.HasPrefix(name, "example/") && name != "SetOK" && name != "Variadic" && !strings.HasPrefix(fast, "error:") && fast != "deadline" {
				t.Errorf("%s: no error, want one: %.200q", name, fast)
			}
			if strings.HasPrefix(fast, "error:") || fast == "deadline" {
				limits++
			}
		})
	}
	if limits < 6 {
		t.Errorf("only %d cases hit a limit", limits)
	}
}
