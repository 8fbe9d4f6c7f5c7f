package records

import (
	"fmt"
	"time"
)

// Date is a calendar date without time of day or zone, written YYYY-MM-DD.
// Events in a township's year are dated this way; timestamps are time.Time.
type Date string

// ParseDate checks that s is a real calendar date in YYYY-MM-DD form.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return "", fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	return Date(s), nil
}

// Time returns the date as midnight UTC; the zero time for an invalid date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool { _, err := ParseDate(string(d)); return err == nil }

// DateOf returns t's calendar date in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	if y < 1000 || y > 9999 {
		return Date(t.Format(time.DateOnly))
	}
	// By hand: histories are replayed per suggestion per report, and
	// Format reads its layout each time.
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return Date(b[:])
}

// Precision says how exactly a DateSpan's date is known.
type Precision string

const (
	DAY    Precision = "DAY"    // 4月5日
	DEKAD  Precision = "DEKAD"  // 10月中旬: the first, middle or last third of a month
	MONTH  Precision = "MONTH"  // 10月
	SEASON Precision = "SEASON" // 春季: spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb
	HALF   Precision = "HALF"   // 上半年 / 下半年
	YEAR   Precision = "YEAR"   // 全年
)

// Precisions lists every precision, finest first.
var Precisions = []Precision{DAY, DEKAD, MONTH, SEASON, HALF, YEAR}

// DateSpan is a date plus how precisely it is known: "10月中旬" is stored as
// 2023-10-11 with precision DEKAD and printed back the same way. Date is the
// first day of the span. Year, Half, Quarter, Month and End are derived at
// write time (Normalize) so MongoDB can filter and group on them without
// date operators, which FerretDB lacks; all but End are those of the first
// day.
type DateSpan struct {
	Date      Date      `json:"date" bson:"date"`
	Precision Precision `json:"precision" bson:"precision"`
	End       Date      `json:"end" bson:"end"`
	Year      int       `json:"year" bson:"year"`
	Half      int       `json:"half" bson:"half"` // 1 上半年, 2 下半年
	Month     int       `json:"month" bson:"month"`
	Quarter   int       `json:"quarter" bson:"quarter"`
}

// Validate checks that the date is real and starts a span of its precision.
func (s *DateSpan) Validate() error {
	if s == nil {
		return nil
	}
	if _, err := ParseDate(string(s.Date)); err != nil {
		return Invalidf("date", "%s", err.Error())
	}
	t := s.Date.Time()
	m, d := t.Month(), t.Day()
	switch s.Precision {
	case DAY:
	case DEKAD:
		if d != 1 && d != 11 && d != 21 {
			return Invalidf("precision", "a DEKAD (旬) span starts on day 1, 11 or 21 of its month (10月中旬 is YYYY-10-11), not on %s", s.Date)
		}
	case MONTH:
		if d != 1 {
			return Invalidf("precision", "a MONTH span starts on the first of its month, not on %s", s.Date)
		}
	case SEASON:
		if d != 1 || (m != 3 && m != 6 && m != 9 && m != 12) {
			return Invalidf("precision", "a SEASON span starts on 03-01 (春), 06-01 (夏), 09-01 (秋) or 12-01 (冬), not on %s", s.Date)
		}
	case HALF:
		if d != 1 || (m != 1 && m != 7) {
			return Invalidf("precision", "a HALF span starts on 01-01 (上半年) or 07-01 (下半年), not on %s", s.Date)
		}
	case YEAR:
		if d != 1 || m != 1 {
			return Invalidf("precision", "a YEAR span starts on 01-01, not on %s", s.Date)
		}
	default:
		return Invalidf("precision", "unknown precision %q", s.Precision)
	}
	if end := spanEnd(t, s.Precision); end.Year() > 9999 {
		// The winter of 9999 would end in a five-digit year, which is not
		// a date and sorts before its start.
		return Invalidf("date", "a span must end by 9999-12-31; %s %s ends on %s", s.Date, s.Precision, end.Format(time.DateOnly))
	}
	return nil
}

// Normalize fills the derived fields; call it after Validate succeeds.
func (s *DateSpan) Normalize() {
	if s == nil {
		return
	}
	t := s.Date.Time()
	s.End = DateOf(spanEnd(t, s.Precision))
	s.Year, s.Month = t.Year(), int(t.Month())
	s.Quarter = (s.Month-1)/3 + 1
	s.Half = HalfOf(s.Month)
}

// HalfOf is the half-year of a month: 1 (上半年) for January to June, 2
// (下半年) for July to December.
func HalfOf(month int) int {
	if month > 6 {
		return 2
	}
	return 1
}

// QuarterOf is the quarter of a month, 1 to 4.
func QuarterOf(month int) int { return (month-1)/3 + 1 }

// WithinMonth reports a span that lies in one calendar month: known to the
// day, the 旬 or the month. Coarser spans (a season, a half-year, a year)
// belong to no single month.
func (s DateSpan) WithinMonth() bool {
	return s.Precision == DAY || s.Precision == DEKAD || s.Precision == MONTH
}

// spanEnd is the last day of the span of precision p that starts on t.
func spanEnd(t time.Time, p Precision) time.Time {
	switch p {
	case DEKAD:
		if t.Day() == 21 {
			return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		}
		return t.AddDate(0, 0, 9)
	case MONTH:
		return t.AddDate(0, 1, -1)
	case SEASON:
		return t.AddDate(0, 3, -1)
	case HALF:
		return t.AddDate(0, 6, -1)
	case YEAR:
		return t.AddDate(1, 0, -1)
	}
	return t
}

var (
	dekadNames  = [...]string{"上旬", "中旬", "下旬"}
	seasonNames = map[time.Month]string{3: "春季", 6: "夏季", 9: "秋季", 12: "冬季"}
)

// Text renders the span the way a Chinese document writes it, without the
// year: 4月5日, 10月中旬, 10月, 春季, 上半年, 全年.
func (s DateSpan) Text() string {
	t := s.Date.Time()
	switch s.Precision {
	case DAY:
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	case DEKAD:
		return fmt.Sprintf("%d月%s", t.Month(), dekadNames[min((t.Day()-1)/10, 2)])
	case MONTH:
		return fmt.Sprintf("%d月", t.Month())
	case SEASON:
		return seasonNames[t.Month()]
	case HALF:
		if t.Month() < 7 {
			return "上半年"
		}
		return "下半年"
	case YEAR:
		return "全年"
	}
	return string(s.Date)
}

// FullText is Text with the year in front: 2023年10月中旬, 2023年全年 → 2023年.
func (s DateSpan) FullText() string {
	if s.Precision == YEAR {
		return fmt.Sprintf("%d年", s.Date.Time().Year())
	}
	return fmt.Sprintf("%d年%s", s.Date.Time().Year(), s.Text())
}
