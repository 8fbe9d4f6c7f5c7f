package records_test

import (
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// TestCanonicalJSON: the same document read back from a database that
// reorders keys or types its numbers otherwise gives the same bytes.
func TestCanonicalJSON(t *testing.T) {
	at := time.Date(2024, 3, 15, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := map[string]any{"b": int32(2), "a": []any{"x", 1.0, nil, true}, "t": at}
	b := map[string]any{"t": at.UTC(), "a": []any{"x", int64(1), nil, true}, "b": float64(2)}
	got, other := string(records.CanonicalJSON(a)), string(records.CanonicalJSON(b))
	if want := `{"a":["x",1,null,true],"b":2,"t":"2024-03-15T00:00:00Z"}`; got != want || other != want {
		t.Errorf("got %s and %s, want %s", got, other, want)
	}
}

// chain links n entries as a store would, the first unchained entries
// written before the chain.
func chain(n int) []records.ChainLink {
	var out []records.ChainLink
	prev := ""
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		c := records.AuditContent{ID: "e" + string(rune('a'+i)), At: at.Add(time.Duration(i) * time.Minute), Action: "update"}
		h := records.ChainDigest(prev, c)
		out = append(out, records.ChainLink{Seq: int64(i), ID: c.ID, At: c.At, Prev: prev, Hash: h, Digest: h})
		prev = h
	}
	return out
}

func verify(t *testing.T, links []records.ChainLink) *records.AuditCheck {
	t.Helper()
	byHash := map[string]records.ChainLink{}
	for _, l := range links {
		if l.Hash != "" {
			byHash[l.Hash] = l
		}
	}
	var head *records.ChainHead
	if len(links) > 0 && links[len(links)-1].Hash != "" {
		last := links[len(links)-1]
		head = &records.ChainHead{Seq: last.Seq, Hash: last.Hash}
	}
	check, err := records.VerifyChain(func(yield func(records.ChainLink, error) bool) {
		for _, l := range links {
			if !yield(l, nil) {
				return
			}
		}
	}, head, nil, func(h string) (records.ChainLink, bool, error) { l, ok := byHash[h]; return l, ok, nil })
	if err != nil {
		t.Fatal(err)
	}
	return check
}

// TestVerifyChainBeforeChain: entries older than the chain are counted,
// not checked; one without a link written after the chain began is not
// one of them.
func TestVerifyChainBeforeChain(t *testing.T) {
	old := []records.ChainLink{{ID: "old1", At: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, {ID: "old2", At: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}}
	check := verify(t, append(old, chain(3)...))
	if check.Broken != nil || check.Unchained != 2 || check.Chained != 3 {
		t.Errorf("%+v (broken: %v), want 2 before the chain, 3 chained, holding", check, check.Broken)
	}
	late := records.ChainLink{ID: "sneaked", At: time.Date(2025, 1, 1, 0, 2, 30, 0, time.UTC)}
	check = verify(t, append(append(old, late), chain(3)...))
	if check.Broken == nil || check.Broken.ID != "sneaked" || !strings.Contains(check.Broken.Problem, "after the chain began") {
		t.Errorf("an unlinked entry among the chained ones: %+v, want it named", check.Broken)
	}
}
