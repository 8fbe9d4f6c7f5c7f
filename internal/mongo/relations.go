package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// Relation filters on MongoDB are two queries: FerretDB v1 has no
// $lookup, so the related records matching the relation's filter are
// grouped first by the ids they hold at its path ($match → $group with
// one $sum: what FerretDB v1 computes), counted here per id, and the
// relation becomes a condition on _id: IN the ids whose count passes, or,
// when a count of zero passes, NOT IN the ids whose count fails.

//
// A relation the other way (Local: the record's own list of ids) reads
// the ids of the related records matching first; some and none are then
// the list $in / $nin them, and a count reads the records' lists (a third
// query) and becomes a condition on _id.

// relations resolves every relation filter of x, a filter of kind
// (nested ones first), the related records read in towns.
func (s *Store) relations(ctx context.Context, kind records.Kind, towns []string, x records.Expr) (records.Expr, error) {
	return x.MapRelations(func(r *records.Rel) (records.Expr, error) {
		f, err := s.typedFilter(ctx, r.Kind, towns, r.Filter)
		if err != nil {
			return records.Expr{}, err
		}
		if r.Local != "" {
			return s.localRelation(ctx, kind, towns, r, f)
		}
		counts, err := s.relatedCounts(ctx, r.Kind, r.Path, towns, f)
		if err != nil {
			return records.Expr{}, err
		}
		ids := []string{}
		none := r.MatchesNone()
		for id, n := range counts {
			if r.Count.Match(n) != none {
				ids = append(ids, id)
			}
		}
		op := records.OpIn
		if none {
			op = records.OpNin
		}
		return records.Expr{Cond: &records.Cond{Path: "_id", Op: op, Value: ids}}, nil
	})
}

// localRelation resolves a relation through the record's own list of ids.
func (s *Store) localRelation(ctx context.Context, kind records.Kind, towns []string, r *records.Rel, filter records.Expr) (records.Expr, error) {
	matching, err := s.relatedCounts(ctx, r.Kind, "_id", towns, filter)
	if err != nil {
		return records.Expr{}, err
	}
	ids := make([]string, 0, len(matching))
	for id := range matching {
		ids = append(ids, id)
	}
	switch {
	case r.Some():
		return records.Expr{Cond: &records.Cond{Path: r.Local, Op: records.OpIn, Value: ids}}, nil
	case r.None():
		return records.Expr{Cond: &records.Cond{Path: r.Local, Op: records.OpNin, Value: ids}}, nil
	}
	// Any other count: each record's list, counted against the ids.
	lists, err := s.relatedLists(ctx, kind, r.Local, towns)
	if err != nil {
		return records.Expr{}, err
	}
	var pass []string
	none := r.MatchesNone()
	for id, list := range lists {
		n := 0
		for _, x := range list {
			if _, ok := matching[x]; ok {
				n++
			}
		}
		if r.Count.Match(n) != none {
			pass = append(pass, id)
		}
	}
	op := records.OpIn
	if none {
		op = records.OpNin
	}
	return records.Expr{Cond: &records.Cond{Path: "_id", Op: op, Value: nonNil(pass)}}, nil
}

// relatedLists reads, per record of kind in towns, the different ids of
// its list at path: a grouping by id and the list.
func (s *Store) relatedLists(ctx context.Context, kind records.Kind, path string, towns []string) (map[string][]string, error) {
	match := bson.D{{Key: "township", Value: bson.D{{Key: "$in", Value: nonNil(towns)}}}}
	rest := mongo.Pipeline{
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "id", Value: "$_id"}, {Key: "l", Value: "$" + path}}}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
		{{Key: "$limit", Value: records.MaxRawGroups + 1}},
	}
	out := map[string][]string{}
	err := s.aggregate(ctx, kind, match, rest, func(doc bson.Raw) error {
		if len(out) >= records.MaxRawGroups {
			return tooManyGroups()
		}
		id, _ := doc.Lookup("_id").Document().Lookup("id").StringValueOK()
		xs, _ := value(doc.Lookup("_id").Document().Lookup("l")).([]any)
		seen := map[string]bool{}
		for _, x := range xs {
			if v, ok := x.(string); ok && v != "" && !seen[v] {
				seen[v] = true
				out[id] = append(out[id], v)
			}
		}
		if _, ok := out[id]; !ok {
			out[id] = nil
		}
		return nil
	})
	if err != nil {
		return nil, s.internal(ctx, "relation "+string(kind), err)
	}
	return out, nil
}

// relatedCounts counts, per id held at path, the records of kind in towns
// that match filter and hold it (each record once).
func (s *Store) relatedCounts(ctx context.Context, kind records.Kind, path string, towns []string, filter records.Expr) (map[string]int, error) {
	match := bson.D{{Key: "township", Value: bson.D{{Key: "$in", Value: nonNil(towns)}}}}
	if !filter.IsZero() {
		match = append(match, bson.E{Key: "$and", Value: bson.A{exprDoc(filter)}})
	}
	rest := mongo.Pipeline{
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$" + path}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
		{{Key: "$limit", Value: records.MaxRawGroups + 1}},
	}
	// As of an instant the groups come from what is stored and from the
	// copy (asof.go): their counts add up.
	counts := map[string]int{}
	groups := 0
	err := s.aggregate(ctx, kind, match, rest, func(doc bson.Raw) error {
		if groups++; groups > records.MaxRawGroups {
			return tooManyGroups()
		}
		n := int(number(doc.Lookup("n")))
		held := value(doc.Lookup("_id"))
		xs, ok := held.([]any)
		if !ok {
			xs = []any{held}
		}
		seen := map[string]bool{}
		for _, x := range xs {
			if id, ok := x.(string); ok && id != "" && !seen[id] {
				seen[id] = true
				counts[id] += n
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.internal(ctx, "relation "+string(kind), err)
	}
	return counts, nil
}
