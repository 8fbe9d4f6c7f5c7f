package records

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Op is a comparison a filter makes on one stored field.
type Op string

const (
	OpEq         Op = "eq"
	OpNe         Op = "ne"
	OpIn         Op = "in"
	OpNin        Op = "nin"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpLt         Op = "lt"
	OpLte        Op = "lte"
	OpContains   Op = "contains"   // literal substring, case-insensitive
	OpStartsWith Op = "startsWith" // literal prefix, case-insensitive
	OpIsNull     Op = "isNull"     // Value bool: true matches null or missing
	OpHasAll     Op = "hasAll"     // list field holds every value
)

// Cond compares the stored field at Path with Value. Field, when set, is
// the input field it came from, for errors found after compiling (an
// attribute compared with a value its definition's type refuses).
type Cond struct {
	Path  string
	Op    Op
	Value any
	Field string
}

// Expr is a filter as a boolean expression tree, independent of any
// database. Exactly one of And, Or, Not, Cond, Rel is set; the zero Expr
// matches everything.
type Expr struct {
	And  []Expr
	Or   []Expr
	Not  *Expr
	Cond *Cond
	Rel  *Rel
}

// MaxFilterValues bounds the values of one in/nin/hasAny, MaxFilterDepth the
// nesting of and/or/not, so a filter cannot make the server do unbounded work.
const (
	MaxFilterValues = 1000
	MaxFilterDepth  = 10
	MaxFilterText   = 200
)

// exprBuilder collects conditions for one level of a filter and remembers
// the first error, with the field path where it happened.
type exprBuilder struct {
	prefix string
	depth  int
	conds  []Expr
	err    error
	// day is the date asked: a deputy's age band is their age on it.
	day Date
}

func (b *exprBuilder) add(path string, op Op, v any) {
	b.conds = append(b.conds, Expr{Cond: &Cond{Path: path, Op: op, Value: v}})
}

func (b *exprBuilder) addField(field, path string, op Op, v any) {
	b.conds = append(b.conds, Expr{Cond: &Cond{Path: path, Op: op, Value: v, Field: field}})
}

func (b *exprBuilder) fail(field, format string, args ...any) {
	if b.err == nil {
		b.err = Invalidf(b.prefix+field, format, args...)
	}
}

func (b *exprBuilder) list(field string, n int) bool {
	if n > MaxFilterValues {
		b.fail(field, "at most %d values, got %d", MaxFilterValues, n)
		return false
	}
	return true
}

func (b *exprBuilder) isNull(path string, v *bool) {
	if v != nil {
		b.add(path, OpIsNull, *v)
	}
}

// StringFilter compares a text field. contains and startsWith are literal
// (never patterns) and case-insensitive.
type StringFilter struct {
	Eq         *string
	Ne         *string
	In         []string
	Contains   *string
	StartsWith *string
	IsNull     *bool
}

func (f *StringFilter) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	if f.Eq != nil {
		b.add(path, OpEq, *f.Eq)
	}
	if f.Ne != nil {
		b.add(path, OpNe, *f.Ne)
	}
	if f.In != nil && b.list(field+".in", len(f.In)) {
		b.add(path, OpIn, f.In)
	}
	for _, c := range []struct {
		op Op
		v  *string
	}{{OpContains, f.Contains}, {OpStartsWith, f.StartsWith}} {
		if c.v == nil {
			continue
		}
		if len([]rune(*c.v)) > MaxFilterText {
			b.fail(field+"."+string(c.op), "at most %d characters", MaxFilterText)
		}
		b.add(path, c.op, *c.v)
	}
	b.isNull(path, f.IsNull)
}

// IDFilter compares a reference to another record.
type IDFilter struct {
	Eq     *string
	Ne     *string
	In     []string
	Nin    []string
	IsNull *bool
}

func (f *IDFilter) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	if f.Eq != nil {
		b.add(path, OpEq, *f.Eq)
	}
	if f.Ne != nil {
		b.add(path, OpNe, *f.Ne)
	}
	if f.In != nil && b.list(field+".in", len(f.In)) {
		b.add(path, OpIn, f.In)
	}
	if f.Nin != nil && b.list(field+".nin", len(f.Nin)) {
		b.add(path, OpNin, f.Nin)
	}
	b.isNull(path, f.IsNull)
}

// Ordered is what numeric and date filters compare.
type Ordered interface {
	int | float64 | Date | time.Time
}

// orderedFilter is the shape shared by IntFilter, FloatFilter, DateFilter
// and TimeFilter.
type orderedFilter[T Ordered] struct {
	Eq, Ne, Gt, Gte, Lt, Lte *T
	In, Nin                  []T
	IsNull                   *bool
}

