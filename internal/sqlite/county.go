package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"renda/internal/records"
)

// allTownships returns every township's id, sorted: read each time (a
// primary-key scan of a few dozen rows), so a township another process
// created is known at once.
func (s *Store) allTownships(ctx context.Context) ([]string, error) {
	return s.townshipIDs(ctx, nil)
}

// townshipIDs returns the ids among asked that name a township (every
// township's id when asked is nil), sorted.
func (s *Store) townshipIDs(ctx context.Context, asked []string) ([]string, error) {
	q, args := "SELECT id FROM townships ORDER BY id", []any(nil)
	if asked != nil {
		w := &where{}
		w.sql("SELECT id FROM townships WHERE ")
		inList(w, "id", asked)
		q, args = w.b.String()+" ORDER BY id", w.args
	}
	rows, err := s.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.internal(ctx, "list townships", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.internal(ctx, "list townships", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal(ctx, "list townships", err)
	}
	return ids, nil
}

// maxAskedLookup is the most townships townshipsFor looks up by id; a
// longer list is checked against all of them.
const maxAskedLookup = 64

// townshipsFor resolves the townships a read covers (see
// records.ResolveTownships). Townships named are looked up by id (most
// reads name one), so a read does not list the county each time.
func (s *Store) townshipsFor(ctx context.Context, asked []string, field string) ([]string, error) {
	var known []string
	var err error
	if asked != nil && len(asked) <= maxAskedLookup {
		known, err = s.townshipIDs(ctx, asked)
	} else {
		known, err = s.allTownships(ctx)
	}
	if err != nil {
		return nil, err
	}
	return records.ResolveTownships(ctx, known, asked, field)
}

// ResolveTownships checks the townships a read asks for (nil: all the
// caller may see) and returns them.
func (s *Store) ResolveTownships(ctx context.Context, asked []string) ([]string, error) {
	field := "townships"
	if len(asked) == 1 {
		field = "township"
	}
	return s.townshipsFor(ctx, asked, field)
}

// CheckTownships answers NOT_FOUND on field for a township that does not
// exist or that the caller may not see.
func (s *Store) CheckTownships(ctx context.Context, ids []string, field string) error {
	_, err := s.townshipsFor(ctx, ids, field)
	return err
}

// Marked reports whether the marker key was set (see Mark).
func (s *Store) Marked(ctx context.Context, key string) (bool, error) {
	var n int
	if err := s.reader(ctx).QueryRowContext(ctx, "SELECT count(*) FROM markers WHERE key = ?", key).Scan(&n); err != nil {
		return false, s.internal(ctx, "read marker", err)
	}
	return n > 0, nil
}

// Mark sets the marker key, e.g. that a demo load finished.
func (s *Store) Mark(ctx context.Context, key string) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO markers (key, at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET at = excluded.at", key, records.Now().UnixMilli())
		if err != nil {
			return s.internal(ctx, "write marker", err)
		}
		return nil
	})
}

// AttributeDefs keeps the attributes defined per township and kind.
type AttributeDefs struct{ s *Store }

// Get returns the attributes defined for kind in township t (an empty set
// if none); NOT_FOUND for a township the caller may not see.
func (a AttributeDefs) Get(ctx context.Context, t string, kind records.Kind) (*records.AttributeSet, error) {
	if _, err := a.s.townshipsFor(ctx, []string{t}, "township"); err != nil {
		return nil, err
	}
	return a.get(ctx, t, kind)
}

func (a AttributeDefs) get(ctx context.Context, t string, kind records.Kind) (*records.AttributeSet, error) {
	var doc []byte
	err := a.s.reader(ctx).QueryRowContext(ctx, "SELECT doc FROM attribute_sets WHERE id = ?", records.AttributeSetID(t, kind)).Scan(&doc)
	if err == sql.ErrNoRows {
		return &records.AttributeSet{ID: records.AttributeSetID(t, kind), Township: t, Kind: kind, Defs: []records.AttributeDef{}}, nil
	} else if err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	var set records.AttributeSet
	if err := json.Unmarshal(doc, &set); err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	return &set, nil
}

// sets reads the definitions of kind in the townships towns; townships
// without any are left out.
func (a AttributeDefs) sets(ctx context.Context, towns []string, kind records.Kind) ([]*records.AttributeSet, error) {
	w := &where{}
	w.sql("SELECT doc FROM attribute_sets WHERE kind = ? AND ", string(kind))
	inList(w, "township", towns)
	rows, err := a.s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
	if err != nil {
		return nil, a.s.internal(ctx, "read attribute definitions", err)
	}
	defer rows.Close()
	var out []*records.AttributeSet
	for rows.Next() {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			return nil, a.s.internal(ctx, "read attribute definitions", err)
		}
		var set records.AttributeSet
		if err := json.Unmarshal(doc, &set); err != nil {
			return nil, a.s.internal(ctx, "read attribute definitions", err)
		}
		out = append(out, &set)
	}
	return out, rows.Err()
}

// Put defines (or redefines) one attribute of kind in township t.
func (a AttributeDefs) Put(ctx context.Context, t string, kind records.Kind, def records.AttributeDef) (*records.AttributeDef, error) {
	return a.change(ctx, t, kind, func(set *records.AttributeSet) (*records.AttributeDef, error) {
		if err := set.Put(def); err != nil {
			return nil, err
		}
		return set.Def(strings.TrimSpace(def.Path)), nil
	})
}

