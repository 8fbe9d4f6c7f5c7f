package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// derivedMarker is set once every stored record holds the fields its
// kind's Derive fills. Bump its number when Derive fills a new field, and
// name that field in derivedSentinel: records written before lack it and
// are derived again at the next start.
const derivedMarker = "derived:2"

// derivedSentinel is, per kind, a field that Derive now fills and that
// records written by an older renda lack: date.half and participantCount
// for inspections and activities, half and the replies for suggestions,
// voterCount for deputies (derived:2).
var derivedSentinel = map[records.Kind]string{
	records.KindDeputy:     "voterCount",
	records.KindInspection: "date.half",
	records.KindActivity:   "date.half",
	records.KindSuggestion: "half",
}

// deriveBatch is how many records one step derives again.
const deriveBatch = 500

// rederive fills the derived fields of records stored before their kind's
// Derive filled them, in place: same version, nothing else changed, so a
// caller's expectedVersion still holds. It runs at every start until it
// has finished once; a run stopped half way goes on where it stopped.
func (s *Store) rederive(ctx context.Context) error {
	done, err := s.Marked(ctx, derivedMarker)
	if err != nil || done {
		return err
	}
	n := 0
	for _, step := range []func() (int, error){
		func() (int, error) { return rederiveKind(ctx, s.Deputies) },
		func() (int, error) { return rederiveKind(ctx, s.Inspections) },
		func() (int, error) { return rederiveKind(ctx, s.Activities) },
		func() (int, error) { return rederiveKind(ctx, s.Suggestions) },
	} {
		m, err := step()
		if err != nil {
			return fmt.Errorf("derive stored records' fields again: %w", err)
		}
		n += m
	}
	if n > 0 {
		s.log.Info("derived fields filled on stored records", "records", n)
	}
	return s.Mark(ctx, derivedMarker)
}

// rederiveKind derives again the records of kind that lack its sentinel
// field.
func rederiveKind[T any, PT Record[T]](ctx context.Context, c *Collection[T, PT]) (int, error) {
	coll := c.coll()
	filter := bson.D{{Key: derivedSentinel[c.kind], Value: bson.D{{Key: "$exists", Value: false}}}}
	total := 0
	for {
		cur, err := coll.Find(ctx, filter, options.Find().SetLimit(deriveBatch))
		if err != nil {
			return total, err
		}
		var xs []PT
		if err := cur.All(ctx, &xs); err != nil {
			return total, err
		}
		if len(xs) == 0 {
			return total, nil
		}
		models := make([]mongo.WriteModel, len(xs))
		for i, x := range xs {
			x.Derive(sortKey)
			m := x.GetMeta()
			models[i] = mongo.NewReplaceOneModel().
				SetFilter(bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version}}).
				SetReplacement(x)
		}
		unlock := c.s.lockWrite()
		res, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		unlock()
		if err != nil {
			return total, err
		}
		total += int(res.MatchedCount)
		if len(xs) < deriveBatch || res.MatchedCount == 0 {
			// A batch none of whose records matched (each changed since it
			// was read, which a write derives anyway) ends the pass rather
			// than reading it again.
			return total, nil
		}
	}
}
