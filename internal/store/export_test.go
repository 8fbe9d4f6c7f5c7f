package store

import (
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
