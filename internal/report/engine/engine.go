// Package engine renders report templates: Go text/template with a sandbox
// around it and the Chinese formatting functions township documents need.
//
// A template is untrusted input. It sees sprig's hermetic functions minus
// everything that reaches outside the process or allocates without bound,
// plus the functions of this package (see Funcs). Rendering is bounded:
//
//   - time: Options.Timeout (default 5s). text/template cannot be
//     cancelled, so after parsing every tree is rewritten: each range gets a
//     guard on its pipeline ({{range X}} runs as {{range X | _rangeGuard}},
//     which refuses more than 100000 items) and a {{_tick}} at the start of
//     its body, and every template body starts with {{_tick}}; _tick and
//     every function call check the deadline and the context.
//   - output: Options.MaxOutput bytes (default 4 MiB), for the document and
//     for any single string a function builds.
//   - work: functions may produce at most 32×MaxOutput bytes of strings and
//     list entries in one execution.
//   - values: printing and functions that walk whole values refuse values
//     larger than MaxOutput, nested more than 1000 levels deep or cyclic.
//   - calls: at most 50 nested include and template calls, and at most
//     2000 frames on the call stack, counting for every call the if, with and
//     range blocks around its call site (and a template may nest blocks at
//     most 100 deep), so no template can exhaust the goroutine stack.
//
// Errors are *Error with the file, line and column when known.
package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"
)

// Limits. They are part of the contract with template writers and are
// documented in docs/template-functions.md.
const (
	defaultTimeout   = 5 * time.Second
	defaultMaxOutput = 4 << 20
	maxRangeItems    = 100000 // range over an int, list or map
	maxListLen       = 100000 // any list or map a function returns
	maxSeqLen        = 10000  // until, untilStep, seq
	maxIncludeDepth  = 50     // nested include and template calls
	maxBlockNesting  = 100    // if, with, range and parentheses within one template
	maxFrames        = 2000   // the frames of the call stack: each call site's enclosing blocks
	maxFormatWidth   = 1000   // printf width and precision
	maxIndent        = 1000   // indent, nindent
	maxNesting       = 1000   // depth of values walked for printing
	workFactor       = 32     // work budget = workFactor × MaxOutput
)

// Options bound one template's executions.
type Options struct {
	Timeout   time.Duration    // render deadline; 0 means 5s
	MaxOutput int              // bytes; 0 means 4 MiB
	Now       func() time.Time // clock for `now` and date functions; nil means the time now in China (UTC+8)
}

// chinaTime is the townships' clock (Asia/Shanghai, no daylight saving).
var chinaTime = time.FixedZone("CST", 8*60*60)

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxOutput <= 0 {
		o.MaxOutput = defaultMaxOutput
	}
	if o.Now == nil {
		// A document's "today" is the township's: a render at 07:00 in
		// Shanghai is dated that day, not the day before in UTC.
		o.Now = func() time.Time { return time.Now().In(chinaTime) }
	}
	return o
}

// Error is a parse or execution error. Line and Col are 1-based; Col counts
// characters (not bytes) from the start of the line. Parts that are not
// known are zero.
type Error struct {
	File      string
	Line, Col int
	Msg       string
	// Missing is set when `required` failed: what the template needs is
	// not in its data (a record the parameters name does not exist), not
	// a fault of the template.
	Missing bool
}

// Error returns "file:line:col: msg", leaving out the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Template is a parsed set of template files. It is safe for concurrent use.
type Template struct {
	set     *template.Template
	opts    Options
	sources map[string]string
	// ready holds executions prepared and done with: a clone of set with
	// the functions bound to its state. Cloning the set and binding some
	// two hundred functions is a tenth of a small document's render; a
	// clone serves one execution at a time, and each starts its state
	// afresh (execState.start).
	ready sync.Pool
}

// prepared is a clone of a Template's set whose functions are bound to st.
type prepared struct {
	st    *execState
	clone *template.Template
}

// prepare returns an execution ready to start, from the pool or new.
func (t *Template) prepare(ctx context.Context, name string) (*prepared, error) {
	if p, ok := t.ready.Get().(*prepared); ok {
		p.st.start(ctx, name)
		return p, nil
	}
	st := newState(ctx, t.opts, name)
	clone, err := t.set.Clone()
	if err != nil {
		return nil, err
	}
	clone.Funcs(st.funcMap())
	st.tmpl, st.sources = clone, t.sources
	return &prepared{st: st, clone: clone}, nil
}

