package points_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"renda/internal/points"
	"renda/internal/records"
)

// world is a random township's year: rules, deputies and records.
type world struct{ points.Records }

func ptr[T any](v T) *T { return &v }

// day is a random day of 2023 to 2025, often one at the edge of a
// period, so records fall before, in and after the periods counted.
func day(r *rand.Rand) records.Date {
	if r.IntN(4) == 0 { // the edges of the periods counted
		edges := []records.Date{"2023-12-31", "2024-01-01", "2024-03-31", "2024-04-01", "2024-06-30", "2024-07-01",
			"2024-09-30", "2024-10-01", "2024-12-31", "2025-01-01", "2024-05-15", "2024-05-16"}
		return edges[r.IntN(len(edges))]
	}
	return records.Date(fmt.Sprintf("%d-%02d-%02d", 2023+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28)))
}

func someOf(r *rand.Rand, ids []string) []string {
	var out []string
	for _, id := range ids {
		if r.IntN(3) == 0 {
			out = append(out, id)
		}
	}
	return out
}

// half is a random multiple of 0.5 in [-lo, hi].
func half(r *rand.Rand, lo, hi int) float64 { return float64(r.IntN(2*(lo+hi)+1)-2*lo) / 2 }

func randomWorld(r *rand.Rand) world {
	var w world
	var ids []string
	for i := range 2 + r.IntN(6) {
		d := &records.Deputy{Meta: records.Meta{ID: fmt.Sprintf("d%d", i), Township: "t"}, Name: fmt.Sprintf("代表%d", i), NameKey: fmt.Sprintf("k%d", i)}
		switch r.IntN(4) {
		case 0: // left during the year
			end, why := day(r), records.RESIGNED
			d.Terms = []records.Term{{Level: records.TOWNSHIP, Start: "2021-12-20", StartReason: records.ELECTED, End: &end, EndReason: &why}}
		case 1: // by-elected
			d.Terms = []records.Term{{Level: records.TOWNSHIP, Start: day(r), StartReason: records.BY_ELECTION}}
		}
		for v := range r.IntN(3) {
			voter := records.Voter{Name: fmt.Sprintf("选民%d", v)}
			for range r.IntN(4) {
				voter.Contacts = append(voter.Contacts, records.ContactEvent{Date: day(r), Channel: "走访"})
			}
			d.Voters = append(d.Voters, voter)
		}
		w.Deputies = append(w.Deputies, d)
		ids = append(ids, d.ID)
	}
	for i := range 1 + r.IntN(3) {
		rules := &records.PointRules{Meta: records.Meta{ID: fmt.Sprintf("rules%d", i), Township: "t"}, Name: fmt.Sprintf("办法%d", i),
			EffectiveFrom: day(r), Base: float64(r.IntN(3) * 30), SessionTag: "镇人民代表大会", KeyTag: "重点建议"}
		if r.IntN(3) == 0 {
			rules.Cap = ptr(float64(40 + r.IntN(60)))
		}
		for _, item := range records.PointItems {
			if r.IntN(4) == 0 {
				continue
			}
			rule := records.PointRule{Item: item, Points: half(r, 0, 10)}
			if item == records.PT_ABSENCE {
				rule.Points = -half(r, 0, 5)
			}
			if r.IntN(4) == 0 {
				rule.Cap = ptr(float64(r.IntN(20)))
			}
			rules.Items = append(rules.Items, rule)
		}
		w.Rules = append(w.Rules, rules)
	}
	for i := range r.IntN(8) {
		w.Inspections = append(w.Inspections, &records.Inspection{Meta: records.Meta{ID: fmt.Sprintf("i%d", i), Township: "t"}, Topic: "视察",
			Date: records.DateSpan{Date: day(r), Precision: records.DAY}, ParticipantIDs: someOf(r, ids)})
	}
	kinds := []records.ActivityKind{records.DELIBERATION, records.GROUP_DAY, records.TRAINING, records.MEETING, records.VISIT}
	for i := range r.IntN(12) {
		a := &records.Activity{Meta: records.Meta{ID: fmt.Sprintf("a%d", i), Township: "t"}, Title: "活动", Kind: kinds[r.IntN(len(kinds))],
			Date: records.DateSpan{Date: day(r), Precision: records.DAY}, ParticipantIDs: someOf(r, ids)}
		switch a.Kind {
		case records.TRAINING:
			if r.IntN(4) > 0 {
				a.Training = &records.Training{Hours: half(r, 0, 8)}
			}
		case records.MEETING:
			a.Tags = [][]string{{"镇人民代表大会"}, {"主席团会议"}, nil}[r.IntN(3)]
			if r.IntN(2) == 0 {
				a.Attributes = map[string]any{"halfDays": float64(1 + r.IntN(4))}
			}
		}
		w.Activities = append(w.Activities, a)
	}
	statuses := []records.SuggestionStatus{records.SUBMITTED, records.REPLIED, records.REJECTED}
	for i := range r.IntN(10) {
		s := &records.Suggestion{Meta: records.Meta{ID: fmt.Sprintf("s%d", i), Township: "t"}, DeputyID: ids[r.IntN(len(ids))],
			Title: "建议", Submitted: day(r), Status: statuses[r.IntN(len(statuses))]}
		if r.IntN(3) == 0 {
			s.Tags = []string{"重点建议"}
		}
		w.Suggestions = append(w.Suggestions, s)
	}
	for i := range r.IntN(6) {
		w.Receptions = append(w.Receptions, &records.Reception{Meta: records.Meta{ID: fmt.Sprintf("r%d", i), Township: "t"}, Station: "站",
			Date: day(r), DeputyIDs: someOf(r, ids)})
	}
	attendance := []records.AttendanceStatus{records.PRESENT, records.PRESENT, records.ON_LEAVE, records.ABSENT}
	for i := range r.IntN(3) {
		x := &records.CongressSession{Meta: records.Meta{ID: fmt.Sprintf("c%d", i), Township: "t"}, Start: day(r), Title: "会议"}
		if r.IntN(2) == 0 { // two days, its agenda on some of their half-days
			x.End = records.DateOf(x.Start.Time().AddDate(0, 0, 1))
			for k := range 1 + r.IntN(4) {
				d := []records.Date{x.Start, x.End}[r.IntN(2)]
				x.AgendaItems = append(x.AgendaItems, records.AgendaItem{Order: k + 1, Title: "议程", Kind: records.AGENDA_OTHER, Day: d, Period: []string{"上午", "下午", ""}[r.IntN(3)]})
			}
		}
		for _, id := range someOf(r, ids) {
			x.Roll = append(x.Roll, records.RollEntry{DeputyID: id, Status: attendance[r.IntN(len(attendance))]})
		}
		w.Sessions = append(w.Sessions, x)
	}
	return w
}

