package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"
)

// execState is what the functions of one execution share: the deadline,
// the context, the limits, the include stack and the work spent so far.
type execState struct {
	ctx      context.Context
	done     <-chan struct{} // ctx.Done()
	calls    uint            // checks so far (see check)
	deadline time.Time
	timeout  time.Duration
	limit    int   // MaxOutput: largest string or printed value
	work     int64 // bytes of results produced so far
	maxWork  int64
	now      func() time.Time
	tmpl     *template.Template
	sources  map[string]string
	stack    []string // executing template, then one name per include or template call
	frames   int      // frames of the call sites on the stack (see rewrite)
}

func newState(ctx context.Context, opts Options, name string) *execState {
	st := &execState{
		timeout: opts.Timeout,
		limit:   opts.MaxOutput,
		maxWork: max(int64(workFactor)*int64(opts.MaxOutput), 64<<20),
		now:     opts.Now,
	}
	st.start(ctx, name)
	return st
}

// start readies st for an execution of name: a new deadline and context,
// nothing spent, nothing on the stack. A state and the clone its
// functions are bound to serve one execution after another (see
// Template.prepared).
func (st *execState) start(ctx context.Context, name string) {
	st.ctx, st.done = ctx, ctx.Done()
	st.calls = 0
	st.deadline = time.Now().Add(st.timeout)
	st.work = 0
	st.stack = append(st.stack[:0], name)
	st.frames = 0
}

// checkEvery is how many checks share one reading of the clock: a
// function's work is bounded (output, list and work limits), so a few
// calls past the deadline end well within it, and the clock is the most
// costly part of a check.
const checkEvery = 16

// check fails once the deadline has passed or the context is done. The
// context is looked at on every call; the clock on the first and every
// checkEvery-th.
func (st *execState) check() error {
	select {
	case <-st.done:
		return limitf("render cancelled: %v", st.ctx.Err())
	default:
	}
	st.calls++
	if st.calls%checkEvery == 1 && time.Now().After(st.deadline) {
		return limitf("render deadline exceeded (%v)", st.timeout)
	}
	return nil
}

// spend counts n bytes of produced results against the work budget.
func (st *execState) spend(n int) error {
	st.work += int64(n)
	if st.work > st.maxWork {
		return limitf("template does too much work: functions produced more than %d bytes", st.maxWork)
	}
	return nil
}

// account checks one result of a function: a string no longer than the
// output limit, a list or map of at most maxListLen entries.
func (st *execState) account(name string, v reflect.Value) error {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if v.Len() > st.limit {
			return limitf("%s: result of %d bytes exceeds the limit of %d bytes", name, v.Len(), st.limit)
		}
		return st.spend(v.Len())
	case reflect.Slice, reflect.Map, reflect.Array:
		if v.Len() > maxListLen {
			return limitf("%s: result of %d items exceeds the limit of %d items", name, v.Len(), maxListLen)
		}
		return st.spend(16 * v.Len())
	}
	return nil
}

// wrap returns fn with the same signature, checking the deadline before
// the call, the size of the arguments (if walk) and the results after it.
// Violations panic with an error, which text/template turns into an
// execution error.
func (st *execState) wrap(name string, fn any, walk bool) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	variadic := t.IsVariadic()
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		if err := st.check(); err != nil {
			panic(err)
		}
		if walk {
			w := walker{budget: st.limit}
			for _, a := range args {
				if err := w.walk(a); err != nil {
					panic(limitf("%s: %v", name, err))
				}
			}
		}
		var out []reflect.Value
		if variadic {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if len(out) == 2 && !out[1].IsNil() {
			return out
		}
		if err := st.account(name, out[0]); err != nil {
			panic(err)
		}
		return out
	}).Interface()
}

// walker measures a value roughly as fmt would print it, refusing values
// larger than budget bytes, nested deeper than maxNesting, or cyclic.
type walker struct {
	budget, used, depth int
	path                map[uintptr]bool
}

var errTooLarge = errors.New("value too large")