func (f *orderedFilter[T]) build(b *exprBuilder, field, path string) {
	for _, c := range []struct {
		op Op
		v  *T
	}{{OpEq, f.Eq}, {OpNe, f.Ne}, {OpGt, f.Gt}, {OpGte, f.Gte}, {OpLt, f.Lt}, {OpLte, f.Lte}} {
		if c.v != nil {
			if d, ok := any(*c.v).(Date); ok && !d.Valid() {
				b.fail(field+"."+string(c.op), "%q is not a date in YYYY-MM-DD form", d)
			}
			b.add(path, c.op, *c.v)
		}
	}
	if f.In != nil && b.list(field+".in", len(f.In)) {
		b.add(path, OpIn, f.In)
	}
	if f.Nin != nil && b.list(field+".nin", len(f.Nin)) {
		b.add(path, OpNin, f.Nin)
	}
	b.isNull(path, f.IsNull)
}

// IntFilter, FloatFilter, DateFilter and TimeFilter compare numbers, calendar
// dates and timestamps.
// They are defined types (not generic instantiations) so gqlgen can bind
// GraphQL input types to them.
type (
	IntFilter   orderedFilter[int]
	FloatFilter orderedFilter[float64]
	DateFilter  orderedFilter[Date]
	TimeFilter  orderedFilter[time.Time]
)

func (f *IntFilter) build(b *exprBuilder, field, path string) {
	if f != nil {
		(*orderedFilter[int])(f).build(b, field, path)
	}
}

func (f *FloatFilter) build(b *exprBuilder, field, path string) {
	if f != nil {
		(*orderedFilter[float64])(f).build(b, field, path)
	}
}

func (f *DateFilter) build(b *exprBuilder, field, path string) {
	if f != nil {
		(*orderedFilter[Date])(f).build(b, field, path)
	}
}

func (f *TimeFilter) build(b *exprBuilder, field, path string) {
	if f != nil {
		(*orderedFilter[time.Time])(f).build(b, field, path)
	}
}

// EnumFilter compares a field holding one value of a closed set.
type EnumFilter[T ~string] struct {
	Eq     *T
	Ne     *T
	In     []T
	IsNull *bool
}

func (f *EnumFilter[T]) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	if f.Eq != nil {
		b.add(path, OpEq, string(*f.Eq))
	}
	if f.Ne != nil {
		b.add(path, OpNe, string(*f.Ne))
	}
	if f.In != nil && b.list(field+".in", len(f.In)) {
		b.add(path, OpIn, toStrings(f.In))
	}
	b.isNull(path, f.IsNull)
}

// ListFilter matches a field holding a list: has one value, any of, all of.
type ListFilter[T ~string] struct {
	Has    *T
	HasAny []T
	HasAll []T
}

func (f *ListFilter[T]) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	if f.Has != nil {
		b.add(path, OpEq, string(*f.Has))
	}
	if f.HasAny != nil && b.list(field+".hasAny", len(f.HasAny)) {
		b.add(path, OpIn, toStrings(f.HasAny))
	}
	if f.HasAll != nil && b.list(field+".hasAll", len(f.HasAll)) {
		b.add(path, OpHasAll, toStrings(f.HasAll))
	}
}

func toStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// AttributeFilter compares one value inside a record's free-form attributes,
// found by a dotted path such as "funding.county" or "contact.wechat".
type AttributeFilter struct {
	Path       string
	Eq         any
	Ne         any
	In         []any
	Nin        []any
	Gt         any
	Gte        any
	Lt         any
	Lte        any
	Contains   *string
	StartsWith *string
	IsNull     *bool
}

var attributePath = regexp.MustCompile(`^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+){0,7}$`)

func (f *AttributeFilter) build(b *exprBuilder, field string) {
	if f == nil {
		return
	}
	if !attributePath.MatchString(f.Path) {
		b.fail(field+".path", "attribute path %q must be up to 8 dot-separated names of letters, digits, '_' or '-'", f.Path)
		return
	}
	path := "attributes." + f.Path
	for _, c := range []struct {
		op Op
		v  any
	}{{OpEq, f.Eq}, {OpNe, f.Ne}, {OpGt, f.Gt}, {OpGte, f.Gte}, {OpLt, f.Lt}, {OpLte, f.Lte}} {
		if c.v == nil {
			continue
		}
		if !scalar(c.v) {
			b.fail(field+"."+string(c.op), "compare attributes with a string, number or boolean")
			continue
		}
		b.addField(b.prefix+field+"."+string(c.op), path, c.op, c.v)
	}
	for _, c := range []struct {
		op Op
		v  []any
	}{{OpIn, f.In}, {OpNin, f.Nin}} {
		if c.v == nil || !b.list(field+"."+string(c.op), len(c.v)) {
			continue
		}
		for i, x := range c.v {
			if !scalar(x) {
				b.fail(fmt.Sprintf("%s.%s.%d", field, c.op, i), "compare attributes with a string, number or boolean")
			}
		}
		b.addField(b.prefix+field+"."+string(c.op), path, c.op, c.v)
	}
	for _, c := range []struct {
		op Op
		v  *string
	}{{OpContains, f.Contains}, {OpStartsWith, f.StartsWith}} {
		if c.v == nil {
			continue
		}
		if len([]rune(*c.v)) > MaxFilterText {
			b.fail(field+"."+string(c.op), "at most %d characters", MaxFilterText)
		}
		b.addField(b.prefix+field+"."+string(c.op), path, c.op, *c.v)
	}
	b.isNull(path, f.IsNull)
}

