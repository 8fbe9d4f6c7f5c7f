package mongo_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestCollection_FindForgedCursor: an after cursor is the caller's text. One
// that carries a value no sort key holds (FuzzCursor found them: a regular
// expression made the database answer BadValue, code, Decimal128, MinKey
// and undefined made the embedded server drop the connection) is refused
// as a bad cursor, never sent.
func TestCollection_FindForgedCursor(t *testing.T) {
	s := storetest.MustMongo(t)
	ctx := context.Background()
	town, _ := MustTownship(t, s)
	sorts, err := records.Sorts(records.KindVillage, nil)
	if err != nil {
		t.Fatal(err)
	}
	cursor := func(tb testing.TB, v any) string {
		tb.Helper()
		raw, err := bson.Marshal(bson.D{{Key: "_id", Value: "x"}, {Key: "nameKey", Value: v}})
		if err != nil {
			tb.Fatal(err)
		}
		after, err := store.EncodeCursor(raw, sorts)
		if err != nil {
			tb.Fatal(err)
		}
		return after
	}
	t.Run("OK", func(t *testing.T) {
		page, err := s.Villages.Find(ctx, records.Query{Townships: []string{town.ID}, Sort: sorts, First: 10, After: cursor(t, "")})
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("got %v, %v; want the 3 villages after the empty name key", page, err)
		}
	})
	for _, v := range []any{
		bson.Regex{Pattern: ".*"}, bson.JavaScript("1"), bson.Decimal128{}, bson.MinKey{}, bson.Undefined{},
		bson.D{{Key: "$where", Value: "1"}}, bson.A{1}, bson.Binary{Data: []byte{1}},
	} {
		t.Run(fmt.Sprintf("ErrForged/%T", v), func(t *testing.T) {
			_, err := s.Villages.Find(ctx, records.Query{Townships: []string{town.ID}, Sort: sorts, First: 10, After: cursor(t, v)})
			if code, field := records.ErrorCode(err), records.ErrorField(err); code != records.EINVALID || field != "after" {
				t.Fatalf("got %v (code %q, field %q), want EINVALID on after", err, code, field)
			}
		})
	}
}
