package storetest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"renda/internal/records"
)

// testAsOf: reads as of an instant see the records as they stood then,
// replayed from the writes the test made: created later, absent; deleted
// later, present; changed later, as before. A random run of creates,
// renames, moves, deletes, restores and reverts in two townships is read
// back as of the instant after each step through every kind of read: a
// list (and its pages), a lookup, GetIn, a count with a filter, a
// grouping, a relation filter (deputies by their village's name).
func (c *contract) testAsOf(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	rng := rand.New(rand.NewPCG(7, 11))
	type state struct {
		name, township string
		version        int
		linked         bool // its deputy points at it
	}
	// model: village id → state, for what exists. Deputy d<i> is created
	// with village v<i> and points at it until the village is deleted
	// (a clerk unlinks it first); a restored village has no deputy. So
	// "villages with no deputy" as of an instant needs the deputies as of
	// then too.
	model := map[string]state{}
	deleted := map[string]state{}
	var steps []map[string]state
	var instants []time.Time
	names := []string{"东村", "西村", "南村", "北村", "中村"}
	next := 0
	tick := func() {
		// The audit trail keeps milliseconds: keep each step's writes
		// apart from the instant read after it.
		time.Sleep(3 * time.Millisecond)
		instants = append(instants, time.Now())
		steps = append(steps, maps.Clone(model))
		time.Sleep(3 * time.Millisecond)
	}
	tick() // before anything
	for range 24 {
		ids := slices.Sorted(maps.Keys(model))
		gone := slices.Sorted(maps.Keys(deleted))
		switch op := rng.IntN(6); {
		case op <= 1 || len(ids) == 0:
			id, t0 := fmt.Sprintf("v%d", next), []string{"ta", "tb"}[rng.IntN(2)]
			next++
			name := names[rng.IntN(len(names))]
			MustCreate(t, bg, s.Villages, village(t0, id, name))
			d := deputy(t0, "d"+id[1:], "代表"+id, records.TOWNSHIP)
			d.VillageID = id
			MustCreate(t, bg, s.Deputies, d)
			model[id] = state{name, t0, 1, true}
		case op == 2:
			id := ids[rng.IntN(len(ids))]
			name := names[rng.IntN(len(names))]
			if _, err := s.Villages.Update(bg, id, nil, (&records.VillagePatch{Name: &name}).Apply); err != nil {
				t.Fatal(err)
			}
			st := model[id]
			st.name, st.version = name, st.version+1
			model[id] = st
		case op == 3:
			id := ids[rng.IntN(len(ids))]
			// The deputy points at the village: unlink it first, as a
			// clerk would, then delete the village.
			if _, err := s.Deputies.Update(bg, "d"+id[1:], nil, func(x *records.Deputy) { x.VillageID = "" }); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Villages.Delete(bg, id, nil); err != nil {
				t.Fatal(err)
			}
			deleted[id] = model[id]
			delete(model, id)
		case op == 4 && len(gone) > 0:
			id := gone[rng.IntN(len(gone))]
			if _, err := s.Villages.Restore(bg, id); err != nil {
				t.Fatal(err)
			}
			st := deleted[id]
			st.version++
			st.linked = false
			model[id] = st
			delete(deleted, id)
		default:
			id := ids[rng.IntN(len(ids))]
			if model[id].version < 2 {
				continue
			}
			if _, err := s.Villages.Revert(bg, id, 1, nil); err != nil {
				t.Fatal(err)
			}
			h, _ := s.Villages.History(bg, id)
			st := model[id]
			for _, e := range h {
				if e.Version == 1 && e.After != nil {
					st.name = e.After["name"].(string)
				}
			}
			st.version++
			model[id] = st
		}
		tick()
	}
	if len(steps) < 20 {
		t.Fatalf("only %d steps", len(steps))
	}
	eastFilter := villages(records.VillageFilter{Name: &records.StringFilter{Eq: ptr("东村")}})
	wantOK(t, "compile", eastFilter.err)
	noDeputy := villages(records.VillageFilter{Deputies: &records.DeputyRelation{None: &records.DeputyFilter{}}})
	wantOK(t, "compile", noDeputy.err)
	for i, at := range instants {
		want := steps[i]
		ctx := records.WithAsOf(bg, at)
		wantIDs := map[string][]string{"ta": {}, "tb": {}}
		east, lone := 0, 0
		for id, st := range want {
			wantIDs[st.township] = append(wantIDs[st.township], id)
			if st.name == "东村" {
				east++
			}
			if !st.linked {
				lone++
			}
		}
		for tw, ids := range wantIDs {
			p, err := records.FindAll(ctx, s.Villages, records.Query{Townships: []string{tw}, First: 2}, 1000)
			wantOK(t, "find", err)
			if got := sorted(idsOf(p)); !slices.Equal(got, sorted(ids)) {
				t.Errorf("step %d, %s as of then: %v, want %v", i, tw, got, sorted(ids))
			}
			for _, v := range p {
				if st := want[v.ID]; v.Name != st.name || v.Version != st.version || v.Township != tw {
					t.Errorf("step %d: %s as of then is %s v%d of %s, want %s v%d", i, v.ID, v.Name, v.Version, v.Township, st.name, st.version)
				}
			}
		}
		for id := range next {
			vid := fmt.Sprintf("v%d", id)
			v, err := s.Villages.Get(ctx, vid)
			if st, ok := want[vid]; ok {
				if err != nil || v.Name != st.name {
					t.Errorf("step %d: get %s: %v (%v), want %s", i, vid, v, err, st.name)
				}
			} else {
				wantErr(t, fmt.Sprintf("step %d: get %s, absent then", i, vid), err, records.ENOTFOUND, "")
			}
		}
		got, err := s.Villages.GetIn(ctx, "ta", slices.Sorted(maps.Keys(steps[len(steps)-1])))
		wantOK(t, "getIn", err)
		for _, v := range got {
			if st, ok := want[v.ID]; !ok || st.township != "ta" || st.name != v.Name {
				t.Errorf("step %d: getIn found %s %s, not in ta then", i, v.ID, v.Name)
			}
		}
		if n, err := s.Villages.Count(ctx, records.Query{Filter: eastFilter.x}); err != nil || n != east {
			t.Errorf("step %d: 东村 counted as of then: %d (%v), want %d", i, n, err, east)
		}
		gs, err := s.Villages.Group(ctx, records.Grouping{Paths: []string{"name"}})
		wantOK(t, "group", err)
		total := 0
		for _, g := range gs {
			total += g.Count
		}
		if total != len(want) {
			t.Errorf("step %d: groups count %d villages as of then, want %d", i, total, len(want))
		}
		if n, err := s.Villages.Count(ctx, records.Query{Filter: noDeputy.x}); err != nil || n != lone {
			t.Errorf("step %d: villages with no deputy as of then: %d (%v), want %d", i, n, err, lone)
		}
	}
	t.Run("Now", func(t *testing.T) {
		// Without an instant, reads see what is stored.
		n, err := s.Villages.Count(bg, records.Query{})
		if err != nil || n != len(model) {
			t.Errorf("count now: %d (%v), want %d", n, err, len(model))
		}
	})
	t.Run("ErrWrite", func(t *testing.T) {
		// What stood at a past moment is read, never written.
		_, err := s.Villages.Create(records.WithAsOf(bg, instants[1]), village("ta", "late", "晚村"))
		wantErr(t, "a create as of a past moment", err, records.EINVALID, "")
		if _, err := s.Villages.Get(bg, "late"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("the refused create stored a village: %v", err)
		}
	})
	t.Run("EndOfDay", func(t *testing.T) {
		if got := records.EndOfDay("2023-06-30").Format(time.RFC3339Nano); got != "2023-06-30T15:59:59.999Z" {
			t.Errorf("end of 2023-06-30 in Asia/Shanghai: %s", got)
		}
	})
}
