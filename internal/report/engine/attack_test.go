package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"renda/internal/report/engine"
)

// TestAttacks runs templates that once crashed the process (a cyclic or
// exponentially shared value formatted, allocations multiplied by a
// separator, a printf width or a regex, sequences that overflow) or ran
// past the deadline. Each must end quickly: with an error, or for OK
// cases (which are safe now) with its output.
func TestAttacks(t *testing.T) {
	cyclic := `{{$d := dict}}{{$_ := set $d "a" $d}}`
	shared := `{{$x := list "aaaaaaaa"}}{{range until 40}}{{$x = list $x $x}}{{end}}`
	list := `{{$l := splitList "," (repeat 99999 ",")}}`
	for name, tmpl := range map[string]string{
		"ErrCycleSet":          cyclic,
		"ErrCycleMerge":        `{{$d := dict "x" 1}}{{$_ := merge $d (dict "a" $d)}}{{add $d 1}}`,
		"ErrSharedInt":         shared + `{{int $x}}`,
		"ErrSharedApprox":      shared + `{{approx $x}}`,
		"ErrSharedWarn":        shared + `{{warn "%v" $x}}`,
		"OKSharedSortBy":       shared + `{{$y := sortBy (list $x $x) "."}}{{len $y}}`,
		"ErrJoinSeparator":     list + `{{join (repeat 2000000 "x") $l}}`,
		"ErrCnJoinSeparator":   list + `{{cnJoin $l (repeat 2000000 "x")}}`,
		"ErrPrintfWidthList":   list + `{{printf (repeat 200 "%999[1]v") $l}}`,
		"ErrWarnWidthList":     list + `{{range until 100}}{{warn "%999v" $l}}{{end}}`,
		"ErrUntilStepOverflow": `{{$x := untilStep 0 9223372036854775807 6148914691236517205}}`,
		"ErrSeqOverflow":       `{{$x := seq 0 6148914691236517205 9223372036854775806}}`,
		"ErrRegexGroups":       `{{$s := repeat 2000000 "a"}}{{$x := regexReplaceAll "` + strings.Repeat("()", 500) + `" $s "b"}}`,
		"ErrRegexProgram":      `{{$s := repeat 4000000 "a"}}{{regexMatch "` + strings.Repeat("(?:.?){1000}", 10) + `c" $s}}`,
		"ErrPrettyJson":        `{{toPrettyJson (list 1)}}`,
		"ErrWhereInQuadratic":  `{{$a := splitList "," (repeat 99999 "a,")}}{{$b := splitList "," (repeat 99999 ",")}}{{$x := whereIn $a "." $b}}`,
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			tmpl, err := engine.Parse(map[string]string{"a.tmpl": tmpl}, engine.Options{Timeout: 2 * time.Second})
			if err == nil {
				_, err = tmpl.Execute(context.Background(), "a.tmpl", nil)
			}
			if ok := strings.HasPrefix(name, "OK"); ok != (err == nil) {
				t.Fatalf("got error %v; want one: %v", err, !ok)
			}
			if took := time.Since(start); took > 4*time.Second {
				t.Fatalf("ended after %v: %v", took, err)
			}
		})
	}
}
