package analytics

import (
	"cmp"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"renda/internal/records"
)

// product yields every combination of one item from each list.
func product(items [][]any) func(func([]any) bool) {
	return func(yield func([]any) bool) {
		combo := make([]any, len(items))
		var walk func(i int) bool
		walk = func(i int) bool {
			if i == len(items) {
				return yield(combo)
			}
			for _, x := range items[i] {
				combo[i] = x
				if !walk(i + 1) {
					return false
				}
			}
			return true
		}
		walk(0)
	}
}

// normalize makes equal values equal in Go: whole numbers int64, others
// float64, whatever their stored type; empty text nil.
func normalize(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil // text left empty is no value, as a field left out
	}
	if f, ok := records.Number(v); ok {
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f)
		}
		return f
	}
	return v
}

func keyID(vals []any) string {
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(valueID(v))
		b.WriteByte(';')
	}
	return b.String()
}

// valueID identifies a normalized value, its type included.
func valueID(v any) string {
	switch x := v.(type) {
	case nil:
		return "n"
	case int64:
		return "i" + strconv.FormatInt(x, 10)
	case float64:
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "s" + strconv.Itoa(len(x)) + ":" + x
	case bool:
		return "b" + strconv.FormatBool(x)
	case time.Time:
		return "t" + x.Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(v)
	return "j" + string(b)
}

// rank orders values of different types as MongoDB sorts them: none,
// numbers, text, documents, lists, booleans, dates.
func rank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64, float64:
		return 1
	case string:
		return 2
	case map[string]any:
		return 3
	case []any:
		return 4
	case bool:
		return 5
	case time.Time:
		return 6
	}
	return 7
}

// compareValues orders two normalized values.
func compareValues(a, b any) int {
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	if f, ok := records.Number(a); ok {
		g, _ := records.Number(b)
		return cmp.Compare(f, g)
	}
	return strings.Compare(valueID(a), valueID(b))
}

// compareKeys orders two groups' keys: by value, or, for the keys whose
// values have an order of their own (ranks[i]: age bands youngest first),
// by it.
func compareKeys(ranks []map[any]int, a, b []any) int {
	for i := range a {
		c := 0
		if i < len(ranks) && ranks[i] != nil {
			ra, aok := ranks[i][a[i]]
			rb, bok := ranks[i][b[i]]
			if aok && bok {
				c = cmp.Compare(ra, rb)
			}
		}
		if c == 0 {
			c = compareValues(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// keyRanks are, per key of req, the order of its values where they have
// one of their own (age bands), nil elsewhere.
func keyRanks(req Request) []map[any]int {
	out := make([]map[any]int, len(req.Keys))
	for i, k := range req.Keys {
		if f, ok := Specs[req.Kind].Field(k.Field); ok && k.Attribute == "" && f.Age {
			out[i] = map[any]int{}
			for j, b := range records.AgeBands {
				out[i][string(b.Band)] = j
			}
		}
	}
	return out
}

// compareNumbers orders sums and averages, none first.
func compareNumbers(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

// compareFigures orders mins or maxes: none first, then numbers or dates.
func compareFigures(a, b any) int {
	fa, _ := a.(*float64)
	fb, _ := b.(*float64)
	if fa != nil || fb != nil {
		return compareNumbers(fa, fb)
	}
	da, _ := a.(records.Date)
	db, _ := b.(records.Date)
	return strings.Compare(string(da), string(db))
}

// Label is the Chinese label of a group's i-th key value, as the
// request's key names it; for refs, the id (the API labels them with the
// record's name).
func Label(kind records.Kind, k Key, v any) string {
	if k.Attribute != "" {
		return text(v)
	}
	f, ok := Specs[kind].Field(k.Field)
	if !ok {
		return text(v)
	}
	if v == nil && f.List {
		return "无"
	}
	return f.Label(v)
}

func distinct(xs []any, f func(any) any) []any {
	if len(xs) == 0 {
		return []any{nil}
	}
	seen := map[string]bool{}
	var out []any
	for _, x := range xs {
		y := f(x)
		if id := valueID(y); y != nil && !seen[id] {
			seen[id] = true
			out = append(out, y)
		}
	}
	if len(out) == 0 {
		return []any{nil}
	}
	return out
}
