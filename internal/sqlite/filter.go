package sqlite

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	sqlite "modernc.org/sqlite"

	"renda/internal/records"
)

// A filter becomes an SQL condition with its values bound as parameters:
// user text is never part of the statement. Every condition is true or
// false, never NULL, so NOT is exact, and a path through lists matches
// when any item does (the semantics of the API's filters: a list "has" a
// value; ne and nin match records with no item equal).

// where collects a condition's SQL and its arguments.
type where struct {
	kind records.Kind
	b    strings.Builder
	args []any
	// towns scope the related records of a relation filter, when scoped
	// (as the records filtered are).
	towns  []string
	scoped bool
	// asOf reads the tables as they stood at this instant (asof.go).
	asOf int64
}

func (w *where) sql(s string, args ...any) {
	w.b.WriteString(s)
	w.args = append(w.args, args...)
}

// expr writes x.
func (w *where) expr(x records.Expr) {
	switch {
	case x.Cond != nil:
		w.cond(*x.Cond)
	case x.Rel != nil:
		w.rel(*x.Rel)
	case x.Not != nil:
		w.sql("NOT (")
		w.expr(*x.Not)
		w.sql(")")
	case x.And != nil || x.Or != nil:
		xs, op, empty := x.And, " AND ", "1"
		if x.Or != nil {
			xs, op, empty = x.Or, " OR ", "0"
		}
		if len(xs) == 0 {
			w.sql(empty)
			return
		}
		w.sql("(")
		for i, y := range xs {
			if i > 0 {
				w.sql(op)
			}
			w.expr(y)
		}
		w.sql(")")
	default:
		w.sql("1")
	}
}

// rel writes a relation filter as a join: the ids the related records
// matching its filter hold at its path, counted (each related record once)
// in one uncorrelated GROUP BY, which SQLite computes once for the query;
// the record's id is IN those whose count passes, or, when a count of zero
// passes, NOT IN those whose count fails.
//
// A relation the other way (Local: the record's list of ids) counts, per
// record, the different ids of its list among those of the related
// records matching (one uncorrelated subquery).
func (w *where) rel(r records.Rel) {
	sub := &where{kind: r.Kind, towns: w.towns, scoped: w.scoped, asOf: w.asOf}
	if r.Local != "" {
		sub.sql("SELECT id FROM ")
		sub.from(string(r.Kind))
		sub.sql(" WHERE ")
		if w.scoped {
			inList(sub, "township", w.towns)
		} else {
			sub.sql("1")
		}
		if !r.Filter.IsZero() {
			sub.sql(" AND ")
			sub.expr(r.Filter)
		}
		n := fmt.Sprintf("(SELECT count(DISTINCT lj.value) FROM json_each(doc, '%s') lj WHERE lj.value IN (%s))", shapeOf(w.kind, r.Local).arrays[0], sub.b.String())
		w.sql(countSQL(n, r.Count), sub.args...)
		return
	}
	items, args := w.relatedItems(r)
	in, having := "IN", countSQL("count(DISTINCT rid)", r.Count)
	if r.MatchesNone() {
		in, having = "NOT IN", "NOT ("+having+")"
	}
	w.sql(fmt.Sprintf("id %s (SELECT v FROM (%s) WHERE v IS NOT NULL GROUP BY v HAVING %s)", in, items, having), args...)
}

// relatedItems is the SELECT of the related records of r (not Local)
// that match its filter, in w's townships: one row (rid, v) per id v a
// record rid holds at r.Path.
func (w *where) relatedItems(r records.Rel) (string, []any) {
	sub := &where{kind: r.Kind, towns: w.towns, scoped: w.scoped, asOf: w.asOf}
	sub.sql("SELECT id, doc FROM ")
	sub.from(string(r.Kind))
	sub.sql(" WHERE ")
	if w.scoped {
		inList(sub, "township", w.towns)
	} else {
		sub.sql("1")
	}
	if !r.Filter.IsZero() {
		sub.sql(" AND ")
		sub.expr(r.Filter)
	}
	sh := shapeOf(r.Kind, r.Path)
	switch {
	case len(sh.arrays) == 1 && sh.leaf == "": // a list of ids
		return fmt.Sprintf("SELECT r.id rid, rj.value v FROM (%s) r, json_each(r.doc, '%s') rj", sub.b.String(), sh.arrays[0]), sub.args
	default: // one id
		return fmt.Sprintf("SELECT r.id rid, json_extract(r.doc, '%s') v FROM (%s) r", jsonPath(strings.Split(r.Path, ".")), sub.b.String()), sub.args
	}
}

