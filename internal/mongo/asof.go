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
// MongoDB cannot read a union of two collections in one query (FerretDB
// v1, the stand-in the tests run on, has neither $lookup nor $unionWith
// nor $out). So a read as of an instant makes, for each kind it touches
// (its own, and those its relation filters read), a collection of its
// own, asof_<object id>_<kind>, holding the "before" documents of the
// kind's records changed since the instant, in the townships the read
// covers; what is stored answers for the rest, narrowed to the records
// created by then and unchanged since ($nin the ids changed). Then:
//
//   - what adds up — a count, a grouping, the counts and lists relation
//     filters read — runs on both and is added up here (a record is in
//     one of them only);
//   - a list page (Find) and a lookup of several (FindIn…) copy the
//     stored records they could answer — a page: the first First+1 of
//     them in its order, after its cursor — beside the "before"
//     documents, and run unchanged on the copy, which the server orders
//     and pages as ever;
//   - a lookup by id (Get) reads the record's history, and the record if
//     nothing changed it since: no copy.
//
// The copies are dropped when the read ends; any left behind (a process
// that died mid-read) are dropped when a store opens and they are more
// than an hour old.
//
// What it costs, per read and per kind touched: a find on the audit trail
// for the changes after the instant (ids and times only, through the
// index on township and time), finds by id of the "before" documents of
// the records changed since, their insert into the copy, and the read's
// own queries twice (on what is stored, and on the copy); for a page,
// inserts of the page's records; then a drop. So time grows with the
// changes made since the instant and with the page, not with the records
// of the townships read beyond what the same read costs now; memory with
// the ids changed since and one batch. A read that would copy more than
// MaxAsOfDocs records (changed since the instant, plus those a page or a
// lookup copies) is refused (EINVALID): ask for fewer townships, or a
// later instant.
//
// Writes never carry an instant: one that does is refused (EINVALID).

// MaxAsOfDocs bounds the records one read as of an instant copies, over
// every kind it touches.
const MaxAsOfDocs = 50_000

// asOfLimit is MaxAsOfDocs; tests lower it.
var asOfLimit = MaxAsOfDocs

const (
	asOfPrefix = "asof_"
	// asOfBatch is how many documents one round trip of a copy reads or
	// inserts.
	asOfBatch = 500
	// asOfLeftover is the age past which a copy is taken for one left
	// behind.
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

// snapshot is what one read as of an instant reads.
type snapshot struct {
	s      *Store
	at     time.Time
	all    bool     // every township (a county caller asking for none)
	towns  []string // else these
	prefix string

	kmu   sync.Mutex // held while a kind is copied
	kinds map[records.Kind]*pastKind

	mu     sync.Mutex
	copied int
}

// pastKind is one kind as of a snapshot's instant.
type pastKind struct {
	// coll holds the "before" documents of the records changed since,
	// and the stored records a page or a lookup copied.
	coll *mongo.Collection
	// changed are the ids of the records changed since (stored, they are
	// not as they stood); befores those of them that stood then, whose
	// "before" coll holds.
	changed, befores []string
}

type snapshotKey struct{}

// asOf prepares a read: when ctx reads as of an instant, it returns a
// context carrying an empty snapshot of the townships towns (all: every
// township) and the function that drops its copies, to defer; otherwise
// ctx and a function that does nothing.
func (s *Store) asOf(ctx context.Context, all bool, towns []string) (context.Context, func()) {
	at, ok := asOfInstant(ctx)
	if !ok {
		return ctx, func() {}
	}
	if _, ok := ctx.Value(snapshotKey{}).(*snapshot); ok {
		return ctx, func() {} // a read within a read: the outer one's
	}
	sn := &snapshot{s: s, at: at, all: all, towns: nonNil(towns),
		prefix: asOfPrefix + bson.NewObjectID().Hex() + "_", kinds: map[records.Kind]*pastKind{}}
	return context.WithValue(ctx, snapshotKey{}, sn), func() { sn.drop(ctx) }
}

// pastOf is the snapshot a read of ctx reads; nil when it reads what is
// stored.
func pastOf(ctx context.Context, s *Store) (*snapshot, error) {
	if _, ok := records.AsOfFrom(ctx); !ok {
		return nil, nil
	}
	sn, ok := ctx.Value(snapshotKey{}).(*snapshot)
	if !ok {
		// A read that did not prepare one (see asOf): never the records
		// as they are now under the name of those of the past.
		return nil, s.internal(ctx, "read as of an instant", errNoSnapshot)
	}
	return sn, nil
}

var errNoSnapshot = errors.New("a read as of an instant without a snapshot")

// and is the conjunction of two filters.
func and(a, b bson.D) bson.D { return bson.D{{Key: "$and", Value: bson.A{a, b}}} }

// stored narrows a filter on kind's stored records to those that stood
// then as they are: created by then, unchanged since.
func (sn *snapshot) stored(k *pastKind, filter bson.D) bson.D {
	return and(filter, bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lte", Value: sn.at}}},
		{Key: "_id", Value: bson.D{{Key: "$nin", Value: k.changed}}}})
}

