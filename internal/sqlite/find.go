package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"renda/internal/records"
)

// Find returns one page of the records matching q, in q's order then by
// id, after the cursor: a keyset page read from the index of the sort.
func (c *Collection[T, PT]) Find(ctx context.Context, q records.Query) (*records.Page[T], error) {
	if err := q.ValidateIn(ctx); err != nil {
		return nil, err
	}
	w, ok, err := c.selection(ctx, q, "id, doc"+c.sortColumns(q.Sort), q.Sort)
	if err != nil {
		return nil, err
	}
	page := &records.Page[T]{}
	if q.First == 0 || !ok {
		return page, nil
	}
	if q.After != "" {
		cur, err := decodeCursor(q.After, q.Sort)
		if err != nil {
			return nil, err
		}
		w.sql(" AND ")
		c.keyset(w, q.Sort, cur)
	}
	w.sql(fmt.Sprintf(" ORDER BY %s LIMIT %d", c.orderBy(q.Sort), q.First+1))
	c.s.on("find")
	rows, err := c.s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
	if err != nil {
		return nil, c.s.internal(ctx, "find "+c.table, err)
	}
	defer rows.Close()
	sortName := records.SortName(q.Sort)
	for rows.Next() {
		if len(page.Items) == q.First {
			page.HasNextPage = true
			break
		}
		var id string
		var doc sql.RawBytes
		keys := make([]any, len(q.Sort))
		dest := []any{&id, &doc}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, c.s.internal(ctx, "find "+c.table, err)
		}
		x, err := c.decode(ctx, doc)
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, x)
		page.Cursors = append(page.Cursors, encodeCursor(sortName, keys, id))
	}
	if err := rows.Err(); err != nil {
		return nil, c.s.internal(ctx, "find "+c.table, err)
	}
	return page, nil
}

func (c *Collection[T, PT]) sortColumns(sorts []records.Sort) string {
	var b strings.Builder
	for i, s := range sorts {
		b.WriteString(", ")
		b.WriteString(c.sortExpr(i, s))
	}
	return b.String()
}

// selection starts "SELECT cols FROM table WHERE …" for the townships and
// filter of q, the counts sorts order by joined; ok is false when it can
// match nothing (no township).
func (c *Collection[T, PT]) selection(ctx context.Context, q records.Query, cols string, sorts []records.Sort) (*where, bool, error) {
	field := "townships"
	if len(q.Townships) == 1 {
		field = "township"
	}
	towns, err := c.s.townshipsFor(ctx, q.Townships, field)
	if err != nil {
		return nil, false, err
	}
	filter, err := c.s.typedFilter(ctx, c.kind, towns, q.Filter)
	if err != nil {
		return nil, false, err
	}
	w := &where{kind: c.kind, towns: towns, scoped: q.Townships != nil || !records.ActorFrom(ctx).County(), asOf: asOfMS(ctx)}
	w.sql("SELECT " + cols + " FROM ")
	w.from(c.table)
	if err := c.countJoins(ctx, w, towns, sorts); err != nil {
		return nil, false, err
	}
	w.sql(" WHERE ")
	if w.scoped {
		if len(towns) == 0 {
			return w, false, nil
		}
		inList(w, "township", towns)
	} else {
		w.sql("1")
	}
	if !filter.IsZero() {
		w.sql(" AND ")
		w.expr(filter)
	}
	return w, true, nil
}

// countJoins joins, for each sort by a count of related records, the
// counts by the id the related records hold: rc<i>(v, n), grouped once
// for the query (as a relation filter's), a record none names having
// no row (sortExpr reads coalesce(rc<i>.n, 0)).
func (c *Collection[T, PT]) countJoins(ctx context.Context, w *where, towns []string, sorts []records.Sort) error {
	for i, s := range sorts {
		if s.Count == nil {
			continue
		}
		r := *s.Count
		f, err := c.s.typedFilter(ctx, r.Kind, towns, r.Filter)
		if err != nil {
			return err
		}
		r.Filter = f
		items, args := w.relatedItems(r)
		w.sql(fmt.Sprintf(" LEFT JOIN (SELECT v, count(DISTINCT rid) n FROM (%s) WHERE v IS NOT NULL GROUP BY v) rc%d ON rc%d.v = %s.id", items, i, i, c.table), args...)
	}
	return nil
}

