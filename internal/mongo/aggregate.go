package mongo

import (
	"context"
	"fmt"
	"math"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// Group counts the records matching g's filter in its townships, grouped
// by the values stored at g.Paths, in the database: one pipeline
//
//	$match (the filter) → $group (_id: township and the paths, n: $sum 1) → $limit
//
// for all the townships asked. Lists are grouped as stored, a whole list being one
// value (see records.Grouping for why). Townships unknown or hidden from
// the caller are NOT_FOUND, as in lists.
func (c *Collection[T, PT]) Group(ctx context.Context, g records.Grouping) ([]records.RawGroup, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	q := records.Query{Townships: g.Townships, Filter: g.Filter}
	towns, err := c.townships(ctx, q)
	if err != nil {
		return nil, err
	}
	ctx, done := c.s.asOf(ctx, !scoped(ctx, q), towns)
	defer done()
	if q.Filter, err = c.s.typedFilter(ctx, c.kind, towns, q.Filter); err != nil {
		return nil, err
	}
	coll, err := c.s.read(ctx, c.kind)
	if err != nil {
		return nil, err
	}
	id := bson.D{{Key: "t", Value: "$township"}}
	for i, p := range g.Paths {
		id = append(id, bson.E{Key: fmt.Sprintf("k%d", i), Value: "$" + p})
	}
	pipeline := func(match bson.D) mongo.Pipeline {
		return mongo.Pipeline{
			{{Key: "$match", Value: match}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
			{{Key: "$limit", Value: records.MaxRawGroups + 1}},
		}
	}
	cur, err := coll.Aggregate(ctx, pipeline(c.sharedFilter(ctx, q, towns)))
	if err != nil {
		return nil, c.s.internal(ctx, "group "+string(c.kind), err)
	}
	defer cur.Close(ctx)
	var out []records.RawGroup
	size := 0
	for cur.Next(ctx) {
		size += len(cur.Current)
		if len(out) == records.MaxRawGroups || size > records.MaxRawGroupBytes {
			return nil, tooManyGroups()
		}
		out = append(out, rawGroup(cur.Current, len(g.Paths)))
	}
	if err := cur.Err(); err != nil {
		return nil, c.s.internal(ctx, "group "+string(c.kind), err)
	}
	return out, nil
}

func tooManyGroups() error {
	return records.Errorf(records.EINVALID, "the records hold more than %d different combinations of the values asked for: filter them, or group by fewer or coarser fields", records.MaxRawGroups)
}

// rawGroup decodes one $group result: {_id: {t, k0 … kn}, n}.
func rawGroup(doc bson.Raw, paths int) records.RawGroup {
	g := records.RawGroup{Values: make([]any, paths)}
	id, _ := doc.Lookup("_id").DocumentOK()
	if t, ok := id.Lookup("t").StringValueOK(); ok {
		g.Township = t
	}
	for i := range paths {
		if v, err := id.LookupErr(fmt.Sprintf("k%d", i)); err == nil {
			g.Values[i] = value(v)
		}
	}
	if n := number(doc.Lookup("n")); n > 0 {
		g.Count = int(n)
	}
	return g
}

// value decodes a stored value into the Go types records.RawGroup names.
func value(v bson.RawValue) any {
	switch v.Type {
	case bson.TypeString:
		return v.StringValue()
	case bson.TypeInt32:
		return int64(v.Int32())
	case bson.TypeInt64:
		return v.Int64()
	case bson.TypeDouble:
		return v.Double()
	case bson.TypeBoolean:
		return v.Boolean()
	case bson.TypeDateTime:
		return v.Time().UTC()
	case bson.TypeArray:
		vals, _ := v.Array().Values()
		out := make([]any, len(vals))
		for i, x := range vals {
			out[i] = value(x)
		}
		return out
	case bson.TypeEmbeddedDocument:
		elems, _ := v.Document().Elements()
		out := make(map[string]any, len(elems))
		for _, e := range elems {
			out[e.Key()] = value(e.Value())
		}
		return out
	case bson.TypeNull, bson.TypeUndefined:
		return nil
	}
	return v.String()
}

// ResolveTownships checks the townships a read asks for (nil: all the
// caller may see) and returns them: an unknown or hidden one is NOT_FOUND
// on "township" (one asked) or "townships.N".
func (s *Store) ResolveTownships(ctx context.Context, asked []string) ([]string, error) {
	field := "townships"
	if len(asked) == 1 {
		field = "township"
	}
	return s.townshipsFor(ctx, asked, field)
}

// number reads a count as the server stored it.
func number(v bson.RawValue) float64 {
	switch v.Type {
	case bson.TypeInt32:
		return float64(v.Int32())
	case bson.TypeInt64:
		return float64(v.Int64())
	case bson.TypeDouble:
		return v.Double()
	}
	return math.NaN()
}