// before narrows a filter on kind's copy to the "before" documents.
func (k *pastKind) before(filter bson.D) bson.D {
	return and(filter, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: k.befores}}}})
}

// count counts kind's records matching filter, as ctx reads them.
func (s *Store) count(ctx context.Context, kind records.Kind, filter bson.D) (int64, error) {
	sn, err := pastOf(ctx, s)
	if err != nil || sn == nil {
		if err != nil {
			return 0, err
		}
		return s.coll(kind).CountDocuments(ctx, filter)
	}
	k, err := sn.kind(ctx, kind)
	if err != nil {
		return 0, err
	}
	n, err := s.coll(kind).CountDocuments(ctx, sn.stored(k, filter))
	if err != nil {
		return 0, s.internal(ctx, "count "+string(kind), err)
	}
	m, err := k.coll.CountDocuments(ctx, k.before(filter))
	if err != nil {
		return 0, s.internal(ctx, "count "+string(kind), err)
	}
	return n + m, nil
}

// aggregate runs $match: match, then rest, on kind's records as ctx reads
// them, and calls each with every result. As of an instant, it runs on
// what is stored and on the copy, each result of either passed to each:
// rest must compute what adds up (counts by group; a record's own
// values).
func (s *Store) aggregate(ctx context.Context, kind records.Kind, match bson.D, rest mongo.Pipeline, each func(bson.Raw) error) error {
	sn, err := pastOf(ctx, s)
	if err != nil {
		return err
	}
	type source struct {
		coll  *mongo.Collection
		match bson.D
	}
	sources := []source{{s.coll(kind), match}}
	if sn != nil {
		k, err := sn.kind(ctx, kind)
		if err != nil {
			return err
		}
		sources = []source{{s.coll(kind), sn.stored(k, match)}, {k.coll, k.before(match)}}
	}
	for _, src := range sources {
		cur, err := src.coll.Aggregate(ctx, append(mongo.Pipeline{{{Key: "$match", Value: src.match}}}, rest...))
		if err != nil {
			return s.internal(ctx, "aggregate "+string(kind), err)
		}
		for cur.Next(ctx) {
			if err := each(cur.Current); err != nil {
				_ = cur.Close(ctx)
				return err
			}
		}
		err = cur.Err()
		_ = cur.Close(ctx)
		if err != nil {
			return s.internal(ctx, "aggregate "+string(kind), err)
		}
	}
	return nil
}

// findColl is the collection a find of kind with filter, in order sort,
// the first limit (0: all), reads: the stored one; as of an instant, the
// copy, into which the stored records that stood then as they are and
// could answer it are copied first, beside the "before" documents.
func (s *Store) findColl(ctx context.Context, kind records.Kind, filter, sort bson.D, limit int64) (*mongo.Collection, error) {
	sn, err := pastOf(ctx, s)
	if err != nil || sn == nil {
		return s.coll(kind), err
	}
	k, err := sn.kind(ctx, kind)
	if err != nil {
		return nil, err
	}
	opts := options.Find().SetSort(sort).SetBatchSize(asOfBatch)
	if limit > 0 {
		opts.SetLimit(limit)
	}
	cur, err := s.coll(kind).Find(ctx, sn.stored(k, filter), opts)
	if err != nil {
		return nil, s.internal(ctx, "find "+string(kind), err)
	}
	defer cur.Close(ctx)
	in := sn.inserter(ctx, kind, k.coll, true)
	for cur.Next(ctx) {
		if err := in.add(cur.Current); err != nil {
			return nil, err
		}
	}
	if err := cur.Err(); err != nil {
		return nil, s.internal(ctx, "find "+string(kind), err)
	}
	if err := in.flush(); err != nil {
		return nil, err
	}
	return k.coll, nil
}

// tooLarge is the refusal of a read that would copy over the limit.
func tooLarge() error {
	return records.Errorf(records.EINVALID, "reading records as they stood at a past moment copies those changed since, at most %d at once; this read needs more: ask for fewer townships, or a later moment", asOfLimit)
}

// inserter copies documents into a copy in batches, counting them
// against the limit.
type inserter struct {
	sn     *snapshot
	ctx    context.Context
	kind   records.Kind
	coll   *mongo.Collection
	copies bool // some may be there already (an earlier find of the read)
	batch  []any
}

func (sn *snapshot) inserter(ctx context.Context, kind records.Kind, c *mongo.Collection, copies bool) *inserter {
	return &inserter{sn: sn, ctx: ctx, kind: kind, coll: c, copies: copies}
}