// Count returns how many records match q's townships and filter.
func (c *Collection[T, PT]) Count(ctx context.Context, q records.Query) (int, error) {
	w, ok, err := c.selection(ctx, q, "count(*)", nil)
	if err != nil || !ok {
		return 0, err
	}
	c.s.on("count")
	var n int
	if err := c.s.reader(ctx).QueryRowContext(ctx, w.b.String(), w.args...).Scan(&n); err != nil {
		return 0, c.s.internal(ctx, "count "+c.table, err)
	}
	return n, nil
}

// Group counts the records matching g's filter in its townships, grouped
// by township and the values stored at g.Paths, in one GROUP BY. A list is
// grouped as stored, a whole list being one value. Paths with a column
// are grouped on the column; the others on one JSON array of their values,
// the document parsed once a row.
func (c *Collection[T, PT]) Group(ctx context.Context, g records.Grouping) ([]records.RawGroup, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	cols := []string{"township"}
	at := make([]int, len(g.Paths)) // the select column of each path; -1: in the JSON array
	var jsonPaths []string
	for i, p := range g.Paths {
		sh := shapeOf(c.kind, p)
		if sh.column != "" && sh.column != "created_at" && sh.column != "updated_at" {
			at[i] = len(cols)
			cols = append(cols, sh.column)
			continue
		}
		at[i] = -1
		jsonPaths = append(jsonPaths, "'"+c.groupPath(p)+"'")
	}
	switch len(jsonPaths) {
	case 0:
	case 1:
		cols = append(cols, "json_array(doc -> "+jsonPaths[0]+")")
	default:
		cols = append(cols, "json_extract(doc, "+strings.Join(jsonPaths, ", ")+")")
	}
	w, ok, err := c.selection(ctx, records.Query{Townships: g.Townships, Filter: g.Filter}, strings.Join(cols, ", ")+", count(*)", nil)
	if err != nil || !ok {
		return nil, err
	}
	groupBy := make([]string, len(cols))
	for i := range cols {
		groupBy[i] = fmt.Sprint(i + 1)
	}
	w.sql(fmt.Sprintf(" GROUP BY %s LIMIT %d", strings.Join(groupBy, ", "), records.MaxRawGroups+1))
	c.s.on("aggregate")
	rows, err := c.s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
	if err != nil {
		return nil, c.s.internal(ctx, "group "+c.table, err)
	}
	defer rows.Close()
	var out []records.RawGroup
	size := 0
	vals := make([]any, len(cols)+1)
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if len(out) == records.MaxRawGroups {
			return nil, tooManyGroups()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, c.s.internal(ctx, "group "+c.table, err)
		}
		rg := records.RawGroup{Values: make([]any, len(g.Paths))}
		rg.Township, _ = vals[0].(string)
		n, _ := vals[len(vals)-1].(int64)
		rg.Count = int(n)
		var inJSON []any
		if len(jsonPaths) > 0 {
			text, _ := vals[len(cols)-1].(string)
			size += len(text)
			v, err := jsonValue([]byte(text))
			if err != nil {
				return nil, c.s.internal(ctx, "group "+c.table, err)
			}
			inJSON, _ = v.([]any)
		}
		j := 0
		for i, p := range g.Paths {
			if at[i] >= 0 {
				rg.Values[i] = typed(vals[at[i]], shapeOf(c.kind, p).typ)
				if s, ok := rg.Values[i].(string); ok {
					size += len(s)
				}
				continue
			}
			if j < len(inJSON) {
				rg.Values[i] = pick(inJSON[j], shapeOf(c.kind, p).rest)
			}
			j++
		}
		if size > records.MaxRawGroupBytes {
			return nil, tooManyGroups()
		}
		out = append(out, rg)
	}
	if err := rows.Err(); err != nil {
		return nil, c.s.internal(ctx, "group "+c.table, err)
	}
	return out, nil
}

// groupPath is the JSON path a grouping reads for path: through one list,
// the list itself (its items' values are picked in Go, see pick).
func (c *Collection[T, PT]) groupPath(path string) string {
	sh := shapeOf(c.kind, path)
	switch {
	case sh.column == "created_at" || sh.column == "updated_at":
		return jsonPath([]string{path})
	case sh.free || len(sh.arrays) == 0:
		return sh.leaf
	}
	return sh.arrays[0]
}

// pick reads the values at rest in the items of a list, as MongoDB's
// "$list.field" does: a list of the items' values, items without one left
// out (lists within lists give lists of lists).
func pick(v any, rest []string) any {
	if len(rest) == 0 {
		return v
	}
	switch x := v.(type) {
	case []any:
		out := []any{}
		for _, e := range x {
			if y := pick(e, rest); y != nil {
				out = append(out, y)
			}
		}
		return out
	case map[string]any:
		return pick(x[rest[0]], rest[1:])
	}
	return nil
}

