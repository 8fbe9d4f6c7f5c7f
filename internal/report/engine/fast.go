package engine

import (
	"reflect"
	"time"
)

// Typed guards. wrap makes every function a reflect.MakeFunc closure, so
// a template's call went through reflection twice: text/template calls
// the closure reflectively, the closure calls the function reflectively.
// For the signatures templates call most, fastWrap returns a closure of
// the function's own type instead: the same checks (deadline, argument
// size, result size) and one reflective call, text/template's. A
// signature not listed here keeps wrap. TestFastWrapSameChecks holds the
// two to the same answers.

// guard is what a typed closure checks around one function.
type guard struct {
	st   *execState
	name string
	walk bool
}

// pre checks the deadline and, if walk, the size of the arguments; it
// panics like wrap does.
func (g *guard) pre(args ...any) {
	if err := g.st.check(); err != nil {
		panic(err)
	}
	if g.walk {
		w := walker{budget: g.st.limit}
		for _, a := range args {
			if err := w.walk(reflect.ValueOf(a)); err != nil {
				panic(limitf("%s: %v", g.name, err))
			}
		}
	}
}

// post checks a result.
func (g *guard) post(r any) {
	if err := g.st.account(g.name, reflect.ValueOf(r)); err != nil {
		panic(err)
	}
}

func f1[A, R any](g *guard, f func(A) R) func(A) R {
	return func(a A) R { g.pre(a); r := f(a); g.post(r); return r }
}

