package analytics

import "renda/internal/records"

// Stat names a figure of a group's number.
type Stat string

const (
	StatSum     Stat = "SUM"
	StatAverage Stat = "AVERAGE"
	StatMin     Stat = "MIN"
	StatMax     Stat = "MAX"
)

// NumberHaving keeps the groups whose Stat of Number passes Float (a
// number's) or Date (a date's min or max).
type NumberHaving struct {
	Stat   Stat
	Number NumberRef
	Float  *records.FloatFilter `json:",omitempty"`
	Date   *records.DateFilter  `json:",omitempty"`
	Field  string               `json:"-"` // where it was asked, for errors
}

// Having is which groups an answer keeps: every condition given must
// hold.
type Having struct {
	Count   *records.IntFilter
	Numbers []NumberHaving
	Rates   []RateHaving
}

// Rate names one of records.Handling's rates.
type Rate string

const (
	RateHandling  Rate = "HANDLING"
	RateOnTime    Rate = "ON_TIME"
	RateSatisfied Rate = "SATISFIED"
)

// RateHaving keeps the groups whose Rate passes Float (a rate with
// nothing to divide by is null).
type RateHaving struct {
	Rate  Rate
	Float *records.FloatFilter
	Field string `json:"-"`
}

// Of is the rate of h.
func (r Rate) Of(h *records.Handling) *float64 {
	switch r {
	case RateHandling:
		return h.HandlingRate()
	case RateOnTime:
		return h.OnTimeRate()
	case RateSatisfied:
		return h.SatisfiedRate()
	}
	return nil
}

// prepare checks h and finds (or adds) its numbers among req's, so the
// grouping reads them; at[i] is Numbers[i]'s index.
func (h *Having) prepare(req *Request) (at []int, err error) {
	if h == nil {
		return nil, nil
	}
	if err := h.Count.CheckHaving("having.count"); err != nil {
		return nil, err
	}
	for _, r := range h.Rates {
		if err := r.Float.CheckHaving(r.Field); err != nil {
			return nil, err
		}
		if req.Kind != records.KindSuggestion {
			return nil, records.Invalidf(r.Field, "only suggestions have rates")
		}
		req.Rates = true
	}
	spec := Specs[req.Kind]
	for _, n := range h.Numbers {
		if err := n.Float.CheckHaving(n.Field); err != nil {
			return nil, err
		}
		if err := n.Date.CheckHaving(n.Field); err != nil {
			return nil, err
		}
		if n.Number.Attribute != "" {
			if err := checkPath(n.Number.Attribute, n.Field+".path"); err != nil {
				return nil, err
			}
		}
		if n.Number.Number != "" && spec != nil {
			x, ok := spec.Number(n.Number.Number)
			switch {
			case !ok:
				return nil, records.Invalidf(n.Field, "%s has no number %q", req.Kind.Noun(), n.Number.Number)
			case x.Date && (n.Stat == StatSum || n.Stat == StatAverage):
				return nil, records.Invalidf(n.Field, "a date has no %s", n.Stat)
			}
		}
		at = append(at, req.numberIndex(n.Number))
	}
	return at, nil
}

// match reports whether g passes h.
func (h *Having) match(g *Group, at []int) bool {
	if h == nil {
		return true
	}
	if !h.Count.Match(g.Count) {
		return false
	}
	for _, r := range h.Rates {
		if !r.Float.Match(r.Rate.Of(&g.handling)) {
			return false
		}
	}
	for i, n := range h.Numbers {
		var v any
		switch n.Stat {
		case StatSum:
			v = g.Sum(at[i])
		case StatAverage:
			v = g.Average(at[i])
		case StatMin:
			v = g.Min(at[i])
		case StatMax:
			v = g.Max(at[i])
		}
		switch x := v.(type) {
		case *float64:
			if n.Date != nil || !n.Float.Match(x) {
				return false
			}
		case records.Date:
			if n.Float != nil || !n.Date.Match(&x) {
				return false
			}
		default: // none holds the number
			if !n.Float.Match(nil) || !n.Date.Match(nil) {
				return false
			}
		}
	}
	return true
}
