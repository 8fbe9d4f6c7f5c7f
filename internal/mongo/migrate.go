package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// recordKinds are the kinds kept per township (all but townships).
var recordKinds = []records.Kind{records.KindVillage, records.KindDeputy, records.KindProject,
	records.KindInspection, records.KindActivity, records.KindSuggestion}

const layoutMarker = "layout:split"

// migrateBatch is how many records move in one step.
const migrateBatch = 500

// migrate moves records kept in the shared layout (one collection per kind
// in the county's database: what renda wrote before LayoutSplit) into their
// townships' databases, with every field, version and history as stored.
// Each batch is copied (an id already copied is left as it is), registered,
// then removed from the shared collection, so a migration stopped half way
// goes on where it stopped at the next start, and nothing is lost.
func (s *Store) migrate(ctx context.Context) error {
	done, err := s.Marked(ctx, layoutMarker)
	if err != nil || done {
		return err
	}
	moved := 0
	for _, kind := range recordKinds {
		for {
			n, err := s.migrateBatch(ctx, kind)
			if err != nil {
				return fmt.Errorf("move %s to their townships' databases: %w", kind, err)
			}
			moved += n
			if n < migrateBatch {
				break
			}
		}
		if moved > 0 {
			if err := s.db.Collection(string(kind)).Drop(ctx); err != nil {
				return fmt.Errorf("drop the shared %s collection: %w", kind, err)
			}
		}
	}
	if moved > 0 {
		s.log.Info("records moved to a database per township", "records", moved)
	}
	return s.Mark(ctx, layoutMarker)
}

func (s *Store) migrateBatch(ctx context.Context, kind records.Kind) (int, error) {
	shared := s.db.Collection(string(kind))
	cur, err := shared.Find(ctx, bson.D{}, options.Find().SetLimit(migrateBatch).SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, err
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil {
		return 0, err
	}
	byTownship := map[string][]any{}
	var entries []any
	var ids bson.A
	for _, d := range docs {
		id, t := d.Lookup("_id").StringValue(), d.Lookup("township").StringValue()
		byTownship[t] = append(byTownship[t], d)
		entries = append(entries, registryEntry{ID: id, Township: t, Kind: kind})
		ids = append(ids, id)
	}
	if len(docs) == 0 {
		return 0, nil
	}
	for t, batch := range byTownship {
		if err := insertIgnoringCopies(ctx, s.coll(kind, t), batch); err != nil {
			return 0, err
		}
	}
	if err := insertIgnoringCopies(ctx, s.registry(), entries); err != nil {
		return 0, err
	}
	if _, err := shared.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return 0, err
	}
	return len(docs), nil
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
