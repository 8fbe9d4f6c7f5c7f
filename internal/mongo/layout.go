package mongo

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// The layout: one collection per kind for the whole county, with township
// leading every index — what suits MongoDB, and a sharded cluster
// (township is the natural shard key). (The database per township of
// earlier releases existed for the embedded FerretDB; internal/legacy
// reads it when it moves such a folder.)

// metaColl holds markers such as a finished demo load.
const metaColl = "meta"

// coll is the collection holding kind's records.
func (s *Store) coll(kind records.Kind) *mongo.Collection { return s.db.Collection(string(kind)) }

// allTownships returns every township's id, sorted: read each time (one
// small find), so a township another instance created or deleted is known
// at once; nothing is cached that instances could disagree on.
func (s *Store) allTownships(ctx context.Context) ([]string, error) { return s.reloadTownships(ctx) }

func (s *Store) reloadTownships(ctx context.Context) ([]string, error) {
	cur, err := s.db.Collection(string(records.KindTownship)).Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, s.internal(ctx, "list townships", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, s.internal(ctx, "list townships", err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	slices.Sort(ids)
	return ids, nil
}

// townshipsFor resolves the townships a read covers: those asked for
// (nil: every township the caller may see). A township that does not exist
// or that the caller may not see is NOT_FOUND on field, so a typo is never
// an empty answer and another township's existence is never revealed.
func (s *Store) townshipsFor(ctx context.Context, asked []string, field string) ([]string, error) {
	all, err := s.allTownships(ctx)
	if err != nil {
		return nil, err
	}
	return records.ResolveTownships(ctx, all, asked, field)
}

// Marked reports whether the marker key was set (see Mark).
func (s *Store) Marked(ctx context.Context, key string) (bool, error) {
	n, err := s.db.Collection(metaColl).CountDocuments(ctx, bson.D{{Key: "_id", Value: key}})
	if err != nil {
		return false, s.internal(ctx, "read marker", err)
	}
	return n > 0, nil
}

// Mark sets the marker key, e.g. that a demo load finished.
func (s *Store) Mark(ctx context.Context, key string) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	unlock := s.lockWrite()
	defer unlock()
	_, err := s.db.Collection(metaColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: now()}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return s.internal(ctx, "write marker", err)
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }

// Collection returns the driver's collection that holds kind's records,
// for benchmarks that compare renda with the raw driver on the same data.
// Nothing in renda reads records but through a Collection.
func (s *Store) Collection(kind records.Kind) *mongo.Collection { return s.coll(kind) }

// CheckTownships answers NOT_FOUND on field for a township that does not
// exist or that the caller may not see.
func (s *Store) CheckTownships(ctx context.Context, ids []string, field string) error {
	_, err := s.townshipsFor(ctx, ids, field)
	return err
}