// sittingWithRoll: a session with a roll call sat on day d (its first or
// second day).
func sittingWithRoll(w world, d records.Date) bool {
	for _, x := range w.Sessions {
		last := x.Start
		if x.End != "" {
			last = x.End
		}
		if len(x.Roll) > 0 && x.Start <= d && d <= last {
			return true
		}
	}
	return false
}

// naiveHalfDays counts the schedule's half-days by listing them, or two a
// day of the session.
func naiveHalfDays(x *records.CongressSession) float64 {
	var seen []string
	for _, it := range x.AgendaItems {
		if it.Day != "" && it.Period != "" && !slices.Contains(seen, string(it.Day)+it.Period) {
			seen = append(seen, string(it.Day)+it.Period)
		}
	}
	if len(seen) > 0 {
		return float64(len(seen))
	}
	if x.End != "" && x.End != x.Start {
		return 4
	}
	return 2
}

// naive applies the rules to the records the plainest way: for each
// deputy, every record in turn, the rules found by scanning them all.
func naive(w world, first, last records.Date, year bool) map[string]float64 {
	rulesOn := func(d records.Date) *records.PointRules {
		var best *records.PointRules
		for _, x := range w.Rules {
			if x.EffectiveFrom <= d && (best == nil || x.EffectiveFrom > best.EffectiveFrom || x.EffectiveFrom == best.EffectiveFrom && x.ID > best.ID) {
				best = x
			}
		}
		return best
	}
	out := map[string]float64{}
	for _, d := range w.Deputies {
		serving := len(d.Terms) == 0
		for _, t := range d.Terms {
			end := records.Date("9999-12-31")
			if t.End != nil {
				end = *t.End
			}
			serving = serving || t.Start <= last && first <= end
		}
		if !serving {
			continue
		}
		sums := map[records.PointItem]float64{}
		earn := func(date records.Date, item records.PointItem, qty float64) {
			if date < first || date > last {
				return
			}
			if rules := rulesOn(date); rules != nil {
				for _, x := range rules.Items {
					if x.Item == item {
						sums[item] += x.Points * qty
					}
				}
			}
		}
		for _, x := range w.Inspections {
			if slices.Contains(x.ParticipantIDs, d.ID) {
				earn(x.Date.Date, records.PT_INSPECTION, 1)
			}
		}
		for _, a := range w.Activities {
			if !slices.Contains(a.ParticipantIDs, d.ID) {
				continue
			}
			switch {
			case a.Kind == records.DELIBERATION:
				earn(a.Date.Date, records.PT_DELIBERATION, 1)
			case a.Kind == records.GROUP_DAY:
				earn(a.Date.Date, records.PT_GROUP_DAY, 1)
			case a.Kind == records.TRAINING && a.Training != nil:
				earn(a.Date.Date, records.PT_TRAINING_HOUR, a.Training.Hours)
			case a.Kind == records.MEETING && slices.Contains(a.Tags, "镇人民代表大会") && rulesOn(a.Date.Date) != nil && !sittingWithRoll(w, a.Date.Date):
				n := 1.0
				if h, ok := a.Attributes["halfDays"].(float64); ok {
					n = h
				}
				earn(a.Date.Date, records.PT_SESSION_HALF_DAY, n)
			}
		}
		for _, s := range w.Suggestions {
			if s.DeputyID == d.ID && s.Status != records.REJECTED {
				earn(s.Submitted, records.PT_SUGGESTION, 1)
				if slices.Contains(s.Tags, "重点建议") {
					earn(s.Submitted, records.PT_KEY_SUGGESTION, 1)
				}
			}
		}
		for _, x := range w.Receptions {
			if slices.Contains(x.DeputyIDs, d.ID) {
				earn(x.Date, records.PT_RECEPTION_DUTY, 1)
			}
		}
		for _, x := range w.Sessions {
			for _, e := range x.Roll {
				if e.DeputyID == d.ID && e.Status == records.ABSENT {
					earn(x.Start, records.PT_ABSENCE, 1)
				}
				if e.DeputyID == d.ID && e.Status == records.PRESENT {
					earn(x.Start, records.PT_SESSION_HALF_DAY, naiveHalfDays(x))
				}
			}
		}
		for _, v := range d.Voters {
			for _, c := range v.Contacts {
				earn(c.Date, records.PT_VOTER_CONTACT, 1)
			}
		}
		closing := rulesOn(last)
		total := 0.0
		for item, sum := range sums {
			if closing != nil {
				for _, x := range closing.Items {
					if x.Item == item && x.Cap != nil {
						sum = max(-*x.Cap, min(*x.Cap, sum))
					}
				}
			}
			total += sum
		}
		if year && closing != nil {
			total += closing.Base
			if closing.Cap != nil {
				total = min(total, *closing.Cap)
			}
		}
		out[d.ID] = total
	}
	return out
}

