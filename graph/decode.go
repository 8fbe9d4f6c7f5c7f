package graph

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// decodeData reads the answer's data for templates: objects as maps,
// lists as []any, whole numbers as int and others as float64, so a
// template compares a count with len or a literal without type errors.
//
// It reads gqlgen's own output, once per report run, in one pass over the
// bytes: a string without escapes is one allocation, and the keys, which
// repeat on every item of a list, are kept once per run.
func decodeData(b []byte) (map[string]any, error) {
	d := dataDecoder{b: b, keys: map[string]string{}}
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.i != len(d.b) {
		return nil, d.errorf("data after the value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("data is not an object")
	}
	return m, nil
}

// maxDataDepth bounds the nesting decodeData follows (the query's own
// depth is bounded far below it).
const maxDataDepth = 1000

type dataDecoder struct {
	b    []byte
	i    int
	keys map[string]string
}

func (d *dataDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("data at byte %d: %s", d.i, fmt.Sprintf(format, args...))
}

func (d *dataDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *dataDecoder) value(depth int) (any, error) {
	if depth > maxDataDepth {
		return nil, d.errorf("nested too deep")
	}
	if d.i >= len(d.b) {
		return nil, d.errorf("unexpected end")
	}
	switch c := d.b[d.i]; {
	case c == '{':
		d.i++
		m := map[string]any{}
		d.space()
		if d.i < len(d.b) && d.b[d.i] == '}' {
			d.i++
			return m, nil
		}
		for {
			d.space()
			k, err := d.key()
			if err != nil {
				return nil, err
			}
			d.space()
			if d.i >= len(d.b) || d.b[d.i] != ':' {
				return nil, d.errorf("want a colon")
			}
			d.i++
			d.space()
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m[k] = v
			if more, err := d.more('}'); err != nil || !more {
				return m, err
			}
		}
	case c == '[':
		d.i++
		l := []any{}
		d.space()
		if d.i < len(d.b) && d.b[d.i] == ']' {
			d.i++
			return l, nil
		}
		for {
			d.space()
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			if more, err := d.more(']'); err != nil || !more {
				return l, err
			}
		}
	case c == '"':
		raw, escaped, err := d.stringBytes()
		if err != nil {
			return nil, err
		}
		return unquote(raw, escaped)
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return nil, d.errorf("unexpected %q", d.b[d.i])
}

// more reads what follows an item of an object or a list: a comma
// (another item follows) or its closing byte.
func (d *dataDecoder) more(closing byte) (bool, error) {
	d.space()
	if d.i >= len(d.b) {
		return false, d.errorf("unexpected end")
	}
	switch d.b[d.i] {
	case ',':
		d.i++
		return true, nil
	case closing:
		d.i++
		return false, nil
	}
	return false, d.errorf("want a comma or %q", closing)
}

// key reads an object's key, the same string for every item of a list.
func (d *dataDecoder) key() (string, error) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", d.errorf("want a key")
	}
	raw, escaped, err := d.stringBytes()
	if err != nil {
		return "", err
	}
	if k, ok := d.keys[string(raw)]; ok {
		return k, nil
	}
	k, err := unquote(raw, escaped)
	if err != nil {
		return "", err
	}
	d.keys[string(raw)] = k
	return k, nil
}

// stringBytes returns the string at d.i with its quotes, and whether it
// holds an escape.
func (d *dataDecoder) stringBytes() ([]byte, bool, error) {
	start := d.i
	d.i++
	escaped := false
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case '\\':
			escaped = true
			d.i += 2
			continue
		case '"':
			d.i++
			return d.b[start:d.i], escaped, nil
		}
		d.i++
	}
	d.i = start
	return nil, false, d.errorf("unterminated string")
}

func unquote(raw []byte, escaped bool) (string, error) {
	if !escaped {
		return string(raw[1 : len(raw)-1]), nil
	}
	b, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (d *dataDecoder) literal(word string) error {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return d.errorf("want %s", word)
	}
	d.i += len(word)
	return nil
}

func (d *dataDecoder) number() (any, error) {
	start := d.i
	whole := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c >= '0' && c <= '9', c == '-' && d.i == start:
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
			whole = false
		default:
			goto done
		}
		d.i++
	}
done:
	s := string(d.b[start:d.i])
	if whole {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return int(n), nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		d.i = start
		return nil, d.errorf("bad number %q", s)
	}
	return f, nil
}
