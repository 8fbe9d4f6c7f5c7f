package mongo_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	store "renda/internal/mongo"
	"renda/internal/records"
)

// compileFilter decodes js as the filter of one kind (the API's input
// types, as gqlgen fills them) and compiles it as a resolver does. ok is
// false when js does not decode.
func compileFilter(kind uint8, js []byte) (x records.Expr, err error, ok bool) {
	decode := func(v any) bool { return json.Unmarshal(js, v) == nil }
	switch kind % 7 {
	case 0:
		var f records.TownshipFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 1:
		var f records.DeputyFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 2:
		var f records.VillageFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 3:
		var f records.ProjectFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 4:
		var f records.InspectionFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 5:
		var f records.ActivityFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	case 6:
		var f records.SuggestionFilter
		if ok = decode(&f); ok {
			x, err = records.Compile(&f, "filter")
		}
	}
	return x, err, ok
}

// FuzzFilter: whatever filter a caller sends, the query document that
// reaches MongoDB holds only the operators the API offers, each in operator
// position with a plain value; user text is never a key (attribute paths
// are, checked, under "attributes."); contains and startsWith are literal
// patterns of the caller's text.
func FuzzFilter(f *testing.F) {
	for _, s := range []struct {
		kind uint8
		js   string
	}{
		{0, `{"name":{"contains":"棋盘山"},"county":{"in":["a","b"]}}`},
		{1, `{"name":{"startsWith":"张.*(a|b)$"},"levels":{"hasAll":["COUNTY","TOWNSHIP"]},"honourYear":{"gte":2020,"lt":2024}}`},
		{1, `{"or":[{"group":{"eq":"第一组"}},{"not":{"village":{"isNull":true}}}],"and":[]}`},
		{1, `{"attributes":[{"path":"contact.wechat","contains":"^$.*\\Q"},{"path":"funding.county","gte":100000,"in":[1,"x",true]}]}`},
		{1, `{"attributes":[{"path":"$where","eq":"1"}]}`},
		{1, `{"attributes":[{"path":"a","eq":{"$gt":""}}]}`},
		{1, `{"attributes":[{"path":"a","in":[{"$ne":null}]}]}`},
		{1, `{"attributes":[{"path":"a..b","eq":1}]}`},
		{1, `{"name":{"eq":"$ne","ne":"{\"$gt\":1}"},"id":{"nin":["$where"]}}`},
		{2, `{"population":{"gt":100,"in":[1,2]},"designationYear":{"isNull":false}}`},
		{3, `{"kind":{"eq":"ROAD"},"lengthKm":{"gte":1.5},"villages":{"hasAny":["v1"]},"fundingTotal":{"lte":1e9}}`},
		{4, `{"date":{"gte":"2023-01-01","lt":"2023-13-01"},"topic":{"contains":"公路"}}`},
		{4, `{"dateEnd":{"in":["2023-10-20"]},"precision":{"in":["DEKAD","$x"]},"participants":{"has":"d1"}}`},
		{4, `{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"topic":{"eq":"x"}}}}}}}}}}}}}`},
		{5, `{"kind":{"ne":"VISIT"},"createdAt":{"gte":"2023-01-01T00:00:00Z"},"subject":{"startsWith":""}}`},
		{6, `{"valuable":{"eq":true},"status":{"in":["SUBMITTED"]},"deadline":{"lte":"2023-12-31"},"or":[{"tags":{"has":"x"}}]}`},
		{6, `{"or":[]}`},
		{0, `null`},
	} {
		f.Add(s.kind, []byte(s.js))
	}
	f.Fuzz(func(t *testing.T, kind uint8, js []byte) {
		x, err, ok := compileFilter(kind, js)
		if !ok {
			return
		}
		if err != nil {
			var re *records.Error
			if !errors.As(err, &re) || re.Code != records.EINVALID || !strings.HasPrefix(re.Field, "filter") {
				t.Fatalf("error %v, want EINVALID on a field under filter", err)
			}
			return
		}
		doc := store.ExprDoc(x)
		c := &queryCheck{t: t, patterns: literalPatterns(x)}
		c.query(doc, "")
		if _, err := bson.Marshal(doc); err != nil {
			t.Fatalf("the query document does not encode: %v", err)
		}
	})
}

