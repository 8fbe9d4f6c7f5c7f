// Package points counts deputies' duty points (履职积分): a ledger derived
// from the records by a township's rules, every line naming the record it
// comes from, and the deputies ranked by their total. Nothing is stored:
// the ledger is computed when asked, so it follows every change of a
// record or of the rules at once.
package points

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"renda/internal/records"
)

// Period is what a ranking counts: a year, or one of its quarters, up to
// a day (AsOf) if it is not over.
type Period struct {
	Year    int
	Quarter int // 0 for the whole year
	// AsOf, if set, stops the period on that day: later records do not
	// count, and the rules are those in effect on it.
	AsOf records.Date
}

// Span is the period's first and last day.
func (p Period) Span() (first, last records.Date, err error) {
	if p.Year < 1949 || p.Year > 2100 {
		return "", "", records.Invalidf("year", "year %d is out of range", p.Year)
	}
	if p.Quarter < 0 || p.Quarter > 4 {
		return "", "", records.Invalidf("quarter", "quarter is 1 to 4")
	}
	start := time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, -1)
	if p.Quarter > 0 {
		start = time.Date(p.Year, time.Month(3*p.Quarter-2), 1, 0, 0, 0, 0, time.UTC)
		end = start.AddDate(0, 3, -1)
	}
	first, last = records.DateOf(start), records.DateOf(end)
	if p.AsOf != "" {
		if !p.AsOf.Valid() {
			return "", "", records.Invalidf("asOf", "%q is not a date in YYYY-MM-DD form", p.AsOf)
		}
		if p.AsOf < first {
			return "", "", records.Invalidf("asOf", "asOf %s is before the period starts (%s)", p.AsOf, first)
		}
		last = min(last, p.AsOf)
	}
	return first, last, nil
}

// Source names the record a line comes from.
type Source struct {
	Kind  records.Kind
	ID    string
	Title string
}

// Line is one entry of a deputy's ledger.
type Line struct {
	Date records.Date
	Item records.PointItem
	// Quantity is how many times the item occurred: 1, or the hours of a
	// training, the half-days of a session.
	Quantity float64
	Points   float64
	Source   Source
	// Rules is the id of the rules that gave the points.
	Rules string
	Note  string
	// Capped is, on a CAP line, the item whose cap it applies (nil for
	// the cap on the year).
	Capped *records.PointItem
}

// Standing is one deputy's total and lines in a ranking.
type Standing struct {
	Rank   int // 1 for the highest; equal points, equal rank
	Deputy *records.Deputy
	Points float64
	Lines  []Line
}

// Records are what a ledger is computed from: one township's.
type Records struct {
	Rules       []*records.PointRules
	Deputies    []*records.Deputy
	Inspections []*records.Inspection
	Activities  []*records.Activity
	Suggestions []*records.Suggestion
	Receptions  []*records.Reception
	// Sessions give the absences: a deputy ABSENT on a session's roll
	// call (not on leave) loses the ABSENCE points.
	Sessions []*records.CongressSession
}

// ruleBook finds the rules in effect on a day: the latest effective on or
// before it (by id among those of one day).
type ruleBook []*records.PointRules

func newRuleBook(rules []*records.PointRules) ruleBook {
	b := slices.Clone(rules)
	slices.SortFunc(b, func(x, y *records.PointRules) int {
		return cmp.Or(cmp.Compare(x.EffectiveFrom, y.EffectiveFrom), cmp.Compare(x.ID, y.ID))
	})
	return b
}

func (b ruleBook) on(d records.Date) *records.PointRules {
	i, _ := slices.BinarySearchFunc(b, d, func(x *records.PointRules, d records.Date) int {
		if x.EffectiveFrom <= d {
			return -1
		}
		return 1
	})
	if i == 0 {
		return nil
	}
	return b[i-1]
}

// occurrence is one time an item occurred for a deputy, before the rules.
type occurrence struct {
	date   records.Date
	item   records.PointItem
	qty    float64
	source *Source // shared by the occurrences of one record
	note   string
}

