package records

import (
	"slices"
	"strings"
	"time"
)

// Grouping asks the store to count the records of a kind that match Filter
// in Townships (nil: all the caller may see), grouped by the values stored
// at Paths, lists as stored (a whole list is one value). Everything an
// aggregate answers is rolled up from these counts: a list's items, sums
// of numbers (a number's path is grouped on too, so its sum is value ×
// count) and townships merged.
//
// The shape is what both MongoDB and the embedded FerretDB v1 evaluate
// correctly: FerretDB v1 computes only the first accumulator of a $group
// (the others come out 0) and drops every field but the unwound one and
// _id in $unwind, so one $group with a single $sum: 1 it is.
type Grouping struct {
	Townships []string
	Filter    Expr
	Paths     []string
}

// RawGroup is one combination of stored values and how many records of a
// township hold it. Values are as decoded from the database: strings,
// numbers (int32, int64, float64), booleans, nil for missing, []any for
// lists, map[string]any for documents.
type RawGroup struct {
	Township string
	Values   []any
	Count    int
}

// MaxRawGroups bounds the combinations one grouping may answer, all
// townships together, so a grouping on nearly unique values cannot make
// the server hold the whole collection.
const MaxRawGroups = 50_000

// MaxRawGroupBytes bounds the same as stored: lists grouped on whole are
// read whole (a grouping by 500 participants reads each list).
const MaxRawGroupBytes = 64 << 20

// MaxGroupPaths bounds the paths of one grouping: keys and numbers.
const MaxGroupPaths = 20

// Validate checks the grouping's size.
func (g *Grouping) Validate() error {
	if len(g.Paths) > MaxGroupPaths {
		return Invalidf("", "at most %d keys and numbers together, got %d", MaxGroupPaths, len(g.Paths))
	}
	return nil
}

// Match reports whether n passes the filter: having on a group's count.
func (f *IntFilter) Match(n int) bool {
	if f == nil {
		return true
	}
	for _, c := range []struct {
		v  *int
		ok func(int) bool
	}{
		{f.Eq, func(x int) bool { return n == x }},
		{f.Ne, func(x int) bool { return n != x }},
		{f.Gt, func(x int) bool { return n > x }},
		{f.Gte, func(x int) bool { return n >= x }},
		{f.Lt, func(x int) bool { return n < x }},
		{f.Lte, func(x int) bool { return n <= x }},
	} {
		if c.v != nil && !c.ok(*c.v) {
			return false
		}
	}
	if f.In != nil && !slices.Contains(f.In, n) {
		return false
	}
	if f.Nin != nil && slices.Contains(f.Nin, n) {
		return false
	}
	return true
}

// CheckHaving refuses what a count cannot be compared with.
func (f *IntFilter) CheckHaving(field string) error {
	if f == nil {
		return nil
	}
	if f.IsNull != nil {
		return Invalidf(field+".isNull", "a group's count is never null")
	}
	if len(f.In) > MaxFilterValues || len(f.Nin) > MaxFilterValues {
		return Invalidf(field, "at most %d values", MaxFilterValues)
	}
	return nil
}

// MonthsOver is how many months of year have ended at now, in
// Asia/Shanghai time: 12 for a past year, 0 for a future one.
func MonthsOver(year int, now time.Time) int { return monthsOver(year, now) }

// Match reports whether a group's number v (nil: none holds one) passes
// the filter: having on a sum, an average, a min or a max.
func (f *FloatFilter) Match(v *float64) bool {
	return f == nil || (*orderedFilter[float64])(f).match(v, func(a, b float64) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
}

// Match reports whether a group's date v (nil: none holds one) passes
// the filter: having on a min or a max.
func (f *DateFilter) Match(v *Date) bool {
	return f == nil || (*orderedFilter[Date])(f).match(v, func(a, b Date) int { return strings.Compare(string(a), string(b)) })
}

func (f *orderedFilter[T]) match(v *T, compare func(a, b T) int) bool {
	if f.IsNull != nil && *f.IsNull != (v == nil) {
		return false
	}
	for _, c := range []struct {
		x  *T
		ok func(int) bool
	}{
		{f.Eq, func(c int) bool { return c == 0 }},
		{f.Ne, func(c int) bool { return c != 0 }},
		{f.Gt, func(c int) bool { return c > 0 }},
		{f.Gte, func(c int) bool { return c >= 0 }},
		{f.Lt, func(c int) bool { return c < 0 }},
		{f.Lte, func(c int) bool { return c <= 0 }},
	} {
		if c.x != nil && (v == nil || !c.ok(compare(*v, *c.x))) {
			return false
		}
	}
	in := func(xs []T) bool {
		return v != nil && slices.ContainsFunc(xs, func(x T) bool { return compare(*v, x) == 0 })
	}
	if f.In != nil && !in(f.In) {
		return false
	}
	if f.Nin != nil && in(f.Nin) {
		return false
	}
	return true
}

// CheckHaving refuses what a group's number cannot be compared with.
func (f *FloatFilter) CheckHaving(field string) error {
	if f != nil && (len(f.In) > MaxFilterValues || len(f.Nin) > MaxFilterValues) {
		return Invalidf(field, "at most %d values", MaxFilterValues)
	}
	return nil
}

// CheckHaving refuses what a group's date cannot be compared with.
func (f *DateFilter) CheckHaving(field string) error {
	if f == nil {
		return nil
	}
	if len(f.In) > MaxFilterValues || len(f.Nin) > MaxFilterValues {
		return Invalidf(field, "at most %d values", MaxFilterValues)
	}
	for _, d := range append(append([]Date{}, f.In...), f.Nin...) {
		if !d.Valid() {
			return Invalidf(field, "%q is not a date in YYYY-MM-DD form", d)
		}
	}
	for _, d := range []*Date{f.Eq, f.Ne, f.Gt, f.Gte, f.Lt, f.Lte} {
		if d != nil && !d.Valid() {
			return Invalidf(field, "%q is not a date in YYYY-MM-DD form", *d)
		}
	}
	return nil
}
