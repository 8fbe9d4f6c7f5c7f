package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The JSON of a request, bounded: scanned before it is decoded (depth,
// items, UTF-8), decoded with numbers kept exact, then checked for numbers
// no float64 holds.

// decodeJSON decodes one JSON value, numbers as json.Number. The decoder
// checks the whole value before it builds anything, without recursion, so
// invalid JSON costs no more than a scan; scanJSON has bounded the rest.
func decodeJSON(what string, b []byte, n int) (any, *refusal) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, err = dec.Token(); err == io.EOF {
			return v, nil
		}
		return nil, refuse(http.StatusBadRequest, "json", n, "", "%s is not valid JSON: data after the value at byte %d", what, dec.InputOffset())
	}
	if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
		return nil, refuse(http.StatusBadRequest, "json", n, "", "%s is not valid JSON: %s at byte %d", what, se.Error(), se.Offset)
	}
	return nil, refuse(http.StatusBadRequest, "json", n, "", "%s is not valid JSON: it ends too soon", what)
}

// jsonKind names the JSON type of a decoded value for an error message.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

// stringParam is a string parameter; ok is false if it is absent or null.
func stringParam(name string, v any, n int) (s string, ok bool, ref *refusal) {
	switch v := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	}
	return "", false, refuse(http.StatusBadRequest, "param_type", n, name, "%s must be a string, not %s", name, jsonKind(v))
}

// objectParam is variables or extensions: a JSON object or null, whose
// numbers all fit a float64.
func objectParam(name string, v any, n int) (map[string]any, *refusal) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, refuse(http.StatusBadRequest, "param_type", n, name, "%s must be a JSON object, not %s", name, jsonKind(v))
	}
	if path, bad := outOfRange(m); bad {
		slices.Reverse(path)
		return nil, refuse(http.StatusBadRequest, "number_range", n, name+"."+strings.Join(path, "."),
			"number out of range: a JSON number must lie within ±1.7976931348623157e308")
	}
	return m, nil
}

// outOfRange finds a number that does not fit a float64 (1e400), and its
// path, innermost first. Depth is bounded by scanJSON.
func outOfRange(v any) (path []string, bad bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return nil, err != nil && math.IsInf(f, 0)
	case map[string]any:
		for k, e := range v {
			if path, bad := outOfRange(e); bad {
				return append(path, shortKey(k)), true
			}
		}
	case []any:
		for i, e := range v {
			if path, bad := outOfRange(e); bad {
				return append(path, strconv.Itoa(i)), true
			}
		}
	}
	return nil, false
}

// shortKey keeps a field path readable when a key is long.
func shortKey(k string) string {
	const max = 64
	if len(k) <= max {
		return k
	}
	i := max
	for i > 0 && !utf8.RuneStart(k[i]) {
		i--
	}
	return k[:i] + "…"
}

func tooManyItems(n int) *refusal {
	return refuse(http.StatusBadRequest, "json_items", n, "", "the request's JSON holds more than %d values and keys", MaxJSONItems)
}

// scanJSON bounds b before it is decoded, in one pass without recursion or
// allocation: valid UTF-8, nesting at most MaxJSONDepth levels (the
// outermost value at level base+1). It returns the values and keys b holds
// (containers, strings, and runs of number and literal characters), exact
// for valid JSON; invalid JSON may pass, for the decoder to refuse.
func scanJSON(b []byte, base, n int) (items int, ref *refusal) {
	if !utf8.Valid(b) {
		return 0, refuse(http.StatusBadRequest, "utf8", n, "", "the request is not valid UTF-8: send it UTF-8 encoded")
	}
	depth := base
	inString, escaped, inScalar := false, false, false
	for i, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		scalar := c == '-' || c == '+' || c == '.' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if scalar && !inScalar {
			items++
		}
		inScalar = scalar
		switch c {
		case '"':
			inString = true
			items++
		case '[', '{':
			items++
			if depth++; depth > MaxJSONDepth {
				return items, refuse(http.StatusBadRequest, "json_depth", n, "", "the request's JSON nests deeper than %d levels (at byte %d)", MaxJSONDepth, i)
			}
		case ']', '}':
			depth--
		}
	}
	return items, nil
}
