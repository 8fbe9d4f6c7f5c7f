package sqlite_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
)

// TestDecodeHistory: a suggestion's history is read into a slice of
// exactly its length, with the same steps encoding/json reads; a null or
// missing history reads as none, and a history that is not a list is
// refused.
func TestDecodeHistory(t *testing.T) {
	var steps []string
	for i, to := range []string{"SUBMITTED", "ACCEPTED", "ASSIGNED", "REPLIED", "EVALUATED", "CLOSED"} {
		steps = append(steps, `{"to":"`+to+`","at":"2023-02-0`+string(rune('1'+i))+`T00:00:00Z","by":"王芳","department":"镇工商所","note":"第\"`+to+`\"步"}`)
	}
	doc := `{"id":"s1","township":"ta","deputyId":"d1","kind":"SUGGESTION","title":"关于","submitted":"2023-02-01","status":"CLOSED","history":[` + strings.Join(steps, ",") + `]}`
	var got, want records.Suggestion
	if err := sqlite.DecodeDoc([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if len(got.History) != 6 || cap(got.History) != 6 {
		t.Errorf("history len %d cap %d, want 6 and 6", len(got.History), cap(got.History))
	}
	t.Run("none", func(t *testing.T) {
		for _, doc := range []string{`{"id":"s1","history":null}`, `{"id":"s1"}`, `{"id":"s1","history":[]}`} {
			var s records.Suggestion
			if err := sqlite.DecodeDoc([]byte(doc), &s); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			if len(s.History) != 0 {
				t.Errorf("%s: history %v, want none", doc, s.History)
			}
		}
	})
	t.Run("not a list", func(t *testing.T) {
		for _, doc := range []string{`{"id":"s1","history":{"to":"CLOSED"}}`, `{"id":"s1","history":[{"to":"CLOSED"}`, `{"id":"s1","history":[1]}`} {
			var s records.Suggestion
			if err := sqlite.DecodeDoc([]byte(doc), &s); err == nil {
				t.Errorf("%s: read, want an error", doc)
			}
		}
	})
}
