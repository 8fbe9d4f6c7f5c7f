package graph_test

import (
	"fmt"
	"sync"
	"testing"
)

// TestListEdits: twenty clients adding a participant each to one
// inspection at once all keep theirs; remove takes one out.
func TestListEdits(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 20)
	insp := c.create("Inspection", map[string]any{"township": f.Township, "topic": "并发视察", "date": map[string]any{"date": "2023-05-01", "precision": "DAY"}})
	q := `mutation($id: ID!, $d: ID!) { updateInspection(id: $id, add: {participantIds: [$d], tags: ["并发"]}) { version } }`
	var wg sync.WaitGroup
	errs := make(chan string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := c.Do(q, map[string]any{"id": insp, "d": f.Deputies[i]}); len(r.Errors) > 0 {
				errs <- fmt.Sprint(r.Errors)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	var out struct {
		Inspection struct {
			Version      int
			Tags         []string
			Participants []struct{ ID string }
		}
	}
	c.MustDo(`query($id: ID!) { inspection(id: $id) { version tags participants { id } } }`, map[string]any{"id": insp}, &out)
	if len(out.Inspection.Participants) != 20 || len(out.Inspection.Tags) != 1 || out.Inspection.Version != 21 {
		t.Fatalf("%d participants, tags %v, version %d; want every one of the 20, one tag, version 21", len(out.Inspection.Participants), out.Inspection.Tags, out.Inspection.Version)
	}
	c.MustDo(`mutation($id: ID!, $d: ID!) { updateInspection(id: $id, remove: {participantIds: [$d]}) { version } }`, map[string]any{"id": insp, "d": f.Deputies[0]}, nil)
	c.MustDo(`query($id: ID!) { inspection(id: $id) { version tags participants { id } } }`, map[string]any{"id": insp}, &out)
	if len(out.Inspection.Participants) != 19 {
		t.Fatalf("%d participants after a remove, want 19", len(out.Inspection.Participants))
	}
	c.MustFail(`mutation($id: ID!) { updateInspection(id: $id, add: {participantIds: ["nobody"]}) { version } }`, map[string]any{"id": insp}, "BAD_USER_INPUT", "input.participantIds.19")
}

// TestIdempotencyKey: a create retried with the same key answers the same
// record and creates no second one.
func TestIdempotencyKey(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 0)
	q := `mutation($t: ID!, $k: String) { createVillage(input: {township: $t, name: "重试村"}, idempotencyKey: $k) { id } }`
	var a, b, other struct{ CreateVillage struct{ ID string } }
	c.MustDo(q, map[string]any{"t": f.Township, "k": "req-1"}, &a)
	c.MustDo(q, map[string]any{"t": f.Township, "k": "req-1"}, &b)
	c.MustDo(q, map[string]any{"t": f.Township, "k": "req-2"}, &other)
	if a.CreateVillage.ID != b.CreateVillage.ID || a.CreateVillage.ID == other.CreateVillage.ID {
		t.Fatalf("ids %s, %s, %s; want the retry to answer the first and another key a new one", a.CreateVillage.ID, b.CreateVillage.ID, other.CreateVillage.ID)
	}
	var n struct{ Villages struct{ TotalCount int } }
	c.MustDo(`query($t: ID) { villages(township: $t, filter: {name: {eq: "重试村"}}) { totalCount } }`, map[string]any{"t": f.Township}, &n)
	if n.Villages.TotalCount != 2 {
		t.Fatalf("%d villages, want 2 (one per key)", n.Villages.TotalCount)
	}
	long := fmt.Sprintf("%0101d", 0)
	c.MustFail(q, map[string]any{"t": f.Township, "k": long}, "BAD_USER_INPUT", "idempotencyKey")
}
