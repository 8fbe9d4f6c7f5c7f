package mongo

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// indexes lists, per kind, the keys the API filters and sorts on. Sorted
// lists page by (sort key, _id), so those are compound.
var indexes = map[records.Kind][]bson.D{
	records.KindTownship: {{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}},
	records.KindDeputy: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "group", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "villageId", Value: 1}},
		{{Key: "voters.villageId", Value: 1}},
		{{Key: "levels", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindVillage: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "code", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "designations.year", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindProject: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "year", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "kind", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindInspection: {
		{{Key: "township", Value: 1}, {Key: "date.date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "date.year", Value: 1}, {Key: "date.month", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "topic", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "participantIds", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "projectIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindSuggestion: {
		{{Key: "township", Value: 1}, {Key: "submitted", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "status", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "deputyId", Value: 1}, {Key: "year", Value: 1}, {Key: "month", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindPointRules: {
		{{Key: "township", Value: 1}, {Key: "effectiveFrom", Value: 1}, {Key: "_id", Value: 1}},
	},
	records.KindReception: {
		{{Key: "township", Value: 1}, {Key: "date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "station", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "year", Value: 1}, {Key: "month", Value: 1}},
		{{Key: "deputyIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindCongressSession: {
		{{Key: "township", Value: 1}, {Key: "start", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "year", Value: 1}},
		{{Key: "roll.deputyId", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindPresidiumMeeting: {
		{{Key: "township", Value: 1}, {Key: "date.date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "date.year", Value: 1}, {Key: "date.month", Value: 1}},
		{{Key: "attendeeIds", Value: 1}},
		{{Key: "inspectionIds", Value: 1}},
		{{Key: "sessionId", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindSubmission: {
		{{Key: "township", Value: 1}, {Key: "status", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "deputyId", Value: 1}, {Key: "createdAt", Value: 1}},
		{{Key: "deputyId", Value: 1}},
		{{Key: "suggestionId", Value: 1}},
	},
	records.KindLivelihoodProject: {
		{{Key: "township", Value: 1}, {Key: "year", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "votes", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "sessionId", Value: 1}},
		{{Key: "milestones.inspectionIds", Value: 1}},
		{{Key: "milestones.projectIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindActivity: {
		{{Key: "township", Value: 1}, {Key: "date.date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "kind", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "title", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "date.year", Value: 1}, {Key: "date.month", Value: 1}},
		{{Key: "participantIds", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "projectIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
}

// ensureIndexes creates the indexes that do not exist yet, so it runs at
// every start. It lists first rather than relying on createIndexes being a
// no-op for an existing index: FerretDB v1.24 panics on that after a restart.
func (s *Store) ensureIndexes(ctx context.Context) error {
	if err := s.ensureIndexesOn(ctx, auditColl, []bson.D{
		{{Key: "recordId", Value: 1}, {Key: "kind", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "at", Value: -1}, {Key: "_id", Value: -1}},
		{{Key: "at", Value: -1}, {Key: "_id", Value: -1}},
		{{Key: "seq", Value: 1}},
	}); err != nil {
		return err
	}
	for kind, keys := range indexes {
		existing, err := s.indexNames(ctx, kind)
		if err != nil {
			return err
		}
		var models []mongo.IndexModel
		all := append([]bson.D{}, keys...)
		for _, ts := range []string{"createdAt", "updatedAt"} {
			all = append(all, bson.D{{Key: "township", Value: 1}, {Key: ts, Value: 1}, {Key: "_id", Value: 1}})
		}
		for _, k := range all {
			if !existing[indexName(k)] {
				models = append(models, mongo.IndexModel{Keys: k, Options: options.Index().SetName(indexName(k))})
			}
		}
		if len(models) == 0 {
			continue
		}
		if _, err := s.db.Collection(string(kind)).Indexes().CreateMany(ctx, models); err != nil {
			return fmt.Errorf("create indexes on %s: %w", kind, err)
		}
	}
	return nil
}

func (s *Store) indexNames(ctx context.Context, kind records.Kind) (map[string]bool, error) {
	cur, err := s.db.Collection(string(kind)).Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes on %s: %w", kind, err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return nil, fmt.Errorf("list indexes on %s: %w", kind, err)
	}
	names := make(map[string]bool, len(specs))
	for _, sp := range specs {
		names[sp.Name] = true
	}
	return names, nil
}

// indexName is MongoDB's default name for an index on keys: "a_1_b_-1".
func indexName(keys bson.D) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s_%v", k.Key, k.Value))
	}
	return strings.Join(parts, "_")
}

// ensureIndexesOn creates the indexes of a county collection that do not
// exist yet.
func (s *Store) ensureIndexesOn(ctx context.Context, coll string, keys []bson.D) error {
	existing, err := s.indexNames(ctx, records.Kind(coll))
	if err != nil {
		return err
	}
	var models []mongo.IndexModel
	for _, k := range keys {
		if !existing[indexName(k)] {
			models = append(models, mongo.IndexModel{Keys: k, Options: options.Index().SetName(indexName(k))})
		}
	}
	if len(models) == 0 {
		return nil
	}
	if _, err := s.db.Collection(coll).Indexes().CreateMany(ctx, models); err != nil {
		return fmt.Errorf("create indexes on %s: %w", coll, err)
	}
	return nil
}