// scalar reports values attribute filters may compare with. Objects and
// lists are refused: a user value must never become a query operator.
func scalar(v any) bool {
	switch v.(type) {
	case string, bool, int, int32, int64, float64, float32:
		return true
	}
	return false
}

// Common holds the filter fields every kind has.
type Common struct {
	ID         *IDFilter
	Tags       *TagFilter
	Attributes []*AttributeFilter
	CreatedAt  *TimeFilter
	UpdatedAt  *TimeFilter
}

func (c *Common) build(b *exprBuilder) {
	c.ID.build(b, "id", "_id")
	(*ListFilter[string])(c.Tags).build(b, "tags", "tags")
	for i, a := range c.Attributes {
		a.build(b, fmt.Sprintf("attributes.%d", i))
	}
	c.CreatedAt.build(b, "createdAt", "createdAt")
	c.UpdatedAt.build(b, "updatedAt", "updatedAt")
}

// boolFilter is what the per-kind filters share: and/or/not of themselves.
type boolFilter[F any] interface {
	*F
	parts() (and, or []*F, not *F)
	fields(b *exprBuilder)
}

// Compile turns a typed filter into an Expr, validating it on the way. The
// field paths in its errors start with prefix (e.g. "filter"). What is
// relative to a day (a deputy's age band) is on today; the API compiles
// with CompileOn and the day its request asks about (DayAsked).
func Compile[F any, PF boolFilter[F]](f PF, prefix string) (Expr, error) {
	return CompileOn(f, prefix, Today())
}

// CompileOn is Compile with what is relative to a day on day.
func CompileOn[F any, PF boolFilter[F]](f PF, prefix string, day Date) (Expr, error) {
	if !day.Valid() {
		return Expr{}, Invalidf(prefix, "%q is not a date in YYYY-MM-DD form", day)
	}
	x, err := compile[F, PF](f, prefix, 0, day)
	if err == nil && x.countRelations() > MaxRelations {
		return Expr{}, Invalidf(prefix, "at most %d relation filters (some, none, count) in one filter", MaxRelations)
	}
	return x, err
}

func compile[F any, PF boolFilter[F]](f PF, prefix string, depth int, day Date) (Expr, error) {
	if f == nil {
		return Expr{}, nil
	}
	if depth > MaxFilterDepth {
		return Expr{}, Invalidf(prefix, "filters nest deeper than %d levels", MaxFilterDepth)
	}
	b := &exprBuilder{prefix: prefix + ".", depth: depth, day: day}
	if prefix == "" {
		b.prefix = ""
	}
	f.fields(b)
	if b.err != nil {
		return Expr{}, b.err
	}
	out := b.conds
	and, or, not := f.parts()
	sub := func(name string, fs []*F) ([]Expr, error) {
		var xs []Expr
		for i, g := range fs {
			x, err := compile[F, PF](g, fmt.Sprintf("%s%s.%d", b.prefix, name, i), depth+1, day)
			if err != nil {
				return nil, err
			}
			xs = append(xs, x)
		}
		return xs, nil
	}
	if and != nil {
		xs, err := sub("and", and)
		if err != nil {
			return Expr{}, err
		}
		out = append(out, Expr{And: xs})
	}
	if or != nil {
		xs, err := sub("or", or)
		if err != nil {
			return Expr{}, err
		}
		if len(xs) == 0 {
			return Expr{}, Invalidf(b.prefix+"or", "or needs at least one filter")
		}
		out = append(out, Expr{Or: xs})
	}
	if not != nil {
		x, err := compile[F, PF](not, b.prefix+"not", depth+1, day)
		if err != nil {
			return Expr{}, err
		}
		out = append(out, Expr{Not: &x})
	}
	switch len(out) {
	case 0:
		return Expr{}, nil
	case 1:
		return out[0], nil
	}
	return Expr{And: out}, nil
}

// IsZero reports an Expr that matches everything.
func (x Expr) IsZero() bool {
	return x.And == nil && x.Or == nil && x.Not == nil && x.Cond == nil && x.Rel == nil
}

// String is for logs and tests.
func (x Expr) String() string {
	switch {
	case x.Cond != nil:
		return fmt.Sprintf("%s %s %v", x.Cond.Path, x.Cond.Op, x.Cond.Value)
	case x.Rel != nil:
		return x.Rel.String()
	case x.Not != nil:
		return "not(" + x.Not.String() + ")"
	case x.And != nil || x.Or != nil:
		op, xs := "and", x.And
		if x.Or != nil {
			op, xs = "or", x.Or
		}
		parts := make([]string, len(xs))
		for i, y := range xs {
			parts[i] = y.String()
		}
		return op + "(" + strings.Join(parts, ", ") + ")"
	}
	return "true"
}
