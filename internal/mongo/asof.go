package mongo

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Reads as of an instant (records.WithAsOf). The records as they stood
// then are rebuilt from the audit trail, which holds every change with the
// record before and after it:
//
//   - a record no change has touched since the instant, and created by
//     then, is as it is stored;
//   - a record changed since (updated, deleted, reverted, restored) is the
//     "before" of its first change after the instant (by time, then the
//     chain's sequence) — none when that change created or restored it.
//
// MongoDB cannot read a union of two collections in one query (FerretDB v1,
// the stand-in the tests run on, has neither $lookup nor $unionWith nor
// $out), so a read as of an instant materialises a snapshot: each kind it
// touches (its own, and the kinds its relation filters read) is copied,
// for the townships the read covers, into a collection of its own,
// asof_<object id>_<kind>, and the read's usual queries — filters,
// keyset pages, counts, groupings, relation filters — run on those copies
// unchanged. The copies are dropped when the read ends; any left behind
// (a process that died mid-read) are dropped when a store opens and they
// are more than an hour old.
//
// What it costs, per read and per kind touched: one find on the audit
// trail for the changes after the instant (ids and times only), one find
// by id for the "before" documents of the records changed since, one
// find of the stored records of the townships, and inserts of them all into
// the copy, in batches of asOfBatch; then a drop. Time grows with the
// records of the townships read (not with the page asked for: every page of
// a list copies again) and with the changes made since the instant; memory
// with a batch and the ids changed since. A snapshot of more than
// MaxAsOfDocs records is refused (EINVALID): narrow the read to fewer
// townships. A lookup by id (Get) needs no snapshot: it reads the record's
// history and, if nothing changed it since, the record.
//
// Writes never carry an instant: one that does is refused (EINVALID).

// MaxAsOfDocs bounds the records one read as of an instant copies, over
// every kind it touches.
const MaxAsOfDocs = 50_000

// asOfLimit is MaxAsOfDocs; tests lower it.
var asOfLimit = MaxAsOfDocs

const (
	asOfPrefix = "asof_"
	// asOfBatch is how many documents one round trip of a snapshot reads
	// or inserts.
	asOfBatch = 500
	// asOfLeftover is the age past which a snapshot's collection is taken
	// for one left behind.
	asOfLeftover = time.Hour
)

// refuseAsOf refuses a write whose context reads as of an instant.
func refuseAsOf(ctx context.Context) error {
	if _, ok := records.AsOfFrom(ctx); ok {
		return records.Errorf(records.EINVALID, "records as they stood at a past moment cannot be changed")
	}
	return nil
}

// asOfInstant is the instant ctx reads as of, at the millisecond the audit
// trail keeps (changes made within that millisecond included).
func asOfInstant(ctx context.Context) (time.Time, bool) {
	t, ok := records.AsOfFrom(ctx)
	if !ok {
		return time.Time{}, false
	}
	return t.Truncate(time.Millisecond), true
}

// snapshot is the copies one read as of an instant makes.
type snapshot struct {
	s      *Store
	at     time.Time
	all    bool     // every township (a county caller asking for none)
	towns  []string // else these
	prefix string

	mu    sync.Mutex
	colls map[records.Kind]*mongo.Collection
	docs  int
}

type snapshotKey struct{}

// asOf prepares a read: when ctx reads as of an instant, it returns a
// context carrying an empty snapshot of the townships towns (all: every
// township) and the function that drops it, to defer; otherwise ctx and a
// function that does nothing.
func (s *Store) asOf(ctx context.Context, all bool, towns []string) (context.Context, func()) {
	at, ok := asOfInstant(ctx)
	if !ok {
		return ctx, func() {}
	}
	if _, ok := ctx.Value(snapshotKey{}).(*snapshot); ok {
		return ctx, func() {} // a read within a read: the outer one's
	}
	sn := &snapshot{s: s, at: at, all: all, towns: nonNil(towns),
		prefix: asOfPrefix + bson.NewObjectID().Hex() + "_", colls: map[records.Kind]*mongo.Collection{}}
	return context.WithValue(ctx, snapshotKey{}, sn), func() { sn.drop(ctx) }
}

// read is the collection a read of kind reads: its snapshot when ctx
// reads as of an instant (copied on first use), else the stored one.
func (s *Store) read(ctx context.Context, kind records.Kind) (*mongo.Collection, error) {
	if _, ok := records.AsOfFrom(ctx); !ok {
		return s.coll(kind), nil
	}
	sn, ok := ctx.Value(snapshotKey{}).(*snapshot)
	if !ok {
		// A read that did not prepare one (see asOf): never the records
		// as they are now under the name of those of the past.
		return nil, s.internal(ctx, "read "+string(kind)+" as of an instant", errNoSnapshot)
	}
	return sn.coll(ctx, kind)
}

