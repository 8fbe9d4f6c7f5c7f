package engine

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"renda/internal/chinese"
)

// toList reads a list: nil is empty; any slice or array.
func toList(v any) ([]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return x, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out, nil
	}
	return nil, fmt.Errorf("not a list: %T", v)
}

// field returns the value at a dotted path; a list met on the way is
// spread over its elements and the results collected in one list.
func field(a, b any) any {
	v, path := a, ""
	if s, ok := b.(string); ok {
		path = s
	} else if s, ok := a.(string); ok {
		v, path = b, s // piped: {{. | field "a.b"}}
	}
	return fieldAt(v, path)
}

func fieldAt(v any, path string) any {
	if path == "" || path == "." {
		return v
	}
	return getPath(v, path)
}

// getPath follows the dotted path from v. The query's data (maps of
// string to any, lists of any) is walked without reflection, and the
// path without splitting it: templates call this for every item they
// filter or sort.
func getPath(v any, path string) any {
	for {
		head, rest, more := strings.Cut(path, ".")
		var next any
		switch x := v.(type) {
		case nil:
			return nil
		case map[string]any:
			e, ok := x[head]
			if !ok {
				return nil
			}
			next = e
		case []any:
			var out []any
			for _, e := range x {
				out = spread(out, getPath(e, path))
			}
			return out
		default:
			rv := reflect.ValueOf(v)
			for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
				if rv.IsNil() {
					return nil
				}
				rv = rv.Elem()
			}
			switch rv.Kind() {
			case reflect.Map:
				if rv.Type().Key().Kind() != reflect.String {
					return nil
				}
				e := rv.MapIndex(reflect.ValueOf(head).Convert(rv.Type().Key()))
				if !e.IsValid() {
					return nil
				}
				next = e.Interface()
			case reflect.Struct:
				t := rv.Type()
				found := false
				for i := 0; i < t.NumField() && !found; i++ {
					f := t.Field(i)
					if !f.IsExported() {
						continue
					}
					tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
					if f.Name == head || tag == head {
						next, found = rv.Field(i).Interface(), true
					}
				}
				if !found {
					return nil
				}
			case reflect.Slice, reflect.Array:
				if rv.Type().Elem().Kind() == reflect.Uint8 {
					return nil
				}
				var out []any
				for i := 0; i < rv.Len(); i++ {
					out = spread(out, getPath(rv.Index(i).Interface(), path))
				}
				return out
			default:
				return nil
			}
		}
		if !more {
			return next
		}
		v, path = next, rest
	}
}

// spread adds x to out: a list's items one by one, nil not at all.
func spread(out []any, x any) []any {
	if xs, ok := x.([]any); ok {
		return append(out, xs...)
	} else if x != nil {
		return append(out, x)
	}
	return out
}

// looseEqual compares values from JSON: numbers by value whatever their
// type, strings (and string types) by content, the rest deeply.
func looseEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNumber(a) || isNumber(b) {
		x, errA := toFloat(a)
		y, errB := toFloat(b)
		return isNumber(a) && isNumber(b) && errA == nil && errB == nil && x == y
	}
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.Kind() == reflect.String && rb.Kind() == reflect.String {
		return ra.String() == rb.String()
	}
	return reflect.DeepEqual(a, b)
}

// matches reports whether a field value equals v, or, for a list, holds it.
func matches(fv, v any) bool {
	if xs, ok := fv.([]any); ok {
		if _, vIsList := v.([]any); !vIsList {
			return slices.ContainsFunc(xs, func(x any) bool { return looseEqual(x, v) })
		}
	}
	return looseEqual(fv, v)
}

func filter(list any, keep func(any) bool) ([]any, error) {
	items, err := toList(list)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out, nil
}

func where(a, b, c any) ([]any, error) {
	list, path, value, err := args3("where", a, b, c)
	if err != nil {
		return nil, err
	}
	return filter(list, func(it any) bool { return matches(fieldAt(it, path), value) })
}

func whereNot(a, b, c any) ([]any, error) {
	list, path, value, err := args3("whereNot", a, b, c)
	if err != nil {
		return nil, err
	}
	return filter(list, func(it any) bool { return !matches(fieldAt(it, path), value) })
}

// maxCompareWork bounds whereIn's item × value comparisons.
const maxCompareWork = 10_000_000

func whereIn(a, b, c any) ([]any, error) {
	list, path, values, err := args3("whereIn", a, b, c)
	if err != nil {
		return nil, err
	}
	vs, err := toList(values)
	if err != nil {
		return nil, err
	}
	if items, err := toList(list); err == nil && len(items)*len(vs) > maxCompareWork {
		return nil, limitf("whereIn: %d items × %d values exceed %d comparisons", len(items), len(vs), maxCompareWork)
	}
	return filter(list, func(it any) bool {
		fv := fieldAt(it, path)
		return slices.ContainsFunc(vs, func(v any) bool { return matches(fv, v) })
	})
}

