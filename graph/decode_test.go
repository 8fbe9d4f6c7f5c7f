package graph_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"renda/graph"
)

// TestDecodeData: the data a report's template reads is what the JSON
// says, whole numbers as int, with escapes, unicode, nesting and every
// literal; malformed data is an error, never a partial value.
func TestDecodeData(t *testing.T) {
	for _, c := range []struct {
		in   string
		want map[string]any
	}{
		{`{}`, map[string]any{}},
		{` {"a" : 1 , "b":[ ]} `, map[string]any{"a": 1, "b": []any{}}},
		{`{"n":-12,"f":2.5,"e":1e3,"big":12345678901234567890,"z":0}`,
			map[string]any{"n": -12, "f": 2.5, "e": 1000.0, "big": 12345678901234567890.0, "z": 0}},
		{`{"s":"平安乡","q":"a\"b\\c\n\u00e9\ud83d\ude00","k\u0065y":"v"}`,
			map[string]any{"s": "平安乡", "q": "a\"b\\c\né😀", "key": "v"}},
		{`{"t":true,"f":false,"n":null,"l":[1,"x",{"a":[[]]},null]}`,
			map[string]any{"t": true, "f": false, "n": nil, "l": []any{1, "x", map[string]any{"a": []any{[]any{}}}, nil}}},
		{`{"nodes":[{"id":"a","n":1},{"id":"b","n":2}]}`,
			map[string]any{"nodes": []any{map[string]any{"id": "a", "n": 1}, map[string]any{"id": "b", "n": 2}}}},
	} {
		got, err := graph.DecodeData([]byte(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.in, got, c.want)
		}
	}
	for _, bad := range []string{``, `[]`, `"s"`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":[1,]}`, `{"a":tru}`, `{"a":"x}`,
		`{"a":1}x`, `{"a":1 "b":2}`, `{"a":--1}`, `{a:1}`, strings.Repeat(`{"a":`, graph.MaxDataDepth+2) + `1` + strings.Repeat(`}`, graph.MaxDataDepth+2)} {
		if got, err := graph.DecodeData([]byte(bad)); err == nil {
			t.Errorf("%q: got %v, want an error", bad, got)
		}
	}
}

// TestDecodeDataAgrees: on a large answer of every kind of value,
// decodeData reads what encoding/json reads (numbers aside: whole ones
// are int).
func TestDecodeDataAgrees(t *testing.T) {
	var items []any
	for i := range 300 {
		items = append(items, map[string]any{"id": i, "name": strings.Repeat("代表", i%7) + "\t\"x\"", "rate": float64(i) / 7,
			"tags": []any{"a", i%3 == 0, nil}, "min": math.MinInt32 - i})
	}
	in, err := json.Marshal(map[string]any{"data": map[string]any{"nodes": items}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := graph.DecodeData(in)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(in, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalise(got), normalise(want)) {
		t.Errorf("decodeData and encoding/json disagree")
	}
	if n, ok := got["data"].(map[string]any)["nodes"].([]any)[5].(map[string]any)["id"].(int); !ok || n != 5 {
		t.Errorf("a whole number is not an int: %#v", got["data"].(map[string]any)["nodes"].([]any)[5])
	}
}

// normalise makes every number a float64.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = normalise(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalise(e)
		}
		return l
	case int:
		return float64(x)
	}
	return v
}
