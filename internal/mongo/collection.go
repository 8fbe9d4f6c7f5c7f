package mongo

import (
	"context"
	"fmt"
	"strconv"
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
}

func newCollection[T any, PT Record[T]](s *Store, kind records.Kind) *Collection[T, PT] {
	return &Collection[T, PT]{s: s, kind: kind}
}

func (c *Collection[T, PT]) coll() *mongo.Collection { return c.s.coll(c.kind) }

// visible narrows a filter to the caller's townships.
func (c *Collection[T, PT]) visible(ctx context.Context, filter bson.D) bson.D {
	a := records.ActorFrom(ctx)
	if a.County() {
		return filter
	}
	field := "township"
	if c.kind == records.KindTownship {
		field = "_id"
	}
	return append(filter, bson.E{Key: field, Value: bson.D{{Key: "$in", Value: a.Townships}}})
}

func (c *Collection[T, PT]) notFound(id string) error { return records.NotFound(c.kind, id) }

// Get returns the record with id, from any township the caller may see;
// one of another township is NOT_FOUND, as one that does not exist.
func (c *Collection[T, PT]) Get(ctx context.Context, id string) (PT, error) {
	if at, ok := asOfInstant(ctx); ok {
		return c.getAsOf(ctx, id, at)
	}
	var x T
	err := c.coll().FindOne(ctx, c.visible(ctx, bson.D{{Key: "_id", Value: id}})).Decode(&x)
	if err == mongo.ErrNoDocuments {
		return nil, c.notFound(id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get "+string(c.kind), err)
	}
	return &x, nil
}

// GetIn returns the records of township t with the given ids that exist,
// in no particular order, in one round trip. Loaders use it for the
// relations of records of t.
func (c *Collection[T, PT]) GetIn(ctx context.Context, t string, ids []string) ([]PT, error) {
	return c.FindIn(ctx, t, "_id", ids)
}

// FindIn returns the records of township t whose field at path holds one
// of values (for a list field: any of them), in one round trip. Loaders
// use it to fetch the children of many parents at once.
func (c *Collection[T, PT]) FindIn(ctx context.Context, t string, path string, values []string) ([]PT, error) {
	return c.FindInWhere(ctx, t, path, values, records.Expr{})
}

// FindInWhere is FindIn with a filter the records must match as well, such
// as a year.
func (c *Collection[T, PT]) FindInWhere(ctx context.Context, t string, path string, values []string, where records.Expr) ([]PT, error) {
	if len(values) == 0 || !records.ActorFrom(ctx).Sees(t) && c.kind != records.KindTownship {
		return nil, nil
	}
	sorts, _ := records.Sorts(c.kind, nil)
	filter := bson.D{{Key: path, Value: bson.D{{Key: "$in", Value: values}}}}
	if c.kind != records.KindTownship {
		filter = append(filter, bson.E{Key: "township", Value: t})
	}
	if !where.IsZero() {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{exprDoc(where)}})
	}
	ctx, done := c.s.asOf(ctx, c.kind == records.KindTownship, []string{t})
	defer done()
	filter = c.visible(ctx, filter)
	coll, err := c.s.findColl(ctx, c.kind, filter, sortDoc(sorts), 0)
	if err != nil {
		return nil, err
	}
	cur, err := coll.Find(ctx, filter, options.Find().SetSort(sortDoc(sorts)))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	var out []PT
	if err := cur.All(ctx, &out); err != nil {
		return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
	}
	return out, nil
}

// now is the time stamped on writes, at the millisecond BSON keeps.
func now() time.Time { return records.Now() }

// checkWrite validates x, derives its computed fields and checks that its
// township and every record it points at exist, within its township; the
// references in had (those the stored record held, which cannot have gone
// since: a record pointed at cannot be deleted) are not looked up again.
// It returns the record as it is to be stored, encoded once for the write
// and its audit entry.
func (c *Collection[T, PT]) checkWrite(ctx context.Context, x PT, had map[records.Kind]map[string]bool) (bson.Raw, error) {
	m := x.GetMeta()
	if err := x.Validate(); err != nil {
		return nil, err
	}
	if err := c.s.checkAttributes(ctx, m.Township, c.kind, m.Attributes); err != nil {
		return nil, err
	}
	x.Derive(sortKey)
	doc, err := bson.Marshal(x)
	if err != nil {
		return nil, c.s.internal(ctx, "encode "+string(c.kind), err)
	} else if len(doc) > records.MaxRecordBytes {
		return nil, records.TooLarge(c.kind, len(doc))
	}
	if c.kind != records.KindTownship {
		if _, err := c.s.townshipsFor(ctx, []string{m.Township}, "township"); err != nil {
			return nil, records.Invalidf("township", "township %q not found", m.Township)
		}
	}
	return doc, c.s.checkRefs(ctx, m.Township, records.NewRefs(x.Refs(), had))
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
		filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "township", Value: township}}
		cur, err := s.coll(kind).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
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
		if err := records.MissingRef(refs, kind, township, exists); err != nil {
			return err
		}
	}
	return nil
}

