package mongo

import (
	"context"

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
