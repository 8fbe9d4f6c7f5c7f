package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// The audit log: every change to a record, an account, a key or a report
// plugin is an entry with who made it, when, and the thing before and
// after. A record's entries are its history: every version it had, so any
// can be restored, and a deleted record can be brought back.

const auditColl = "audit"

// auditDoc is an entry as written: Before and After are the documents as
// stored.
type auditDoc struct {
	ID       string    `bson:"_id"`
	At       time.Time `bson:"at"`
	Actor    string    `bson:"actor"`
	Action   string    `bson:"action"`
	Kind     string    `bson:"kind"`
	RecordID string    `bson:"recordId"`
	Township string    `bson:"township,omitempty"`
	Version  int       `bson:"version"`
	Before   any       `bson:"before,omitempty"`
	After    any       `bson:"after,omitempty"`
	Note     string    `bson:"note,omitempty"`
	// The chain (chain.go); none on entries of earlier releases.
	Seq  int64  `bson:"seq,omitempty"`
	Prev string `bson:"prev,omitempty"`
	Hash string `bson:"hash,omitempty"`
}

// audit is the collection of the audit log.
func (s *Store) audit() *mongo.Collection { return s.db.Collection(auditColl) }

// writeAudit appends an entry, linked to the chain. It never fails the
// change it records (that is stored already); a failure is logged.
func (s *Store) writeAudit(ctx context.Context, d auditDoc) {
	d.ID = bson.NewObjectID().Hex()
	if d.At.IsZero() {
		d.At = records.NowFor(ctx)
	}
	if d.Actor == "" {
		d.Actor = records.ActorFrom(ctx).ID
	}
	// An insert needs no write lock (the lock guards read-modify-writes),
	// and the change it records may hold one.
	// The change is stored: record it even if the request ends meanwhile.
	ctx = context.WithoutCancel(ctx)
	ds := []auditDoc{d}
	err := s.chain(ctx, ds)
	if err == nil {
		_, err = s.audit().InsertOne(ctx, ds[0])
	}
	if err != nil {
		s.log.ErrorContext(ctx, "audit entry not written", "kind", d.Kind, "id", d.RecordID, "action", d.Action, "err", dbError(err))
	}
}

// Audit records a change to something kept outside the record kinds: an
// account, an API key, a report plugin. Before and after are written as
// given (leave secrets out).
func (s *Store) Audit(ctx context.Context, e records.AuditEntry) {
	s.writeAudit(ctx, auditDoc{At: e.At, Actor: e.Actor, Action: e.Action, Kind: e.Kind, RecordID: e.RecordID,
		Township: e.Township, Version: e.Version, Before: nilIfEmpty(e.Before), After: nilIfEmpty(e.After), Note: e.Note})
}

