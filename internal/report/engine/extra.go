package engine

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Limits on what `warn` may collect in one execution.
const (
	maxWarnings   = 100
	maxWarningLen = 500
)

type warningsKey struct{}

// CollectWarnings returns a context in which templates executed with it
// add what they `warn` to *w.
func CollectWarnings(ctx context.Context, w *[]string) context.Context {
	return context.WithValue(ctx, warningsKey{}, w)
}

// warn records a message for the caller (a section left out, a figure
// that looks wrong) and prints nothing.
func (st *execState) warn(format string, args ...any) (string, error) {
	if err := checkFormat(format); err != nil {
		return "", err
	}
	if err := checkPadded(format, args); err != nil {
		return "", err
	}
	w, _ := st.ctx.Value(warningsKey{}).(*[]string)
	if w == nil || len(*w) >= maxWarnings {
		return "", nil
	}
	msg := fmt.Sprintf(format, args...)
	if utf8.RuneCountInString(msg) > maxWarningLen {
		msg = string([]rune(msg)[:maxWarningLen]) + "…"
	}
	*w = append(*w, msg)
	return "", nil
}

// extraDefs are the comparisons that treat numbers by value, warn,
// natural sorting, and the functions of a period (span.go).
func extraDefs() []def {
	cmp := func(name, doc string, fn any, ex ...Example) def {
		return def{name: name, ns: "tpl", doc: doc, fn: fn, examples: ex}
	}
	return append(spanDefs(),
		cmp("eq", "Reports whether the first argument equals any of the others; numbers compare by value whatever their type (2 equals 2.0), a number never equals a string.", eq,
			Example{`{{eq 2 2.0}} {{eq .township.name "棋盘山镇" "x"}} {{eq 1 "1"}}`, "true true false"}),
		cmp("ne", "The negation of eq for two arguments.", ne,
			Example{`{{ne 16 16.0}}`, "false"}),
		cmp("lt", "Reports whether a < b: numbers by value whatever their type, strings by bytes.", lt,
			Example{`{{lt (sumBy .projects "lengthKm") 100}} {{lt "a" "b"}}`, "true true"}),
		cmp("le", "Reports whether a <= b.", le, Example{`{{le 4 4.0}}`, "true"}),
		cmp("gt", "Reports whether a > b.", gt, Example{`{{gt (len .deputies) 3}}`, "true"}),
		cmp("ge", "Reports whether a >= b.", ge, Example{`{{ge 2.5 3}}`, "false"}),
		def{name: "warn", ns: "tpl", bind: func(st *execState) any { return st.warn },
			doc: `Records a warning for whoever asked for the document (renderReport's warnings) and prints nothing; printf-style.`,
			examples: []Example{
				{`{{if not .inspections}}{{warn "%d年没有视察记录" 2023}}{{end}}ok`, "ok"},
			}},
		def{name: "sortNatural", ns: "list", fn: sortNatural, walk: true,
			doc: `The items (or strings) sorted by a field with the numbers in it read by value, Chinese numerals included: 第二组 before 第十组, 2号 before 10号.`,
			examples: []Example{
				{`{{list "第十组" "第二组" "第一组" | sortNatural | join "、"}}`, "第一组、第二组、第十组"},
				{`{{sortNatural (list (dict "g" "10号") (dict "g" "9号")) "g" | mapField "g" | join " "}}`, "9号 10号"},
			}},
	)
}

func eq(a any, bs ...any) (bool, error) {
	if len(bs) == 0 {
		return false, fmt.Errorf("eq: missing argument for comparison")
	}
	for _, b := range bs {
		c, ok, err := compare(a, b)
		if err != nil {
			return false, fmt.Errorf("eq: %w", err)
		}
		if ok && c == 0 {
			return true, nil
		}
	}
	return false, nil
}

func ne(a, b any) (bool, error) {
	r, err := eq(a, b)
	return !r, err
}

func lt(a, b any) (bool, error) { return order("lt", a, b, func(c int) bool { return c < 0 }) }
func le(a, b any) (bool, error) { return order("le", a, b, func(c int) bool { return c <= 0 }) }
func gt(a, b any) (bool, error) { return order("gt", a, b, func(c int) bool { return c > 0 }) }
func ge(a, b any) (bool, error) { return order("ge", a, b, func(c int) bool { return c >= 0 }) }

