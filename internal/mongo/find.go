package mongo

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// maxParallel bounds the townships read at once for one list.
const maxParallel = 4

// Find returns one page of the records matching q, across the townships it
// names (all the caller may see if none). Under LayoutSplit each township's
// database answers its first+1 records after the cursor, and the pages are
// merged by sort key and id, the order every database sorts in, so pages
// across townships are as stable as within one.
func (c *Collection[T, PT]) Find(ctx context.Context, q records.Query) (*records.Page[T], error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	towns, err := c.townships(ctx, q)
	if err != nil {
		return nil, err
	}
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
	var docs []bson.Raw
	if c.s.layout == LayoutShared || c.kind == records.KindTownship {
		docs, err = c.findRaw(ctx, "", c.sharedFilter(ctx, q, towns), q, after)
	} else {
		docs, err = c.findSplit(ctx, towns, q, after)
	}
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
	if q.Townships != nil || !records.ActorFrom(ctx).County() {
		filter = append(filter, bson.E{Key: field, Value: bson.D{{Key: "$in", Value: nonNil(towns)}}})
	}
	if !q.Filter.IsZero() {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{exprDoc(q.Filter)}})
	}
	return filter
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// findRaw reads the first q.First+1 records matching filter after the
// cursor, in q's order, from township t's collection.
func (c *Collection[T, PT]) findRaw(ctx context.Context, t string, filter bson.D, q records.Query, after *cursor) ([]bson.Raw, error) {
	if after != nil {
		filter = bson.D{{Key: "$and", Value: bson.A{filter, after.keyset(q.Sort)}}}
	}
	cur, err := c.coll(t).Find(ctx, filter, options.Find().SetSort(sortDoc(q.Sort)).SetLimit(int64(q.First+1)))
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

// findSplit reads each township's page and merges them.
func (c *Collection[T, PT]) findSplit(ctx context.Context, towns []string, q records.Query, after *cursor) ([]bson.Raw, error) {
	filter := bson.D{}
	if !q.Filter.IsZero() {
		filter = exprDoc(q.Filter)
	}
	if len(towns) == 1 {
		return c.findRaw(ctx, towns[0], filter, q, after)
	}
	pages := make([][]bson.Raw, len(towns))
	err := eachTownship(ctx, towns, func(i int, t string) error {
		var err error
		pages[i], err = c.findRaw(ctx, t, filter, q, after)
		return err
	})
	if err != nil {
		return nil, err
	}
	return mergePages(pages, q.Sort, q.First+1), nil
}

// eachTownship runs f for every township, a few at once, and returns the
// first error.
func eachTownship(ctx context.Context, towns []string, f func(i int, t string) error) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallel)
	errs := make([]error, len(towns))
	for i, t := range towns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() == nil {
				errs[i] = f(i, t)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Count returns how many records match q's townships and filter: under
// LayoutSplit, the sum of each township's count.
func (c *Collection[T, PT]) Count(ctx context.Context, q records.Query) (int, error) {
	towns, err := c.townships(ctx, q)
	if err != nil {
		return 0, err
	}
	if q.Filter, err = c.s.typedFilter(ctx, c.kind, towns, q.Filter); err != nil {
		return 0, err
	}
	if c.s.layout == LayoutShared || c.kind == records.KindTownship {
		n, err := c.coll("").CountDocuments(ctx, c.sharedFilter(ctx, q, towns))
		if err != nil {
			return 0, c.s.internal(ctx, "count "+string(c.kind), err)
		}
		return int(n), nil
	}
	filter := bson.D{}
	if !q.Filter.IsZero() {
		filter = exprDoc(q.Filter)
	}
	counts := make([]int64, len(towns))
	err = eachTownship(ctx, towns, func(i int, t string) error {
		n, err := c.coll(t).CountDocuments(ctx, filter)
		if err != nil {
			return c.s.internal(ctx, "count "+string(c.kind), err)
		}
		counts[i] = n
		return nil
	})
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	return total, err
}
