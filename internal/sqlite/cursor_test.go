package sqlite_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"renda/internal/sqlite"
)

// TestCursorEncoding: the cursor the store writes by hand is the JSON
// encoding/json writes for the same keys, value for value, whatever the
// text in them.
func TestCursorEncoding(t *testing.T) {
	for _, keys := range [][]any{
		{},
		{nil},
		{"张三", int64(3)},
		{"", "a\"b\\c/d", "\x00\x1f\x7f", "<>&", "\u2028\u2029", "\xff半个"},
		{int64(math.MinInt64), int64(math.MaxInt64), int64(0)},
		{0.1, 1e21, 1.5e-7, -0.0, math.MaxFloat64, math.SmallestNonzeroFloat64, 2023.0},
		{[]byte("王芳"), nil, "x"},
	} {
		written, marshalled := sqlite.Cursors("nameKey,-date.date", keys, "dep-1")
		if got, want := decode(t, written), decode(t, marshalled); !reflect.DeepEqual(got, want) {
			t.Errorf("keys %q: written %v, encoding/json %v", keys, got, want)
		}
	}
}

func decode(t *testing.T, cursor string) any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return sqlite.Numbers(v) // 1e+21 and 1e21 are one number, as the store reads them
}