func nilIfEmpty(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// maxAuditPage bounds one page of the audit log or of a history.
const maxAuditPage = 500

// History returns the entries of the record with id, newest first: its
// versions, and its deletion and restoration if any. A record of a township
// the caller may not see is NOT_FOUND.
func (c *Collection[T, PT]) History(ctx context.Context, id string) ([]*records.AuditEntry, error) {
	if _, err := c.historyTownship(ctx, id); err != nil {
		return nil, err
	}
	cur, err := c.s.audit().Find(ctx, bson.D{{Key: "recordId", Value: id}, {Key: "kind", Value: string(c.kind)}},
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(maxAuditPage))
	if err != nil {
		return nil, c.s.internal(ctx, "history", err)
	}
	out, err := decodeAudit(ctx, cur)
	if err != nil {
		return nil, c.s.internal(ctx, "history", err)
	}
	if len(out) == 0 {
		return nil, c.notFound(id)
	}
	return out, nil
}

// historyTownship finds the township of a record, deleted or not.
func (c *Collection[T, PT]) historyTownship(ctx context.Context, id string) (string, error) {
	a := records.ActorFrom(ctx)
	if c.kind == records.KindTownship {
		if !a.Sees(id) {
			return "", c.notFound(id)
		}
		return id, nil
	}
	var e auditDoc
	err := c.s.db.Collection(auditColl).FindOne(ctx, bson.D{{Key: "recordId", Value: id}, {Key: "kind", Value: string(c.kind)}}).Decode(&e)
	if err == mongo.ErrNoDocuments || err == nil && !a.Sees(e.Township) {
		return "", c.notFound(id)
	} else if err != nil {
		return "", c.s.internal(ctx, "history", err)
	}
	return e.Township, nil
}

// version finds the record as it was at version v in its history.
func (c *Collection[T, PT]) version(ctx context.Context, id string, v int) (PT, error) {
	entries, err := c.History(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.After != nil && e.Version == v {
			var x T
			if err := fromMap(e.After, &x); err != nil {
				return nil, c.s.internal(ctx, "decode version", err)
			}
			return &x, nil
		}
	}
	return nil, records.Invalidf("version", "%s %q has no version %d in its history", c.kind.Noun(), id, v)
}

// Revert makes version v of the record its current content again, as a new
// version (nothing of its history is lost). With expectedVersion, a record
// changed since is a conflict.
func (c *Collection[T, PT]) Revert(ctx context.Context, id string, v int, expectedVersion *int) (PT, error) {
	old, err := c.version(ctx, id, v)
	if err != nil {
		return nil, err
	}
	return c.modify(ctx, id, expectedVersion, records.ActionRevert, fmt.Sprintf("reverted to version %d", v), func(x PT) error {
		*x = *old
		return nil
	})
}

// Deleted lists the records of township t that were deleted and not
// restored, the latest deletion first, at most first of them.
func (c *Collection[T, PT]) Deleted(ctx context.Context, t string, first int) ([]*records.AuditEntry, error) {
	var asked []string
	if t != "" {
		asked = []string{t}
	}
	towns, err := c.s.townshipsFor(ctx, asked, "township")
	if err != nil {
		return nil, err
	}
	first = max(1, min(first, maxAuditPage))
	filter := bson.D{{Key: "kind", Value: string(c.kind)}, {Key: "action", Value: records.ActionDelete},
		{Key: "township", Value: bson.D{{Key: "$in", Value: nonNil(towns)}}}}
	cur, err := c.s.audit().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(maxAuditPage)))
	if err != nil {
		return nil, c.s.internal(ctx, "deleted records", err)
	}
	entries, err := decodeAudit(ctx, cur)
	if err != nil {
		return nil, c.s.internal(ctx, "deleted records", err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.RecordID)
	}
	back, err := c.storedIDs(ctx, ids)
	if err != nil {
		return nil, err
	}

	var out []*records.AuditEntry
	for _, e := range entries {
		if !back[e.RecordID] && !seen(out, e.RecordID) {
			out = append(out, e)
			if len(out) == first {
				break
			}
		}
	}
	return out, nil
}

func seen(es []*records.AuditEntry, id string) bool {
	for _, e := range es {
		if e.RecordID == id {
			return true
		}
	}
	return false
}

// Restore brings back a deleted record as it was when it was deleted, as a
// new version. The records it pointed at must still exist.
func (c *Collection[T, PT]) Restore(ctx context.Context, id string) (PT, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	if _, err := c.Get(ctx, id); err == nil {
		return nil, records.Errorf(records.ECONFLICT, "%s %q is not deleted", c.kind.Noun(), id)
	}
	entries, err := c.History(ctx, id)
	if err != nil {
		return nil, err
	}
	var last *records.AuditEntry
	for _, e := range entries {
		if e.Action == records.ActionDelete && e.Before != nil {
			last = e
			break
		}
	}
	if last == nil {
		return nil, c.notFound(id)
	}
	var x T
	if err := fromMap(last.Before, &x); err != nil {
		return nil, c.s.internal(ctx, "decode deleted record", err)
	}
	p := PT(&x)
	m := p.GetMeta()
	if err := records.MayWrite(ctx, c.kind, m.Township, c.kind == records.KindTownship); err != nil {
		return nil, err
	}
	m.Version++
	m.UpdatedAt, m.UpdatedBy = records.NowFor(ctx), records.ActorFrom(ctx).ID
	doc, err := c.checkWrite(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	if _, err := c.coll().InsertOne(ctx, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return nil, records.Errorf(records.ECONFLICT, "%s %q exists already", c.kind.Noun(), id)
		}
		return nil, c.s.internal(ctx, "restore "+string(c.kind), err)
	}
	c.s.writeAudit(ctx, auditDoc{Action: records.ActionRestore, Kind: string(c.kind), RecordID: id, Township: m.Township, Version: m.Version, After: doc})
	return p, nil
}