func count(v any) (int, error) {
	if v == nil {
		return 0, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return 0, nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return rv.Len(), nil
	}
	return 0, fmt.Errorf("count: not a list or map: %T", v)
}

// args2 reads (list, path), or (path, list) when the list was piped in.
func args2(name string, a, b any) ([]any, string, error) {
	if s, ok := a.(string); ok {
		a, b = b, s
	}
	path, ok := b.(string)
	if !ok {
		return nil, "", fmt.Errorf("%s: the field path must be a string, not %T", name, b)
	}
	items, err := toList(a)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", name, err)
	}
	return items, path, nil
}

// args3 reads (list, path, value), or (path, value, list) when the list
// was piped in.
func args3(name string, a, b, c any) (list any, path string, value any, err error) {
	if s, ok := a.(string); ok {
		a, b, c = c, s, b
	}
	path, ok := b.(string)
	if !ok {
		return nil, "", nil, fmt.Errorf("%s: the field path must be a string, not %T", name, b)
	}
	return a, path, c, nil
}

// keysOf is the field value as a list of keys: a list field gives each
// element, a missing or null field gives nil.
func keysOf(it any, path string) []any {
	fv := fieldAt(it, path)
	if xs, ok := fv.([]any); ok {
		return xs
	}
	return []any{fv}
}

func countBy(a, b any) (map[string]int, error) {
	items, path, err := args2("countBy", a, b)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, it := range items {
		for _, k := range keysOf(it, path) {
			out[toText(k)]++
		}
	}
	return out, nil
}

func groupBy(a, b any) ([]any, error) {
	items, path, err := args2("groupBy", a, b)
	if err != nil {
		return nil, err
	}
	var groups []map[string]any
	index := map[string]int{}
	for _, it := range items {
		for _, k := range keysOf(it, path) {
			key := typedKey(k)
			i, ok := index[key]
			if !ok {
				i = len(groups)
				index[key] = i
				groups = append(groups, map[string]any{"key": k, "items": []any{}})
			}
			groups[i]["items"] = append(groups[i]["items"].([]any), it)
		}
	}
	out := make([]any, len(groups))
	for i, g := range groups {
		g["count"] = len(g["items"].([]any))
		out[i] = g
	}
	return out, nil
}

// typedKey tells values apart for distinct and groupBy: 1 and 1.0 and
// json.Number("1") are the same, "1" is not.
func typedKey(v any) string {
	if isNumber(v) {
		f, _ := toFloat(v)
		return "n" + formatNum(f)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return "s" + rv.String()
	}
	return fmt.Sprintf("%T%v", v, v)
}