// countSQL is an integer filter on the expression n, its values written
// as integer literals (they are ints: no text reaches the statement).
func countSQL(n string, f records.IntFilter) string {
	var parts []string
	for _, c := range []struct {
		op string
		v  *int
	}{{"=", f.Eq}, {"<>", f.Ne}, {">", f.Gt}, {">=", f.Gte}, {"<", f.Lt}, {"<=", f.Lte}} {
		if c.v != nil {
			parts = append(parts, fmt.Sprintf("%s %s %d", n, c.op, *c.v))
		}
	}
	list := func(xs []int) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = fmt.Sprint(x)
		}
		return strings.Join(s, ", ")
	}
	if f.In != nil {
		parts = append(parts, fmt.Sprintf("%s IN (%s)", n, list(f.In)))
	}
	if f.Nin != nil {
		parts = append(parts, fmt.Sprintf("%s NOT IN (%s)", n, list(f.Nin)))
	}
	if len(parts) == 0 {
		return "1"
	}
	return strings.Join(parts, " AND ")
}

// cond writes one comparison on a stored path.
func (w *where) cond(c records.Cond) {
	sh := shapeOf(w.kind, c.Path)
	switch c.Op {
	case records.OpNe:
		w.sql("NOT ")
		w.cond(records.Cond{Path: c.Path, Op: records.OpEq, Value: c.Value})
		return
	case records.OpNin:
		w.sql("NOT ")
		w.cond(records.Cond{Path: c.Path, Op: records.OpIn, Value: c.Value})
		return
	case records.OpHasAll:
		vs := values(c.Value)
		if len(vs) == 0 {
			w.sql("0")
			return
		}
		w.sql("(")
		for i, v := range vs {
			if i > 0 {
				w.sql(" AND ")
			}
			w.cond(records.Cond{Path: c.Path, Op: records.OpEq, Value: v})
		}
		w.sql(")")
		return
	case records.OpIsNull:
		w.isNull(sh, c.Value.(bool))
		return
	}
	if sh.scalar() {
		v := sh.column
		if v == "" {
			v = fmt.Sprintf("json_extract(doc, '%s')", sh.leaf)
		}
		w.sql("(" + v + " IS NOT NULL AND ")
		w.compare(v, "", sh, c.Op, c.Value)
		w.sql(")")
		return
	}
	v, ty := w.each(sh)
	w.compare(v, ty, sh, c.Op, c.Value)
	w.sql(")")
}

// each opens an EXISTS over the items of sh's lists (for a free path, over
// its value or its list's items) and returns the item's value and JSON
// type; the caller writes the condition and closes the parenthesis.
func (w *where) each(sh shape) (value, jtype string) {
	if sh.free {
		w.sql(fmt.Sprintf("EXISTS (SELECT 1 FROM json_each(doc, '%s') j0 WHERE json_type(doc, '%s') <> 'object' AND ", sh.leaf, sh.leaf))
		return "j0.value", "j0.type"
	}
	w.sql("EXISTS (SELECT 1 FROM ")
	src := "doc"
	for i, a := range sh.arrays {
		if i > 0 {
			w.sql(", ")
		}
		w.sql(fmt.Sprintf("json_each(%s, '%s') j%d", src, a, i))
		src = fmt.Sprintf("j%d.value", i)
	}
	w.sql(" WHERE ")
	last := fmt.Sprintf("j%d", len(sh.arrays)-1)
	if sh.leaf == "" {
		return last + ".value", last + ".type"
	}
	return fmt.Sprintf("json_extract(%s.value, '%s')", last, sh.leaf), fmt.Sprintf("json_type(%s.value, '%s')", last, sh.leaf)
}

// isNull writes "holds no value": missing or null (for a list, an item
// without one, or no list at all).
func (w *where) isNull(sh shape, want bool) {
	if !want {
		w.sql("NOT ")
	}
	switch {
	case sh.scalar():
		v := sh.column
		if v == "" {
			v = fmt.Sprintf("json_extract(doc, '%s')", sh.leaf)
		}
		w.sql("(" + v + " IS NULL)")
	case sh.free:
		w.sql(fmt.Sprintf("(json_type(doc, '%s') IS NULL OR json_type(doc, '%s') = 'null')", sh.leaf, sh.leaf))
	default:
		w.sql(fmt.Sprintf("(json_type(doc, '%s') IS NULL OR ", sh.arrays[0]))
		v, _ := w.each(sh)
		w.sql(v + " IS NULL))")
	}
}

