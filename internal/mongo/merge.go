package mongo

import (
	"bytes"
	"cmp"
	"math"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renda/internal/records"
)

// mergePages merges pages each sorted by sorts then _id into the first
// limit documents of their union, in the same order.
func mergePages(pages [][]bson.Raw, sorts []records.Sort, limit int) []bson.Raw {
	return mergeSorted(pages, limit, func(a, b bson.Raw) bool { return compareDocs(a, b, sorts) < 0 })
}

// mergeSorted merges lists each sorted by before into the first limit
// items of their union, in the same order: the k-way merge behind lists
// across townships.
func mergeSorted[T any](lists [][]T, limit int, before func(a, b T) bool) []T {
	var out []T
	pos := make([]int, len(lists))
	for len(out) < limit {
		best := -1
		for i, l := range lists {
			if pos[i] < len(l) && (best < 0 || before(l[pos[i]], lists[best][pos[best]])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, lists[best][pos[best]])
		pos[best]++
	}
	return out
}

// compareDocs orders two documents as MongoDB sorts them by sorts then _id.
func compareDocs(a, b bson.Raw, sorts []records.Sort) int {
	for _, s := range sorts {
		path := strings.Split(s.Path, ".")
		c := compareValues(lookup(a, path), lookup(b, path))
		if s.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return compareValues(a.Lookup("_id"), b.Lookup("_id"))
}

func lookup(d bson.Raw, path []string) bson.RawValue {
	v, err := d.LookupErr(path...)
	if err != nil {
		return bson.RawValue{Type: bson.TypeNull}
	}
	return v
}

// typeRank is MongoDB's order of BSON types in a sort: null (and missing)
// before numbers, numbers before strings, and so on.
func typeRank(t bson.Type) int {
	switch t {
	case bson.TypeMinKey:
		return 0
	case bson.TypeNull, bson.TypeUndefined:
		return 1
	case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeDecimal128:
		return 2
	case bson.TypeString, bson.TypeSymbol:
		return 3
	case bson.TypeEmbeddedDocument:
		return 4
	case bson.TypeArray:
		return 5
	case bson.TypeBinary:
		return 6
	case bson.TypeObjectID:
		return 7
	case bson.TypeBoolean:
		return 8
	case bson.TypeDateTime:
		return 9
	case bson.TypeTimestamp:
		return 10
	case bson.TypeRegex:
		return 11
	}
	return 12
}

// compareValues orders two values of the kinds renda sorts on (numbers,
// strings, booleans, dates, object ids; null for missing) as MongoDB does
// with its default (binary) collation.
func compareValues(a, b bson.RawValue) int {
	ra, rb := typeRank(a.Type), typeRank(b.Type)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch ra {
	case 2:
		return cmp.Compare(number(a), number(b))
	case 3:
		return strings.Compare(a.StringValue(), b.StringValue())
	case 7:
		x, y := a.ObjectID(), b.ObjectID()
		return bytes.Compare(x[:], y[:])
	case 8:
		x, y := a.Boolean(), b.Boolean()
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case 9:
		return cmp.Compare(a.DateTime(), b.DateTime())
	}
	return bytes.Compare(a.Value, b.Value)
}

func number(v bson.RawValue) float64 {
	switch v.Type {
	case bson.TypeInt32:
		return float64(v.Int32())
	case bson.TypeInt64:
		return float64(v.Int64())
	case bson.TypeDouble:
		return v.Double()
	}
	return math.NaN()
}