// FuzzCursor: a cursor is the caller's text too; whatever it holds, the
// keyset condition it adds holds only comparison operators on the sort's
// own fields, with plain values.
func FuzzCursor(f *testing.F) {
	orders := [][]records.Order{
		nil,
		{{Field: "NAME", Direction: records.DESC}},
		{{Field: "CREATED_AT"}, {Field: "NAME", Direction: records.DESC}},
	}
	created := time.Date(2023, 10, 11, 8, 0, 0, 0, time.UTC)
	docs := []bson.D{
		{{Key: "_id", Value: "d1"}, {Key: "nameKey", Value: "zhang1 san1\t张三"}, {Key: "createdAt", Value: created}},
		{{Key: "_id", Value: "d2"}, {Key: "createdAt", Value: created}},
		{{Key: "_id", Value: "d3"}, {Key: "nameKey", Value: bson.D{{Key: "$where", Value: "1"}}}},
		{{Key: "_id", Value: "d4"}, {Key: "nameKey", Value: bson.Regex{Pattern: ".*"}}, {Key: "createdAt", Value: bson.A{1}}},
	}
	for i, o := range orders {
		sorts, err := records.Sorts(records.KindDeputy, o)
		if err != nil {
			f.Fatal(err)
		}
		for _, d := range docs {
			raw, err := bson.Marshal(d)
			if err != nil {
				f.Fatal(err)
			}
			after, err := store.EncodeCursor(raw, sorts)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), after)
		}
	}
	f.Add(uint8(0), "")
	f.Add(uint8(0), "!!not base64")
	f.Fuzz(func(t *testing.T, order uint8, after string) {
		sorts, err := records.Sorts(records.KindDeputy, orders[int(order)%len(orders)])
		if err != nil {
			t.Fatal(err)
		}
		doc, err := store.CursorFilter(after, sorts)
		if err != nil {
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "after" {
				t.Fatalf("error %v, want EINVALID on after", err)
			}
			return
		}
		(&queryCheck{t: t}).query(doc, "")
		if _, err := bson.Marshal(doc); err != nil {
			t.Fatalf("the query document does not encode: %v", err)
		}
	})
}

// literalPatterns lists the $regex patterns x may produce: the caller's
// contains and startsWith texts, quoted, startsWith anchored.
func literalPatterns(x records.Expr) map[string]bool {
	out := map[string]bool{}
	var walk func(records.Expr)
	walk = func(x records.Expr) {
		if c := x.Cond; c != nil {
			if s, ok := c.Value.(string); ok {
				switch c.Op {
				case records.OpContains:
					out[regexp.QuoteMeta(s)] = true
				case records.OpStartsWith:
					out["^"+regexp.QuoteMeta(s)] = true
				}
			}
		}
		for _, y := range x.And {
			walk(y)
		}
		for _, y := range x.Or {
			walk(y)
		}
		if x.Not != nil {
			walk(*x.Not)
		}
	}
	walk(x)
	return out
}

// queryCheck walks a query document as MongoDB reads it.
type queryCheck struct {
	t        *testing.T
	patterns map[string]bool // nil: no $regex may appear
}

// fixedPath is a stored field the API names, attributePath a caller's
// dotted path under attributes: no empty segment, no '$', no NUL.
var (
	fixedPath     = regexp.MustCompile(`^(_id|[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)*)$`)
	attributePath = regexp.MustCompile(`^attributes(\.[^.$\x00]+){1,8}$`)
)