var errNoSnapshot = errors.New("a read as of an instant without a snapshot")

func (sn *snapshot) coll(ctx context.Context, kind records.Kind) (*mongo.Collection, error) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if c, ok := sn.colls[kind]; ok {
		return c, nil
	}
	c := sn.s.db.Collection(sn.prefix + string(kind))
	sn.colls[kind] = c // dropped at the end even if the copy fails midway
	if err := sn.copy(ctx, kind, c); err != nil {
		return nil, err
	}
	return c, nil
}

// tooLarge is the refusal of a snapshot over MaxAsOfDocs.
func tooLarge() error {
	return records.Errorf(records.EINVALID, "reading records as they stood at a past moment copies them, at most %d at once; this read covers more: ask for fewer townships", asOfLimit)
}

// firstChange is the first change of a record after the instant.
type firstChange struct {
	at  time.Time
	seq int64
	id  string // the entry's
}

func (a firstChange) before(b firstChange) bool {
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	return a.id < b.id
}

// copy fills c with kind's records of the snapshot's townships as they
// stood at its instant.
func (sn *snapshot) copy(ctx context.Context, kind records.Kind, c *mongo.Collection) error {
	s := sn.s
	fail := func(err error) error { return s.internal(ctx, "copy "+string(kind)+" as of an instant", err) }
	// The first change of each record after the instant: ids and times
	// only, in no order (the first is kept here, so nothing is sorted).
	byRecord, byTown := "township", "township"
	if kind == records.KindTownship {
		byRecord, byTown = "recordId", "_id"
	}
	changes := bson.D{{Key: "kind", Value: string(kind)}, {Key: "at", Value: bson.D{{Key: "$gt", Value: sn.at}}},
		{Key: "action", Value: bson.D{{Key: "$in", Value: records.ChangingActions}}}}
	if !sn.all {
		changes = append(changes, bson.E{Key: byRecord, Value: bson.D{{Key: "$in", Value: sn.towns}}})
	}
	cur, err := s.audit().Find(ctx, changes, options.Find().
		SetProjection(bson.D{{Key: "recordId", Value: 1}, {Key: "at", Value: 1}, {Key: "seq", Value: 1}}).SetBatchSize(5000))
	if err != nil {
		return fail(err)
	}
	first := map[string]firstChange{}
	for cur.Next(ctx) {
		var e struct {
			ID       string    `bson:"_id"`
			RecordID string    `bson:"recordId"`
			At       time.Time `bson:"at"`
			Seq      int64     `bson:"seq"`
		}
		if err := cur.Decode(&e); err != nil {
			_ = cur.Close(ctx)
			return fail(err)
		}
		fc := firstChange{e.At, e.Seq, e.ID}
		if prev, ok := first[e.RecordID]; !ok || fc.before(prev) {
			first[e.RecordID] = fc
			if len(first) > asOfLimit {
				_ = cur.Close(ctx)
				return tooLarge()
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fail(err)
	}
	_ = cur.Close(ctx)

	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if sn.docs += len(batch); sn.docs > asOfLimit {
			return tooLarge()
		}
		_, err := c.InsertMany(ctx, batch)
		batch = batch[:0]
		if err != nil {
			return fail(err)
		}
		return nil
	}
	add := func(doc bson.Raw) error {
		batch = append(batch, doc)
		if len(batch) == asOfBatch {
			return flush()
		}
		return nil
	}

	// The records changed since: the "before" of their first change.
	entries := make([]string, 0, len(first))
	for _, fc := range first {
		entries = append(entries, fc.id)
	}
	for i := 0; i < len(entries); i += asOfBatch {
		j := min(i+asOfBatch, len(entries))
		cur, err := s.audit().Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: entries[i:j]}}}},
			options.Find().SetProjection(bson.D{{Key: "before", Value: 1}}))
		if err != nil {
			return fail(err)
		}
		for cur.Next(ctx) {
			doc, ok := cur.Current.Lookup("before").DocumentOK()
			if !ok || len(doc) <= 5 { // none, or empty: created or restored since
				continue
			}
			if err := add(append(bson.Raw(nil), doc...)); err != nil {
				_ = cur.Close(ctx)
				return err
			}
		}
		if err := cur.Err(); err != nil {
			return fail(err)
		}
		_ = cur.Close(ctx)
	}

	// The records unchanged since, created by then: as stored.
	stored := bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lte", Value: sn.at}}}}
	if !sn.all {
		stored = append(stored, bson.E{Key: byTown, Value: bson.D{{Key: "$in", Value: sn.towns}}})
	}
	cur, err = s.coll(kind).Find(ctx, stored, options.Find().SetBatchSize(asOfBatch))
	if err != nil {
		return fail(err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		id, _ := cur.Current.Lookup("_id").StringValueOK()
		if _, changed := first[id]; changed {
			continue
		}
		if err := add(append(bson.Raw(nil), cur.Current...)); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fail(err)
	}
	return flush()
}