// typed turns a column's value into the type the record's field has:
// SQLite keeps booleans as 0 and 1, and a whole float as an integer.
func typed(v any, t reflect.Type) any {
	if t == nil {
		return v
	}
	switch x := v.(type) {
	case int64:
		switch t.Kind() {
		case reflect.Bool:
			return x != 0
		case reflect.Float32, reflect.Float64:
			return float64(x)
		}
	case []byte:
		return string(x)
	}
	return v
}

func tooManyGroups() error {
	return records.Errorf(records.EINVALID, "the records hold more than %d different combinations of the values asked for: filter them, or group by fewer or coarser fields", records.MaxRawGroups)
}

// jsonValue decodes a value as groupings answer it: whole numbers as
// int64, others as float64.
func jsonValue(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return numbers(v), nil
}

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}

// A cursor is the position after one record in a sorted list: its sort
// keys as the columns hold them and its id, with the sort it was made for,
// so it is never applied to another order.
type cursor struct {
	Sort   string `json:"s"`
	Values []any  `json:"v"`
	ID     string `json:"i"`
}

// encodeCursor writes the cursor after the record id whose sort keys
// (text, integers, reals or NULL, as read) are keys, for the sort named
// sortName (records.SortName): the JSON of a cursor, written directly.
func encodeCursor(sortName string, keys []any, id string) string {
	b := make([]byte, 0, 48+len(sortName)+len(id))
	b = append(b, `{"s":`...)
	b, _ = jsontext.AppendQuote(b, sortName)
	b = append(b, `,"v":[`...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		switch x := k.(type) {
		case nil:
			b = append(b, "null"...)
		case string:
			b, err = jsontext.AppendQuote(b, x)
		case []byte:
			b, err = jsontext.AppendQuote(b, x)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return encodeCursorJSON(sortName, keys, id)
			}
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		default:
			return encodeCursorJSON(sortName, keys, id)
		}
		if err != nil { // invalid UTF-8: encoding/json's replacement, as before
			return encodeCursorJSON(sortName, keys, id)
		}
	}
	b = append(b, `],"i":`...)
	b, _ = jsontext.AppendQuote(b, id)
	b = append(b, '}')
	return base64.RawURLEncoding.EncodeToString(b)
}

// encodeCursorJSON is encodeCursor by encoding/json, for keys it does not
// write itself.
func encodeCursorJSON(sortName string, keys []any, id string) string {
	for i, k := range keys {
		if b, ok := k.([]byte); ok {
			keys[i] = string(b)
		}
	}
	b, _ := json.Marshal(cursor{Sort: sortName, Values: keys, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sorts []records.Sort) (*cursor, error) {
	bad := records.BadCursor()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var c cursor
	if err := d.Decode(&c); err != nil || len(c.Values) != len(sorts) || c.ID == "" {
		return nil, bad
	}
	for i, v := range c.Values {
		switch x := v.(type) {
		case string, nil:
		case json.Number:
			c.Values[i] = numbers(x)
		default:
			return nil, bad // sort keys are text, numbers or nothing
		}
	}
	if c.Sort != records.SortName(sorts) {
		return nil, records.Invalidf("after", "this cursor was made for another orderBy; start again without after")
	}
	return &c, nil
}

// keyset writes the condition for the records after the cursor in the
// sort's order: (k1 after v1) or (k1 = v1 and k2 after v2) … or (all
// equal and id > id). A missing key (NULL) sorts first, as SQLite sorts.
func (c *Collection[T, PT]) keyset(w *where, sorts []records.Sort, cur *cursor) {
	w.sql("(")
	for i := 0; i <= len(sorts); i++ {
		if i > 0 {
			w.sql(" OR ")
		}
		w.sql("(")
		for j := 0; j < i; j++ {
			e := c.sortExpr(j, sorts[j])
			if cur.Values[j] == nil {
				w.sql(e + " IS NULL AND ")
			} else {
				w.sql(e+" = ? AND ", cur.Values[j])
			}
		}
		if i == len(sorts) {
			w.sql("id > ?)", cur.ID)
			continue
		}
		e, v := c.sortExpr(i, sorts[i]), cur.Values[i]
		switch {
		case v == nil && !sorts[i].Desc:
			w.sql(e + " IS NOT NULL)")
		case v == nil:
			w.sql("0)")
		case sorts[i].Desc:
			w.sql("("+e+" < ? OR "+e+" IS NULL))", v)
		default:
			w.sql(e+" > ?)", v)
		}
	}
	w.sql(")")
}