func (in *inserter) add(doc bson.Raw) error {
	in.batch = append(in.batch, append(bson.Raw(nil), doc...))
	if len(in.batch) == asOfBatch {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if len(in.batch) == 0 {
		return nil
	}
	in.sn.mu.Lock()
	in.sn.copied += len(in.batch)
	over := in.sn.copied > asOfLimit
	in.sn.mu.Unlock()
	if over {
		return tooLarge()
	}
	var err error
	if in.copies {
		err = insertIgnoringCopies(in.ctx, in.coll, in.batch)
	} else {
		_, err = in.coll.InsertMany(in.ctx, in.batch)
	}
	in.batch = in.batch[:0]
	if err != nil {
		return in.sn.s.internal(in.ctx, "copy "+string(in.kind)+" as of an instant", err)
	}
	return nil
}

// kind is kind as of the snapshot's instant, its "before" documents
// copied on first use.
func (sn *snapshot) kind(ctx context.Context, kind records.Kind) (*pastKind, error) {
	sn.kmu.Lock()
	defer sn.kmu.Unlock()
	k, ok := sn.kinds[kind]
	if !ok {
		k = &pastKind{coll: sn.s.db.Collection(sn.prefix + string(kind))}
		sn.kinds[kind] = k // dropped at the end even if the copy fails midway
	}
	if ok {
		if k.changed == nil {
			return nil, sn.s.internal(ctx, "copy "+string(kind)+" as of an instant", errors.New("copy failed earlier"))
		}
		return k, nil
	}
	changed, befores, err := sn.copyBefores(ctx, kind, k.coll)
	if err != nil {
		return nil, err
	}
	k.changed, k.befores = changed, befores
	return k, nil
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

// copyBefores copies into c the "before" documents of kind's records of
// the snapshot's townships changed since its instant, and returns the ids
// changed and those copied.
func (sn *snapshot) copyBefores(ctx context.Context, kind records.Kind, c *mongo.Collection) (changed, befores []string, err error) {
	s := sn.s
	fail := func(err error) error { return s.internal(ctx, "copy "+string(kind)+" as of an instant", err) }
	// The first change of each record after the instant: ids and times
	// only, in no order (the first is kept here, so nothing is sorted).
	filter := bson.D{{Key: "kind", Value: string(kind)}, {Key: "at", Value: bson.D{{Key: "$gt", Value: sn.at}}},
		{Key: "action", Value: bson.D{{Key: "$in", Value: records.ChangingActions}}}}
	if !sn.all {
		field := "township"
		if kind == records.KindTownship {
			field = "recordId"
		}
		filter = append(filter, bson.E{Key: field, Value: bson.D{{Key: "$in", Value: sn.towns}}})
	}
	cur, err := s.audit().Find(ctx, filter, options.Find().
		SetProjection(bson.D{{Key: "recordId", Value: 1}, {Key: "at", Value: 1}, {Key: "seq", Value: 1}}).SetBatchSize(5000))
	if err != nil {
		return nil, nil, fail(err)
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
			return nil, nil, fail(err)
		}
		fc := firstChange{e.At, e.Seq, e.ID}
		if prev, ok := first[e.RecordID]; !ok || fc.before(prev) {
			first[e.RecordID] = fc
			if len(first) > asOfLimit {
				_ = cur.Close(ctx)
				return nil, nil, tooLarge()
			}
		}
	}
	err = cur.Err()
	_ = cur.Close(ctx)
	if err != nil {
		return nil, nil, fail(err)
	}

	changed = make([]string, 0, len(first))
	entries := make([]string, 0, len(first))
	for id, fc := range first {
		changed = append(changed, id)
		entries = append(entries, fc.id)
	}
	befores = []string{}
	in := sn.inserter(ctx, kind, c, false)
	for i := 0; i < len(entries); i += asOfBatch {
		j := min(i+asOfBatch, len(entries))
		cur, err := s.audit().Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: entries[i:j]}}}},
			options.Find().SetProjection(bson.D{{Key: "before", Value: 1}}))
		if err != nil {
			return nil, nil, fail(err)
		}
		for cur.Next(ctx) {
			doc, ok := cur.Current.Lookup("before").DocumentOK()
			if !ok { // none: created or restored since
				continue
			}
			id, _ := doc.Lookup("_id").StringValueOK()
			if id == "" {
				continue
			}
			befores = append(befores, id)
			if err := in.add(doc); err != nil {
				_ = cur.Close(ctx)
				return nil, nil, err
			}
		}
		err = cur.Err()
		_ = cur.Close(ctx)
		if err != nil {
			return nil, nil, fail(err)
		}
	}
	if err := in.flush(); err != nil {
		return nil, nil, err
	}
	return changed, befores, nil
}

// drop removes the snapshot's copies, even when the read's context has
// ended; a failure is logged (the copies are dropped at a later start).
func (sn *snapshot) drop(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	sn.kmu.Lock()
	defer sn.kmu.Unlock()
	for kind, k := range sn.kinds {
		if err := k.coll.Drop(ctx); err != nil {
			sn.s.log.WarnContext(ctx, "copy of a read as of an instant not dropped", "kind", kind, "collection", k.coll.Name(), "err", dbError(err))
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