// TestLedgerProperty: for random rules and records, each deputy's points
// are the rules applied naively to the records; a standing's points are
// the sum of its lines; the ranking is highest first.
func TestLedgerProperty(t *testing.T) {
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 21))
		w := randomWorld(r)
		p := points.Period{Year: 2024, Quarter: r.IntN(5)}
		if r.IntN(4) == 0 {
			p.AsOf = []records.Date{"2024-05-15", "2024-12-31", "2024-01-01", "2025-06-01"}[r.IntN(4)]
			p.Quarter = 0
		}
		first, last, err := p.Span()
		if err != nil {
			t.Fatalf("seed %d: span: %v", seed, err)
		}
		got, err := points.Ledger(w.Records, p)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		want := naive(w, first, last, p.Quarter == 0)
		if len(got) != len(want) {
			t.Fatalf("seed %d %+v: %d deputies ranked, want %d", seed, p, len(got), len(want))
		}
		for i, st := range got {
			if w, ok := want[st.Deputy.ID]; !ok || !near(st.Points, w) {
				t.Errorf("seed %d %+v: %s has %v points, want %v (naive)", seed, p, st.Deputy.ID, st.Points, w)
			}
			sum := 0.0
			for _, l := range st.Lines {
				sum += l.Points
				if l.Source.ID == "" || l.Source.Kind == "" || l.Date < first || l.Date > last {
					t.Errorf("seed %d: line %+v names no source or lies outside %s–%s", seed, l, first, last)
				}
			}
			if !near(sum, st.Points) {
				t.Errorf("seed %d: %s's lines add up to %v, its points are %v", seed, st.Deputy.ID, sum, st.Points)
			}
			if i > 0 && (got[i-1].Points < st.Points || got[i-1].Points == st.Points && got[i-1].Rank != st.Rank || got[i-1].Points > st.Points && st.Rank != i+1) {
				t.Errorf("seed %d: rank %d (%v) after rank %d (%v)", seed, st.Rank, st.Points, got[i-1].Rank, got[i-1].Points)
			}
		}
	}
}

// TestLedgerLocality: changing one record changes exactly the lines it
// sources: every other record's lines stay as they were (the lines the
// rules source — base, caps — follow the totals).
func TestLedgerLocality(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		w := randomWorld(r)
		p := points.Period{Year: 2024}
		before, err := points.Ledger(w.Records, p)
		if err != nil {
			t.Fatal(err)
		}
		changed := mutate(r, &w)
		after, err := points.Ledger(w.Records, p)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := others(before, changed), others(after, changed); !slices.Equal(a, b) {
			t.Errorf("seed %d: changing %s changed other records' lines:\nbefore %v\nafter  %v", seed, changed, a, b)
		}
	}
}