// drop removes the snapshot's copies, even when the read's context has
// ended; a failure is logged (the copies are dropped at a later start).
func (sn *snapshot) drop(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	sn.mu.Lock()
	defer sn.mu.Unlock()
	for kind, c := range sn.colls {
		if err := c.Drop(ctx); err != nil {
			sn.s.log.WarnContext(ctx, "copy of a read as of an instant not dropped", "kind", kind, "collection", c.Name(), "err", dbError(err))
		}
	}
}

// dropLeftovers drops the copies of reads as of an instant left behind
// (their process died mid-read) more than asOfLeftover ago. It never
// fails: a copy it misses is dropped at a later start.
func (s *Store) dropLeftovers(ctx context.Context) {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		s.log.WarnContext(ctx, "copies of reads as of an instant not listed", "err", dbError(err))
		return
	}
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, asOfPrefix)
		if !ok || len(rest) < 24 {
			continue
		}
		oid, err := bson.ObjectIDFromHex(rest[:24])
		if err != nil || time.Since(oid.Timestamp()) < asOfLeftover {
			continue
		}
		if err := s.db.Collection(n).Drop(ctx); err != nil {
			s.log.WarnContext(ctx, "copy of a read as of an instant not dropped", "collection", n, "err", dbError(err))
		}
	}
}

// getAsOf is Get as of the instant at, with no snapshot: the record's
// first change after the instant, if any, holds it as it was; else it is
// as stored, if created by then.
func (c *Collection[T, PT]) getAsOf(ctx context.Context, id string, at time.Time) (PT, error) {
	cur, err := c.s.audit().Find(ctx, bson.D{{Key: "recordId", Value: id}, {Key: "kind", Value: string(c.kind)},
		{Key: "at", Value: bson.D{{Key: "$gt", Value: at}}}, {Key: "action", Value: bson.D{{Key: "$in", Value: records.ChangingActions}}}},
		options.Find().SetProjection(bson.D{{Key: "at", Value: 1}, {Key: "seq", Value: 1}, {Key: "before", Value: 1}}))
	if err != nil {
		return nil, c.s.internal(ctx, "get "+string(c.kind)+" as of an instant", err)
	}
	var first *firstChange
	var before bson.Raw
	for cur.Next(ctx) {
		var e struct {
			ID     string    `bson:"_id"`
			At     time.Time `bson:"at"`
			Seq    int64     `bson:"seq"`
			Before bson.Raw  `bson:"before"`
		}
		if err := cur.Decode(&e); err != nil {
			_ = cur.Close(ctx)
			return nil, c.s.internal(ctx, "get "+string(c.kind)+" as of an instant", err)
		}
		fc := firstChange{e.At, e.Seq, e.ID}
		if first == nil || fc.before(*first) {
			first, before = &fc, append(bson.Raw(nil), e.Before...)
		}
	}
	if err := cur.Err(); err != nil {
		return nil, c.s.internal(ctx, "get "+string(c.kind)+" as of an instant", err)
	}
	_ = cur.Close(ctx)
	if first == nil {
		var x T
		err := c.coll().FindOne(ctx, c.visible(ctx, bson.D{{Key: "_id", Value: id},
			{Key: "createdAt", Value: bson.D{{Key: "$lte", Value: at}}}})).Decode(&x)
		if err == mongo.ErrNoDocuments {
			return nil, c.notFound(id)
		} else if err != nil {
			return nil, c.s.internal(ctx, "get "+string(c.kind), err)
		}
		return &x, nil
	}
	if len(before) <= 5 { // created or restored since
		return nil, c.notFound(id)
	}
	var x T
	if err := bson.Unmarshal(before, &x); err != nil {
		return nil, c.s.internal(ctx, "decode "+string(c.kind), err)
	}
	if !records.ActorFrom(ctx).Sees(PT(&x).GetMeta().Township) {
		return nil, c.notFound(id)
	}
	return &x, nil
}
