package analytics_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"renda/internal/records"
	"renda/internal/storetest"
)

// The naive side: every figure computed in Go from the records as read,
// one record at a time, with no help from the code under test.

// view is one record as the naive side groups it.
type view struct {
	town  string
	tags  []string
	attrs map[string]any
	// field is the record's value of a group field: a list for list
	// fields, with no empty items.
	field map[string]any
	num   map[string]*float64
	dates map[string]records.Date // min and max only; none left out
	sug   *records.Suggestion
}

var shanghai = time.FixedZone("CST", 8*3600)

// firstReply is the Shanghai day of the first step to REPLIED.
func firstReply(s *records.Suggestion) *records.Date {
	for _, h := range s.History {
		if h.To == records.REPLIED {
			d := records.Date(h.At.In(shanghai).Format(time.DateOnly))
			return &d
		}
	}
	return nil
}

// naiveReplies reads s's replies against the deadline in effect when each
// came: the one the latest step before it set (the record's own for a
// history without any). dated: some reply had a deadline; late: some
// reply came after it.
func naiveReplies(s *records.Suggestion) (dated, late bool) {
	var dl *records.Date
	stepped := false
	for _, h := range s.History {
		stepped = stepped || h.Deadline != nil
	}
	if !stepped {
		dl = s.Deadline
	}
	for _, h := range s.History {
		if h.Deadline != nil {
			dl = h.Deadline
		}
		if h.To == records.REPLIED && h.Step == "" && dl != nil {
			dated = true
			late = late || records.Date(h.At.In(shanghai).Format(time.DateOnly)) > *dl
		}
	}
	return dated, late
}

func strList[T ~string](xs []T) []any {
	out := []any{}
	for _, x := range xs {
		if x != "" {
			out = append(out, string(x))
		}
	}
	return out
}

func fnum[T int | float64](p *T) *float64 {
	if p == nil {
		return nil
	}
	f := float64(*p)
	return &f
}

func spanFields(m map[string]any, d records.DateSpan) {
	t := d.Date.Time()
	m["YEAR"], m["MONTH"], m["PRECISION"] = t.Year(), int(t.Month()), string(d.Precision)
	m["QUARTER"] = (int(t.Month())-1)/3 + 1
	m["HALF"] = 1
	if t.Month() > 6 {
		m["HALF"] = 2
	}
}

