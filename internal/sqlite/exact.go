package sqlite

import (
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"renda/internal/records"
)

// exactSlice decodes a JSON array into a slice of exactly its length.
// The default decoder grows a slice by doubling, so a history of six
// steps allocates room for fifteen; a suggestion's history is most of
// what reading one allocates. The elements are read into a pooled
// scratch slice first, then copied into one of the right size.
func exactSlice[E any]() *jsonv2.Unmarshalers {
	pool := sync.Pool{New: func() any { s := make([]E, 0, 16); return &s }}
	return jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *[]E) error {
		if dec.PeekKind() != '[' {
			return jsonv2.SkipFunc // null, or a type error the default reports
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		bp := pool.Get().(*[]E)
		s := (*bp)[:0]
		defer func() {
			clear(s)
			*bp = s[:0]
			pool.Put(bp)
		}()
		for dec.PeekKind() != ']' {
			var e E
			s = append(s, e)
			if err := jsonv2.UnmarshalDecode(dec, &s[len(s)-1]); err != nil {
				return err
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		out := make([]E, len(s))
		copy(out, s)
		*v = out
		return nil
	})
}

// decodeOptions are the options every stored document is read with.
var decodeOptions = jsonv2.WithUnmarshalers(exactSlice[records.Transition]())
