package mongo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// Layout is how records are laid out in the database. Nothing above the
// store knows which is in use; the store's tests run on both.
type Layout string

const (
	// LayoutShared keeps one collection per kind for the whole county, with
	// township leading every index: what suits MongoDB, and a sharded
	// cluster (township is the natural shard key).
	LayoutShared Layout = "shared"
	// LayoutSplit keeps each township's records in a database of its own
	// (named after the county's: renda_t_qps), and the county-level data
	// (townships, report plugins, accounts, the registry of record ids) in
	// the county's database. It is the embedded store's layout: FerretDB v1
	// on SQLite pushes down only _id equality and scans the collection for
	// every other filter, so in a shared collection a township's requests
	// slow down with the county; a database per township is a SQLite file
	// per township, and a township's requests read only its own records.
	// Secondary indexes are not created there: FerretDB v1 does not use them.
	LayoutSplit Layout = "split"
)

// Collections of the county's database besides the kinds.
const (
	registryColl = "recordIds" // LayoutSplit: record id → township and kind
	metaColl     = "meta"      // the layout, markers such as a finished demo load
)

var plainID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// townshipDB names the database of township t under LayoutSplit. Ids that
// are not plain (letters, digits, _ and -, at most 40) are hashed, so any
// id names a valid database.
func (s *Store) townshipDB(t string) string {
	if !plainID.MatchString(t) {
		sum := sha256.Sum256([]byte(t))
		t = "h" + hex.EncodeToString(sum[:12])
	}
	return s.name + "_t_" + t
}

// isTownshipDB reports a database name suffix made by townshipDB.
func isTownshipDB(suffix string) bool { return strings.HasPrefix(suffix, "_t_") }

// dbOf is the database holding kind's records of township t.
func (s *Store) dbOf(kind records.Kind, t string) *mongo.Database {
	if s.layout == LayoutShared || kind == records.KindTownship {
		return s.db
	}
	return s.client.Database(s.townshipDB(t))
}

// coll is the collection holding kind's records of township t.
func (s *Store) coll(kind records.Kind, t string) *mongo.Collection {
	return s.dbOf(kind, t).Collection(string(kind))
}

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

// registry is the county-wide index of record ids under LayoutSplit, so a
// record found by id alone is found in its township's database with two
// _id lookups, whatever the county's size, and ids stay unique across
// townships.
func (s *Store) registry() *mongo.Collection { return s.db.Collection(registryColl) }

type registryEntry struct {
	ID       string       `bson:"_id"`
	Township string       `bson:"township"`
	Kind     records.Kind `bson:"kind"`
}

// townshipOf looks up which township holds the record with id, or "" if no
// record has it.
func (s *Store) townshipOf(ctx context.Context, kind records.Kind, id string) (string, error) {
	var e registryEntry
	err := s.registry().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e)
	if err == mongo.ErrNoDocuments || (err == nil && e.Kind != kind) {
		return "", nil
	} else if err != nil {
		return "", s.internal(ctx, "look up "+kind.Noun(), err)
	}
	return e.Township, nil
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
	unlock := s.lockWrite(s.name)
	defer unlock()
	_, err := s.db.Collection(metaColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: now()}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return s.internal(ctx, "write marker", err)
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }

// Collection returns the driver's collection that holds kind's records of
// township t, for benchmarks that compare renda with the raw driver on
// the same data. Nothing in renda reads records but through a Collection.
func (s *Store) Collection(kind records.Kind, t string) *mongo.Collection { return s.coll(kind, t) }

// CheckTownships answers NOT_FOUND on field for a township that does not
// exist or that the caller may not see.
func (s *Store) CheckTownships(ctx context.Context, ids []string, field string) error {
	_, err := s.townshipsFor(ctx, ids, field)
	return err
}
