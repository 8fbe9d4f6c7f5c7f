package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Record is what a stored kind offers the generic collection.
type Record[T any] interface {
	*T
	GetMeta() *records.Meta
	Validate() error
	Derive(records.SortKey)
	Refs() []records.Ref
}

// Collection stores one kind of record.
type Collection[T any, PT Record[T]] struct {
	s    *Store
	kind records.Kind
	c    *mongo.Collection
}

func newCollection[T any, PT Record[T]](s *Store, kind records.Kind) *Collection[T, PT] {
	return &Collection[T, PT]{s: s, kind: kind, c: s.collection(kind)}
}

// scoped adds the caller's township scope to a filter.
func scoped(ctx context.Context, filter bson.D) bson.D {
	if scope := records.ActorFrom(ctx).Scope; scope != "" {
		return append(filter, bson.E{Key: "township", Value: scope})
	}
	return filter
}

func (c *Collection[T, PT]) notFound(id string) error {
	return records.Errorf(records.ENOTFOUND, "%s %q not found", c.kind.Noun(), id)
}

// Get returns the record with id.
func (c *Collection[T, PT]) Get(ctx context.Context, id string) (PT, error) {
	var x T
	err := c.c.FindOne(ctx, scoped(ctx, bson.D{{Key: "_id", Value: id}})).Decode(&x)
	if err == mongo.ErrNoDocuments {
		return nil, c.notFound(id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get "+string(c.kind), err)
	}
	return &x, nil
}

// GetMany returns the records with the given ids that exist, in no
// particular order, in one round trip.
func (c *Collection[T, PT]) GetMany(ctx context.Context, ids []string) ([]PT, error) {
	return c.FindIn(ctx, "_id", ids)
}

// FindIn returns the records whose field at path holds one of values (for a
// list field: any of them), in one round trip. Loaders use it to fetch the
// children of many parents at once.
func (c *Collection[T, PT]) FindIn(ctx context.Context, path string, values []string) ([]PT, error) {
	return c.FindInWhere(ctx, path, values, records.Expr{})
}

// FindInWhere is FindIn with a filter the records must match as well, such
// as a year.
func (c *Collection[T, PT]) FindInWhere(ctx context.Context, path string, values []string, where records.Expr) ([]PT, error) {
	if len(values) == 0 {
		return nil, nil
	}
	sorts, _ := records.Sorts(c.kind, nil)
	filter := bson.D{{Key: path, Value: bson.D{{Key: "$in", Value: values}}}}
	if !where.IsZero() {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{exprDoc(where)}})
	}
	cur, err := c.c.Find(ctx, scoped(ctx, filter), options.Find().SetSort(sortDoc(sorts)))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	var out []PT
	if err := cur.All(ctx, &out); err != nil {
		return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
	}
	return out, nil
}

// Find returns one page of the records matching q.
func (c *Collection[T, PT]) Find(ctx context.Context, q records.Query) (*records.Page[T], error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	filter, err := c.queryFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &records.Page[T]{}
	if q.First == 0 {
		return page, nil
	}
	if q.After != "" {
		after, err := decodeCursor(q.After, q.Sort)
		if err != nil {
			return nil, err
		}
		filter = bson.D{{Key: "$and", Value: bson.A{filter, after.keyset(q.Sort)}}}
	}
	cur, err := c.c.Find(ctx, filter, options.Find().SetSort(sortDoc(q.Sort)).SetLimit(int64(q.First+1)))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if len(page.Items) == q.First {
			page.HasNextPage = true
			break
		}
		var x T
		if err := cur.Decode(&x); err != nil {
			return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
		}
		cursor, err := encodeCursor(cur.Current, q.Sort)
		if err != nil {
			return nil, c.s.internal(ctx, "cursor "+string(c.kind), err)
		}
		page.Items = append(page.Items, &x)
		page.Cursors = append(page.Cursors, cursor)
	}
	if err := cur.Err(); err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	return page, nil
}

