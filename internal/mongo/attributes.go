package mongo

import (
	"context"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// attributeColl holds, in the county's database, one document per township
// and kind: the attributes defined for that kind there.
const attributeColl = "attributeDefs"

// AttributeDefs keeps the attributes defined per township and kind. When a
// kind has definitions in a township, its records' writes are checked
// against them and filters compare those attributes as their types.
type AttributeDefs struct{ s *Store }

// AttributeDefs returns the store's attribute definitions.
func (s *Store) AttributeDefs() AttributeDefs { return AttributeDefs{s} }

func (a AttributeDefs) coll() *mongo.Collection { return a.s.db.Collection(attributeColl) }

// Get returns the attributes defined for kind in township t (an empty set
// if none); NOT_FOUND for a township the caller may not see.
func (a AttributeDefs) Get(ctx context.Context, t string, kind records.Kind) (*records.AttributeSet, error) {
	if _, err := a.s.townshipsFor(ctx, []string{t}, "township"); err != nil {
		return nil, err
	}
	return a.get(ctx, t, kind)
}

func (a AttributeDefs) get(ctx context.Context, t string, kind records.Kind) (*records.AttributeSet, error) {
	var set records.AttributeSet
	err := a.coll().FindOne(ctx, bson.D{{Key: "_id", Value: records.AttributeSetID(t, kind)}}).Decode(&set)
	if err == mongo.ErrNoDocuments {
		return &records.AttributeSet{ID: records.AttributeSetID(t, kind), Township: t, Kind: kind, Defs: []records.AttributeDef{}}, nil
	} else if err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	return &set, nil
}

// sets reads the definitions of kind in the townships towns, in one
// round trip; townships without any are left out.
func (a AttributeDefs) sets(ctx context.Context, towns []string, kind records.Kind) ([]*records.AttributeSet, error) {
	ids := make([]string, len(towns))
	for i, t := range towns {
		ids[i] = records.AttributeSetID(t, kind)
	}
	filter := bson.D{{Key: "kind", Value: kind}}
	if len(ids) == 1 {
		filter = bson.D{{Key: "_id", Value: ids[0]}} // the one lookup FerretDB pushes down
	} else if len(ids) < 100 {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	cur, err := a.coll().Find(ctx, filter)
	if err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	var out []*records.AttributeSet
	if err := cur.All(ctx, &out); err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	out = slices.DeleteFunc(out, func(s *records.AttributeSet) bool { return !slices.Contains(towns, s.Township) })
	return out, nil
}

// mayDefine checks that the caller may change township t's definitions:
// an admin who sees it.
func (a AttributeDefs) mayDefine(ctx context.Context, t string) error {
	if _, err := a.s.townshipsFor(ctx, []string{t}, "township"); err != nil {
		return err
	}
	if !records.ActorFrom(ctx).Has(records.DutySystem) {
		return records.Errorf(records.EFORBIDDEN, "only an admin or a sysadmin may define attributes")
	}
	return nil
}

// Put defines (or redefines) one attribute of kind in township t. Records
// stored already are not changed: the definition applies to their next
// write, and to filters and aggregates at once.
func (a AttributeDefs) Put(ctx context.Context, t string, kind records.Kind, def records.AttributeDef) (*records.AttributeDef, error) {
	if err := a.mayDefine(ctx, t); err != nil {
		return nil, err
	}
	return a.change(ctx, t, kind, func(set *records.AttributeSet) (*records.AttributeDef, error) {
		if err := set.Put(def); err != nil {
			return nil, err
		}
		return set.Def(strings.TrimSpace(def.Path)), nil
	})
}

// Remove drops the definition of path; the values stored stay as they are.
func (a AttributeDefs) Remove(ctx context.Context, t string, kind records.Kind, path string) (*records.AttributeDef, error) {
	if err := a.mayDefine(ctx, t); err != nil {
		return nil, err
	}
	return a.change(ctx, t, kind, func(set *records.AttributeSet) (*records.AttributeDef, error) {
		d := set.Def(path)
		if d == nil {
			return nil, &records.Error{Code: records.ENOTFOUND, Field: "path", Message: "no attribute " + quote(path) + " is defined for " + string(kind) + " here"}
		}
		removed := *d
		set.Defs = slices.DeleteFunc(set.Defs, func(x records.AttributeDef) bool { return x.Path == path })
		return &removed, nil
	})
}

// change applies f to the set and stores it, guarded by its version.
func (a AttributeDefs) change(ctx context.Context, t string, kind records.Kind, f func(*records.AttributeSet) (*records.AttributeDef, error)) (*records.AttributeDef, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	unlock := a.s.lockWrite()
	defer unlock()
	set, err := a.get(ctx, t, kind)
	if err != nil {
		return nil, err
	}
	d, err := f(set)
	if err != nil {
		return nil, err
	}
	read := set.Version
	set.Version, set.UpdatedAt, set.UpdatedBy = read+1, now(), records.ActorFrom(ctx).ID
	if read == 0 {
		_, err = a.coll().InsertOne(ctx, set)
		if mongo.IsDuplicateKeyError(err) {
			return nil, records.Errorf(records.ECONFLICT, "the attributes were defined by someone else at the same time; try again")
		}
	} else {
		var res *mongo.UpdateResult
		res, err = a.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: set.ID}, {Key: "version", Value: read}}, set)
		if err == nil && res.MatchedCount == 0 {
			return nil, records.Errorf(records.ECONFLICT, "the attributes were changed by someone else at the same time; try again")
		}
	}
	if err != nil {
		return nil, a.s.internal(ctx, "write attribute definitions", err)
	}
	return d, nil
}

// checkAttributes checks a record's attributes against the definitions of
// its kind in its township, coercing values in place.
func (s *Store) checkAttributes(ctx context.Context, t string, kind records.Kind, attrs map[string]any) error {
	set, err := s.AttributeDefs().get(ctx, t, kind)
	if err != nil {
		return err
	}
	return set.CheckAttributes(attrs)
}

// typedFilter compares the attributes a filter names as the types the
// townships define for them (see records.TypedAttributeCond). Townships
// that define one attribute as different types cannot be asked together.
// Relation filters are resolved here into conditions on _id (see
// relations).
func (s *Store) typedFilter(ctx context.Context, kind records.Kind, towns []string, x records.Expr) (records.Expr, error) {
	x, err := s.relations(ctx, kind, towns, x)
	if err != nil || !x.AttributeConds() {
		return x, err
	}
	sets, err := s.AttributeDefs().sets(ctx, towns, kind)
	if err != nil {
		return records.Expr{}, err
	}
	return x.TypedBy(sets)
}

// AttributeTypes returns, for the townships a read covers (asked, or all
// the caller may see), the definitions of kind's attributes by township
// and path: analytics group and add attribute values as their types.
func (s *Store) AttributeTypes(ctx context.Context, kind records.Kind, asked []string) (map[string]map[string]*records.AttributeDef, error) {
	field := "townships"
	if len(asked) == 1 {
		field = "township"
	}
	towns, err := s.townshipsFor(ctx, asked, field)
	if err != nil {
		return nil, err
	}
	sets, err := s.AttributeDefs().sets(ctx, towns, kind)
	if err != nil {
		return nil, err
	}
	return records.AttributeTypes(sets), nil
}
