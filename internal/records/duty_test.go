package records_test

import (
	"slices"
	"testing"
	"time"

	"renda/internal/records"
)

func TestNewDutyRecord(t *testing.T) {
	d := &records.Deputy{Name: "张三",
		Honours: []records.Honour{{Year: 2023, Title: "优秀人大代表", Level: records.COUNTY}, {Year: 2022, Title: "旧", Level: records.TOWNSHIP}},
		Voters:  []records.Voter{{Name: "李四", Contacts: []records.ContactEvent{{Date: "2023-06-02"}, {Date: "2023-02-01"}, {Date: "2022-12-30"}}}}}
	var sugs []*records.Suggestion
	for _, m := range []int{1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 11} {
		s := &records.Suggestion{Submitted: records.Date(time.Date(2023, time.Month(m), 3, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)),
			Valuable: m != 2, Status: records.SUBMITTED}
		s.Derive(nil)
		sugs = append(sugs, s)
	}
	t.Run("PastYear", func(t *testing.T) {
		r := records.NewDutyRecord(d, 2023, nil, nil, sugs, time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
		if r.MonthsChecked != 12 {
			t.Errorf("a past year: %d months checked, want 12", r.MonthsChecked)
		}
		if got, want := r.MonthsWithoutValuable, []int{2, 3, 12}; !slices.Equal(got, want) {
			t.Fatalf("months without a valuable item = %v, want %v", got, want)
		}
		if r.SuggestionsByMonth[1].Count != 2 || r.SuggestionsByMonth[1].Valuable != 0 || r.Compliant() {
			t.Fatalf("February = %+v, compliant %v; want 2 items, none valuable, not compliant", r.SuggestionsByMonth[1], r.Compliant())
		}
		if len(r.Honours) != 1 || len(r.VoterContacts) != 2 || r.VoterContacts[0].Date != "2023-02-01" {
			t.Fatalf("honours %v contacts %v; want the 2023 honour and two 2023 contacts, oldest first", r.Honours, r.VoterContacts)
		}
		if len(r.SuggestionsByStatus) != 1 || r.SuggestionsByStatus[0].Count != 11 {
			t.Fatalf("by status = %v, want 11 SUBMITTED", r.SuggestionsByStatus)
		}
	})
	t.Run("CurrentYearChecksOnlyMonthsOver", func(t *testing.T) {
		// 1 March 2023 08:00 in Shanghai is still 28 February in UTC.
		r := records.NewDutyRecord(d, 2023, nil, nil, sugs, time.Date(2023, 2, 28, 17, 0, 0, 0, time.UTC))
		if r.MonthsChecked != 2 {
			t.Errorf("on 1 March (Shanghai): %d months checked, want 2", r.MonthsChecked)
		}
		if got, want := r.MonthsWithoutValuable, []int{2}; !slices.Equal(got, want) {
			t.Fatalf("months without a valuable item = %v, want %v", got, want)
		}
	})
	t.Run("FutureYear", func(t *testing.T) {
		r := records.NewDutyRecord(d, 2030, nil, nil, nil, time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC))
		if len(r.MonthsWithoutValuable) != 0 || !r.Compliant() || r.MonthsChecked != 0 {
			t.Fatalf("a future year has months %v without items, want none checked", r.MonthsWithoutValuable)
		}
	})
}
