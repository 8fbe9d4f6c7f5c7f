package mongo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// The audit trail's chain (see records.ChainDigest) on MongoDB. Entries
// carry seq, prev and hash. Sequence numbers are claimed before the
// entries are written, in the collection auditChain: a claim is a
// document whose _id is the first number of a block of entries (one, or
// a bulk load's batch), with the block's last number and last hash. A
// writer reads the newest claim (the head), links its entries after it,
// and inserts the claim with _id head.last+1: two writers (of this
// instance or of another) that read the same head race for the same _id,
// the database's unique _id lets one win, and the other reads the new
// head and links again. This holds on any MongoDB deployment and on
// FerretDB, whose _id is unique although its version-guarded updates are
// not atomic. A claim is never changed or removed.
//
// An instance that stops between its claim and its entries' insert
// leaves a gap that verification reports as removed entries: the
// entries were lost, and the trail says so.

const chainColl = "auditChain"

type claimDoc struct {
	ID   int64  `bson:"_id"` // the block's first sequence number
	Last int64  `bson:"last"`
	Hash string `bson:"hash"` // the hash of the block's last entry
}

// maxClaimTries bounds the races a writer may lose in a row.
const maxClaimTries = 100

// rawDoc encodes an entry's document as the driver would store it (nil
// slices as empty lists), so its hash is computed over what is stored.
func rawDoc(v any) (bson.Raw, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bson.Raw:
		return x, nil
	}
	var buf bytes.Buffer
	enc := bson.NewEncoder(bson.NewDocumentWriter(&buf))
	enc.NilSliceAsEmpty()
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bson.Raw(buf.Bytes()), nil
}

// canonical is an entry's document in the chain's canonical form.
func canonical(raw bson.Raw) ([]byte, error) {
	m, err := plainMap(raw)
	if err != nil || m == nil {
		return nil, err
	}
	return records.CanonicalJSON(m), nil
}

func (d *auditDoc) content(before, after []byte) records.AuditContent {
	return records.AuditContent{ID: d.ID, At: d.At, Actor: d.Actor, Action: d.Action, Kind: d.Kind, RecordID: d.RecordID,
		Township: d.Township, Version: d.Version, Before: before, After: after, Note: d.Note}
}

// chain links ds after the head, claims their numbers and returns them
// ready to insert.
func (s *Store) chain(ctx context.Context, ds []auditDoc) error {
	type prepared struct{ before, after []byte }
	pre := make([]prepared, len(ds))
	for i := range ds {
		d := &ds[i]
		d.At = d.At.UTC().Truncate(time.Millisecond)
		for _, x := range []struct {
			v   *any
			out *[]byte
		}{{&d.Before, &pre[i].before}, {&d.After, &pre[i].after}} {
			raw, err := rawDoc(*x.v)
			if err != nil {
				return err
			}
			if raw != nil {
				*x.v = raw
			}
			if *x.out, err = canonical(raw); err != nil {
				return err
			}
		}
	}
	for range maxClaimTries {
		var head claimDoc
		err := s.db.Collection(chainColl).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&head)
		if err != nil && err != mongo.ErrNoDocuments {
			return err
		}
		seq, hash := head.Last, head.Hash
		for i := range ds {
			d := &ds[i]
			seq++
			d.Seq, d.Prev = seq, hash
			hash = records.ChainDigest(hash, d.content(pre[i].before, pre[i].after))
			d.Hash = hash
		}
		_, err = s.db.Collection(chainColl).InsertOne(ctx, claimDoc{ID: head.Last + 1, Last: seq, Hash: hash})
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		return err
	}
	return fmt.Errorf("audit chain: lost %d races for the next number", maxClaimTries)
}

// VerifyAudit walks the audit trail's chain and reports the first broken
// link (see records.VerifyChain). For a county-level auditor or admin.
func (s *Store) VerifyAudit(ctx context.Context, noted *records.ChainHead) (*records.AuditCheck, error) {
	if err := records.MayVerifyAudit(ctx); err != nil {
		return nil, err
	}
	var head *records.ChainHead
	var c claimDoc
	err := s.db.Collection(chainColl).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&c)
	if err == nil {
		head = &records.ChainHead{Seq: c.Last, Hash: c.Hash}
	} else if err != mongo.ErrNoDocuments {
		return nil, s.internal(ctx, "verify the audit trail", err)
	}
	link := func(raw bson.Raw) (records.ChainLink, error) {
		var d storedAudit
		if err := bson.Unmarshal(raw, &d); err != nil {
			return records.ChainLink{}, err
		}
		l := records.ChainLink{Seq: d.Seq, ID: d.ID, At: d.At, Prev: d.Prev, Hash: d.Hash}
		if d.Hash != "" {
			before, err := canonical(d.Before)
			if err != nil {
				return l, err
			}
			after, err := canonical(d.After)
			if err != nil {
				return l, err
			}
			l.Digest = records.ChainDigest(d.Prev, records.AuditContent{ID: d.ID, At: d.At, Actor: d.Actor, Action: d.Action, Kind: d.Kind,
				RecordID: d.RecordID, Township: d.Township, Version: d.Version, Before: before, After: after, Note: d.Note})
		}
		return l, nil
	}
	links := func(yield func(records.ChainLink, error) bool) {
		for _, q := range []struct {
			filter, sort bson.D
		}{
			{bson.D{{Key: "hash", Value: bson.D{{Key: "$exists", Value: false}}}}, bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}},
			{bson.D{{Key: "hash", Value: bson.D{{Key: "$exists", Value: true}}}}, bson.D{{Key: "seq", Value: 1}}},
		} {
			cur, err := s.audit().Find(ctx, q.filter, options.Find().SetSort(q.sort))
			if err != nil {
				yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
				return
			}
			for cur.Next(ctx) {
				l, err := link(cur.Current)
				if err != nil {
					_ = cur.Close(ctx)
					yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
					return
				}
				if !yield(l, nil) {
					_ = cur.Close(ctx)
					return
				}
			}
			err = cur.Err()
			_ = cur.Close(ctx)
			if err != nil {
				yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
				return
			}
		}
	}
	byHash := func(h string) (records.ChainLink, bool, error) {
		var d auditDoc
		err := s.audit().FindOne(ctx, bson.D{{Key: "hash", Value: h}}).Decode(&d)
		if err == mongo.ErrNoDocuments {
			return records.ChainLink{}, false, nil
		} else if err != nil {
			return records.ChainLink{}, false, s.internal(ctx, "verify the audit trail", err)
		}
		return records.ChainLink{Seq: d.Seq, ID: d.ID}, true, nil
	}
	return records.VerifyChain(links, head, noted, byHash)
}

// storedAudit is an entry as read, its documents undecoded.
type storedAudit struct {
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
	Seq      int64     `bson:"seq"`
	Prev     string    `bson:"prev"`
	Hash     string    `bson:"hash"`
}

// insertAudits links and inserts a batch of entries.
func (s *Store) insertAudits(ctx context.Context, ds []auditDoc) error {
	ctx = context.WithoutCancel(ctx)
	if err := s.chain(ctx, ds); err != nil {
		return err
	}
	docs := make([]any, len(ds))
	for i := range ds {
		docs[i] = ds[i]
	}
	_, err := s.audit().InsertMany(ctx, docs)
	return err
}