func (c *queryCheck) query(d bson.D, at string) {
	c.t.Helper()
	for _, e := range d {
		switch e.Key {
		case "$and", "$or", "$nor":
			list, ok := e.Value.(bson.A)
			if !ok || len(list) == 0 {
				c.t.Fatalf("%s%s holds %#v, want a non-empty list of query documents", at, e.Key, e.Value)
			}
			for i, sub := range list {
				sd, ok := sub.(bson.D)
				if !ok {
					c.t.Fatalf("%s%s[%d] is a %T, want a query document", at, e.Key, i, sub)
				}
				c.query(sd, at+e.Key+".")
			}
		default:
			field := attributePath.MatchString(e.Key) ||
				(fixedPath.MatchString(e.Key) && !strings.HasPrefix(e.Key, "attributes"))
			if !field {
				c.t.Fatalf("%skey %q: neither an operator the API offers nor a field path", at, e.Key)
			}
			ops, ok := e.Value.(bson.D)
			if !ok || len(ops) == 0 {
				c.t.Fatalf("%s%s holds %#v, want a document of operators", at, e.Key, e.Value)
			}
			c.operators(ops, at+e.Key+".")
		}
	}
}

func (c *queryCheck) operators(ops bson.D, at string) {
	c.t.Helper()
	for i, op := range ops {
		switch op.Key {
		case "$eq", "$ne", "$gt", "$gte", "$lt", "$lte":
			if !plain(op.Value) {
				c.t.Fatalf("%s%s compares with a %T (%#v), want a string, number, boolean, time or null", at, op.Key, op.Value, op.Value)
			}
		case "$in", "$nin", "$all":
			v := reflect.ValueOf(op.Value)
			if op.Value == nil || v.Kind() != reflect.Slice {
				c.t.Fatalf("%s%s holds a %T, want a list", at, op.Key, op.Value)
			}
			for j := 0; j < v.Len(); j++ {
				if x := v.Index(j).Interface(); !plain(x) {
					c.t.Fatalf("%s%s[%d] is a %T (%#v), want a string, number, boolean, time or null", at, op.Key, j, x, x)
				}
			}
		case "$regex":
			p, ok := op.Value.(string)
			if !ok {
				c.t.Fatalf("%s$regex holds a %T, want a string", at, op.Value)
			}
			if c.patterns == nil || !c.patterns[p] {
				c.t.Fatalf("%s$regex %q is not the caller's text quoted", at, p)
			}
			if !literal(p) {
				c.t.Fatalf("%s$regex %q matches more than a literal text", at, p)
			}
			if i+1 >= len(ops) || ops[i+1].Key != "$options" {
				c.t.Fatalf("%s$regex %q has no $options after it", at, p)
			}
		case "$options":
			if i == 0 || ops[i-1].Key != "$regex" || op.Value != "i" {
				c.t.Fatalf("%s$options %#v, want \"i\" after a $regex", at, op.Value)
			}
		default:
			c.t.Fatalf("%soperator %q is not one the API offers", at, op.Key)
		}
	}
}

// plain reports a value MongoDB compares as it is: never a document, list,
// regular expression or code.
func plain(v any) bool {
	switch x := v.(type) {
	case nil, time.Time:
		return true
	case bson.RawValue:
		switch x.Type {
		case bson.TypeString, bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeDateTime, bson.TypeBoolean, bson.TypeNull:
			return true
		}
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// literal reports a pattern that matches one fixed text, optionally only
// at the start: its syntax tree is a literal, or ^ then a literal.
func literal(p string) bool {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return false
	}
	if re.Op == syntax.OpConcat && len(re.Sub) == 2 && re.Sub[0].Op == syntax.OpBeginText {
		re = re.Sub[1]
	} else if re.Op == syntax.OpBeginText {
		return true
	}
	switch re.Op {
	case syntax.OpLiteral:
		return re.Flags&syntax.FoldCase == 0 && regexp.QuoteMeta(string(re.Rune)) == strings.TrimPrefix(p, "^")
	case syntax.OpEmptyMatch:
		return p == "" || p == "^"
	}
	return false
}