// release returns p to the pool, holding on to nothing of its execution.
func (t *Template) release(p *prepared) {
	p.st.ctx, p.st.done = nil, nil
	clear(p.st.stack)
	t.ready.Put(p)
}

// Parse parses the named template files (name → source, e.g.
// "summary.md.tmpl", "_intro.tmpl"); every file is a named template (its file
// name) in one set, so any file can include any other. Errors are *Error.
func Parse(files map[string]string, opts Options) (*Template, error) {
	opts = opts.withDefaults()
	if len(files) == 0 {
		return nil, &Error{Msg: "no template files"}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if name == "" {
			return nil, &Error{Msg: "a template file has an empty name"}
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if err := checkDefines(names, files); err != nil {
		return nil, err
	}
	var set *template.Template
	for _, name := range names {
		var t *template.Template
		if set == nil {
			set = template.New(name).Option("missingkey=error").Funcs(parseFuncs())
			t = set
		} else {
			t = set.New(name)
		}
		if _, err := t.Parse(files[name]); err != nil {
			return nil, parseError(err, files)
		}
	}
	seen := map[*parse.Tree]bool{}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil && !seen[t.Tree] {
			seen[t.Tree] = true
			if err := rewrite(t.Tree); err != nil {
				return nil, parseError(err, files)
			}
		}
	}
	return &Template{set: set, opts: opts, sources: files}, nil
}

// checkDefines refuses a {{define}} whose name another file defines too,
// or that is another file's name: text/template would silently keep the
// last one, and a report would render with the wrong part.
func checkDefines(names []string, files map[string]string) error {
	owner := map[string]string{}
	for _, name := range names {
		owner[name] = name
	}
	for _, name := range names {
		tree := parse.New(name)
		tree.Mode = parse.SkipFuncCheck
		defined := map[string]*parse.Tree{}
		if _, err := tree.Parse(files[name], "", "", defined); err != nil {
			continue // Parse proper reports it, with its position
		}
		for def := range defined {
			if def == name {
				continue
			}
			if other, ok := owner[def]; ok && other != name {
				return &Error{File: name, Line: defineLine(files[name], def),
					Msg: fmt.Sprintf("template %q is defined in %s too; give one of them another name", def, other)}
			}
			owner[def] = name
		}
	}
	return nil
}

// defineLine finds the line of {{define "name"}} in src; 0 if not found.
func defineLine(src, name string) int {
	for i, line := range strings.Split(src, "\n") {
		if strings.Contains(line, "define") && strings.Contains(line, `"`+name+`"`) {
			return i + 1
		}
	}
	return 0
}

// Names lists the templates of the set: the files and what they define.
func (t *Template) Names() []string {
	var names []string
	for _, tt := range t.set.Templates() {
		if tt.Tree != nil {
			names = append(names, tt.Name())
		}
	}
	slices.Sort(names)
	return names
}

// Execute renders the template named name with data. It returns *Error on
// failure (with file:line:col when known).
func (t *Template) Execute(ctx context.Context, name string, data any) ([]byte, error) {
	outs, err := t.ExecuteEach(ctx, data, name)
	if err != nil {
		return nil, err
	}
	return outs[0], nil
}

// Has reports whether the set defines a template named name.
func (t *Template) Has(name string) bool {
	tt := t.set.Lookup(name)
	return tt != nil && tt.Tree != nil
}

// ExecuteEach renders the templates named names with data, in order, as
// one execution: one deadline and one work budget, and the set prepared
// once (a document and its file name). Each output has its own size cap.
// The first failure ends it.
func (t *Template) ExecuteEach(ctx context.Context, data any, names ...string) (outs [][]byte, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(names) == 0 {
		return nil, &Error{Msg: "no template named"}
	}
	for _, name := range names {
		if !t.Has(name) {
			return nil, &Error{Msg: fmt.Sprintf("no template %q", name)}
		}
	}
	p, err := t.prepare(ctx, names[0])
	if err != nil {
		return nil, &Error{File: names[0], Msg: err.Error()}
	}
	st, clone := p.st, p.clone
	name := names[0]
	defer func() {
		if r := recover(); r != nil {
			outs, err = nil, toError(t.sources, name, fmt.Errorf("panic: %v", r))
			return // not reused: a panic may have left the state half way
		}
		t.release(p)
	}()
	for _, name = range names {
		st.stack = append(st.stack[:0], name)
		st.frames = 0
		w := &capWriter{max: t.opts.MaxOutput}
		if err := clone.ExecuteTemplate(w, name, data); err != nil {
			return nil, toError(t.sources, name, err)
		}
		outs = append(outs, w.buf)
	}
	return outs, nil
}

// capWriter collects output and fails once it would exceed max bytes.
type capWriter struct {
	buf []byte
	max int
}

func (w *capWriter) Write(p []byte) (int, error) {
	if len(w.buf)+len(p) > w.max {
		n := w.max - len(w.buf)
		w.buf = append(w.buf, p[:n]...)
		return n, &limitError{msg: fmt.Sprintf("output exceeds %d bytes", w.max)}
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *capWriter) String() string { return string(w.buf) }

// limitError is an error whose message stands on its own: a limit of the
// sandbox, required, fail. It replaces text/template's "error calling f:".
// missing marks required's.
type limitError struct {
	msg     string
	missing bool
}

func (e *limitError) Error() string { return e.msg }

func limitf(format string, args ...any) *limitError {
	return &limitError{msg: fmt.Sprintf(format, args...)}
}

var (
	execErrRE  = regexp.MustCompile(`(?s)^template: (.+?):(\d+):(\d+): (.*)$`)
	parseErrRE = regexp.MustCompile(`(?s)^template: (.+?):(\d+)(?::(\d+))?: (.*)$`)
	nodeErrRE  = regexp.MustCompile(`(?s)^template: ([^:]+): (.*)$`)
	executing  = regexp.MustCompile(`(?s)^executing ".*?" at `)
	undefFunc  = regexp.MustCompile(`function "([^"]+)" not defined`)
)

// toError turns an execution error into *Error. An *Error already in the
// chain (from an include) is the innermost cause and is returned as is.
func toError(sources map[string]string, name string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var le *limitError
	isLimit := errors.As(err, &le)
	var ee template.ExecError
	if !errors.As(err, &ee) {
		// Write errors (output cap) and recovered panics: no position.
		return &Error{File: name, Msg: err.Error()}
	}
	msg := ee.Err.Error()
	if m := execErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out := &Error{File: m[1], Line: line, Col: runeCol(sources[m[1]], line, col), Msg: executing.ReplaceAllString(m[4], "")}
		// Errors text/template raises at an inserted node: name the construct, not the guard.
		out.Msg = strings.Replace(out.Msg, "<_rangeGuard>: ", "range: ", 1)
		out.Msg = strings.Replace(out.Msg, "<_out>: ", "", 1)
		if isLimit {
			out.Msg, out.Missing = le.msg, le.missing
		}
		return out
	}
	if m := nodeErrRE.FindStringSubmatch(msg); m != nil {
		msg = m[2]
	}
	if isLimit {
		msg = le.msg
	}
	return &Error{File: ee.Name, Msg: msg, Missing: isLimit && le.missing}
}

// runeCol turns text/template's 0-based byte offset in a line into a
// 1-based character column.
func runeCol(src string, line, byteCol int) int {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) || byteCol < 0 || byteCol > len(lines[line-1]) {
		return byteCol + 1
	}
	return utf8.RuneCountInString(lines[line-1][:byteCol]) + 1
}