// Ledger ranks the deputies serving any day of the period by the points
// the records of the period earn them, highest first.
//
// Each record gives its lines by the rules in effect on its day (a record
// before any rules gives none). A year adds each deputy's base (the rules
// in effect on its last day); a quarter has none. An item's cap bounds
// what it gives a deputy in the period: past it, a CAP line takes the
// excess back, and a cap on the total does the same for the year. The
// lines of a record depend on that record and the rules only.
func Ledger(in Records, p Period) ([]Standing, error) {
	first, last, err := p.Span()
	if err != nil {
		return nil, err
	}
	book := newRuleBook(in.Rules)
	byDeputy := map[string][]occurrence{}
	add := func(deputies []string, d records.Date, item records.PointItem, qty float64, src *Source, note string) {
		if d < first || d > last || qty == 0 {
			return
		}
		for _, id := range deputies {
			byDeputy[id] = append(byDeputy[id], occurrence{d, item, qty, src, note})
		}
	}
	for _, x := range in.Inspections {
		add(x.ParticipantIDs, x.Date.Date, records.PT_INSPECTION, 1, &Source{records.KindInspection, x.ID, x.Topic}, "")
	}
	for _, a := range in.Activities {
		src := &Source{records.KindActivity, a.ID, a.Title}
		switch a.Kind {
		case records.DELIBERATION:
			add(a.ParticipantIDs, a.Date.Date, records.PT_DELIBERATION, 1, src, "")
		case records.GROUP_DAY:
			add(a.ParticipantIDs, a.Date.Date, records.PT_GROUP_DAY, 1, src, "")
		case records.TRAINING:
			if a.Training != nil {
				add(a.ParticipantIDs, a.Date.Date, records.PT_TRAINING_HOUR, a.Training.Hours, src, "")
			}
		case records.MEETING:
			// A session recorded with its roll call counts from the roll
			// (below); a meeting tagged as the session counts only where none is.
			if r := book.on(a.Date.Date); r != nil && slices.Contains(a.Tags, r.SessionTag) && !rolled(in.Sessions, a.Date.Date) {
				add(a.ParticipantIDs, a.Date.Date, records.PT_SESSION_HALF_DAY, HalfDays(a), src, "")
			}
		}
	}
	for _, s := range in.Suggestions {
		if s.Status == records.REJECTED {
			continue
		}
		src := &Source{records.KindSuggestion, s.ID, s.Title}
		add([]string{s.DeputyID}, s.Submitted, records.PT_SUGGESTION, 1, src, "")
		if r := book.on(s.Submitted); r != nil && slices.Contains(s.Tags, r.KeyTag) {
			add([]string{s.DeputyID}, s.Submitted, records.PT_KEY_SUGGESTION, 1, src, "")
		}
	}
	for _, x := range in.Receptions {
		add(x.DeputyIDs, x.Date, records.PT_RECEPTION_DUTY, 1, &Source{records.KindReception, x.ID, x.Station}, "")
	}
	for _, d := range in.Deputies {
		src := &Source{records.KindDeputy, d.ID, d.Name}
		for _, v := range d.Voters {
			for _, c := range v.Contacts {
				add([]string{d.ID}, c.Date, records.PT_VOTER_CONTACT, 1, src, contactNote(v.Name, c))
			}
		}
	}
	// From a session's roll call: each deputy present earns its half-days;
	// 无故缺席, absent and not on leave, loses the ABSENCE points.
	for _, x := range in.Sessions {
		src := &Source{records.KindCongressSession, x.ID, x.Title}
		for _, r := range x.Roll {
			switch r.Status {
			case records.PRESENT:
				add([]string{r.DeputyID}, x.Start, records.PT_SESSION_HALF_DAY, float64(x.HalfDays()), src, "")
			case records.ABSENT:
				add([]string{r.DeputyID}, x.Start, records.PT_ABSENCE, 1, src, r.Note)
			}
		}
	}

	closing := book.on(last)
	var out []Standing
	for _, d := range in.Deputies {
		if !d.ServingWithin(first, last) {
			continue
		}
		st := Standing{Deputy: d, Lines: []Line{}}
		os := byDeputy[d.ID]
		slices.SortFunc(os, func(a, b occurrence) int {
			return cmp.Or(cmp.Compare(a.date, b.date), cmp.Compare(a.source.ID, b.source.ID),
				cmp.Compare(itemOrder[a.item], itemOrder[b.item]), cmp.Compare(a.note, b.note))
		})
		for _, o := range os {
			r := book.on(o.date)
			if r == nil {
				continue
			}
			rule := r.Rule(o.item)
			if rule == nil || rule.Points == 0 {
				continue
			}
			st.Lines = append(st.Lines, Line{Date: o.date, Item: o.item, Quantity: o.qty, Points: round(rule.Points * o.qty),
				Source: *o.source, Rules: r.ID, Note: o.note})
		}
		st.Lines = append(st.Lines, caps(st.Lines, closing, last)...)
		if p.Quarter == 0 && closing != nil && closing.Base != 0 {
			st.Lines = append(st.Lines, Line{Date: last, Item: records.PT_BASE, Quantity: 1, Points: closing.Base,
				Source: Source{records.KindPointRules, closing.ID, closing.Name}, Rules: closing.ID})
		}
		st.Points = total(st.Lines)
		if p.Quarter == 0 && closing != nil && closing.Cap != nil && st.Points > *closing.Cap {
			st.Lines = append(st.Lines, Line{Date: last, Item: records.PT_CAP, Quantity: 1, Points: round(*closing.Cap - st.Points),
				Source: Source{records.KindPointRules, closing.ID, closing.Name}, Rules: closing.ID, Note: "年度积分封顶"})
			st.Points = total(st.Lines)
		}
		out = append(out, st)
	}
	Rank(out)
	return out, nil
}

