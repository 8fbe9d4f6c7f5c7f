package mongo

import (
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renda/internal/records"
)

// exprDoc translates a filter expression into a MongoDB query document,
// using only operators both MongoDB and FerretDB v1 evaluate correctly.
func exprDoc(x records.Expr) bson.D {
	switch {
	case x.Cond != nil:
		return condDoc(*x.Cond)
	case x.Rel != nil:
		// Resolved by typedFilter before any query; one left here (a filter
		// that bypassed it) matches nothing rather than everything.
		return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{}}}}}
	case x.Not != nil:
		return bson.D{{Key: "$nor", Value: bson.A{exprDoc(*x.Not)}}}
	case x.And != nil:
		return bson.D{{Key: "$and", Value: exprList(x.And)}}
	case x.Or != nil:
		return bson.D{{Key: "$or", Value: exprList(x.Or)}}
	}
	return bson.D{}
}

func exprList(xs []records.Expr) bson.A {
	if len(xs) == 0 {
		return bson.A{bson.D{}} // $and/$or refuse an empty list; an empty and matches all
	}
	out := make(bson.A, len(xs))
	for i, x := range xs {
		out[i] = exprDoc(x)
	}
	return out
}

var ops = map[records.Op]string{
	records.OpNe: "$ne", records.OpIn: "$in", records.OpNin: "$nin",
	records.OpGt: "$gt", records.OpGte: "$gte", records.OpLt: "$lt", records.OpLte: "$lte",
	records.OpHasAll: "$all",
}

func condDoc(c records.Cond) bson.D {
	var v any
	switch c.Op {
	case records.OpEq:
		v = bson.D{{Key: "$eq", Value: c.Value}}
	case records.OpContains, records.OpStartsWith:
		// User text is quoted: it is matched literally, never as a pattern.
		pattern := regexp.QuoteMeta(c.Value.(string))
		if c.Op == records.OpStartsWith {
			pattern = "^" + pattern
		}
		v = bson.D{{Key: "$regex", Value: pattern}, {Key: "$options", Value: "i"}}
	case records.OpIsNull:
		if c.Value.(bool) {
			v = bson.D{{Key: "$eq", Value: nil}}
		} else {
			v = bson.D{{Key: "$ne", Value: nil}}
		}
	default:
		v = bson.D{{Key: ops[c.Op], Value: c.Value}}
	}
	return bson.D{{Key: c.Path, Value: v}}
}

// sortDoc is the sort of a query, with _id last so the order is total.
func sortDoc(sorts []records.Sort) bson.D {
	d := make(bson.D, 0, len(sorts)+1)
	for _, s := range sorts {
		d = append(d, bson.E{Key: s.Path, Value: dir(s.Desc)})
	}
	return append(d, bson.E{Key: "_id", Value: 1})
}

func dir(desc bool) int {
	if desc {
		return -1
	}
	return 1
}
