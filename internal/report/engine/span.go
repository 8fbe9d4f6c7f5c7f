package engine

import (
	"fmt"
	"slices"
	"strings"

	"renda/internal/records"
)

// Functions for the records of a period: which fall within it, and in
// what order a document tells them.

// spanOf reads the date span at a record's field: the GraphQL object
// {date, end} (end as the API gives it), {date, precision}, or a
// YYYY-MM-DD day. ok is false when there is none.
func spanOf(v any) (from, to string, ok bool) {
	if m, isMap := v.(map[string]any); isMap {
		d, _ := m["date"].(string)
		e, _ := m["end"].(string)
		if records.Date(d).Valid() && records.Date(e).Valid() {
			return d, e, true
		}
	}
	if s, isStr := v.(string); isStr && !records.Date(s).Valid() {
		return "", "", false
	}
	s, err := toDateSpan(v)
	if err != nil {
		return "", "", false
	}
	s.Normalize()
	return string(s.Date), string(s.End), true
}

// within keeps the items whose date span lies wholly between from and to
// (YYYY-MM-DD, both included). Piped: {{$l | within "date" $from $to}}.
func within(args ...any) ([]any, error) {
	if len(args) != 4 {
		return nil, fmt.Errorf("within: want a list, a field path, a first and a last day")
	}
	if _, piped := args[0].(string); piped {
		args = append([]any{args[3]}, args[:3]...)
	}
	path, ok1 := args[1].(string)
	from, ok2 := args[2].(string)
	to, ok3 := args[3].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("within: the field path and both days must be strings")
	}
	if !records.Date(from).Valid() || !records.Date(to).Valid() {
		return nil, fmt.Errorf("within: %q and %q must be YYYY-MM-DD days", from, to)
	}
	items, err := toList(args[0])
	if err != nil {
		return nil, fmt.Errorf("within: %v", err)
	}
	out := []any{}
	for _, it := range items {
		if f, t, ok := spanOf(fieldAt(it, path)); ok && f >= from && t <= to {
			out = append(out, it)
		}
	}
	return out, nil
}

// sortByKeys sorts items stably by several fields in turn; a leading "-"
// sorts that field descending; items missing a field come after the
// others for it. Piped: {{$l | sortByKeys "a" "b"}}.
func sortByKeys(args ...any) ([]any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("sortByKeys: want a list and at least one field path")
	}
	var list any
	var keys []string
	if _, piped := args[0].(string); piped {
		list, args = args[len(args)-1], args[:len(args)-1]
	} else {
		list, args = args[0], args[1:]
	}
	if len(args) > 8 {
		return nil, fmt.Errorf("sortByKeys: at most 8 fields")
	}
	for _, a := range args {
		s, ok := a.(string)
		if !ok || strings.TrimPrefix(s, "-") == "" {
			return nil, fmt.Errorf("sortByKeys: field paths must be non-empty strings, not %v", a)
		}
		keys = append(keys, s)
	}
	items, err := toList(list)
	if err != nil {
		return nil, fmt.Errorf("sortByKeys: %v", err)
	}
	type row struct {
		keys []any
		v    any
	}
	rows := make([]row, len(items))
	for i, it := range items {
		rows[i] = row{make([]any, len(keys)), it}
		for k, p := range keys {
			rows[i].keys[k] = fieldAt(it, strings.TrimPrefix(p, "-"))
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		for k, p := range keys {
			x, y := a.keys[k], b.keys[k]
			switch {
			case x == nil && y == nil:
				continue
			case x == nil:
				return 1
			case y == nil:
				return -1
			}
			c := compareValues(x, y)
			if strings.HasPrefix(p, "-") {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r.v
	}
	return out, nil
}

// spanDefs are the functions of this file.
func spanDefs() []def {
	return []def{
		{name: "within", ns: "list", fn: within,
			doc: `The items whose date span (at a field path: {date, end} or {date, precision} as the API gives it, or a YYYY-MM-DD day) lies wholly between two days, both included; items without one are left out. For the records of a half year: within $l "date" "2023-01-01" "2023-06-30".`,
			examples: []Example{
				{`{{within .inspections "date" "2023-01-01" "2023-06-30" | mapField "topic" | cnJoin}}`, "农资市场"},
				{`{{within .inspections "date" "2023-07-01" "2023-12-31" | count}}`, "2"},
			}},
		{name: "sortByKeys", ns: "list", fn: sortByKeys,
			doc: `The items sorted stably by several fields in turn (a leading - sorts one descending); items missing a field come after those that have it, so a record's order (文书中的顺序) puts the records that have it first and the rest follow by the next field.`,
			examples: []Example{
				{`{{sortByKeys .inspections "-date.date" | mapField "topic" | cnJoin "、"}}`, "淀粉加工企业治理整顿、农村公路建设、农资市场"},
				{`{{sortByKeys .deputies "village.name" "-age" | mapField "name" | cnJoin "、"}}`, "张三、王五、李四、赵六"},
			}},
	}
}