// mutate changes one random record (a new day, other deputies, more
// hours, a key tag) and answers its id.
func mutate(r *rand.Rand, w *world) string {
	ids := make([]string, len(w.Deputies))
	for i, d := range w.Deputies {
		ids[i] = d.ID
	}
	for {
		switch r.IntN(5) {
		case 0:
			if len(w.Inspections) > 0 {
				x := w.Inspections[r.IntN(len(w.Inspections))]
				x.Date.Date, x.ParticipantIDs = day(r), someOf(r, ids)
				return x.ID
			}
		case 1:
			if len(w.Activities) > 0 {
				a := w.Activities[r.IntN(len(w.Activities))]
				a.ParticipantIDs = someOf(r, ids)
				if a.Training != nil {
					a.Training.Hours += 1
				}
				return a.ID
			}
		case 2:
			if len(w.Suggestions) > 0 {
				s := w.Suggestions[r.IntN(len(w.Suggestions))]
				s.Tags, s.Submitted = []string{"重点建议"}, day(r)
				return s.ID
			}
		case 3:
			if len(w.Receptions) > 0 {
				x := w.Receptions[r.IntN(len(w.Receptions))]
				x.DeputyIDs = someOf(r, ids)
				return x.ID
			}
		case 4:
			d := w.Deputies[r.IntN(len(w.Deputies))]
			d.Voters = append(d.Voters, records.Voter{Name: "新选民", Contacts: []records.ContactEvent{{Date: day(r)}}})
			return d.ID
		}
	}
}

// others lists, as text, the lines records other than id source (not the
// rules' own lines), by deputy.
func others(ss []points.Standing, id string) []string {
	var out []string
	for _, s := range ss {
		for _, l := range s.Lines {
			if l.Source.ID != id && l.Source.Kind != records.KindPointRules {
				out = append(out, fmt.Sprintf("%s %s %s %s %v %v", s.Deputy.ID, l.Date, l.Item, l.Source.ID, l.Quantity, l.Points))
			}
		}
	}
	slices.Sort(out)
	return out
}

func near(a, b float64) bool { return a-b < 0.005 && b-a < 0.005 }

// TestLedgerExample: a small case written out, to read.
func TestLedgerExample(t *testing.T) {
	rules := &records.PointRules{Meta: records.Meta{ID: "r"}, Name: "办法", EffectiveFrom: "2024-01-01", Base: 60, SessionTag: "镇人民代表大会", KeyTag: "重点建议",
		Items: []records.PointRule{{Item: records.PT_SUGGESTION, Points: 3, Cap: ptr(5.0)}, {Item: records.PT_TRAINING_HOUR, Points: 0.5}, {Item: records.PT_KEY_SUGGESTION, Points: 5}}}
	w := points.Records{Rules: []*records.PointRules{rules},
		Deputies: []*records.Deputy{{Meta: records.Meta{ID: "a"}, Name: "甲", NameKey: "jia"}, {Meta: records.Meta{ID: "b"}, Name: "乙", NameKey: "yi"}},
		Suggestions: []*records.Suggestion{
			{Meta: records.Meta{ID: "s1", Tags: []string{"重点建议"}}, DeputyID: "a", Title: "修桥", Submitted: "2024-03-01"},
			{Meta: records.Meta{ID: "s2"}, DeputyID: "a", Title: "路灯", Submitted: "2024-04-01"},
			{Meta: records.Meta{ID: "s3"}, DeputyID: "b", Title: "去年的", Submitted: "2023-12-31"},
		},
		Activities: []*records.Activity{{Meta: records.Meta{ID: "t1"}, Kind: records.TRAINING, Title: "培训", Date: records.DateSpan{Date: "2024-05-01"},
			ParticipantIDs: []string{"b"}, Training: &records.Training{Hours: 3}}},
	}
	got, err := points.Ledger(w, points.Period{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	// 甲: 3 + 5 (key) + 3, suggestions capped at 5 (−1), base 60 = 70.
	// 乙: 3 hours × 0.5, base 60 = 61.5; last year's suggestion not counted.
	if len(got) != 2 || got[0].Deputy.ID != "a" || got[0].Points != 70 || got[1].Points != 61.5 || got[1].Rank != 2 {
		t.Fatalf("got %+v", got)
	}
	var items []string
	for _, l := range got[0].Lines {
		items = append(items, fmt.Sprintf("%s:%s:%v", l.Item, l.Source.ID, l.Points))
	}
	if want := []string{"SUGGESTION:s1:3", "KEY_SUGGESTION:s1:5", "SUGGESTION:s2:3", "CAP:r:-1", "BASE:r:60"}; !slices.Equal(items, want) {
		t.Errorf("甲's lines %v, want %v", items, want)
	}
}