// caps are the CAP lines taking back what items give past their caps, by
// the rules in effect on the period's last day.
func caps(lines []Line, r *records.PointRules, last records.Date) []Line {
	if r == nil {
		return nil
	}
	sums := map[records.PointItem]float64{}
	for _, l := range lines {
		sums[l.Item] += l.Points
	}
	var out []Line
	for _, item := range records.PointItems {
		sum, ok := sums[item]
		rule := r.Rule(item)
		if !ok || rule == nil || rule.Cap == nil {
			continue
		}
		limit := *rule.Cap
		var cut float64
		switch {
		case sum > limit:
			cut = limit - sum
		case sum < -limit:
			cut = -limit - sum
		default:
			continue
		}
		out = append(out, Line{Date: last, Item: records.PT_CAP, Quantity: 1, Points: round(cut),
			Source: Source{records.KindPointRules, r.ID, r.Name}, Rules: r.ID, Capped: &item,
			Note: fmt.Sprintf("%s封顶%s分", records.PointItemLabels[item], trim(limit))})
	}
	return out
}

// Rank orders standings highest first (equal points by the deputies'
// names, pinyin, then ids) and numbers them, equal points sharing a rank.
func Rank(out []Standing) {
	slices.SortStableFunc(out, func(a, b Standing) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(a.Deputy.NameKey, b.Deputy.NameKey), cmp.Compare(a.Deputy.ID, b.Deputy.ID))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Points == out[i-1].Points {
			out[i].Rank = out[i-1].Rank
		}
	}
}

// rolled reports whether a session with a roll call sat on day d.
func rolled(sessions []*records.CongressSession, d records.Date) bool {
	return slices.ContainsFunc(sessions, func(x *records.CongressSession) bool {
		return len(x.Roll) > 0 && x.Start <= d && d <= x.LastDay()
	})
}

// HalfDays is how many half-days a session meeting counts: its attribute
// halfDays when a positive number, else 1.
func HalfDays(a *records.Activity) float64 {
	if n, ok := records.Number(a.Attributes["halfDays"]); ok && n > 0 && n <= 20 {
		return math.Floor(n)
	}
	return 1
}

func contactNote(voter string, c records.ContactEvent) string {
	if c.Channel != "" {
		return voter + "(" + c.Channel + ")"
	}
	return voter
}

func total(lines []Line) float64 {
	var t float64
	for _, l := range lines {
		t += l.Points
	}
	return round(t)
}

// round keeps points to the hundredth, so sums of halves and tenths
// compare as written.
func round(f float64) float64 { return math.Round(f*100) / 100 }

func trim(f float64) string { return fmt.Sprint(round(f)) }

// itemOrder ranks the items as records.PointItems lists them.
var itemOrder = func() map[records.PointItem]int {
	m := map[records.PointItem]int{}
	for i, item := range records.PointItems {
		m[item] = i
	}
	return m
}()

// Subtotal is what one item adds to a deputy's points.
type Subtotal struct {
	Item   records.PointItem
	Points float64
}

// ByItem adds up the standing's lines by item, each item's cap applied to
// it, in the order of records.PointItems, then the base and the cut of the
// cap on the year: the columns of a 积分公示表. Items without lines are
// left out.
func (s *Standing) ByItem() []Subtotal {
	sums := map[records.PointItem]float64{}
	for _, l := range s.Lines {
		item := l.Item
		if l.Item == records.PT_CAP && l.Capped != nil {
			item = *l.Capped
		}
		sums[item] += l.Points
	}
	var out []Subtotal
	for _, item := range append(slices.Clone(records.PointItems), records.PT_BASE, records.PT_CAP) {
		if p, ok := sums[item]; ok {
			out = append(out, Subtotal{item, round(p)})
		}
	}
	return out
}
