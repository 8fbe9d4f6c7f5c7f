package mongo

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renda/internal/records"
)

// The translators from the API's filters and cursors to MongoDB query
// documents, for the fuzz targets in store_test.
var (
	ExprDoc      = exprDoc
	EncodeCursor = encodeCursor
)

// CursorFilter is the query document a page's after cursor adds to a find.
func CursorFilter(after string, sorts []records.Sort) (bson.D, error) {
	c, err := decodeCursor(after, sorts)
	if err != nil {
		return nil, err
	}
	return c.keyset(sorts), nil
}

// Name is the store's database name, to open it again.
func (s *Store) Name() string { return s.name }

// Unmark forgets a marker, as a database written before it was set.
func (s *Store) Unmark(key string) error {
	_, err := s.db.Collection(metaColl).DeleteOne(context.Background(), bson.D{{Key: "_id", Value: key}})
	return err
}

// DerivedMarker is the marker of the derived fields' pass.
const DerivedMarker = derivedMarker

// TamperAudit runs f on the audit collection, as someone with the
// database's credentials could: the tests of the chain change it behind
// the store's back.
func (s *Store) TamperAudit(f func(ctx context.Context, c interface {
	UpdateOne(context.Context, any, any) error
	DeleteOne(context.Context, any) error
}) error) error {
	return f(context.Background(), rawAudit{s})
}

type rawAudit struct{ s *Store }

func (r rawAudit) UpdateOne(ctx context.Context, filter, update any) error {
	_, err := r.s.audit().UpdateOne(ctx, filter, update)
	return err
}

func (r rawAudit) DeleteOne(ctx context.Context, filter any) error {
	_, err := r.s.audit().DeleteOne(ctx, filter)
	return err
}

// SetAsOfLimit lowers the records a read as of an instant may copy, until
// the returned function is called.
func SetAsOfLimit(n int) (restore func()) {
	old := asOfLimit
	asOfLimit = n
	return func() { asOfLimit = old }
}

// AsOfCopies lists the collections reads as of an instant copied records
// into and left.
func (s *Store) AsOfCopies(ctx context.Context) ([]string, error) {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, asOfPrefix) {
			out = append(out, n)
		}
	}
	return out, err
}

// LeaveAsOfCopy leaves a copy of kind as a read begun at began would have
// made and not dropped (its process died), and returns its name.
func (s *Store) LeaveAsOfCopy(ctx context.Context, began time.Time, kind records.Kind) (string, error) {
	name := asOfPrefix + bson.NewObjectIDFromTimestamp(began).Hex() + "_" + string(kind)
	_, err := s.db.Collection(name).InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}})
	return name, err
}
