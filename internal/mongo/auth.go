package mongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Credentials keeps accounts, sessions and API keys in the county's
// database. It checks nothing about who may manage them: internal/auth does.
type Credentials struct{ s *Store }

func (c Credentials) accounts() *mongo.Collection { return c.s.db.Collection("accounts") }
func (c Credentials) sessions() *mongo.Collection { return c.s.db.Collection("sessions") }
func (c Credentials) keys() *mongo.Collection     { return c.s.db.Collection("apiKeys") }

// Count returns how many accounts and API keys that can sign in exist.
func (c Credentials) Count(ctx context.Context) (int, error) {
	a, err := c.accounts().CountDocuments(ctx, bson.D{{Key: "disabled", Value: bson.D{{Key: "$ne", Value: true}}}})
	if err != nil {
		return 0, c.s.internal(ctx, "count accounts", err)
	}
	k, err := c.keys().CountDocuments(ctx, bson.D{{Key: "revokedAt", Value: bson.D{{Key: "$eq", Value: nil}}}})
	if err != nil {
		return 0, c.s.internal(ctx, "count keys", err)
	}
	return int(a + k), nil
}

// CreateAccount stores a new account; its id taken is a conflict.
func (c Credentials) CreateAccount(ctx context.Context, a *records.Account) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	_, err := c.accounts().InsertOne(ctx, a)
	if mongo.IsDuplicateKeyError(err) {
		return records.Errorf(records.ECONFLICT, "user name %q is taken", a.ID)
	} else if err != nil {
		return c.s.internal(ctx, "insert account", err)
	}
	return nil
}

// Account returns the account with id.
func (c Credentials) Account(ctx context.Context, id string) (*records.Account, error) {
	var a records.Account
	err := c.accounts().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a)
	if err == mongo.ErrNoDocuments {
		return nil, records.Errorf(records.ENOTFOUND, "no account %q", id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get account", err)
	}
	a.Townships = county(a.Townships)
	return &a, nil
}

// Accounts lists every account by id.
func (c Credentials) Accounts(ctx context.Context) ([]*records.Account, error) {
	cur, err := c.accounts().Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(10000))
	if err != nil {
		return nil, c.s.internal(ctx, "list accounts", err)
	}
	var out []*records.Account
	if err := cur.All(ctx, &out); err != nil {
		return nil, c.s.internal(ctx, "list accounts", err)
	}
	for _, a := range out {
		a.Townships = county(a.Townships)
	}
	return out, nil
}

// UpdateAccount applies change to the account with id under the write lock,
// guarded by its version, and returns it as stored.
func (c Credentials) UpdateAccount(ctx context.Context, id string, change func(*records.Account) error) (*records.Account, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		a, err := c.updateAccountOnce(ctx, id, change)
		if err != errLostRace {
			return a, err
		}
		if err := ctx.Err(); err != nil {
			return nil, c.s.internal(ctx, "update account", err)
		}
		time.Sleep(time.Duration(try%10) * time.Millisecond)
	}
}

func (c Credentials) updateAccountOnce(ctx context.Context, id string, change func(*records.Account) error) (*records.Account, error) {
	unlock := c.s.lockWrite()
	defer unlock()
	a, err := c.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	read := a.Version
	if err := change(a); err != nil {
		return nil, err
	}
	a.ID, a.Version, a.UpdatedAt = id, read+1, now()
	res, err := c.accounts().ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: read}}, a)
	if err != nil {
		return nil, c.s.internal(ctx, "update account", err)
	}
	if res.MatchedCount == 0 {
		return nil, errLostRace
	}
	return a, nil
}

// CreateSession stores a session.
func (c Credentials) CreateSession(ctx context.Context, x *records.Session) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	if _, err := c.sessions().InsertOne(ctx, x); err != nil {
		return c.s.internal(ctx, "insert session", err)
	}
	return nil
}

// Session returns the session with id, or NOT_FOUND.
func (c Credentials) Session(ctx context.Context, id string) (*records.Session, error) {
	var x records.Session
	err := c.sessions().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&x)
	if err == mongo.ErrNoDocuments {
		return nil, records.Errorf(records.ENOTFOUND, "no such session")
	} else if err != nil {
		return nil, c.s.internal(ctx, "get session", err)
	}
	return &x, nil
}

// TouchSession records that the session with id was used at.
func (c Credentials) TouchSession(ctx context.Context, id string, at time.Time) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	if _, err := c.sessions().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "lastUsed", Value: at}}}}); err != nil {
		return c.s.internal(ctx, "touch session", err)
	}
	return nil
}

// DeleteSession ends the session with id.
func (c Credentials) DeleteSession(ctx context.Context, id string) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	if _, err := c.sessions().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return c.s.internal(ctx, "delete session", err)
	}
	return nil
}

// DeleteSessions ends every session of an account, and every session
// expired by now.
func (c Credentials) DeleteSessions(ctx context.Context, accountID string) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	_, err := c.sessions().DeleteMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "accountId", Value: accountID}},
		bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now()}}}},
	}}})
	if err != nil {
		return c.s.internal(ctx, "delete sessions", err)
	}
	return nil
}

// CreateKey stores an API key.
func (c Credentials) CreateKey(ctx context.Context, k *records.APIKey) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	_, err := c.keys().InsertOne(ctx, k)
	if mongo.IsDuplicateKeyError(err) {
		return records.Errorf(records.ECONFLICT, "key %q exists already", k.ID)
	} else if err != nil {
		return c.s.internal(ctx, "insert key", err)
	}
	return nil
}

// Key returns the API key with id.
func (c Credentials) Key(ctx context.Context, id string) (*records.APIKey, error) {
	var k records.APIKey
	err := c.keys().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&k)
	if err == mongo.ErrNoDocuments {
		return nil, records.Errorf(records.ENOTFOUND, "no API key %q", id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get key", err)
	}
	k.Townships = county(k.Townships)
	return &k, nil
}

// Keys lists every API key, revoked ones too, newest first.
func (c Credentials) Keys(ctx context.Context) ([]*records.APIKey, error) {
	cur, err := c.keys().Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(10000))
	if err != nil {
		return nil, c.s.internal(ctx, "list keys", err)
	}
	var out []*records.APIKey
	if err := cur.All(ctx, &out); err != nil {
		return nil, c.s.internal(ctx, "list keys", err)
	}
	for _, k := range out {
		k.Townships = county(k.Townships)
	}
	return out, nil
}

// RevokeKey marks the key revoked; it is refused from its next use on.
func (c Credentials) RevokeKey(ctx context.Context, id string) (*records.APIKey, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	at := now()
	res, err := c.keys().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revokedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: at}}}})
	if err != nil {
		return nil, c.s.internal(ctx, "revoke key", err)
	}
	k, err := c.Key(ctx, id)
	if err == nil && res.MatchedCount == 0 && k.RevokedAt == nil {
		return nil, records.Errorf(records.ECONFLICT, "key %q changed meanwhile; try again", id)
	}
	return k, err
}

// TouchKey records that the key was used at.
func (c Credentials) TouchKey(ctx context.Context, id string, at time.Time) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := c.s.lockWrite()
	defer unlock()
	if _, err := c.keys().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "lastUsed", Value: at}}}}); err != nil {
		return c.s.internal(ctx, "touch key", err)
	}
	return nil
}

// county turns the empty list a credential of the whole county is stored
// with (the store keeps no nil lists) back into nil.
func county(ts []string) []string {
	if len(ts) == 0 {
		return nil
	}
	return ts
}