func f1e[A, R any](g *guard, f func(A) (R, error)) func(A) (R, error) {
	return func(a A) (R, error) {
		g.pre(a)
		r, err := f(a)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

func f2[A, B, R any](g *guard, f func(A, B) R) func(A, B) R {
	return func(a A, b B) R { g.pre(a, b); r := f(a, b); g.post(r); return r }
}

func f2e[A, B, R any](g *guard, f func(A, B) (R, error)) func(A, B) (R, error) {
	return func(a A, b B) (R, error) {
		g.pre(a, b)
		r, err := f(a, b)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

func f3[A, B, C, R any](g *guard, f func(A, B, C) R) func(A, B, C) R {
	return func(a A, b B, c C) R { g.pre(a, b, c); r := f(a, b, c); g.post(r); return r }
}

func f3e[A, B, C, R any](g *guard, f func(A, B, C) (R, error)) func(A, B, C) (R, error) {
	return func(a A, b B, c C) (R, error) {
		g.pre(a, b, c)
		r, err := f(a, b, c)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

// The variadic forms measure the variadic arguments as one tList, as wrap
// does (it receives them as one slice).
func fv[V, R any](g *guard, f func(...V) R) func(...V) R {
	return func(xs ...V) R { g.pre(xs); r := f(xs...); g.post(r); return r }
}

func fve[V, R any](g *guard, f func(...V) (R, error)) func(...V) (R, error) {
	return func(xs ...V) (R, error) {
		g.pre(xs)
		r, err := f(xs...)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

func f1v[A, V, R any](g *guard, f func(A, ...V) R) func(A, ...V) R {
	return func(a A, xs ...V) R { g.pre(a, xs); r := f(a, xs...); g.post(r); return r }
}

func f1ve[A, V, R any](g *guard, f func(A, ...V) (R, error)) func(A, ...V) (R, error) {
	return func(a A, xs ...V) (R, error) {
		g.pre(a, xs)
		r, err := f(a, xs...)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

func f2ve[A, B, V, R any](g *guard, f func(A, B, ...V) (R, error)) func(A, B, ...V) (R, error) {
	return func(a A, b B, xs ...V) (R, error) {
		g.pre(a, b, xs)
		r, err := f(a, b, xs...)
		if err == nil {
			g.post(r)
		}
		return r, err
	}
}

type (
	tMap  = map[string]any
	tList = []any
)

// fastWrap is wrap for the common signatures; ok is false for the others.
func (st *execState) fastWrap(name string, fn any, walk bool) (w any, ok bool) {
	g := &guard{st: st, name: name, walk: walk}
	switch f := fn.(type) {
	case func(string) string:
		return f1(g, f), true
	case func(any) string:
		return f1(g, f), true
	case func(any) any:
		return f1(g, f), true
	case func(any) tList:
		return f1(g, f), true
	case func(any) int64:
		return f1(g, f), true
	case func(any) int:
		return f1(g, f), true
	case func(any) float64:
		return f1(g, f), true
	case func(any) bool:
		return f1(g, f), true
	case func(any) []string:
		return f1(g, f), true
	case func(tMap) tList:
		return f1(g, f), true
	case func(string) int:
		return f1(g, f), true
	case func(string) bool:
		return f1(g, f), true
	case func(time.Time) string:
		return f1(g, f), true
	case func(any) (string, error):
		return f1e(g, f), true
	case func(any) (tList, error):
		return f1e(g, f), true
	case func(any) (any, error):
		return f1e(g, f), true
	case func(any) (int, error):
		return f1e(g, f), true
	case func(any) (float64, error):
		return f1e(g, f), true
	case func(string) (string, error):
		return f1e(g, f), true
	case func(string) (any, error):
		return f1e(g, f), true
	case func(string, string) string:
		return f2(g, f), true
	case func(string, string) bool:
		return f2(g, f), true
	case func(string, string) []string:
		return f2(g, f), true
	case func(string, any) bool:
		return f2(g, f), true
	case func(int, string) string:
		return f2(g, f), true
	case func(any, any) tList:
		return f2(g, f), true
	case func(any, any) int64:
		return f2(g, f), true
	case func(any, any) bool:
		return f2(g, f), true
	case func(any, any) any:
		return f2(g, f), true
	case func(tMap, string) any:
		return f2(g, f), true
	case func(tMap, string) bool:
		return f2(g, f), true
	case func(tMap, string) tMap:
		return f2(g, f), true
	case func(any, any) (tList, error):
		return f2e(g, f), true
	case func(any, any) (bool, error):
		return f2e(g, f), true
	case func(any, any) (string, error):
		return f2e(g, f), true
	case func(any, any) (map[string]int, error):
		return f2e(g, f), true
	case func(string, any) (string, error):
		return f2e(g, f), true
	case func(string, any) (any, error):
		return f2e(g, f), true
	case func(int, string) (string, error):
		return f2e(g, f), true
	case func(string, string) (string, error):
		return f2e(g, f), true
	case func(string, string) (bool, error):
		return f2e(g, f), true
	case func(int, int, string) string:
		return f3(g, f), true
	case func(any, any, bool) any:
		return f3(g, f), true
	case func(string, string, int) string:
		return f3(g, f), true
	case func(any, any, any) (tList, error):
		return f3e(g, f), true
	case func(string, string, string) (string, error):
		return f3e(g, f), true
	case func(...any) string:
		return fv(g, f), true
	case func(...any) any:
		return fv(g, f), true
	case func(...any) tList:
		return fv(g, f), true
	case func(...any) bool:
		return fv(g, f), true
	case func(...any) int64:
		return fv(g, f), true
	case func(...any) float64:
		return fv(g, f), true
	case func(...any) tMap:
		return fv(g, f), true
	case func(...tMap) []string:
		return fv(g, f), true
	case func(...any) (string, error):
		return fve(g, f), true
	case func(...any) (any, error):
		return fve(g, f), true
	case func(...any) (tList, error):
		return fve(g, f), true
	case func(any, ...any) any:
		return f1v(g, f), true
	case func(any, ...any) float64:
		return f1v(g, f), true
	case func(any, ...any) int64:
		return f1v(g, f), true
	case func(any, ...any) tList:
		return f1v(g, f), true
	case func(tMap, ...string) tMap:
		return f1v(g, f), true
	case func(any, ...any) (bool, error):
		return f1ve(g, f), true
	case func(any, ...any) (tList, error):
		return f1ve(g, f), true
	case func(any, ...any) (any, error):
		return f1ve(g, f), true
	case func(string, ...any) (string, error):
		return f1ve(g, f), true
	case func(any, any, ...any) (string, error):
		return f2ve(g, f), true
	}
	return nil, false
}

// fastSet is set guarded like wrapAcyclic(wrap(set)): the value put in
// the map must not reach the map.
func (st *execState) fastSet(name string, fn any, walk bool) (any, bool) {
	f, ok := fn.(func(tMap, string, any) tMap)
	if !ok {
		return nil, false
	}
	g := &guard{st: st, name: name, walk: walk}
	return func(m tMap, k string, v any) tMap {
		if target, ok := mapIdentity(reflect.ValueOf(m)); ok {
			seen := map[[2]uintptr]bool{}
			if reaches(reflect.ValueOf(k), target, seen) || reaches(reflect.ValueOf(v), target, seen) {
				panic(limitf("%s: value contains itself", name))
			}
		}
		g.pre(m, k, v)
		r := f(m, k, v)
		g.post(r)
		return r
	}, true
}
