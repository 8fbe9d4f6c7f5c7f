package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"renda/internal/report/document"
)

// Func documents one function available to templates.
type Func struct {
	Name, Namespace, Doc string
	Examples             []Example
	Fn                   any // the implementation (nil for the "sprig" entry)
}

// Example is a template run with ExampleData and ExampleOptions and the
// output it must produce.
type Example struct{ Template, Want string }

// def is a function of the registry.
type def struct {
	name, ns, doc string
	examples      []Example
	fn            any                  // implementation
	bind          func(*execState) any // or: implementation bound to one execution
	walk          bool                 // size-check the arguments before the call
	raw           bool                 // internal: called as is, not wrapped
}

var namespaces = []string{"cn", "list", "tpl", "sprig"}

// registry is every function templates get; later entries override
// earlier ones of the same name.
var registry = sync.OnceValue(func() []def {
	all := slices.Concat(sprigDefs(), builtinDefs(), tplDefs(), cnDefs(), listDefs(), extraDefs())
	seen := map[string]int{}
	var out []def
	for _, d := range all {
		if i, ok := seen[d.name]; ok {
			out[i] = d
			continue
		}
		seen[d.name] = len(out)
		out = append(out, d)
	}
	return out
})

func tplDefs() []def {
	return []def{
		{name: "_tick", ns: "internal", raw: true, bind: func(st *execState) any { return st.tick }},
		{name: "_rangeGuard", ns: "internal", raw: true, bind: func(st *execState) any { return st.rangeGuard }},
		{name: "_out", ns: "internal", raw: true, bind: func(st *execState) any { return st.out }},
		{name: "_enter", ns: "internal", raw: true, bind: func(st *execState) any { return st.enterTemplate }},
		{name: "_leave", ns: "internal", raw: true, bind: func(st *execState) any { return st.leaveTemplate }},
		{name: "_includeAt", ns: "internal", raw: true, bind: func(st *execState) any { return st.includeAt }},
		{name: "include", ns: "tpl", bind: func(st *execState) any { return st.include },
			doc: `Renders the named template (a file or a {{define}}) with the given data and returns the text, so it can be piped (Helm's include); at most 50 includes deep.`,
			examples: []Example{
				{`{{define "greet"}}你好，{{.}}{{end}}{{include "greet" "棋盘山镇" | trim}}`, "你好，棋盘山镇"},
			}},
		{name: "required", ns: "tpl", fn: required,
			doc: `Returns the value, or fails with the message when it is nil or an empty string. Use it for the record a parameter names: the render then answers NOT_FOUND (HTTP 404) with the message, not an error of the template.`,
			examples: []Example{
				{`{{required "township name is required" .township.name}}`, "棋盘山镇"},
			}},
		{name: "markdown", ns: "tpl", fn: document.Unescape,
			doc: "Takes text back as Markdown. Every string of `.data` and `.params` arrives escaped (`\\*`, `\\#`, `\\|`, `\\<`), so that record text prints as written in every format: a name with `*`, `#`, `|` or `<img>` never becomes emphasis, a heading, a table or HTML, and nothing of it vanishes. `markdown` undoes that for a field you know holds Markdown; never use it on names, titles or other text people type.",
			examples: []Example{
				{`{{markdown "\\*\\*要点\\*\\*"}}`, "**要点**"},
			}},
		{name: "now", ns: "tpl", bind: func(st *execState) any { return func() time.Time { return st.now() } },
			doc: `The current time from the renderer's clock (fixed in tests).`,
			examples: []Example{
				{`{{now | date "2006-01-02"}}`, "2023-12-31"},
			}},
		{name: "date", ns: "tpl", fn: formatDate,
			doc: `Formats a time (or a YYYY-MM-DD date, or Unix seconds) with a Go layout, in the time's own zone (UTC for dates).`,
			examples: []Example{
				{`{{date "2006年1月2日" "2023-04-05"}}`, "2023年4月5日"},
				{`{{now | date "15:04"}}`, "09:00"},
			}},
	}
}

