package records_test

import (
	"testing"
	"time"

	"renda/internal/records"
)

func TestDateSpan(t *testing.T) {
	for _, tc := range []struct {
		date      records.Date
		precision records.Precision
		text, end string
		quarter   int
	}{
		{"2023-04-05", records.DAY, "4月5日", "2023-04-05", 2},
		{"2023-10-11", records.DEKAD, "10月中旬", "2023-10-20", 4},
		{"2023-02-21", records.DEKAD, "2月下旬", "2023-02-28", 1},
		{"2023-07-01", records.DEKAD, "7月上旬", "2023-07-10", 3},
		{"2023-10-01", records.MONTH, "10月", "2023-10-31", 4},
		{"2023-03-01", records.SEASON, "春季", "2023-05-31", 1},
		{"2023-12-01", records.SEASON, "冬季", "2024-02-29", 4},
		{"2023-01-01", records.HALF, "上半年", "2023-06-30", 1},
		{"2023-07-01", records.HALF, "下半年", "2023-12-31", 3},
		{"2023-01-01", records.YEAR, "全年", "2023-12-31", 1},
	} {
		t.Run("OK/"+tc.text, func(t *testing.T) {
			s := records.DateSpan{Date: tc.date, Precision: tc.precision}
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			s.Normalize()
			if got := s.Text(); got != tc.text {
				t.Errorf("Text() = %q, want %q", got, tc.text)
			}
			if string(s.End) != tc.end || s.Quarter != tc.quarter {
				t.Errorf("end %s quarter %d, want %s and %d", s.End, s.Quarter, tc.end, tc.quarter)
			}
		})
	}
	t.Run("FullText", func(t *testing.T) {
		s := records.DateSpan{Date: "2023-10-11", Precision: records.DEKAD}
		if got := s.FullText(); got != "2023年10月中旬" {
			t.Fatalf("FullText() = %q, want 2023年10月中旬", got)
		}
	})
	for _, tc := range []struct {
		name      string
		date      records.Date
		precision records.Precision
		field     string
	}{
		{"ErrDekadMidDay", "2023-10-15", records.DEKAD, "precision"},
		{"ErrMonthNotFirst", "2023-10-02", records.MONTH, "precision"},
		{"ErrSeasonIsNotQuarter", "2023-04-01", records.SEASON, "precision"},
		{"ErrHalf", "2023-04-01", records.HALF, "precision"},
		{"ErrYear", "2023-07-01", records.YEAR, "precision"},
		{"ErrNoSuchDay", "2023-02-30", records.DAY, "date"},
		{"ErrNotISO", "2023/02/03", records.DAY, "date"},
		{"ErrUnknownPrecision", "2023-02-03", "WEEK", "precision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&records.DateSpan{Date: tc.date, Precision: tc.precision}).Validate()
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tc.field {
				t.Fatalf("got %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
}

func TestCompile(t *testing.T) {
	name := "张"
	t.Run("OK", func(t *testing.T) {
		x, err := records.Compile(&records.DeputyFilter{Name: &records.StringFilter{Contains: &name},
			Not: &records.DeputyFilter{Levels: &records.LevelListFilter{HasAny: []records.Level{records.CITY}}}}, "filter")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := x.String(), "and(name contains 张, not(levels in [CITY]))"; got != want {
			t.Fatalf("Compile = %s, want %s", got, want)
		}
	})
	t.Run("ErrTooDeep", func(t *testing.T) {
		f := &records.DeputyFilter{}
		for range records.MaxFilterDepth + 1 {
			f = &records.DeputyFilter{Not: f}
		}
		if _, err := records.Compile(f, "filter"); records.ErrorCode(err) != records.EINVALID {
			t.Fatalf("got %v, want EINVALID", err)
		}
	})
	t.Run("ErrAttributeObject", func(t *testing.T) {
		_, err := records.Compile(&records.VillageFilter{Common: records.Common{Attributes: []*records.AttributeFilter{
			{Path: "a", Eq: map[string]any{"$gt": ""}}}}}, "filter")
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "filter.attributes.0.eq" {
			t.Fatalf("got %v, want EINVALID on filter.attributes.0.eq", err)
		}
	})
	t.Run("ErrTooManyValues", func(t *testing.T) {
		_, err := records.Compile(&records.DeputyFilter{Name: &records.StringFilter{In: make([]string, records.MaxFilterValues+1)}}, "filter")
		if records.ErrorField(err) != "filter.name.in" {
			t.Fatalf("got %v, want EINVALID on filter.name.in", err)
		}
	})
}

// TestDateOf: the day of an instant, written as Format writes it, across
// years, months and days of one and two digits.
func TestDateOf(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(1949, 10, 1, 23, 59, 59, 0, time.UTC),
		time.Date(2100, 12, 31, 12, 0, 0, 0, time.UTC), time.Date(999, 3, 4, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 3, 4, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := records.DateOf(tm), records.Date(tm.Format(time.DateOnly)); got != want {
			t.Errorf("DateOf(%v) = %q, want %q", tm, got, want)
		}
	}
}
