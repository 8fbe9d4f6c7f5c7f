package records

import (
	"context"
	"fmt"
	"time"
)

// Fields analysts group deputies on that are computed, not entered: the
// age band at the date asked (from birthDate) and how many voters the
// deputy keeps in contact with (voterCount, derived at write time).

// AgeBand is a band of a deputy's age, in whole years, on a given day.
type AgeBand string

const (
	UNDER_35   AgeBand = "UNDER_35"   // 不满35岁
	AGED_35_49 AgeBand = "AGED_35_49" // 35至49岁
	AGED_50_59 AgeBand = "AGED_50_59" // 50至59岁
	AGED_60_UP AgeBand = "AGED_60_UP" // 60岁及以上
)

// AgeBands lists the bands youngest first, with the age each starts at.
var AgeBands = []struct {
	Band AgeBand
	From int
}{{UNDER_35, 0}, {AGED_35_49, 35}, {AGED_50_59, 50}, {AGED_60_UP, 60}}

// AgeBandLabels are the bands' Chinese labels: "under 35" is 不满35岁, as
// 35岁以下 would count 35 in (以下 includes the number).
var AgeBandLabels = map[AgeBand]string{UNDER_35: "不满35岁", AGED_35_49: "35至49岁", AGED_50_59: "50至59岁", AGED_60_UP: "60岁及以上"}

func (b AgeBand) valid() bool { _, ok := AgeBandLabels[b]; return ok }

// Age is how many whole years old someone born on birth is on day: the
// birthday counts from its date (one born on 02-29 turns a year older on
// 03-01 in a common year). Negative for a birth after day.
func Age(birth, day Date) int {
	b, d := birth.Time(), day.Time()
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || d.Month() == b.Month() && d.Day() < b.Day() {
		age--
	}
	return age
}

// AgeBandOf is the band of the age of someone born on birth, on day; a
// birth after day is UNDER_35. False for a date that is not valid.
func AgeBandOf(birth, day Date) (AgeBand, bool) {
	if !birth.Valid() || !day.Valid() {
		return "", false
	}
	age, band := Age(birth, day), UNDER_35
	for _, b := range AgeBands {
		if age >= b.From {
			band = b.Band
		}
	}
	return band, true
}

// bornBy is the last birth date of someone at least n years old on day:
// day's month and day n years earlier, 02-28 for a 02-29 falling in a
// common year.
func bornBy(day Date, n int) Date {
	d := day.Time()
	y := d.Year() - n
	m, dd := d.Month(), d.Day()
	if m == time.February && dd == 29 && !leap(y) {
		dd = 28
	}
	return DateOf(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// ageBandExpr matches the deputies whose birthDate falls in band on day:
// a range of birth dates, so both stores compare the stored text (dates
// in YYYY-MM-DD order as text) and no date arithmetic runs in them.
func ageBandExpr(band AgeBand, day Date) Expr {
	var conds []Expr
	for i, b := range AgeBands {
		if b.Band != band {
			continue
		}
		if b.From > 0 { // at least From years old
			conds = append(conds, Expr{Cond: &Cond{Path: "birthDate", Op: OpLte, Value: bornBy(day, b.From)}})
		}
		if i+1 < len(AgeBands) { // younger than the next band
			conds = append(conds, Expr{Cond: &Cond{Path: "birthDate", Op: OpGt, Value: bornBy(day, AgeBands[i+1].From)}})
		}
	}
	if len(conds) == 1 {
		return conds[0]
	}
	return Expr{And: conds}
}

// AgeBandFilter compares a deputy's age band on the date asked: eq, ne
// (which, as every ne, matches a deputy with no birth date), in, and
// isNull (no birth date recorded).
type AgeBandFilter struct {
	Eq     *AgeBand
	Ne     *AgeBand
	In     []AgeBand
	IsNull *bool
}

func (f *AgeBandFilter) build(b *exprBuilder, field string) {
	if f == nil {
		return
	}
	check := func(name string, band AgeBand) bool {
		if !band.valid() {
			b.fail(field+"."+name, "unknown age band %q", band)
			return false
		}
		return true
	}
	if f.Eq != nil && check("eq", *f.Eq) {
		b.conds = append(b.conds, ageBandExpr(*f.Eq, b.day))
	}
	if f.Ne != nil && check("ne", *f.Ne) {
		x := ageBandExpr(*f.Ne, b.day)
		b.conds = append(b.conds, Expr{Not: &x})
	}
	if f.In != nil && b.list(field+".in", len(f.In)) {
		or := []Expr{}
		for i, band := range f.In {
			if check(fmt.Sprintf("in.%d", i), band) {
				or = append(or, ageBandExpr(band, b.day))
			}
		}
		if len(or) == 0 {
			or = append(or, Expr{Cond: &Cond{Path: "_id", Op: OpIn, Value: []string{}}}) // in [] matches nothing
		}
		b.conds = append(b.conds, Expr{Or: or})
	}
	b.isNull("birthDate", f.IsNull)
}

// DayAsked is the day a read is about: that of the instant it reads as
// of (records.WithAsOf), in Asia/Shanghai, or today there. A deputy's age
// band is their age on it.
func DayAsked(ctx context.Context) Date {
	if t, ok := AsOfFrom(ctx); ok {
		return DateOf(t.In(shanghai))
	}
	return Today()
}
