package sqlite

import (
	"slices"

	jsonv2 "github.com/go-json-experiment/json"
)

// DecodeDoc reads a stored document into v as the store reads it.
func DecodeDoc(doc []byte, v any) error { return jsonv2.Unmarshal(doc, v, decodeOptions) }

// Cursors returns the cursor after id with the sort keys keys as the store
// writes it, and as encoding/json would.
func Cursors(sortName string, keys []any, id string) (written, marshalled string) {
	return encodeCursor(sortName, keys, id), encodeCursorJSON(sortName, slices.Clone(keys), id)
}

// Numbers turns the json.Numbers in a decoded value into the int64 or
// float64 the store reads a cursor's keys as.
var Numbers = numbers
