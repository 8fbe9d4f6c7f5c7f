package records_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// spanDays is how many days a span of each precision may cover.
var spanDays = map[records.Precision][2]int{
	records.DAY:    {1, 1},
	records.DEKAD:  {8, 11},
	records.MONTH:  {28, 31},
	records.SEASON: {90, 92},
	records.HALF:   {181, 184},
	records.YEAR:   {365, 366},
}

// FuzzDateSpan: any date and precision either validate, and then the
// derived fields agree with the date (End a real date not before it,
// covering the precision's days, the next span starting the day after;
// Year, Month, Quarter from the date; a text to print), or are refused as
// EINVALID on date or precision. Nothing panics, valid or not.
func FuzzDateSpan(f *testing.F) {
	for _, s := range []struct {
		date string
		p    uint8
	}{
		{"2023-04-05", 0}, {"2023-10-11", 1}, {"2024-02-21", 1}, {"2023-02-21", 1}, {"2023-10-01", 2},
		{"2023-12-01", 3}, {"2023-03-01", 3}, {"2023-07-01", 4}, {"2023-01-01", 5},
		{"9999-12-01", 3}, {"9999-12-21", 1}, {"9999-07-01", 4}, {"0000-01-01", 5}, {"0001-12-01", 3},
		{"2023-10-12", 1}, {"2023-02-29", 0}, {"2023-13-01", 2}, {"2023-1-01", 0}, {"+2023-01-01", 0},
		{"2023-01-01T00:00:00Z", 0}, {"", 0}, {"2023-01-01", 6}, {"2023-01-01", 7},
	} {
		f.Add(s.date, s.p)
	}
	f.Fuzz(func(t *testing.T, date string, p uint8) {
		var precision records.Precision
		switch {
		case int(p) < len(records.Precisions):
			precision = records.Precisions[p]
		case p%2 == 0:
			precision = ""
		default:
			precision = "day"
		}
		d, parseErr := records.ParseDate(date)
		if parseErr == nil {
			if d != records.Date(date) || !d.Valid() || d.Time().Format(time.DateOnly) != date {
				t.Fatalf("ParseDate(%q) = %q, which does not read back as itself", date, d)
			}
		}
		s := records.DateSpan{Date: records.Date(date), Precision: precision}
		_, _ = s.Text(), s.FullText() // any span prints without a panic
		err := s.Validate()
		if err != nil {
			var re *records.Error
			if !errors.As(err, &re) || re.Code != records.EINVALID || (re.Field != "date" && re.Field != "precision") {
				t.Fatalf("Validate(%q, %s) = %v, want EINVALID on date or precision", date, precision, err)
			}
			return
		}
		if parseErr != nil {
			t.Fatalf("span %q %s validates, but ParseDate refuses its date: %v", date, precision, parseErr)
		}
		s.Normalize()
		start := s.Date.Time()
		end, endErr := records.ParseDate(string(s.End))
		year, _ := strconv.Atoi(date[:4])
		switch {
		case endErr != nil:
			t.Fatalf("span %q %s ends on %q, not a date: %v", date, precision, s.End, endErr)
		case s.End < s.Date:
			t.Fatalf("span %q %s ends on %s, before it starts", date, precision, s.End)
		case s.Year != start.Year() || s.Year != year:
			t.Fatalf("span %q: year %d", date, s.Year)
		case s.Month != int(start.Month()) || s.Month < 1 || s.Month > 12:
			t.Fatalf("span %q: month %d", date, s.Month)
		case s.Quarter != (s.Month+2)/3:
			t.Fatalf("span %q: quarter %d for month %d", date, s.Quarter, s.Month)
		}
		days := int(end.Time().Sub(start).Hours()/24) + 1
		if r := spanDays[precision]; days < r[0] || days > r[1] {
			t.Fatalf("span %q %s covers %d days (to %s), want %d to %d", date, precision, days, s.End, r[0], r[1])
		}
		if next := end.Time().AddDate(0, 0, 1); next.Year() <= 9999 {
			after := records.DateSpan{Date: records.DateOf(next), Precision: precision}
			if err := after.Validate(); err != nil {
				t.Fatalf("span %q %s ends on %s, but the next span of its precision cannot start the day after: %v", date, precision, s.End, err)
			}
		}
		text, full := s.Text(), s.FullText()
		if text == "" || !strings.HasPrefix(full, strconv.Itoa(s.Year)+"年") {
			t.Fatalf("span %q %s prints as %q, %q", date, precision, text, full)
		}
		if precision != records.YEAR && !strings.HasSuffix(full, text) {
			t.Fatalf("span %q %s: full text %q does not end with %q", date, precision, full, text)
		}
	})
}