func formatDate(layout string, v any) (string, error) {
	t, ok := asTime(v)
	if !ok {
		return "", fmt.Errorf("date: a %T is not a time or a YYYY-MM-DD date", v)
	}
	return t.Format(layout), nil
}

// Funcs lists every function available to templates with its docs (for the
// generated reference), namespace by namespace; sprig's functions are one
// entry that names them.
func Funcs() []Func {
	var out []Func
	var sprigNames []string
	for _, d := range registry() {
		switch d.ns {
		case "internal":
			continue
		case "sprig":
			sprigNames = append(sprigNames, d.name)
			continue
		}
		fn := d.fn
		if d.bind != nil {
			fn = d.bind(dummyState())
		}
		out = append(out, Func{Name: d.name, Namespace: d.ns, Doc: d.doc, Examples: d.examples, Fn: fn})
	}
	slices.SortStableFunc(out, func(a, b Func) int {
		return slices.Index(namespaces, a.Namespace) - slices.Index(namespaces, b.Namespace)
	})
	var bounded, removed []string
	for name := range boundedSprig {
		bounded = append(bounded, name)
	}
	for name, why := range removedSprig {
		removed = append(removed, name+" ("+why+")")
	}
	slices.Sort(bounded)
	slices.Sort(removed)
	doc := "The functions of sprig v3 (Masterminds/sprig, documented with that library) that are hermetic and bounded: " +
		strings.Join(sprigNames, ", ") + ".\n\n" +
		"Replaced by bounded or clock-safe versions taking the same arguments: " + strings.Join(bounded, ", ") +
		fmt.Sprintf(". until, untilStep and seq make at most %d elements; repeat, replace, wrapWith, indent, nindent and the regexReplace functions refuse results over the output limit; indent takes at most %d spaces; uniq and mustUniq are distinct (no quadratic comparison); ago, durationRound and toDate use the renderer's clock and UTC, never the host's time zone; fail's message is the error.\n\n", maxSeqLen, maxIndent) +
		"Not available: " + strings.Join(removed, ", ") + "."
	out = append(out, Func{Name: "sprig", Namespace: "sprig", Doc: doc, Examples: []Example{
		{`{{list "b" "a" | sortAlpha | join ","}} {{upper "ok"}} {{add 1 2}} {{round 62.44 1}}`, "a,b OK 3 62.4"},
	}})
	return out
}