func distinct(list any) ([]any, error) {
	items, err := toList(list)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []any{}
	for _, it := range items {
		k := typedKey(it)
		if !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	return out, nil
}

func sumValues(values []any) (float64, error) {
	var s float64
	for _, v := range values {
		if v == nil {
			continue
		}
		f, err := toFloat(v)
		if err != nil {
			return 0, err
		}
		s += f
	}
	// Sums of decimals from JSON: 24.5 + 22.4 + 15.5 is 62.4, not 62.400000000000006.
	if math.Abs(s) < 1e9 {
		s = math.Round(s*1e9) / 1e9
	}
	return s, nil
}

func sumBy(a, b any) (float64, error) {
	items, path, err := args2("sumBy", a, b)
	if err != nil {
		return 0, err
	}
	var values []any
	for _, it := range items {
		values = append(values, keysOf(it, path)...)
	}
	s, err := sumValues(values)
	if err != nil {
		return 0, fmt.Errorf("sumBy %s: %v", path, err)
	}
	return s, nil
}

func sum(list any) (float64, error) {
	items, err := toList(list)
	if err != nil {
		return 0, err
	}
	return sumValues(items)
}

func mapField(a, b any) ([]any, error) {
	items, path, err := args2("mapField", a, b)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, it := range items {
		fv := fieldAt(it, path)
		if xs, ok := fv.([]any); ok {
			out = append(out, xs...)
		} else if fv != nil {
			out = append(out, fv)
		}
	}
	return out, nil
}

// compareValues orders nil, then numbers (by value), then strings (by
// bytes), then anything else by its printed form.
func compareValues(a, b any) int {
	rank := func(v any) int {
		switch {
		case v == nil:
			return 0
		case isNumber(v):
			return 1
		case reflect.ValueOf(v).Kind() == reflect.String:
			return 2
		}
		return 3
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch ra {
	case 1:
		x, _ := toFloat(a)
		y, _ := toFloat(b)
		return cmp.Compare(x, y)
	case 2:
		return strings.Compare(reflect.ValueOf(a).String(), reflect.ValueOf(b).String())
	case 3:
		// Lists and maps order by kind only: printing them to compare
		// could cost without bound.
		return strings.Compare(reflect.TypeOf(a).String(), reflect.TypeOf(b).String())
	}
	return 0
}

func sortWith(name string, a, b any, key func(any) any) ([]any, error) {
	items, path, err := args2(name, a, b)
	if err != nil {
		return nil, err
	}
	desc := strings.HasPrefix(path, "-")
	path = strings.TrimPrefix(path, "-")
	type kv struct{ k, v any }
	kvs := make([]kv, len(items))
	for i, it := range items {
		kvs[i] = kv{key(fieldAt(it, path)), it}
	}
	slices.SortStableFunc(kvs, func(a, b kv) int {
		if desc {
			return compareValues(b.k, a.k)
		}
		return compareValues(a.k, b.k)
	})
	out := make([]any, len(kvs))
	for i, x := range kvs {
		out[i] = x.v
	}
	return out, nil
}

func sortBy(a, b any) ([]any, error) {
	return sortWith("sortBy", a, b, func(v any) any { return v })
}

func sortByPinyin(a, b any) ([]any, error) {
	return sortWith("sortByPinyin", a, b, func(v any) any {
		if v == nil {
			return nil
		}
		t := []rune(toText(v))
		if len(t) > maxSortKeyRunes {
			t = t[:maxSortKeyRunes]
		}
		return chinese.SortKey(string(t))
	})
}

func listDefs() []def {
	d := func(name, doc string, fn any, walk bool, ex ...Example) def {
		return def{name: name, ns: "list", doc: doc, fn: fn, walk: walk, examples: ex}
	}
	return []def{
		d("where", "The items whose field (a dotted path) equals the value; numbers compare by value, and a list field matches when it holds the value.", where, false,
			Example{`{{range where .projects "surface" "CEMENT"}}{{.name}}{{end}}`, "二十九号村村路"},
			Example{`{{where .deputies "levels" "COUNTY" | count}} {{where .deputies "village.name" "二十九号村" | mapField "name" | cnJoin}}`, "2 张三和王五"},
			Example{`{{where .inspections "villages.name" "二十九号村" | count}}`, "2"}),
		d("whereNot", "The items whose field does not equal the value.", whereNot, false,
			Example{`{{whereNot .projects "surface" "CEMENT" | mapField "name" | cnJoin}}`, "甘六号村村路和罗字十号村村路"}),
		d("whereIn", "The items whose field equals one of the values.", whereIn, false,
			Example{`{{whereIn .projects "surface" (list "CEMENT" "ASPHALT") | count}}`, "2"}),
		d("count", "The number of items of a list or map; 0 for nil.", count, false,
			Example{`{{count .deputies}}名代表 {{count nil}}`, "4名代表 0"}),
		d("countBy", "A map from each value of the field to the number of items with it (a list field counts each element; a missing field counts under \"\").", countBy, true,
			Example{`{{$c := countBy .deputies "levels"}}市级{{$c.CITY}}名，县级{{$c.COUNTY}}名，镇级{{$c.TOWNSHIP}}名`, "市级1名，县级2名，镇级4名"}),
		d("groupBy", "The items grouped by the field's value, in order of first appearance: a list of {key, items, count}.", groupBy, true,
			Example{`{{range groupBy .deputies "village.name"}}{{.key | default "未分组"}}:{{.count}} {{end}}`, "二十九号村:2 甘六号村:1 未分组:1 "}),
		d("sumBy", "The sum of a numeric field over the items (missing or null fields count 0).", sumBy, false,
			Example{`{{sumBy .projects "lengthKm"}} {{where .projects "surface" "CEMENT" | sumBy "lengthKm" | approx}}`, "62.4 20多"}),
		d("sum", "The sum of a list of numbers.", sum, false,
			Example{`{{sum (list 1 2.5 "3")}}`, "6.5"}),
		d("sortBy", "The items sorted stably by a field: numbers by value, strings by bytes, missing first; a leading - sorts descending.", sortBy, false,
			Example{`{{range sortBy .deputies "age"}}{{.name}}{{end}} {{range sortBy .deputies "-age"}}{{.age}} {{end}}`, "李四王五张三赵六 61 52 45 38 "}),
		d("sortByPinyin", "The items sorted stably by a field's pinyin (how names are ordered in lists), missing first.", sortByPinyin, true,
			Example{`{{sortByPinyin .deputies "name" | mapField "name" | cnJoin "、"}}`, "李四、王五、张三、赵六"}),
		d("mapField", "The field's value of every item, skipping missing ones and spreading lists (pluck for lists of records).", mapField, false,
			Example{`{{mapField .projects "village.name" | cnJoin}}`, "二十九号村、甘六号村和罗字十号村"},
			Example{`{{mapField .inspections "villages.name" | distinct | count}}`, "3"}),
		d("distinct", "The list without repeated values, keeping first occurrences (1, 1.0 and json 1 are equal; \"1\" is not).", distinct, true,
			Example{`{{distinct (list "a" "b" "a" 1 1.0 "1") | toJson}}`, `["a","b",1,"1"]`}),
		d("field", "The value at a dotted path in a map or struct, nil when missing (a list on the way is spread).", field, false,
			Example{`{{field . "township.name"}} {{field . "township.mayor" | default "—"}}`, "棋盘山镇 —"}),
	}
}