// Remove drops the definition of path; the values stored stay as they are.
func (a AttributeDefs) Remove(ctx context.Context, t string, kind records.Kind, path string) (*records.AttributeDef, error) {
	return a.change(ctx, t, kind, func(set *records.AttributeSet) (*records.AttributeDef, error) {
		d := set.Def(path)
		if d == nil {
			return nil, &records.Error{Code: records.ENOTFOUND, Field: "path", Message: fmt.Sprintf("no attribute %q is defined for %s here", path, kind)}
		}
		removed := *d
		set.Defs = slices.DeleteFunc(set.Defs, func(x records.AttributeDef) bool { return x.Path == path })
		return &removed, nil
	})
}

// change applies f to township t's set of kind and stores it: an admin's
// who sees t.
func (a AttributeDefs) change(ctx context.Context, t string, kind records.Kind, f func(*records.AttributeSet) (*records.AttributeDef, error)) (*records.AttributeDef, error) {
	if _, err := a.s.townshipsFor(ctx, []string{t}, "township"); err != nil {
		return nil, err
	}
	if !records.ActorFrom(ctx).Has(records.DutySystem) {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin or a sysadmin may define attributes")
	}
	var out *records.AttributeDef
	err := a.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		set, err := a.get(ctx, t, kind)
		if err != nil {
			return err
		}
		if out, err = f(set); err != nil {
			return err
		}
		set.Version, set.UpdatedAt, set.UpdatedBy = set.Version+1, records.Now(), records.ActorFrom(ctx).ID
		doc, err := json.Marshal(set)
		if err != nil {
			return a.s.internal(ctx, "write attribute definitions", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO attribute_sets (id, township, kind, version, doc) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc`, set.ID, t, string(kind), set.Version, string(doc))
		if err != nil {
			return a.s.internal(ctx, "write attribute definitions", err)
		}
		return nil
	})
	return out, err
}

// typedFilter compares the attributes a filter names as the types the
// townships define for them (see records.TypedAttributeCond). Townships
// that define one attribute as different types cannot be asked together.
// The filters of relation filters are typed as their kind's.
func (s *Store) typedFilter(ctx context.Context, kind records.Kind, towns []string, x records.Expr) (records.Expr, error) {
	x, err := x.MapRelations(func(r *records.Rel) (records.Expr, error) {
		f, err := s.typedFilter(ctx, r.Kind, towns, r.Filter)
		if err != nil {
			return records.Expr{}, err
		}
		typed := *r
		typed.Filter = f
		return records.Expr{Rel: &typed}, nil
	})
	if err != nil || !x.AttributeConds() {
		return x, err
	}
	sets, err := AttributeDefs{s}.sets(ctx, towns, kind)
	if err != nil {
		return records.Expr{}, err
	}
	return x.TypedBy(sets)
}

// AttributeTypes returns, for the townships a read covers, the
// definitions of kind's attributes by township and path.
func (s *Store) AttributeTypes(ctx context.Context, kind records.Kind, asked []string) (map[string]map[string]*records.AttributeDef, error) {
	field := "townships"
	if len(asked) == 1 {
		field = "township"
	}
	towns, err := s.townshipsFor(ctx, asked, field)
	if err != nil {
		return nil, err
	}
	sets, err := AttributeDefs{s}.sets(ctx, towns, kind)
	if err != nil {
		return nil, err
	}
	return records.AttributeTypes(sets), nil
}

// Idempotency keys: a create sent again with the key of an earlier one (a
// client retrying after a lost answer) answers the record the first
// created. The claim and the create commit together.
const (
	idempotencyTTL    = 24 * time.Hour
	maxIdempotencyKey = 100
)

// CreateOnce is Create, once per key for the caller: with a key used in
// the last day for this kind, it returns the record that create made. An
// empty key is a plain Create.
func (c *Collection[T, PT]) CreateOnce(ctx context.Context, key string, x PT) (PT, error) {
	if key == "" {
		return c.Create(ctx, x)
	}
	if utf8.RuneCountInString(key) > maxIdempotencyKey {
		return nil, records.Invalidf("idempotencyKey", "an idempotency key is at most %d characters", maxIdempotencyKey)
	}
	claim := c.table + "|" + records.ActorFrom(ctx).ID + "|" + key
	var out PT
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var prev string
		var at int64
		err := tx.QueryRowContext(ctx, "SELECT record_id, at FROM idempotency WHERE id = ?", claim).Scan(&prev, &at)
		if err == nil && records.Now().Sub(time.UnixMilli(at)) < idempotencyTTL {
			out, err = c.Get(ctx, prev)
			return err
		} else if err != nil && err != sql.ErrNoRows {
			return c.s.internal(ctx, "read idempotency key", err)
		}
		if out, err = c.Create(ctx, x); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO idempotency (id, record_id, at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET record_id = excluded.record_id, at = excluded.at`, claim, out.GetMeta().ID, records.Now().UnixMilli())
		if err != nil {
			return c.s.internal(ctx, "claim idempotency key", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