// AuditLog lists entries matching f, newest first, first at most, after
// the cursor of a previous page; it returns the next page's cursor ("" at
// the end). County-level entries (townships, accounts, keys, plugins) are
// listed for county-level callers only.
func (s *Store) AuditLog(ctx context.Context, f records.AuditFilter, first int, after string) ([]*records.AuditEntry, string, error) {
	if err := records.MayReadAudit(ctx); err != nil {
		return nil, "", err
	}
	first = max(1, min(first, maxAuditPage))
	towns, err := s.townshipsFor(ctx, f.Townships, "filter.townships")
	if err != nil {
		return nil, "", err
	}
	filter := bson.D{}
	for _, c := range []struct{ k, v string }{{"kind", f.Kind}, {"recordId", f.RecordID}, {"actor", f.Actor}, {"action", f.Action}} {
		if c.v != "" {
			filter = append(filter, bson.E{Key: c.k, Value: c.v})
		}
	}
	if f.From != nil {
		filter = append(filter, bson.E{Key: "at", Value: bson.D{{Key: "$gte", Value: f.From.UTC()}}})
	}
	if f.To != nil {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: f.To.UTC()}}}}}})
	}
	if after != "" {
		at, id, err := records.DecodeAuditCursor(after)
		if err != nil {
			return nil, "", err
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: at}}}},
			bson.D{{Key: "at", Value: at}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}}},
		}})
	}
	if !records.ActorFrom(ctx).County() || f.Townships != nil {
		filter = append(filter, bson.E{Key: "township", Value: bson.D{{Key: "$in", Value: nonNil(towns)}}})
	}
	cur, err := s.audit().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(first+1)))
	if err != nil {
		return nil, "", s.internal(ctx, "audit log", err)
	}
	out, err := decodeAudit(ctx, cur)
	if err != nil {
		return nil, "", s.internal(ctx, "audit log", err)
	}
	next := ""
	if len(out) > first {
		out = out[:first]
		last := out[len(out)-1]
		next = records.EncodeAuditCursor(last.At, last.ID)
	}
	return out, next, nil
}

func decodeAudit(ctx context.Context, cur *mongo.Cursor) ([]*records.AuditEntry, error) {
	var out []*records.AuditEntry
	for cur.Next(ctx) {
		var d struct {
			ID       string    `bson:"_id"`
			At       time.Time `bson:"at"`
			Actor    string    `bson:"actor"`
			Action   string    `bson:"action"`
			Kind     string    `bson:"kind"`
			RecordID string    `bson:"recordId"`
			Township string    `bson:"township"`
			Version  int       `bson:"version"`
			Before   bson.Raw  `bson:"before"`
			After    bson.Raw  `bson:"after"`
			Note     string    `bson:"note"`
		}
		if err := cur.Decode(&d); err != nil {
			return nil, err
		}
		e := &records.AuditEntry{ID: d.ID, At: d.At, Actor: d.Actor, Action: d.Action, Kind: d.Kind, RecordID: d.RecordID,
			Township: d.Township, Version: d.Version, Note: d.Note}
		var err error
		if e.Before, err = plainMap(d.Before); err != nil {
			return nil, err
		}
		if e.After, err = plainMap(d.After); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, cur.Err()
}

// plainMap decodes a document into plain Go values: maps, slices,
// strings, numbers, booleans, times.
func plainMap(raw bson.Raw) (map[string]any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var d bson.D
	if err := bson.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	return plain(d).(map[string]any), nil
}

func plain(v any) any {
	switch x := v.(type) {
	case bson.D:
		m := make(map[string]any, len(x))
		for _, e := range x {
			m[e.Key] = plain(e.Value)
		}
		return m
	case bson.A:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case bson.DateTime:
		return x.Time().UTC()
	case bson.ObjectID:
		return x.Hex()
	}
	return v
}

// fromMap decodes a document kept in an entry into a record.
func fromMap(m map[string]any, out any) error {
	b, err := bson.Marshal(m)
	if err != nil {
		return err
	}
	return bson.Unmarshal(b, out)
}

// KindOf finds the kind of the record with id, deleted or not, among the
// townships the caller may see.
func (s *Store) KindOf(ctx context.Context, id string) (records.Kind, error) {
	notFound := records.Errorf(records.ENOTFOUND, "no record %q", id)
	a := records.ActorFrom(ctx)
	var d auditDoc
	err := s.db.Collection(auditColl).FindOne(ctx, bson.D{{Key: "recordId", Value: id}}).Decode(&d)
	if err == nil && (d.Kind == string(records.KindTownship) && a.Sees(id) || a.Sees(d.Township)) {
		return records.Kind(d.Kind), nil
	} else if err != nil && err != mongo.ErrNoDocuments {
		return "", s.internal(ctx, "find a record's kind", err)
	}
	return "", notFound
}