func views(c *county, kind records.Kind) []view {
	var out []view
	var dates map[string]records.Date
	add := func(m records.Meta, f map[string]any, n map[string]*float64) {
		f["TOWNSHIP"], f["TAG"] = m.Township, strList(m.Tags)
		out = append(out, view{town: m.Township, tags: m.Tags, attrs: m.Attributes, field: f, num: n, dates: dates})
		dates = nil
	}
	date := func(name string, d *records.Date) {
		if dates == nil {
			dates = map[string]records.Date{}
		}
		if d != nil && *d != "" {
			dates[name] = *d
		}
	}
	switch kind {
	case records.KindDeputy:
		for _, d := range c.deputies {
			var titles, years, levels []any
			for _, h := range d.Honours {
				titles, years, levels = append(titles, h.Title), append(years, h.Year), append(levels, string(h.Level))
			}
			date("BIRTH_DATE", d.BirthDate)
			var gender any
			if d.Gender != nil {
				gender = string(*d.Gender)
			}
			add(d.Meta, map[string]any{"LEVEL": strList(d.Levels), "GENDER": gender, "ETHNICITY": d.Ethnicity, "PARTY": d.Party,
				"OCCUPATION": d.Occupation, "TERM": d.Term, "GROUP": d.Group, "VILLAGE": d.VillageID,
				"HONOUR": titles, "HONOUR_YEAR": years, "HONOUR_LEVEL": levels,
				"AGE_BAND": naiveAgeBand(d.BirthDate), "VOTER_COUNT": len(d.Voters)}, map[string]*float64{})
		}
	case records.KindVillage:
		for _, v := range c.villages {
			var titles, years, levels []any
			for _, d := range v.Designations {
				titles, years = append(titles, d.Title), append(years, d.Year)
				if d.Level != "" {
					levels = append(levels, d.Level)
				}
			}
			add(v.Meta, map[string]any{"DESIGNATION": titles, "DESIGNATION_YEAR": years, "DESIGNATION_LEVEL": levels},
				map[string]*float64{"POPULATION": fnum(v.Population)})
		}
	case records.KindProject:
		for _, p := range c.projects {
			f := map[string]any{"KIND": string(p.Kind), "STATUS": string(p.Status), "YEAR": p.Year, "VILLAGE": strList(p.VillageIDs)}
			n := map[string]*float64{"LENGTH_KM": fnum(p.LengthKm)}
			if p.Surface != nil {
				f["SURFACE"] = string(*p.Surface)
			}
			if p.Funding != nil {
				var src []any
				for _, s := range p.Funding.Sources {
					src = append(src, s.Source)
				}
				f["FUNDING_SOURCE"] = src
				n["FUNDING_TOTAL"] = fnum(p.Funding.Total)
			}
			if p.Bidding != nil {
				f["BIDDING_METHOD"] = p.Bidding.Method
				n["BIDDING_TEAMS"] = fnum(&p.Bidding.Teams)
			}
			add(p.Meta, f, n)
		}
	case records.KindInspection:
		for _, x := range c.inspections {
			f := map[string]any{"ORGANISER": x.Organiser, "PARTICIPANT": strList(x.ParticipantIDs), "VILLAGE": strList(x.VillageIDs), "PROJECT": strList(x.ProjectIDs)}
			spanFields(f, x.Date)
			date("DATE", &x.Date.Date)
			date("DATE_END", &x.Date.End)
			total := len(x.ParticipantIDs)
			for _, h := range x.OtherParticipants {
				total += h.Count
			}
			add(x.Meta, f, map[string]*float64{"PARTICIPANT_COUNT": fnum(&total)})
		}
	case records.KindActivity:
		for _, a := range c.activities {
			f := map[string]any{"KIND": string(a.Kind), "CATEGORY": a.Category, "LOCATION": a.Location, "ORGANISER": a.Organiser,
				"PARTICIPANT": strList(a.ParticipantIDs), "VILLAGE": strList(a.VillageIDs), "PROJECT": strList(a.ProjectIDs)}
			spanFields(f, a.Date)
			date("DATE", &a.Date.Date)
			date("DATE_END", &a.Date.End)
			total := len(a.ParticipantIDs)
			for _, h := range a.OtherParticipants {
				total += h.Count
			}
			n := map[string]*float64{"PARTICIPANT_COUNT": fnum(&total)}
			if a.Standardization != nil {
				n["STANDARDIZATION_AMOUNT"] = fnum(a.Standardization.AmountYuan)
			}
			add(a.Meta, f, n)
		}
	case records.KindSuggestion:
		deputies := map[string]*records.Deputy{}
		for _, d := range c.deputies {
			deputies[d.ID] = d
		}
		for _, s := range c.suggestions {
			t := s.Submitted.Time()
			f := map[string]any{"YEAR": t.Year(), "MONTH": int(t.Month()), "QUARTER": (int(t.Month())-1)/3 + 1, "HALF": 1 + int(t.Month()-1)/6,
				"DEPUTY": s.DeputyID, "KIND": string(s.Kind), "STATUS": string(s.Status), "CATEGORY": s.Category,
				"DEPARTMENT": s.Department, "VALUABLE": s.Valuable, "DEPUTY_LEVEL": []any{},
				"SUPERVISED": s.Supervised, "EXTENDED": s.Extended}
			if s.ReplyClass != nil {
				f["REPLY_CLASS"] = string(*s.ReplyClass)
			}
			if d := deputies[s.DeputyID]; d != nil { // their deputy's fields
				f["DEPUTY_LEVEL"], f["DEPUTY_GROUP"], f["DEPUTY_PARTY"], f["DEPUTY_VILLAGE"] = strList(d.Levels), d.Group, d.Party, d.VillageID
				f["DEPUTY_AGE_BAND"] = naiveAgeBand(d.BirthDate)
			}
			if s.Satisfaction != nil {
				f["SATISFACTION"] = string(*s.Satisfaction)
			}
			n := map[string]*float64{}
			date("SUBMITTED", &s.Submitted)
			date("DEADLINE", s.Deadline)
			date("REPLIED_ON", firstReply(s))
			if r := firstReply(s); r != nil {
				days := r.Time().Sub(t).Hours() / 24
				n["DAYS_TO_REPLY"] = &days
				if dated, late := naiveReplies(s); dated {
					f["ON_TIME"] = !late
				}
			}
			if s.Satisfaction != nil {
				v := 1.0
				if *s.Satisfaction == records.DISSATISFIED {
					v = 0
				}
				n["SATISFIED"] = &v
			}
			add(s.Meta, f, n)
			out[len(out)-1].sug = s
		}
	}
	return out
}

