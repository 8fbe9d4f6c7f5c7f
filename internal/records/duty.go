package records

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// DutyRecord is what a deputy did in one year (履职档案), assembled from
// the records that name them.
type DutyRecord struct {
	Year                  int
	Inspections           []*Inspection
	Activities            []*Activity
	Suggestions           []*Suggestion
	SuggestionsByMonth    []MonthCount
	SuggestionsByStatus   []StatusCount
	VoterContacts         []VoterContact
	Honours               []Honour
	MonthsWithoutValuable []int
	MonthsChecked         int // the months over at the time, 0 to 12
	// Handling is the year's suggestions counted by the one definition
	// (what the 通报 and the dashboard count), as they stand on the day
	// asked, or at the year's end for a year that is over: the deputy's
	// 述职报告 and 履职档案 both phrase it.
	Handling *HandlingReport
}

// MonthCount counts one month's suggestions, and how many were valuable.
type MonthCount struct {
	Month    int
	Count    int
	Valuable int
}

// StatusCount counts suggestions at one status.
type StatusCount struct {
	Status SuggestionStatus
	Count  int
}

// VoterContact is one contact event with the voter it was with.
type VoterContact struct {
	Voter string
	ContactEvent
}

// Compliant reports the township's rule: at least one valuable item in
// every month checked.
func (r *DutyRecord) Compliant() bool { return len(r.MonthsWithoutValuable) == 0 }

// NewDutyRecord assembles a deputy's year. The inspections, activities and
// suggestions are those of the year that name the deputy. Months are
// checked for the monthly rule only once they are over (at now, in
// Asia/Shanghai time): a past year all twelve, the current year up to last
// month, a future year none.
func NewDutyRecord(d *Deputy, year int, inspections []*Inspection, activities []*Activity, suggestions []*Suggestion, now time.Time) *DutyRecord {
	r := &DutyRecord{Year: year, Inspections: inspections, Activities: activities, Suggestions: suggestions}
	from, to := Date(fmt.Sprintf("%d-01-01", year)), Date(fmt.Sprintf("%d-12-31", year))
	day := DateOf(now.In(shanghai))
	if day > to {
		day = to
	}
	r.Handling = NewHandlingReport(suggestions, from, to, day)
	months := make([]MonthCount, 12)
	statuses := map[SuggestionStatus]int{}
	for i := range months {
		months[i].Month = i + 1
	}
	for _, s := range suggestions {
		if s.Year != year {
			continue
		}
		months[s.Month-1].Count++
		if s.Valuable {
			months[s.Month-1].Valuable++
		}
		statuses[s.Status]++
	}
	r.SuggestionsByMonth = months
	for _, st := range []SuggestionStatus{SUBMITTED, ACCEPTED, ASSIGNED, REPLIED, EVALUATED, CLOSED, REJECTED, REOPENED} {
		if n := statuses[st]; n > 0 {
			r.SuggestionsByStatus = append(r.SuggestionsByStatus, StatusCount{st, n})
		}
	}
	for _, v := range d.Voters {
		for _, c := range v.Contacts {
			if c.Date.Time().Year() == year {
				r.VoterContacts = append(r.VoterContacts, VoterContact{Voter: v.Name, ContactEvent: c})
			}
		}
	}
	slices.SortStableFunc(r.VoterContacts, func(a, b VoterContact) int { return cmp.Compare(a.Date, b.Date) })
	for _, h := range d.Honours {
		if h.Year == year {
			r.Honours = append(r.Honours, h)
		}
	}
	r.MonthsWithoutValuable = []int{}
	r.MonthsChecked = monthsOver(year, now)
	for m := 1; m <= r.MonthsChecked; m++ {
		if months[m-1].Valuable == 0 {
			r.MonthsWithoutValuable = append(r.MonthsWithoutValuable, m)
		}
	}
	return r
}

// shanghai is where township calendars are kept; fixed UTC+8, no DST.
var shanghai = time.FixedZone("Asia/Shanghai", 8*60*60)

// monthsOver is how many months of year have ended at now.
func monthsOver(year int, now time.Time) int {
	local := now.In(shanghai)
	switch {
	case local.Year() > year:
		return 12
	case local.Year() < year:
		return 0
	}
	return int(local.Month()) - 1
}