func (w *walker) walk(v reflect.Value) error {
	if w.depth > maxNesting {
		return fmt.Errorf("value nested more than %d levels deep", maxNesting)
	}
	switch v.Kind() {
	case reflect.Invalid:
		w.used += 5
	case reflect.Interface:
		if v.IsNil() {
			w.used += 5
			break
		}
		return w.walk(v.Elem())
	case reflect.String:
		w.used += v.Len()
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			w.used += 5
			break
		}
		if v.Kind() == reflect.Slice && isScalarKind(v.Type().Elem().Kind()) {
			w.used += 2 + 4*v.Len()
			break
		}
		p := v.Pointer()
		if w.path[p] {
			return errors.New("value contains itself")
		}
		if w.path == nil {
			w.path = map[uintptr]bool{}
		}
		w.path[p] = true
		w.depth++
		err := w.walkElems(v)
		w.depth--
		delete(w.path, p)
		return err
	case reflect.Array, reflect.Struct:
		w.depth++
		err := w.walkElems(v)
		w.depth--
		return err
	default:
		w.used += 8
	}
	if w.used > w.budget {
		return errTooLarge
	}
	return nil
}

func (w *walker) walkElems(v reflect.Value) error {
	w.used += 2
	switch v.Kind() {
	case reflect.Pointer:
		return w.walk(v.Elem())
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			w.used += 2
			if err := w.walk(it.Key()); err != nil {
				return err
			}
			if err := w.walk(it.Value()); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			w.used++
			if err := w.walk(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if v.Type() == timeType {
			w.used += 40
			break
		}
		for i := 0; i < v.NumField(); i++ {
			w.used += 2
			if err := w.walk(v.Field(i)); err != nil {
				return err
			}
		}
	}
	if w.used > w.budget {
		return errTooLarge
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// checkValue walks v with the output limit as budget.
func (st *execState) checkValue(v any) error {
	w := walker{budget: st.limit}
	if err := w.walk(reflect.ValueOf(v)); err != nil {
		if errors.Is(err, errTooLarge) {
			return limitf("value to print is larger than %d bytes", st.limit)
		}
		return limitf("cannot print: %v", err)
	}
	return nil
}

// The internal functions the rewritten trees call.

// tick checks the deadline; it is inserted at the start of every template
// body and range body.
func (st *execState) tick() (string, error) {
	if err := st.check(); err != nil {
		return "", err
	}
	return "", nil
}

// rangeGuard passes the value a range iterates over through, refusing more
// than maxRangeItems items. Whole numbers from JSON (float64, json.Number)
// become ints so that {{range .count}} works.
func (st *execState) rangeGuard(v any) (any, error) {
	if err := st.check(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= maxRangeItems {
			return int(x), nil
		}
	case json.Number:
		if n, err := x.Int64(); err == nil && n >= -maxRangeItems && n <= maxRangeItems {
			return int(n), nil
		}
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	var n float64
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n = float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n = float64(rv.Uint())
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		n = float64(rv.Len())
	case reflect.Float64, reflect.Float32:
		n = rv.Float()
	case reflect.Func:
		return nil, limitf("range over a function is not allowed")
	}
	if n > maxRangeItems {
		return nil, limitf("range over %v items exceeds the limit of %d", n, maxRangeItems)
	}
	return v, nil
}

// out checks a value an action is about to print.
func (st *execState) out(v any) (any, error) {
	if err := st.checkValue(v); err != nil {
		return nil, err
	}
	return v, nil
}

// enter counts a call (template or include) into name from a call site
// standing in frames frames, refusing to go deeper than the limits.
func (st *execState) enter(kind string, frames int, name string) error {
	if len(st.stack) > maxIncludeDepth || st.frames+frames > maxFrames {
		chain := append(slices.Clone(st.stack), name)
		if len(chain) > 6 {
			chain = chain[:6]
		}
		return limitf("%s recursion too deep: %s … (at most %d nested include and template calls, %d blocks around them)", kind, strings.Join(chain, " → "), maxIncludeDepth, maxFrames)
	}
	st.stack = append(st.stack, name)
	st.frames += frames
	return nil
}

// leave undoes enter.
func (st *execState) leave(frames int) {
	st.stack = st.stack[:len(st.stack)-1]
	st.frames -= frames
}

// enterTemplate and leaveTemplate bracket a {{template}} call (inserted by
// rewrite).
func (st *execState) enterTemplate(frames int, name string) (string, error) {
	if err := st.check(); err != nil {
		return "", err
	}
	return "", st.enter("template", frames, name)
}

func (st *execState) leaveTemplate(frames int) string {
	st.leave(frames)
	return ""
}

// includeAt is include as rewrite calls it, with the frames of its call
// site.
func (st *execState) includeAt(frames int, name string, data any) (string, error) {
	if err := st.enter("include", frames, name); err != nil {
		return "", err
	}
	defer st.leave(frames)
	return st.render(name, data)
}

// include renders the named template with data and returns it as a string.
// Templates call it through includeAt (see rewrite); it stays for callers
// that hold the function itself.
func (st *execState) include(name string, data any) (string, error) {
	if err := st.enter("include", 1, name); err != nil {
		return "", err
	}
	defer st.leave(1)
	return st.render(name, data)
}

// render executes the named template into a string of at most the output
// limit.
func (st *execState) render(name string, data any) (string, error) {
	if st.tmpl == nil {
		return "", errors.New("include is only available while rendering")
	}
	w := &capWriter{max: st.limit}
	if err := st.tmpl.ExecuteTemplate(w, name, data); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "", e
		}
		var le *limitError
		if errors.As(err, &le) {
			var ee template.ExecError
			if !errors.As(err, &ee) {
				return "", le // output cap inside the include: located by the caller
			}
		}
		return "", toError(st.sources, name, err)
	}
	return w.String(), nil
}

// required fails with msg when v is nil or an empty string; the error is
// marked Missing (see Error).
func required(msg string, v any) (any, error) {
	if v == nil {
		return nil, &limitError{msg: msg, missing: true}
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, &limitError{msg: msg, missing: true}
	}
	return v, nil
}

// funcMap builds the functions of one execution.
func (st *execState) funcMap() template.FuncMap {
	m := make(template.FuncMap, len(registry())+8)
	for _, d := range registry() {
		fn := d.fn
		if d.bind != nil {
			fn = d.bind(st)
		}
		switch {
		case d.raw:
			m[d.name] = fn
		case cycleMakers[d.name]:
			if f, ok := st.fastSet(d.name, fn, d.walk); ok && d.name == "set" {
				m[d.name] = f
				break
			}
			m[d.name] = st.wrapAcyclic(d.name, st.wrap(d.name, fn, d.walk))
		default:
			walk := d.walk || !dataFuncs[d.name]
			if f, ok := st.fastWrap(d.name, fn, walk); ok && !slowWrap {
				m[d.name] = f
				break
			}
			m[d.name] = st.wrap(d.name, fn, walk)
		}
	}
	return m
}

// slowWrap makes every function use wrap (tests compare the two).
var slowWrap = false

// dataFuncs take the query's data (which may be larger than the output
// limit) and never format it: their arguments are not walked. Every other
// function has its arguments measured first, so nothing formats a huge,
// exponentially shared or cyclic value.
var dataFuncs = map[string]bool{
	"include": true, "required": true, "where": true, "whereNot": true, "whereIn": true, "count": true,
	"countBy": true, "groupBy": true, "sumBy": true, "sum": true, "sortBy": true, "mapField": true,
	"distinct": true, "field": true, "get": true, "hasKey": true, "dig": true, "default": true,
	"empty": true, "coalesce": true, "first": true, "last": true, "rest": true, "initial": true,
	"list": true, "append": true, "prepend": true, "concat": true, "keys": true, "values": true,
	"pick": true, "omit": true, "unset": true, "kindIs": true, "kindOf": true, "typeOf": true,
	"typeIs": true, "has": true, "without": true, "compact": true, "uniq": true, "index": true,
	"len": true, "slice": true, "and": true, "or": true, "not": true, "eq": true, "ne": true,
	"lt": true, "le": true, "gt": true, "ge": true, "tuple": true, "dateText": true, "dateFull": true,
	"mustFirst": true, "mustLast": true, "mustRest": true, "mustInitial": true, "mustAppend": true,
	"mustPrepend": true, "mustCompact": true, "mustUniq": true, "mustWithout": true, "mustHas": true,
	// dict builds a new map of its arguments (it cannot make a cycle: the
	// map is new); within and sortByKeys filter and order a list by fields.
	"dict": true, "within": true, "sortByKeys": true,
}

// cycleMakers can put a map inside itself; their results are checked so
// no cyclic value ever exists for a later function to loop on.
var cycleMakers = map[string]bool{"set": true, "merge": true, "mergeOverwrite": true, "mustMerge": true, "mustMergeOverwrite": true}

// wrapAcyclic refuses a call that would put a map inside itself. Values
// are acyclic before the call (every function keeps them so), and the
// new edges run from the first argument (the map changed) to the others'
// contents, so a cycle exists after the call exactly when one of the
// other arguments reaches the first. Only that is walked, each map, list
// and pointer once: the query's data is shared by many values and is
// never walked whole.
func (st *execState) wrapAcyclic(name string, fn any) any {
	v := reflect.ValueOf(fn)
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		if len(args) > 1 {
			if target, ok := mapIdentity(args[0]); ok {
				seen := map[[2]uintptr]bool{}
				for _, a := range args[1:] {
					if reaches(a, target, seen) {
						panic(limitf("%s: value contains itself", name))
					}
				}
			}
		}
		if v.Type().IsVariadic() {
			return v.CallSlice(args)
		}
		return v.Call(args)
	}).Interface()
}