// norm is a value as groups compare them: whole numbers int64, empty text
// none.
func norm(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case float64:
		if x == math.Trunc(x) {
			return int64(x)
		}
		return x
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

// items is what a value contributes to groups: each distinct item of a
// list (none if empty), the value itself otherwise.
func items(v any, list bool) []any {
	xs, isList := v.([]any)
	if !isList {
		if list {
			return []any{nil}
		}
		return []any{norm(v)}
	}
	var out []any
	for _, x := range xs {
		x = norm(x)
		if x != nil && !slices.ContainsFunc(out, func(y any) bool { return id(y) == id(x) }) {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return []any{nil}
	}
	return out
}

func id(v any) string { return fmt.Sprintf("%T:%v", v, v) }

func attr(m map[string]any, path string) any {
	var v any = m
	for _, p := range strings.Split(path, ".") {
		mm := records.AsMap(v)
		if mm == nil {
			return nil
		}
		v = mm[p]
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice { // bson.A as decoded
		xs := make([]any, rv.Len())
		for i := range xs {
			xs[i] = rv.Index(i).Interface()
		}
		return xs
	}
	return v
}

// naiveGroup is one group as the naive side counts it.
type naiveGroup struct {
	keys       []any
	count      int
	sums       []float64
	ns         []int
	mins, maxs []any // *float64 or records.Date
	distinct   map[string]bool
	// suggestions' handling as of naiveToday: counted from the records
	total, replied, onTime, late, overdue, satisfied, rated int
	// assigned: given to a department (neither rejected nor waiting to be)
	assigned int
}

// naiveAgeBand is the band of the age, on naiveToday, of one born on
// birth: whole years, a year more once the day reaches the birthday's
// month and day; nil without a birth date.
func naiveAgeBand(birth *records.Date) any {
	if birth == nil {
		return nil
	}
	return string(storetest.NaiveAgeBand(string(*birth), string(naiveToday)))
}

// naiveToday is the day the rates are asked on, and the ages.
const naiveToday = records.Date("2023-07-15")

// addHandling counts s's handling into g, from its history and fields.
func (g *naiveGroup) addHandling(s *records.Suggestion) {
	g.total++
	switch s.Status {
	case records.SUBMITTED, records.ACCEPTED, records.REJECTED:
	default:
		g.assigned++
	}
	awaiting := false
	switch s.Status {
	case records.SUBMITTED, records.ACCEPTED, records.ASSIGNED, records.REOPENED:
		awaiting = s.Deadline != nil && *s.Deadline < naiveToday
	}
	if firstReply(s) != nil {
		g.replied++
	}
	if dated, late := naiveReplies(s); awaiting {
		g.overdue++
	} else if dated && late {
		g.late++
	} else if dated {
		g.onTime++
	}
	if s.Satisfaction != nil {
		g.rated++
		if *s.Satisfaction != records.DISSATISFIED {
			g.satisfied++
		}
	}
}

// rates are the group's handling, on-time and satisfied rates, -1 for none.
func (g *naiveGroup) rates() [3]float64 {
	r := func(a, b int) float64 {
		if b == 0 {
			return -1
		}
		return float64(a) / float64(b)
	}
	return [3]float64{r(g.replied, g.assigned), r(g.onTime, g.onTime+g.late+g.overdue), r(g.satisfied, g.rated)}
}