// Count returns how many records match q's township and filter.
func (c *Collection[T, PT]) Count(ctx context.Context, q records.Query) (int, error) {
	filter, err := c.queryFilter(ctx, q)
	if err != nil {
		return 0, err
	}
	n, err := c.c.CountDocuments(ctx, filter)
	if err != nil {
		return 0, c.s.internal(ctx, "count "+string(c.kind), err)
	}
	return int(n), nil
}

func (c *Collection[T, PT]) queryFilter(ctx context.Context, q records.Query) (bson.D, error) {
	filter := bson.D{}
	if q.Township != "" {
		filter = append(filter, bson.E{Key: "township", Value: q.Township})
	}
	filter = scoped(ctx, filter)
	if !q.Filter.IsZero() {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{exprDoc(q.Filter)}})
	}
	return filter, nil
}

// now is the time stamped on writes, at the millisecond BSON keeps.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// checkWrite validates x, derives its computed fields and checks that its
// township and every record it points at exist, within its township.
func (c *Collection[T, PT]) checkWrite(ctx context.Context, x PT) error {
	m := x.GetMeta()
	if scope := records.ActorFrom(ctx).Scope; scope != "" && m.Township != scope && c.kind != records.KindTownship {
		return records.Errorf(records.EFORBIDDEN, "you may only write records of township %q", scope)
	}
	if err := x.Validate(); err != nil {
		return err
	}
	x.Derive(sortKey)
	if b, err := bson.Marshal(x); err != nil {
		return c.s.internal(ctx, "encode "+string(c.kind), err)
	} else if len(b) > records.MaxRecordBytes {
		return records.Invalidf("", "a %s is at most %d KiB as stored, this one %d KiB: shorten its texts or lists", c.kind.Noun(), records.MaxRecordBytes>>10, len(b)>>10)
	}
	if c.kind != records.KindTownship {
		n, err := c.s.collection(records.KindTownship).CountDocuments(ctx, bson.D{{Key: "_id", Value: m.Township}})
		if err != nil {
			return c.s.internal(ctx, "check township", err)
		}
		if n == 0 {
			return records.Invalidf("township", "township %q not found", m.Township)
		}
	}
	return c.s.checkRefs(ctx, m.Township, x.Refs())
}

// checkRefs makes sure every referenced id names a record of the township,
// with one query per kind referenced.
func (s *Store) checkRefs(ctx context.Context, township string, refs []records.Ref) error {
	byKind := map[records.Kind][]string{}
	for _, r := range refs {
		byKind[r.Kind] = append(byKind[r.Kind], r.IDs...)
	}
	for kind, ids := range byKind {
		if len(ids) == 0 {
			continue
		}
		cur, err := s.collection(kind).Find(ctx,
			bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "township", Value: township}},
			options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return s.internal(ctx, "check references", err)
		}
		var found []struct {
			ID string `bson:"_id"`
		}
		if err := cur.All(ctx, &found); err != nil {
			return s.internal(ctx, "check references", err)
		}
		exists := make(map[string]bool, len(found))
		for _, f := range found {
			exists[f.ID] = true
		}
		for _, r := range refs {
			if r.Kind != kind {
				continue
			}
			for i, id := range r.IDs {
				if !exists[id] {
					field := r.Field
					if r.List {
						field = fmt.Sprintf("%s.%d", r.Field, i)
					}
					return records.Invalidf(field, "%s %q not found in township %q", kind.Noun(), id, township)
				}
			}
		}
	}
	return nil
}

// Create stores a new record. An empty id gets a fresh one; a record with
// an id that exists already is a conflict.
func (c *Collection[T, PT]) Create(ctx context.Context, x PT) (PT, error) {
	m := x.GetMeta()
	if m.ID == "" {
		m.ID = bson.NewObjectID().Hex()
	}
	if c.kind == records.KindTownship {
		m.Township = m.ID
	}
	if oc, ok := any(x).(interface{ OnCreate(string, time.Time) }); ok {
		oc.OnCreate(records.ActorFrom(ctx).ID, now())
	}
	if err := c.checkWrite(ctx, x); err != nil {
		return nil, err
	}
	actor := records.ActorFrom(ctx).ID
	m.Version = 1
	m.CreatedAt, m.UpdatedAt = now(), now()
	m.CreatedBy, m.UpdatedBy = actor, actor
	if m.Tags == nil {
		m.Tags = []string{}
	}
	unlock := c.s.lockWrite()
	_, err := c.c.InsertOne(ctx, x)
	unlock()
	if mongo.IsDuplicateKeyError(err) {
		return nil, records.Errorf(records.ECONFLICT, "%s %q exists already", c.kind.Noun(), m.ID)
	} else if err != nil {
		return nil, c.s.internal(ctx, "insert "+string(c.kind), err)
	}
	return x, nil
}