// ExampleOptions are the options the examples run with: the clock stands at
// 2023-12-31 09:00 (UTC+8).
func ExampleOptions() Options {
	return Options{Timeout: 2 * time.Second, Now: func() time.Time {
		return time.Date(2023, 12, 31, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	}}
}

// ExampleData is the data the examples run with, shaped like the JSON of a
// GraphQL result (numbers are float64 or json.Number).
func ExampleData() any {
	var v any
	if err := json.Unmarshal([]byte(exampleJSON), &v); err != nil {
		panic(err)
	}
	m := v.(map[string]any)
	// One number as json.Number, as a decoder with UseNumber gives.
	m["projects"].([]any)[1].(map[string]any)["lengthKm"] = json.Number("22.4")
	return m
}

const exampleJSON = `{
  "year": 2023,
  "township": {"name": "棋盘山镇", "villageCount": 15},
  "projects": [
    {"name": "二十九号村村路", "village": {"name": "二十九号村"}, "lengthKm": 24.5, "surface": "CEMENT"},
    {"name": "甘六号村村路", "village": {"name": "甘六号村"}, "lengthKm": 22.4, "surface": "GRAVEL"},
    {"name": "罗字十号村村路", "village": {"name": "罗字十号村"}, "lengthKm": 15.5, "surface": "ASPHALT"}
  ],
  "inspections": [
    {"topic": "农资市场", "date": {"date": "2023-03-01", "precision": "SEASON", "text": "春季"}, "villages": []},
    {"topic": "农村公路建设", "date": {"date": "2023-07-11", "precision": "DEKAD", "text": "7月中旬"},
     "villages": [{"name": "二十九号村"}, {"name": "甘六号村"}, {"name": "罗字十号村"}]},
    {"topic": "淀粉加工企业治理整顿", "date": {"date": "2023-10-11", "precision": "DEKAD", "text": "10月中旬"},
     "villages": [{"name": "二十九号村"}]}
  ],
  "deputies": [
    {"name": "张三", "levels": ["COUNTY", "TOWNSHIP"], "village": {"name": "二十九号村"}, "age": 52},
    {"name": "李四", "levels": ["TOWNSHIP"], "village": {"name": "甘六号村"}, "age": 38},
    {"name": "王五", "levels": ["CITY", "COUNTY", "TOWNSHIP"], "village": {"name": "二十九号村"}, "age": 45},
    {"name": "赵六", "levels": ["TOWNSHIP"], "village": null, "age": 61}
  ]
}`

// Reference renders the function reference (docs/template-functions.md)
// from Funcs.
func Reference() []byte {
	var b bytes.Buffer
	b.WriteString("# Template functions\n\n")
	b.WriteString("<!-- Generated from internal/report/engine (Funcs); do not edit. Regenerate with `go test ./internal/report/engine -update`. -->\n\n")
	b.WriteString("Report templates are Go [text/template](https://pkg.go.dev/text/template) files. ")
	b.WriteString("Every file of a report is a named template (its file name), so any file can `include` any other. ")
	b.WriteString("A missing map key is an error (`missingkey=error`).\n\n")
	b.WriteString("## Limits\n\n")
	fmt.Fprintf(&b, "- Time: rendering stops with an error after the deadline (5 s unless configured); every range iteration, template call and function call checks it.\n")
	fmt.Fprintf(&b, "- Output: at most 4 MiB unless configured; no single string a function builds or an action prints may be larger.\n")
	fmt.Fprintf(&b, "- `range` takes at most %d items (an int, a list or a map); whole JSON numbers range like ints.\n", maxRangeItems)
	fmt.Fprintf(&b, "- Lists and maps returned by functions have at most %d entries; `until`, `untilStep`, `seq` at most %d.\n", maxListLen, maxSeqLen)
	fmt.Fprintf(&b, "- Functions may produce at most %d× the output limit (at least 64 MiB) of strings and list entries in one rendering.\n", workFactor)
	fmt.Fprintf(&b, "- `include` nests at most %d deep; printed values nest at most %d deep and may not contain themselves; `printf` widths and precisions are at most %d.\n", maxIncludeDepth, maxNesting, maxFormatWidth)
	b.WriteString("- Errors name the file, line and column (1-based, in characters).\n\n")
	b.WriteString("## Numbers from data\n\n")
	b.WriteString("Numeric arguments accept Go ints, float64, json.Number and strings holding a number, so values decoded from GraphQL JSON work as they are. ")
	b.WriteString("List functions accept nil as an empty list; a field path is dotted (`village.name`) and a list met on the way is spread (`villages.name` gives every village's name).\n\n")
	b.WriteString("## Examples\n\nThe examples below run as tests with this data (the clock stands at 2023-12-31 09:00 UTC+8):\n\n```json\n")
	b.WriteString(exampleJSON)
	b.WriteString("\n```\n")
	titles := map[string]string{
		"cn":    "cn — Chinese numbers, dates and wording",
		"list":  "list — filtering, counting and grouping lists of records",
		"tpl":   "tpl — templates, output and time",
		"sprig": "sprig — general-purpose functions",
	}
	ns := ""
	for _, f := range Funcs() {
		if f.Namespace != ns {
			ns = f.Namespace
			fmt.Fprintf(&b, "\n## %s\n", titles[ns])
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n", f.Name, f.Doc)
		if len(f.Examples) > 0 {
			b.WriteString("\n```text\n")
			for _, ex := range f.Examples {
				fmt.Fprintf(&b, "%s\n  ⇒ %s\n", ex.Template, strings.ReplaceAll(ex.Want, "\n", "\n    "))
			}
			b.WriteString("```\n")
		}
	}
	return b.Bytes()
}