// Create stores a new record. An empty id gets a fresh one; a record with
// an id that exists already is a conflict.
func (c *Collection[T, PT]) Create(ctx context.Context, x PT) (PT, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	if err := records.MayWrite(ctx, c.kind, x.GetMeta().Township, true); err != nil {
		return nil, err
	}
	records.Stamp(ctx, c.kind, x, records.NowFor(ctx))
	if err := records.CheckGuard(ctx, x); err != nil {
		return nil, err
	}
	doc, err := c.checkWrite(ctx, x, nil)
	if err != nil {
		return nil, err
	}
	m := x.GetMeta()
	unlock := c.s.lockWrite()
	defer unlock()
	_, err = c.coll().InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		return nil, records.Errorf(records.ECONFLICT, "%s %q exists already", c.kind.Noun(), m.ID)
	} else if err != nil {
		return nil, c.s.internal(ctx, "insert "+string(c.kind), err)
	}
	c.s.writeAudit(ctx, auditDoc{Action: records.ActionCreate, Kind: string(c.kind), RecordID: m.ID, Township: m.Township, Version: m.Version, After: doc})
	return x, nil
}

// Update applies patch to the record with id and stores it with its version
// raised by one. With expectedVersion, a record at another version is a
// conflict and nothing changes; without, the change is applied to the
// record as it is when it is stored: on the embedded store under its write
// lock, on MongoDB by reading again after a lost race, until the request's
// deadline, so a change never spuriously fails and none is overwritten.
func (c *Collection[T, PT]) Update(ctx context.Context, id string, expectedVersion *int, patch func(PT)) (PT, error) {
	return c.Modify(ctx, id, expectedVersion, func(x PT) error { patch(x); return nil })
}

// Modify is Update with a change that may refuse (a workflow step the
// record's state does not allow); a refusal stores nothing.
func (c *Collection[T, PT]) Modify(ctx context.Context, id string, expectedVersion *int, change func(PT) error) (PT, error) {
	return c.modify(ctx, id, expectedVersion, records.ActionUpdate, "", change)
}

func (c *Collection[T, PT]) modify(ctx context.Context, id string, expectedVersion *int, action, note string, change func(PT) error) (PT, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		x, err := c.modifyOnce(ctx, id, expectedVersion, action, note, change)
		if err != errLostRace {
			return x, err
		}
		if expectedVersion != nil {
			return nil, records.Errorf(records.ECONFLICT, "%s %q was changed by someone else while you saved; reload and try again", c.kind.Noun(), id)
		}
		if err := ctx.Err(); err != nil {
			return nil, c.s.internal(ctx, "update "+string(c.kind), err)
		}
		time.Sleep(time.Duration(try%8) * time.Millisecond) // let the winner finish
	}
}

var errLostRace = fmt.Errorf("lost a race")

func (c *Collection[T, PT]) modifyOnce(ctx context.Context, id string, expectedVersion *int, action, note string, change func(PT) error) (PT, error) {
	if c.s.serialize {
		unlock := c.s.lockWrite()
		defer unlock()
	}
	x, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := records.MayWrite(ctx, c.kind, x.GetMeta().Township, false); err != nil {
		return nil, err
	}
	if err := records.CheckGuard(ctx, x); err != nil {
		return nil, err
	}
	m := x.GetMeta()
	if expectedVersion != nil && *expectedVersion != m.Version {
		return nil, records.Conflict(c.kind, id, *expectedVersion, m.Version)
	}
	before, err := bson.Marshal(x)
	if err != nil {
		return nil, c.s.internal(ctx, "encode "+string(c.kind), err)
	}
	read, township, created, createdBy := m.Version, m.Township, m.CreatedAt, m.CreatedBy
	had := records.RefSet(x.Refs())
	if err := change(x); err != nil {
		return nil, err
	}
	m = x.GetMeta() // a revert replaces the whole record
	records.Restamp(ctx, m, id, township, read, created, createdBy, records.NowFor(ctx))
	if err := records.CheckGuard(ctx, x); err != nil {
		return nil, err
	}
	doc, err := c.checkWrite(ctx, x, had)
	if err != nil {
		return nil, err
	}
	res, err := c.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: read}}, doc)
	if err != nil {
		return nil, c.s.internal(ctx, "replace "+string(c.kind), err)
	}
	if res.MatchedCount != 1 {
		return nil, errLostRace
	}
	c.s.writeAudit(ctx, auditDoc{Action: action, Kind: string(c.kind), RecordID: id, Township: township, Version: m.Version,
		Before: bson.Raw(before), After: doc, Note: note})
	return x, nil
}