// mapIdentity is the identity of the map v holds, if it holds one.
func mapIdentity(v reflect.Value) (uintptr, bool) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return 0, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Map || v.IsNil() {
		return 0, false
	}
	return v.Pointer(), true
}

// reaches reports whether v is or contains the map with identity target;
// seen holds what was already walked.
func reaches(v reflect.Value, target uintptr, seen map[[2]uintptr]bool) bool {
	switch v.Kind() {
	case reflect.Interface:
		return !v.IsNil() && reaches(v.Elem(), target, seen)
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return false
		}
		if v.Kind() == reflect.Slice && isScalarKind(v.Type().Elem().Kind()) {
			return false
		}
		p := v.Pointer()
		if v.Kind() == reflect.Map && p == target {
			return true
		}
		key := [2]uintptr{p, 0}
		if v.Kind() == reflect.Slice { // slices of one array may differ in length
			key[1] = uintptr(v.Len())
		}
		if seen[key] {
			return false
		}
		seen[key] = true
		switch v.Kind() {
		case reflect.Pointer:
			return reaches(v.Elem(), target, seen)
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				if reaches(it.Value(), target, seen) {
					return true
				}
			}
		default:
			for i := 0; i < v.Len(); i++ {
				if reaches(v.Index(i), target, seen) {
					return true
				}
			}
		}
	case reflect.Array, reflect.Struct:
		if v.Kind() == reflect.Struct && v.Type() == timeType {
			return false
		}
		n := v.Len
		if v.Kind() == reflect.Struct {
			n = v.NumField
		}
		for i := 0; i < n(); i++ {
			var e reflect.Value
			if v.Kind() == reflect.Struct {
				e = v.Field(i)
			} else {
				e = v.Index(i)
			}
			if reaches(e, target, seen) {
				return true
			}
		}
	}
	return false
}

var parseFuncs = sync.OnceValue(func() template.FuncMap {
	return dummyState().funcMap()
})

// dummyState backs the functions used for parsing and listed by Funcs.
func dummyState() *execState {
	return newState(context.Background(), Options{Timeout: 24 * time.Hour}.withDefaults(), "")
}
