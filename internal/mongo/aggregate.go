package mongo

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

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
	id := bson.D{{Key: "t", Value: "$township"}}
	for i, p := range g.Paths {
		id = append(id, bson.E{Key: fmt.Sprintf("k%d", i), Value: "$" + p})
	}
	rest := mongo.Pipeline{
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
		{{Key: "$limit", Value: records.MaxRawGroups + 1}},
	}
	// As of an instant the groups come from what is stored and from the
	// copy (asof.go): one group may come from both, its counts added up.
	var out []records.RawGroup
	at := map[string]int{}
	size := 0
	err = c.s.aggregate(ctx, c.kind, c.sharedFilter(ctx, q, towns), rest, func(doc bson.Raw) error {
		key := groupKey(doc.Lookup("_id"))
		if i, ok := at[key]; ok {
			out[i].Count += rawGroup(doc, len(g.Paths)).Count
			return nil
		}
		size += len(doc)
		if len(out) == records.MaxRawGroups || size > records.MaxRawGroupBytes {
			return tooManyGroups()
		}
		at[key] = len(out)
		out = append(out, rawGroup(doc, len(g.Paths)))
		return nil
	})
	if err != nil {
		return nil, c.s.internal(ctx, "group "+string(c.kind), err)
	}
	return out, nil
}

// groupKey is a group's key as $group compares them: numbers by value,
// whatever their type; anything else as stored.
func groupKey(v bson.RawValue) string {
	var b strings.Builder
	writeKey(&b, v)
	return b.String()
}

func writeKey(b *strings.Builder, v bson.RawValue) {
	switch v.Type {
	case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble:
		b.WriteString("n" + strconv.FormatFloat(number(v), 'g', -1, 64))
	case bson.TypeEmbeddedDocument, bson.TypeArray:
		elems, _ := bson.Raw(v.Value).Elements()
		b.WriteString(fmt.Sprintf("%c%d(", v.Type, len(elems)))
		for _, e := range elems {
			if v.Type == bson.TypeEmbeddedDocument {
				b.WriteString(strconv.Quote(e.Key()) + ":")
			}
			writeKey(b, e.Value())
			b.WriteString(",")
		}
		b.WriteString(")")
	default:
		b.WriteString(fmt.Sprintf("%c%x", v.Type, v.Value))
	}
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
