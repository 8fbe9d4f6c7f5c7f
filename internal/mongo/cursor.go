package mongo

import (
	"encoding/base64"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renda/internal/records"
)

// cursor is the position after one record in a sorted list: the values of
// its sort keys, as stored (so types survive), and its id. It also names the
// sort it was made for, so a cursor is never applied to another order.
type cursor struct {
	Sort   string          `bson:"s"`
	Values []bson.RawValue `bson:"v"`
	ID     string          `bson:"i"`
}

// encodeCursor reads the sort keys off a stored document.
func encodeCursor(doc bson.Raw, sorts []records.Sort) (string, error) {
	var values []bson.RawValue
	for _, s := range sorts {
		v, err := doc.LookupErr(strings.Split(s.Path, ".")...)
		if err != nil {
			v = bson.RawValue{Type: bson.TypeNull}
		}
		values = append(values, v)
	}
	var id string
	if err := doc.Lookup("_id").Unmarshal(&id); err != nil {
		return "", err
	}
	return encodeCursorOf(sorts, values, id)
}

// encodeCursorOf makes the cursor after the record id whose sort keys
// are values.
func encodeCursorOf(sorts []records.Sort, values []bson.RawValue, id string) (string, error) {
	c := cursor{Sort: records.SortName(sorts), Values: values, ID: id}
	b, err := bson.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeCursor(s string, sorts []records.Sort) (*cursor, error) {
	bad := records.BadCursor()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if err := bson.Unmarshal(b, &c); err != nil || len(c.Values) != len(sorts) || c.ID == "" {
		return nil, bad
	}
	for _, v := range c.Values {
		// Sort keys hold these; any other type (a regular expression, code,
		// a document) is forged, and some make the server drop the
		// connection.
		switch v.Type {
		case bson.TypeString, bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeDateTime, bson.TypeBoolean, bson.TypeNull:
		default:
			return nil, bad
		}
		if v.Validate() != nil {
			return nil, bad
		}
	}
	if c.Sort != records.SortName(sorts) {
		return nil, records.Invalidf("after", "this cursor was made for another orderBy; start again without after")
	}
	return &c, nil
}

// keyset matches the records after the cursor in the sort's order:
// (k1 after v1) or (k1 = v1 and k2 after v2) or … or (all equal and
// _id > id). A missing key (null) sorts first ascending and last
// descending, as MongoDB sorts: after a null ascending is any value, after
// a value descending is a smaller one or null, and nothing is after a null
// descending but its ties.
func (c *cursor) keyset(sorts []records.Sort) bson.D {
	var or bson.A
	for i := 0; i <= len(sorts); i++ {
		clause := bson.D{}
		for j := 0; j < i; j++ {
			clause = append(clause, bson.E{Key: sorts[j].Path, Value: bson.D{{Key: "$eq", Value: c.Values[j]}}})
		}
		if i == len(sorts) {
			clause = append(clause, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: c.ID}}})
			or = append(or, clause)
			continue
		}
		path, v, null := sorts[i].Path, c.Values[i], c.Values[i].Type == bson.TypeNull
		switch {
		case null && sorts[i].Desc:
			continue // nothing sorts after a null, descending
		case null:
			clause = append(clause, bson.E{Key: path, Value: bson.D{{Key: "$ne", Value: nil}}})
		case sorts[i].Desc:
			clause = append(clause, bson.E{Key: "$or", Value: bson.A{
				bson.D{{Key: path, Value: bson.D{{Key: "$lt", Value: v}}}},
				bson.D{{Key: path, Value: bson.D{{Key: "$eq", Value: nil}}}},
			}})
		default:
			clause = append(clause, bson.E{Key: path, Value: bson.D{{Key: "$gt", Value: v}}})
		}
		or = append(or, clause)
	}
	return bson.D{{Key: "$or", Value: or}}
}