func order(name string, a, b any, want func(int) bool) (bool, error) {
	c, ok, err := compare(a, b)
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	if !ok {
		return false, fmt.Errorf("%s: cannot order a %T and a %T", name, a, b)
	}
	return want(c), nil
}

// compare orders two scalars: numbers by value, strings and bools as
// themselves. ok is false for values of different kinds, which are never
// equal and cannot be ordered; lists and maps are an error.
func compare(a, b any) (c int, ok bool, err error) {
	if a == nil || b == nil {
		if a == nil && b == nil {
			return 0, true, nil
		}
		return 0, false, nil
	}
	if isNumber(a) && isNumber(b) {
		x, _ := toFloat(a)
		y, _ := toFloat(b)
		switch {
		case x < y:
			return -1, true, nil
		case x > y:
			return 1, true, nil
		}
		return 0, true, nil
	}
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	for _, v := range []reflect.Value{ra, rb} {
		switch v.Kind() {
		case reflect.Slice, reflect.Map, reflect.Array, reflect.Struct, reflect.Func, reflect.Chan:
			return 0, false, fmt.Errorf("cannot compare %s values", v.Kind())
		}
	}
	switch {
	case ra.Kind() == reflect.String && rb.Kind() == reflect.String:
		return strings.Compare(ra.String(), rb.String()), true, nil
	case ra.Kind() == reflect.Bool && rb.Kind() == reflect.Bool:
		x, y := ra.Bool(), rb.Bool()
		if x == y {
			return 0, true, nil
		} else if !x {
			return -1, true, nil
		}
		return 1, true, nil
	}
	return 0, false, nil
}

// sortNatural sorts strings, or items by a field, reading the numbers in
// the text by value.
func sortNatural(a any, b ...any) ([]any, error) {
	if len(b) > 1 {
		return nil, fmt.Errorf("sortNatural: want a list and at most one field")
	}
	var path any = "."
	if len(b) == 1 {
		path = b[0]
	}
	return sortWith("sortNatural", a, path, func(v any) any {
		if v == nil {
			return nil
		}
		return naturalKey(toText(v))
	})
}

var cnDigitValue = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var cnUnitValue = map[rune]int{'十': 10, '百': 100, '千': 1000, '万': 10000}

// maxSortKeyRunes is how much of a text orders it: enough for any name,
// and it bounds what building the keys costs.
const maxSortKeyRunes = 256

// naturalKey writes every run of digits or Chinese numerals as a 16-digit
// number, so byte order is numeric order.
func naturalKey(s string) string {
	var b strings.Builder
	rs := []rune(s)
	if len(rs) > maxSortKeyRunes {
		rs = rs[:maxSortKeyRunes]
	}
	for i := 0; i < len(rs); {
		j := i
		switch {
		case rs[i] >= '0' && rs[i] <= '9':
			n := 0
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' && n < 1e15 {
				n = n*10 + int(rs[j]-'0')
				j++
			}
			fmt.Fprintf(&b, "%016d", n)
		case isCnNumeral(rs[i]):
			for j < len(rs) && isCnNumeral(rs[j]) {
				j++
			}
			fmt.Fprintf(&b, "%016d", cnValue(rs[i:j]))
		default:
			b.WriteRune(rs[i])
			j++
		}
		i = j
	}
	return b.String()
}

func isCnNumeral(r rune) bool {
	_, d := cnDigitValue[r]
	_, u := cnUnitValue[r]
	return d || u
}

// cnValue reads a Chinese numeral below 一亿: 十五, 二十三, 一百零五, 两万.
func cnValue(rs []rune) int {
	total, section, digit := 0, 0, 0
	for _, r := range rs {
		if d, ok := cnDigitValue[r]; ok {
			digit = d
			continue
		}
		u := cnUnitValue[r]
		if u == 10000 {
			total += (section + digit) * u
			section, digit = 0, 0
			continue
		}
		if digit == 0 && u == 10 {
			digit = 1 // 十五 is 一十五
		}
		section += digit * u
		digit = 0
	}
	return total + section + digit
}