// compare writes v op value. With a JSON type (jtype, for items of lists
// and free paths) it compares only values of the same type, as MongoDB
// does: the number 5 is not the text "5", true is not 1.
func (w *where) compare(v, jtype string, sh shape, op records.Op, value any) {
	switch op {
	case records.OpContains, records.OpStartsWith:
		fn := "renda_contains"
		if op == records.OpStartsWith {
			fn = "renda_prefix"
		}
		w.sql(fn+"("+v+", ?)", fmt.Sprint(value))
		return
	case records.OpIn:
		w.in(v, jtype, sh, values(value))
		return
	}
	sqlOp := map[records.Op]string{records.OpEq: "=", records.OpGt: ">", records.OpGte: ">=", records.OpLt: "<", records.OpLte: "<="}[op]
	if sqlOp == "" {
		w.sql("0")
		return
	}
	arg, class := bind(value, sh)
	if jtype == "" || sh.typ != nil && !sh.free && class != "bool" {
		w.sql(v+" "+sqlOp+" ?", arg)
		return
	}
	switch class {
	case "bool":
		if op == records.OpEq {
			w.sql(jtype + " = '" + map[bool]string{true: "true", false: "false"}[arg == int64(1)] + "'")
			return
		}
		w.sql("("+jtype+" IN ('true','false') AND "+v+" "+sqlOp+" ?)", arg)
	case "number":
		w.sql("("+jtype+" IN ('integer','real') AND "+v+" "+sqlOp+" ?)", arg)
	default:
		w.sql("("+jtype+" = 'text' AND "+v+" "+sqlOp+" ?)", arg)
	}
}

// in writes v IN (values), each value compared within its type.
func (w *where) in(v, jtype string, sh shape, vs []any) {
	if len(vs) == 0 {
		w.sql("0")
		return
	}
	typed := jtype == "" || sh.typ != nil && !sh.free
	byClass := map[string][]any{}
	var classes []string
	for _, x := range vs {
		arg, class := bind(x, sh)
		if typed && class != "bool" {
			class = "any"
		}
		if byClass[class] == nil {
			classes = append(classes, class)
		}
		byClass[class] = append(byClass[class], arg)
	}
	w.sql("(")
	for i, class := range classes {
		if i > 0 {
			w.sql(" OR ")
		}
		args := byClass[class]
		list := "(" + strings.TrimSuffix(strings.Repeat("?,", len(args)), ",") + ")"
		switch {
		case class == "bool" && jtype != "":
			var ts []string
			for _, a := range args {
				ts = append(ts, map[bool]string{true: "'true'", false: "'false'"}[a == int64(1)])
			}
			w.sql(jtype + " IN (" + strings.Join(ts, ",") + ")")
		case class == "number" && !typed:
			w.sql("("+jtype+" IN ('integer','real') AND "+v+" IN "+list+")", args...)
		case class == "text" && !typed:
			w.sql("("+jtype+" = 'text' AND "+v+" IN "+list+")", args...)
		default:
			w.sql(v+" IN "+list, args...)
		}
	}
	w.sql(")")
}

// values spreads a list value into its items.
func values(v any) []any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return []any{v}
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}

// bind turns a filter's value into what SQLite compares with the stored
// one, and names its class: text, number or bool. Timestamps compare as
// the milliseconds the columns hold.
func bind(v any, sh shape) (any, string) {
	switch x := v.(type) {
	case time.Time:
		if sh.column != "" {
			return x.UTC().UnixMilli(), "number"
		}
		return x.UTC().Format(time.RFC3339Nano), "text"
	case bool:
		if x {
			return int64(1), "bool"
		}
		return int64(0), "bool"
	case int:
		return int64(x), "number"
	case int32:
		return int64(x), "number"
	case int64:
		return x, "number"
	case float32:
		return float64(x), "number"
	case float64:
		return x, "number"
	case string:
		return x, "text"
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), "text"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), "number"
	case reflect.Float32, reflect.Float64:
		return rv.Float(), "number"
	case reflect.Bool:
		return bind(rv.Bool(), sh)
	}
	return fmt.Sprint(v), "text"
}

// The functions filters call: literal, case-insensitive substring and
// prefix (Unicode case folding, as MongoDB's case-insensitive regular
// expressions), false for anything but text.
func init() {
	fold := func(name string, match func(s, sub string) bool) {
		sqlite.MustRegisterDeterministicScalarFunction(name, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			s, ok1 := args[0].(string)
			sub, ok2 := args[1].(string)
			if !ok1 || !ok2 {
				return int64(0), nil
			}
			if match(s, sub) {
				return int64(1), nil
			}
			return int64(0), nil
		})
	}
	fold("renda_contains", func(s, sub string) bool { return containsFold(s, sub) })
	fold("renda_prefix", hasPrefixFold)
}

func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i < len(s); {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return false
}

// hasPrefixFold compares rune by rune, so a prefix whose folded form has
// another length in bytes still matches.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if r1 != r2 && !strings.EqualFold(string(r1), string(r2)) {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}
