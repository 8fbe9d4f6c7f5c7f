// Package scalars marshals renda's custom GraphQL scalars.
package scalars

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"renda/internal/records"
)

// MarshalDate writes a calendar date as "YYYY-MM-DD".
func MarshalDate(d records.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) })
}

// UnmarshalDate reads "YYYY-MM-DD" and refuses anything that is not a real date.
func UnmarshalDate(v any) (records.Date, error) {
	s, ok := v.(string)
	if !ok {
		return "", records.Invalidf("", "a Date is a string in YYYY-MM-DD form")
	}
	d, err := records.ParseDate(s)
	if err != nil {
		return "", records.Invalidf("", "%s", err.Error())
	}
	return d, nil
}

// MarshalJSON writes a free-form JSON object.
func MarshalJSON(m map[string]any) graphql.Marshaler {
	if m == nil {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) {
		b, err := json.Marshal(m)
		if err != nil {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalJSON reads a JSON object; numbers become int64 when whole and
// float64 otherwise, so they are stored as numbers, not strings.
func UnmarshalJSON(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, records.Invalidf("", "attributes must be a JSON object")
	}
	return normalize(m).(map[string]any), nil
}

// MarshalAttributeValue writes a scalar compared with an attribute.
func MarshalAttributeValue(v any) graphql.Marshaler { return graphql.MarshalAny(v) }

// UnmarshalAttributeValue reads a string, number or boolean; records
// refuses objects and lists, which must never reach the query as operators.
func UnmarshalAttributeValue(v any) (any, error) { return normalize(v), nil }

func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case int:
		return int64(v)
	case map[string]any:
		for k, x := range v {
			v[k] = normalize(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normalize(x)
		}
		return v
	}
	return v
}

// MarshalInt writes an Int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int and refuses what GraphQL's Int cannot hold: a
// signed 32-bit number, -2147483648 to 2147483647.
func UnmarshalInt(v any) (int, error) {
	n, err := graphql.UnmarshalInt64(v)
	if err != nil {
		return 0, records.Invalidf("", "an Int is a whole number")
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, records.Invalidf("", "%d is out of range for an Int (-2147483648 to 2147483647)", n)
	}
	return int(n), nil
}
