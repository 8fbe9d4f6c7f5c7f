package mongo

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Ordering by a count of related records (records.Sort.Count). FerretDB
// v1 has no $lookup, so, as for a relation filter, the related records
// matching the count's filter are grouped by the id they hold first
// (relatedCounts). The records matching the list's filter are then read
// with only their ids and sort keys, ordered here with the counts, paged
// after the cursor, and the page's documents read by id: three queries,
// however deep the page.

// maxCountSorted bounds the records a list ordered by a count may match.
const maxCountSorted = records.MaxRawGroups

type countedRow struct {
	id   string
	keys []bson.RawValue
}

// findCounted answers Find for a sort holding a count.
func (c *Collection[T, PT]) findCounted(ctx context.Context, q records.Query, towns []string, after *cursor) (*records.Page[T], error) {
	counts := make([]map[string]int, len(q.Sort))
	proj := bson.D{{Key: "_id", Value: 1}}
	for i, s := range q.Sort {
		if s.Count == nil {
			proj = append(proj, bson.E{Key: s.Path, Value: 1})
			continue
		}
		f, err := c.s.typedFilter(ctx, s.Count.Kind, towns, s.Count.Filter)
		if err != nil {
			return nil, err
		}
		if counts[i], err = c.s.relatedCounts(ctx, s.Count.Kind, s.Count.Path, towns, f); err != nil {
			return nil, err
		}
	}
	filter := c.sharedFilter(ctx, q, towns)
	cur, err := c.coll().Find(ctx, filter, options.Find().SetProjection(proj).SetLimit(maxCountSorted+1))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	var rows []countedRow
	for cur.Next(ctx) {
		if len(rows) == maxCountSorted {
			cur.Close(ctx)
			return nil, records.Errorf(records.EINVALID, "ordering by a count reads every record the filter matches, at most %d: narrow the filter or the townships", maxCountSorted)
		}
		r := countedRow{keys: make([]bson.RawValue, len(q.Sort))}
		if err := cur.Current.Lookup("_id").Unmarshal(&r.id); err != nil {
			cur.Close(ctx)
			return nil, c.s.internal(ctx, "find "+string(c.kind), err)
		}
		for i, s := range q.Sort {
			if s.Count != nil {
				r.keys[i] = int64Value(int64(counts[i][r.id]))
				continue
			}
			v, err := cur.Current.LookupErr(strings.Split(s.Path, ".")...)
			if err != nil {
				v = bson.RawValue{Type: bson.TypeNull}
			}
			r.keys[i] = bson.RawValue{Type: v.Type, Value: bytes.Clone(v.Value)}
		}
		rows = append(rows, r)
	}
	if err := cur.Err(); err != nil {
		cur.Close(ctx)
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	cur.Close(ctx)
	order := func(a, b countedRow) int {
		for i, s := range q.Sort {
			if c := compareRaw(a.keys[i], b.keys[i]); c != 0 {
				if s.Desc {
					return -c
				}
				return c
			}
		}
		return strings.Compare(a.id, b.id)
	}
	slices.SortFunc(rows, order)
	start := 0
	if after != nil {
		at := countedRow{id: after.ID, keys: after.Values}
		start, _ = slices.BinarySearchFunc(rows, at, func(r, at countedRow) int {
			if order(r, at) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+q.First, len(rows))
	page := &records.Page[T]{HasNextPage: end < len(rows)}
	if start >= end {
		return page, nil
	}
	ids := make([]string, 0, end-start)
	for _, r := range rows[start:end] {
		ids = append(ids, r.id)
	}
	docs, err := c.coll().Find(ctx, bson.D{{Key: "$and", Value: bson.A{filter, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}}}})
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	byID := map[string]*T{}
	for docs.Next(ctx) {
		var x T
		if err := bson.Unmarshal(docs.Current, &x); err != nil {
			docs.Close(ctx)
			return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
		}
		byID[PT(&x).GetMeta().ID] = &x
	}
	if err := docs.Err(); err != nil {
		docs.Close(ctx)
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	docs.Close(ctx)
	for _, r := range rows[start:end] {
		x, ok := byID[r.id]
		if !ok { // deleted between the two reads
			continue
		}
		cur, err := encodeCursorOf(q.Sort, r.keys, r.id)
		if err != nil {
			return nil, c.s.internal(ctx, "cursor "+string(c.kind), err)
		}
		page.Items = append(page.Items, x)
		page.Cursors = append(page.Cursors, cur)
	}
	return page, nil
}

func int64Value(n int64) bson.RawValue {
	t, v, _ := bson.MarshalValue(n)
	return bson.RawValue{Type: t, Value: v}
}

// rawRank orders types as MongoDB sorts them: null (missing), numbers,
// text, documents, lists, binary, ObjectId, booleans, dates.
func rawRank(t bson.Type) int {
	switch t {
	case bson.TypeNull, bson.TypeUndefined:
		return 0
	case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeDecimal128:
		return 1
	case bson.TypeString, bson.TypeSymbol:
		return 2
	case bson.TypeEmbeddedDocument:
		return 3
	case bson.TypeArray:
		return 4
	case bson.TypeBinary:
		return 5
	case bson.TypeObjectID:
		return 6
	case bson.TypeBoolean:
		return 7
	case bson.TypeDateTime:
		return 8
	}
	return 9
}

// compareRaw orders two sort keys as MongoDB does; text by its bytes
// (the binary collation, as SQLite's).
func compareRaw(a, b bson.RawValue) int {
	if c := cmp.Compare(rawRank(a.Type), rawRank(b.Type)); c != 0 {
		return c
	}
	switch rawRank(a.Type) {
	case 1:
		return cmp.Compare(number(a), number(b))
	case 2:
		return strings.Compare(a.StringValue(), b.StringValue())
	case 7:
		return cmp.Compare(boolInt(a.Boolean()), boolInt(b.Boolean()))
	case 8:
		return cmp.Compare(a.DateTime(), b.DateTime())
	}
	return bytes.Compare(a.Value, b.Value)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
