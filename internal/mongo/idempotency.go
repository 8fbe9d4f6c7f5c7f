package mongo

import (
	"context"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// Idempotency keys: a create sent again with the key of an earlier one
// (a client retrying after a lost answer) answers the record the first
// created, instead of creating a second.
const (
	idempotencyColl   = "idempotency"
	idempotencyTTL    = 24 * time.Hour
	maxIdempotencyKey = 100
)

type idempotencyClaim struct {
	ID       string    `bson:"_id"` // kind|actor|key
	RecordID string    `bson:"recordId"`
	At       time.Time `bson:"at"`
}

// CreateOnce is Create, once per key for the caller: with a key used in the
// last day for this kind, it returns the record that create made. An empty
// key is a plain Create.
func (c *Collection[T, PT]) CreateOnce(ctx context.Context, key string, x PT) (PT, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	if key == "" {
		return c.Create(ctx, x)
	}
	if utf8.RuneCountInString(key) > maxIdempotencyKey {
		return nil, records.Invalidf("idempotencyKey", "an idempotency key is at most %d characters", maxIdempotencyKey)
	}
	m := x.GetMeta()
	if m.ID == "" {
		m.ID = bson.NewObjectID().Hex()
	}
	claims := c.s.db.Collection(idempotencyColl)
	claim := idempotencyClaim{ID: string(c.kind) + "|" + records.ActorFrom(ctx).ID + "|" + key, RecordID: m.ID, At: now()}
	_, err := claims.InsertOne(ctx, claim)
	if mongo.IsDuplicateKeyError(err) {
		var prev idempotencyClaim
		if err := claims.FindOne(ctx, bson.D{{Key: "_id", Value: claim.ID}}).Decode(&prev); err != nil {
			return nil, c.s.internal(ctx, "read idempotency key", err)
		}
		if now().Sub(prev.At) < idempotencyTTL {
			return c.earlier(ctx, prev.RecordID)
		}
		// An old key: used again for a new record.
		unlock := c.s.lockWrite()
		_, err = claims.ReplaceOne(ctx, bson.D{{Key: "_id", Value: claim.ID}, {Key: "at", Value: prev.At}}, claim)
		unlock()
	}
	if err != nil {
		return nil, c.s.internal(ctx, "claim idempotency key", err)
	}
	out, err := c.Create(ctx, x)
	if err != nil {
		_, _ = claims.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: claim.ID}, {Key: "recordId", Value: m.ID}})
	}
	return out, err
}

// earlier returns the record a create with the same key made, waiting a
// little for one still being made.
func (c *Collection[T, PT]) earlier(ctx context.Context, id string) (PT, error) {
	for try := 0; try < 20; try++ {
		x, err := c.Get(ctx, id)
		if err == nil || records.ErrorCode(err) != records.ENOTFOUND {
			return x, err
		}
		select {
		case <-ctx.Done():
			return nil, c.s.internal(ctx, "wait for an earlier create", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil, records.Errorf(records.ECONFLICT, "a request with this idempotency key is still being handled; try again shortly")
}