// Delete removes the record with id, unless other records still point at it.
func (c *Collection[T, PT]) Delete(ctx context.Context, id string, expectedVersion *int) (PT, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	x, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := records.MayWrite(ctx, c.kind, x.GetMeta().Township, c.kind == records.KindTownship); err != nil {
		return nil, err
	}
	if err := records.CheckGuard(ctx, x); err != nil {
		return nil, err
	}
	m := x.GetMeta()
	if expectedVersion != nil && *expectedVersion != m.Version {
		return nil, records.Conflict(c.kind, id, *expectedVersion, m.Version)
	}
	// Under the write lock (where writes take turns) nothing can point at
	// the record between the check and the delete.
	unlock := c.s.lockWrite()
	defer unlock()
	for _, br := range records.Backrefs[c.kind] {
		n, err := c.s.coll(br.Kind).CountDocuments(ctx, bson.D{{Key: br.Path, Value: id}, {Key: "township", Value: m.Township}})
		if err != nil {
			return nil, c.s.internal(ctx, "check references", err)
		}
		if n > 0 {
			return nil, records.Errorf(records.ECONFLICT, "%s %q is still referenced by %d %s (%s); change those first", c.kind.Noun(), id, n, br.Kind, br.Path)
		}
	}
	res, err := c.coll().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: m.Version}})
	if err != nil {
		return nil, c.s.internal(ctx, "delete "+string(c.kind), err)
	}
	if res.DeletedCount == 0 {
		return nil, records.Errorf(records.ECONFLICT, "%s %q was changed by someone else while you deleted it; reload and try again", c.kind.Noun(), id)
	}
	c.s.writeAudit(ctx, auditDoc{Action: records.ActionDelete, Kind: string(c.kind), RecordID: id, Township: m.Township, Version: m.Version, Before: x})
	return x, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// bulkBatch is how many records Bulk inserts in one command.
const bulkBatch = 500

// Bulk stores records of one township as given (ids, versions, histories),
// for loading generated or moved data in bulk: each is validated and its
// references checked, all at once, and those whose id is stored already are
// left as they are. Meta fields left empty are stamped as Create would. It
// returns how many records were stored.
func (c *Collection[T, PT]) Bulk(ctx context.Context, xs []PT) (int, error) {
	if err := refuseAsOf(ctx); err != nil {
		return 0, err
	}
	if len(xs) == 0 {
		return 0, nil
	}
	t := xs[0].GetMeta().Township
	if err := records.MayWrite(ctx, c.kind, t, false); err != nil {
		return 0, err
	}
	set, err := c.s.AttributeDefs().get(ctx, t, c.kind)
	if err != nil {
		return 0, err
	}
	refs, err := records.PrepareBulk(ctx, c.kind, xs, set, sortKey)
	if err != nil {
		return 0, err
	}
	docs := make([]any, len(xs))
	for i, x := range xs {
		docs[i] = x
	}
	if _, err := c.s.townshipsFor(ctx, []string{t}, "township"); err != nil {
		return 0, records.Invalidf("township", "township %q not found", t)
	}
	if err := c.s.checkRefs(ctx, t, refs); err != nil {
		return 0, err
	}
	// Only what is not stored yet is inserted, and has its creation
	// audited: a load can run again, or finish one that stopped.
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = x.GetMeta().ID
	}
	stored, err := c.storedIDs(ctx, ids)
	if err != nil {
		return 0, err
	}
	var fresh []any
	var audits []auditDoc
	for i, x := range xs {
		m := x.GetMeta()
		if stored[m.ID] {
			continue
		}
		fresh = append(fresh, docs[i])
		audits = append(audits, auditDoc{ID: bson.NewObjectID().Hex(), At: m.CreatedAt, Actor: m.CreatedBy, Action: records.ActionCreate,
			Kind: string(c.kind), RecordID: m.ID, Township: t, Version: m.Version, After: x, Note: "bulk load"})
	}
	unlock := c.s.lockWrite()
	defer unlock()
	for i := 0; i < len(fresh); i += bulkBatch {
		j := min(i+bulkBatch, len(fresh))
		if err := insertIgnoringCopies(ctx, c.coll(), fresh[i:j]); err != nil {
			return 0, c.s.internal(ctx, "insert "+string(c.kind), err)
		}
		if err := c.s.insertAudits(ctx, audits[i:j]); err != nil {
			c.s.log.ErrorContext(ctx, "audit entries not written", "kind", c.kind, "records", j-i, "err", dbError(err))
		}
	}
	return len(fresh), nil
}

// storedIDs reports which of ids township t holds already.
func (c *Collection[T, PT]) storedIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	cur, err := c.coll().Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	var found []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &found); err != nil {
		return nil, c.s.internal(ctx, "find "+string(c.kind), err)
	}
	out := make(map[string]bool, len(found))
	for _, f := range found {
		out[f.ID] = true
	}
	return out, nil
}

// insertIgnoringCopies inserts docs, leaving those whose id is stored
// already (copied by a run that stopped before it removed them).
func insertIgnoringCopies(ctx context.Context, c *mongo.Collection, docs []any) error {
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil
	}
	var bwe mongo.BulkWriteException
	if ok := asBulk(err, &bwe); ok && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 {
				return err
			}
		}
		return nil
	}
	return err
}

func asBulk(err error, out *mongo.BulkWriteException) bool {
	e, ok := err.(mongo.BulkWriteException)
	if ok {
		*out = e
	}
	return ok
}
