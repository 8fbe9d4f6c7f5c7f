package sqlite

import jsonv2 "github.com/go-json-experiment/json"

// DecodeDoc reads a stored document into v as the store reads it.
func DecodeDoc(doc []byte, v any) error { return jsonv2.Unmarshal(doc, v, decodeOptions) }
