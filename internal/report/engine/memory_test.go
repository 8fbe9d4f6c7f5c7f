package engine_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"renda/internal/report/engine"
)

// TestMemoryBounded: the templates that spend the most memory the sandbox
// allows (the work budget of produced strings, the output cap, the list
// limits) allocate a bounded amount: a few hundred MB at most, whatever
// they try, and end with an error or within the output cap.
func TestMemoryBounded(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"WorkBudget", `{{$s := repeat 4000000 "x"}}{{range 100}}{{$_ := cat $s}}{{end}}`},
		{"ListDoubling", `{{$l := list 1}}{{range 100}}{{$l = concat $l $l}}{{end}}`},
		{"ManySmallStrings", `{{range 100000}}{{$_ := repeat 1000 "x"}}{{end}}`},
		{"OutputCap", `{{range 100000}}{{repeat 100 "字"}}{{end}}`},
		{"Dicts", `{{$d := dict}}{{range $i := until 10000}}{{$_ := set $d (toString $i) (repeat 1000 "x")}}{{end}}{{len $d}}`},
		{"SortBig", `{{$l := list}}{{range 100000}}{{$l = append $l "x"}}{{end}}{{len (sortAlpha $l)}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := engine.Parse(map[string]string{"a.tmpl": tc.src}, engine.Options{})
			if err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, err := tmpl.Execute(context.Background(), "a.tmpl", nil)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d MiB, output %d bytes, err %v", alloc>>20, len(out), firstLine(err))
			if alloc > 512<<20 {
				t.Errorf("allocated %d MiB, want at most 512 MiB", alloc>>20)
			}
		})
	}
}

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
