package mongo

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// Dump sends everything the store holds to sink, as stored: records of
// every township (ids, versions, stamps), the audit trail, accounts,
// sessions and keys with their hashes, uploaded plugins, attribute
// definitions, markers and idempotency claims. It reads as the database,
// not as a caller: give it only to a move between stores.
//
// It also reads the databases of the layout earlier releases gave the
// embedded FerretDB, a database per township (renda_t_qps) beside the
// county's, so a data folder they wrote moves whole.
func (s *Store) Dump(ctx context.Context, sink records.Sink) error {
	names, err := s.client.ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	dbs := []*mongo.Database{s.db}
	for _, n := range names {
		if strings.HasPrefix(n, s.name+"_t_") {
			dbs = append(dbs, s.client.Database(n))
		}
	}
	colls := func(kind records.Kind) []*mongo.Collection {
		var out []*mongo.Collection
		for _, db := range dbs {
			out = append(out, db.Collection(string(kind)))
		}
		return out
	}
	for _, kind := range records.RecordKinds {
		for _, c := range colls(kind) {
			err := each(ctx, c, func(raw bson.Raw) error {
				x := records.NewRecord(kind)
				if err := bson.Unmarshal(raw, x); err != nil {
					return err
				}
				return sink.Record(kind, x)
			})
			if err != nil {
				return err
			}
		}
	}
	for _, c := range colls(auditColl) {
		err := each(ctx, c, func(raw bson.Raw) error {
			var d struct {
				ID       string    `bson:"_id"`
				At       time.Time `bson:"at"`
				Actor    string    `bson:"actor"`
				Action   string    `bson:"action"`
				Kind     string    `bson:"kind"`
				RecordID string    `bson:"recordId"`
				Township string    `bson:"township,omitempty"`
				Version  int       `bson:"version"`
				Before   bson.Raw  `bson:"before,omitempty"`
				After    bson.Raw  `bson:"after,omitempty"`
				Note     string    `bson:"note,omitempty"`
			}
			if err := bson.Unmarshal(raw, &d); err != nil {
				return err
			}
			e := &records.AuditEntry{ID: d.ID, At: d.At, Actor: d.Actor, Action: d.Action, Kind: d.Kind, RecordID: d.RecordID,
				Township: d.Township, Version: d.Version, Note: d.Note}
			var err error
			if e.Before, err = plainMap(d.Before); err != nil {
				return err
			}
			if e.After, err = plainMap(d.After); err != nil {
				return err
			}
			return sink.Audit(e)
		})
		if err != nil {
			return err
		}
	}
	steps := []struct {
		coll string
		put  func(bson.Raw) error
	}{
		{"accounts", func(raw bson.Raw) error {
			var a records.Account
			if err := bson.Unmarshal(raw, &a); err != nil {
				return err
			}
			return sink.Account(&a)
		}},
		{"sessions", func(raw bson.Raw) error {
			var x records.Session
			if err := bson.Unmarshal(raw, &x); err != nil {
				return err
			}
			return sink.Session(&x)
		}},
		{"apiKeys", func(raw bson.Raw) error {
			var k records.APIKey
			if err := bson.Unmarshal(raw, &k); err != nil {
				return err
			}
			return sink.Key(&k)
		}},
		{"reportVersions", func(raw bson.Raw) error {
			var v records.ReportVersion
			if err := bson.Unmarshal(raw, &v); err != nil {
				return err
			}
			return sink.ReportVersion(&v)
		}},
		{attributeColl, func(raw bson.Raw) error {
			var set records.AttributeSet
			if err := bson.Unmarshal(raw, &set); err != nil {
				return err
			}
			return sink.AttributeSet(&set)
		}},
		{metaColl, func(raw bson.Raw) error {
			var m struct {
				ID string    `bson:"_id"`
				At time.Time `bson:"at"`
			}
			if err := bson.Unmarshal(raw, &m); err != nil {
				return err
			}
			return sink.Marker(m.ID, m.At)
		}},
		{idempotencyColl, func(raw bson.Raw) error {
			var c idempotencyClaim
			if err := bson.Unmarshal(raw, &c); err != nil {
				return err
			}
			return sink.Idempotency(c.ID, c.RecordID, c.At)
		}},
	}
	for _, st := range steps {
		if err := each(ctx, s.db.Collection(st.coll), st.put); err != nil {
			return err
		}
	}
	return nil
}

// each calls f with every document of c, in _id order.
func each(ctx context.Context, c *mongo.Collection, f func(bson.Raw) error) error {
	cur, err := c.Find(ctx, bson.D{})
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if err := f(cur.Current); err != nil {
			return err
		}
	}
	return cur.Err()
}