// parseError turns a text/template parse error into *Error. Parse errors
// carry only a line; for an undefined function the column is found by
// looking for the name inside an action on that line.
func parseError(err error, files map[string]string) *Error {
	msg := err.Error()
	m := parseErrRE.FindStringSubmatch(msg)
	if m == nil {
		return &Error{Msg: strings.TrimPrefix(msg, "template: ")}
	}
	line, _ := strconv.Atoi(m[2])
	e := &Error{File: m[1], Line: line, Msg: m[4]}
	if m[3] != "" {
		c, _ := strconv.Atoi(m[3])
		e.Col = runeCol(files[m[1]], line, c)
	} else if f := undefFunc.FindStringSubmatch(m[4]); f != nil {
		e.Col = findIdent(files[m[1]], line, f[1])
	}
	return e
}

// findIdent returns the 1-based character column of the first occurrence of
// the identifier name inside {{ }} on the given line, or 0.
func findIdent(src string, line int, name string) int {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return 0
	}
	l := lines[line-1]
	isIdent := func(b byte) bool {
		return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '.' || b == '$'
	}
	for from := 0; ; {
		i := strings.Index(l[from:], name)
		if i < 0 {
			return 0
		}
		i += from
		end := i + len(name)
		inAction := strings.LastIndex(l[:i], "{{") > strings.LastIndex(l[:i], "}}")
		if inAction && (i == 0 || !isIdent(l[i-1])) && (end == len(l) || !isIdent(l[end])) {
			return utf8.RuneCountInString(l[:i]) + 1
		}
		from = end
	}
}
