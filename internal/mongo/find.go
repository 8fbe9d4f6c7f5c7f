package mongo

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Find returns one page of the records matching q, across the townships it
// names (all the caller may see if none), keyset-paged by q's sort and id.
func (c *Collection[T, PT]) Find(ctx context.Context, q records.Query) (*records.Page[T], error) {
	if err := q.ValidateIn(ctx); err != nil {
		return nil, err
	}
	towns, err := c.townships(ctx, q)
	if err != nil {
		return nil, err
	}
	ctx, done := c.s.asOf(ctx, !scoped(ctx, q), towns)
	defer done()
	if q.Filter, err = c.s.typedFilter(ctx, c.kind, towns, q.Filter); err != nil {
		return nil, err
	}
	page := &records.Page[T]{}
	if q.First == 0 {
		return page, nil
	}
	var after *cursor
	if q.After != "" {
		if after, err = decodeCursor(q.After, q.Sort); err != nil {
			return nil, err
		}
	}
	if slices.ContainsFunc(q.Sort, func(s records.Sort) bool { return s.Count != nil }) {
		return c.findCounted(ctx, q, towns, after)
	}
	docs, err := c.findRaw(ctx, c.sharedFilter(ctx, q, towns), q, after)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if len(page.Items) == q.First {
			page.HasNextPage = true
			break
		}
		var x T
		if err := bson.Unmarshal(d, &x); err != nil {
			return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
		}
		cur, err := encodeCursor(d, q.Sort)
		if err != nil {
			return nil, c.s.internal(ctx, "cursor "+string(c.kind), err)
		}
		page.Items = append(page.Items, &x)
		page.Cursors = append(page.Cursors, cur)
	}
	return page, nil
}

// townships resolves the townships a query covers.
func (c *Collection[T, PT]) townships(ctx context.Context, q records.Query) ([]string, error) {
	field := "townships"
	if len(q.Townships) == 1 {
		field = "township"
	}
	return c.s.townshipsFor(ctx, q.Townships, field)
}

// sharedFilter is a query's filter on a shared collection: its townships
// (when they are not all the county's) and its filter.
func (c *Collection[T, PT]) sharedFilter(ctx context.Context, q records.Query, towns []string) bson.D {
	filter := bson.D{}
	field := "township"
	if c.kind == records.KindTownship {
		field = "_id"
	}
	if scoped(ctx, q) {
		filter = append(filter, bson.E{Key: field, Value: bson.D{{Key: "$in", Value: nonNil(towns)}}})
	}
	if !q.Filter.IsZero() {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{exprDoc(q.Filter)}})
	}
	return filter
}

// scoped reports whether a query reads its townships only, not every
// township (a county caller asking for none).
func scoped(ctx context.Context, q records.Query) bool {
	return q.Townships != nil || !records.ActorFrom(ctx).County()
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// findRaw reads the first q.First+1 records matching filter after the
// cursor, in q's order.
func (c *Collection[T, PT]) findRaw(ctx context.Context, filter bson.D, q records.Query, after *cursor) ([]bson.Raw, error) {
	if after != nil {
		filter = bson.D{{Key: "$and", Value: bson.A{filter, after.keyset(q.Sort)}}}
	}
	coll, err := c.s.findColl(ctx, c.kind, filter, sortDoc(q.Sort), int64(q.First+1))
	if err != nil {
		return nil, err
	}
	cur, err := coll.Find(ctx, filter, options.Find().SetSort(sortDoc(q.Sort)).SetLimit(int64(q.First+1)))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	defer cur.Close(ctx)
	var out []bson.Raw
	for cur.Next(ctx) {
		out = append(out, append(bson.Raw(nil), cur.Current...))
	}
	if err := cur.Err(); err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	return out, nil
}

// Count returns how many records match q's townships and filter: under
// LayoutSplit, the sum of each township's count.
func (c *Collection[T, PT]) Count(ctx context.Context, q records.Query) (int, error) {
	towns, err := c.townships(ctx, q)
	if err != nil {
		return 0, err
	}
	ctx, done := c.s.asOf(ctx, !scoped(ctx, q), towns)
	defer done()
	if q.Filter, err = c.s.typedFilter(ctx, c.kind, towns, q.Filter); err != nil {
		return 0, err
	}
	n, err := c.s.count(ctx, c.kind, c.sharedFilter(ctx, q, towns))
	if err != nil {
		return 0, c.s.internal(ctx, "count "+string(c.kind), err)
	}
	return int(n), nil
}