// maxUpdateTries bounds how often an update without an expected version
// re-reads after losing a race.
const maxUpdateTries = 5

// Update applies patch to the record with id and stores it with its version
// raised by one. With expectedVersion, a record at another version is a
// conflict and nothing changes; without, a lost race is retried on a fresh
// read, so no concurrent change is overwritten.
func (c *Collection[T, PT]) Update(ctx context.Context, id string, expectedVersion *int, patch func(PT)) (PT, error) {
	return c.Modify(ctx, id, expectedVersion, func(x PT) error { patch(x); return nil })
}

// Modify is Update with a change that may refuse (a workflow step the
// record's state does not allow); a refusal stores nothing.
func (c *Collection[T, PT]) Modify(ctx context.Context, id string, expectedVersion *int, change func(PT) error) (PT, error) {
	for try := 0; ; try++ {
		x, err := c.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		m := x.GetMeta()
		if expectedVersion != nil && *expectedVersion != m.Version {
			return nil, c.conflict(id, *expectedVersion, m.Version)
		}
		read := m.Version
		if err := change(x); err != nil {
			return nil, err
		}
		m.ID, m.Version = id, read+1 // a patch cannot move identity
		m.UpdatedAt, m.UpdatedBy = now(), records.ActorFrom(ctx).ID
		if err := c.checkWrite(ctx, x); err != nil {
			return nil, err
		}
		unlock := c.s.lockWrite()
		res, err := c.c.ReplaceOne(ctx, scoped(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: read}}), x)
		unlock()
		if err != nil {
			return nil, c.s.internal(ctx, "replace "+string(c.kind), err)
		}
		if res.MatchedCount == 1 {
			return x, nil
		}
		if expectedVersion != nil || try+1 == maxUpdateTries {
			return nil, records.Errorf(records.ECONFLICT, "%s %q was changed by someone else while you saved; reload and try again", c.kind.Noun(), id)
		}
	}
}

func (c *Collection[T, PT]) conflict(id string, expected, current int) error {
	return records.Errorf(records.ECONFLICT, "%s %q is at version %d, not %d: it was changed since you read it", c.kind.Noun(), id, current, expected)
}

// Delete removes the record with id, unless other records still point at it.
func (c *Collection[T, PT]) Delete(ctx context.Context, id string, expectedVersion *int) (PT, error) {
	x, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	m := x.GetMeta()
	if scope := records.ActorFrom(ctx).Scope; scope != "" && m.Township != scope {
		return nil, records.Errorf(records.EFORBIDDEN, "you may only write records of township %q", scope)
	}
	if expectedVersion != nil && *expectedVersion != m.Version {
		return nil, c.conflict(id, *expectedVersion, m.Version)
	}
	for _, br := range records.Backrefs[c.kind] {
		n, err := c.s.collection(br.Kind).CountDocuments(ctx, bson.D{{Key: br.Path, Value: id}})
		if err != nil {
			return nil, c.s.internal(ctx, "check references", err)
		}
		if n > 0 {
			return nil, records.Errorf(records.ECONFLICT, "%s %q is still referenced by %d %s (%s); change those first", c.kind.Noun(), id, n, br.Kind, br.Path)
		}
	}
	unlock := c.s.lockWrite()
	res, err := c.c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: m.Version}})
	unlock()
	if err != nil {
		return nil, c.s.internal(ctx, "delete "+string(c.kind), err)
	}
	if res.DeletedCount == 0 {
		return nil, records.Errorf(records.ECONFLICT, "%s %q was changed by someone else while you deleted it; reload and try again", c.kind.Noun(), id)
	}
	return x, nil
}
