package records

import (
	"cmp"
	"slices"
)

// HandlingReport is a period's suggestions as they stood at the end of a
// day — a 通报's date — counted by the one definition (Handling), whole
// and by department, with each suggestion's state on that day for the
// document to name: the overdue, the late, the dissatisfied, the open.
type HandlingReport struct {
	From, To, Day Date
	Handling
	ByDepartment []DepartmentHandling // most assigned first, then by name
	Items        []SuggestionOnDay    // submitted in the period by Day, in submission order
	Feedback
}

// Feedback counts a period's suggestions against the township's monthly
// rule, that each deputy forward at least one valuable item a month
// (每名代表每月至少反馈一条有价值的信息或建议): the suggestions submitted
// in the period by the day that the presidium marked valuable, the
// deputies who forwarded at least one, and those who forwarded one in
// every month of the period.
type Feedback struct {
	Valuable           int
	DeputiesValuable   int
	DeputiesEveryMonth int
}

// newFeedback counts items against the monthly rule of the period from
// from to to.
func newFeedback(items []SuggestionOnDay, from, to Date) Feedback {
	var f Feedback
	months := map[string]map[int]bool{}
	for _, it := range items {
		s := it.Suggestion
		if !s.Valuable {
			continue
		}
		f.Valuable++
		if s.DeputyID == "" {
			continue
		}
		if months[s.DeputyID] == nil {
			months[s.DeputyID] = map[int]bool{}
		}
		months[s.DeputyID][s.Year*12+s.Month] = true
	}
	a, b := from.Time(), to.Time()
	n := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month()) + 1
	f.DeputiesValuable = len(months)
	for _, ms := range months {
		if len(ms) >= n {
			f.DeputiesEveryMonth++
		}
	}
	return f
}

// DepartmentHandling is one department's share.
type DepartmentHandling struct {
	Department string
	Handling
}

// SuggestionOnDay is a suggestion's handling on the day asked.
type SuggestionOnDay struct {
	Suggestion   *Suggestion
	Status       SuggestionStatus
	RepliedOn    *Date
	OnTime       *bool
	Overdue      bool // not answered by its deadline: replied after it, or no reply once it passed
	Satisfaction *Satisfaction
	// Deadline on the day; for an overdue one, the one it missed: the
	// reply awaited, else the late reply's.
	Deadline *Date
	// LateOn is the day of the first reply that came after its deadline.
	LateOn     *Date
	Redos      int
	Department string
}

// NewHandlingReport counts suggestions (those of a township; others are
// left to the caller) submitted from from to to, as they stood at the
// end of day.
func NewHandlingReport(xs []*Suggestion, from, to, day Date) *HandlingReport {
	r := &HandlingReport{From: from, To: to, Day: day}
	byDept := map[string]*DepartmentHandling{}
	sorted := slices.Clone(xs)
	slices.SortStableFunc(sorted, func(a, b *Suggestion) int { return cmp.Compare(a.Submitted, b.Submitted) })
	for _, s := range sorted {
		if s.Submitted < from || s.Submitted > to || s.Submitted > day {
			continue
		}
		rp := s.replay(day) // once: the figures (its values) and the item read it
		v := rp.values()
		r.Handling.Add(v, 1, day)
		it := SuggestionOnDay{Suggestion: s, Status: rp.status, Redos: rp.redos, Department: rp.department}
		if rp.onTime != nil {
			b := *rp.onTime
			it.OnTime = &b
		}
		if rp.firstReply != "" {
			on := rp.firstReply
			it.RepliedOn = &on
		}
		if rp.satisfaction != nil {
			x := *rp.satisfaction
			it.Satisfaction = &x
		}
		due := rp.replyDue
		it.Overdue = it.OnTime != nil && !*it.OnTime || due != "" && due < day
		if rp.lateOn != "" {
			late := rp.lateOn
			it.LateOn = &late
		}
		switch dl := rp.deadline; {
		case due != "" && due < day:
			dl = due
			it.Deadline = &dl
		case rp.lateOn != "":
			dl = rp.lateDeadline
			it.Deadline = &dl
		case dl != "":
			it.Deadline = &dl
		}
		r.Items = append(r.Items, it)
		if it.Status != SUBMITTED && it.Status != ACCEPTED && it.Status != REJECTED && it.Status != RETURNED && it.Department != "" {
			d := byDept[it.Department]
			if d == nil {
				d = &DepartmentHandling{Department: it.Department}
				byDept[it.Department] = d
			}
			d.Add(v, 1, day)
		}
	}
	r.Feedback = newFeedback(r.Items, from, to)
	for _, d := range byDept {
		r.ByDepartment = append(r.ByDepartment, *d)
	}
	slices.SortFunc(r.ByDepartment, func(a, b DepartmentHandling) int {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return cmp.Compare(a.Department, b.Department)
	})
	return r
}

// SortDepartments orders the departments most assigned first, and those
// with as many by key of their names (pinyin, as rosters are ordered).
func (r *HandlingReport) SortDepartments(key SortKey) {
	keys := make(map[string]string, len(r.ByDepartment)) // a key once per name, not per comparison
	for _, d := range r.ByDepartment {
		keys[d.Department] = key(d.Department)
	}
	slices.SortStableFunc(r.ByDepartment, func(a, b DepartmentHandling) int {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return cmp.Compare(keys[a.Department], keys[b.Department])
	})
}
