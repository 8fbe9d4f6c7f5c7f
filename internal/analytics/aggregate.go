package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"renda/internal/records"
)

// Key is one key of a grouping: a field of the kind, or a path in the
// records' attributes.
type Key struct {
	Field     string
	Attribute string
}

// NumberRef is a number to add up: a number of the kind, or an attribute.
type NumberRef struct {
	Number    string
	Attribute string
}

// Order is how groups are ordered.
type Order struct {
	By     OrderBy
	Number NumberRef // for SUM and AVERAGE
	Desc   bool
}

// OrderBy names what groups are ordered by.
type OrderBy string

const (
	ByKey     OrderBy = "KEY"
	ByCount   OrderBy = "COUNT"
	BySum     OrderBy = "SUM"
	ByAverage OrderBy = "AVERAGE"
	ByMin     OrderBy = "MIN"
	ByMax     OrderBy = "MAX"
)

// Request is one aggregate: the records of Kind matching Filter in
// Townships, grouped by Keys (none: one group of them all), with the sums
// of Numbers.
type Request struct {
	Kind      records.Kind
	Townships []string
	Filter    records.Expr
	Keys      []Key
	Numbers   []NumberRef
	// Distinct are the keys whose different values each group counts
	// (countDistinct).
	Distinct []Key
	// Rates asks each group's handling (suggestions only): its rates as
	// records.Handling defines them, as of Today (Asia/Shanghai).
	Rates bool
	Today records.Date
	// On is the date asked: age bands are the ages on it (zero: today,
	// Asia/Shanghai).
	On     records.Date
	Having *Having
	Order  Order
	// First bounds what groupBy answers (nil: MaxGroups): more groups
	// than that is an error naming how many there are; PageGroups pages
	// through any number.
	First *int
}

// Bounds of a request.
const (
	MaxKeys = 4
	// MaxGroups is the most groups groupBy answers at once; more are
	// paged through groups (PageGroups).
	MaxGroups = 500
)

// Group is one group of an aggregate's answer.
type Group struct {
	// Keys are the group's values, one per key asked for: nil for records
	// holding none; numbers are int64 when whole, float64 otherwise.
	Keys []any
	// Towns is, per key that names records (Field.Ref), the township of
	// the record named, so it can be loaded.
	Towns []string
	Count int
	sums  []float64
	ns    []int
	// mins and maxs are the least and greatest of each number: float64,
	// or a date's text; nil where none holds one.
	mins, maxs []any
	distinct   []map[string]bool
	handling   records.Handling
}

// Handling is the group's suggestions' handling, when the request asked
// for rates.
func (g *Group) Handling() *records.Handling { return &g.handling }

func newGroup(keys []any, nkeys, nnums, ndistinct int) *Group {
	g := &Group{Keys: keys, Towns: make([]string, nkeys), sums: make([]float64, nnums), ns: make([]int, nnums),
		mins: make([]any, nnums), maxs: make([]any, nnums), distinct: make([]map[string]bool, ndistinct)}
	for i := range g.distinct {
		g.distinct[i] = map[string]bool{}
	}
	return g
}

// Min is the least value of the i-th number over the group's records
// that hold one: a *float64 for a number, a records.Date for a date; nil
// if none does.
func (g *Group) Min(i int) any { return g.mins[i] }

// Max is the greatest, as Min.
func (g *Group) Max(i int) any { return g.maxs[i] }

// CountDistinct is how many different values of the i-th distinct key
// the group's records hold (a list's items each; no value not counted).
func (g *Group) CountDistinct(i int) int { return len(g.distinct[i]) }

// add counts n records holding number i's value v (float64 or Date).
func (g *Group) add(i int, f float64, v any, n int) {
	g.ns[i] += n
	switch x := v.(type) {
	case records.Date:
		if m, _ := g.mins[i].(records.Date); m == "" || x < m {
			g.mins[i] = x
		}
		if m, _ := g.maxs[i].(records.Date); m == "" || x > m {
			g.maxs[i] = x
		}
		return
	}
	g.sums[i] += f * float64(n)
	if m, ok := g.mins[i].(*float64); !ok || f < *m {
		g.mins[i] = &f
	}
	if m, ok := g.maxs[i].(*float64); !ok || f > *m {
		g.maxs[i] = &f
	}
}

// Sum is the sum of the i-th number over the group's records that hold
// one; nil if none does (or it is a date).
func (g *Group) Sum(i int) *float64 {
	if _, num := g.mins[i].(*float64); g.ns[i] == 0 || !num {
		return nil
	}
	s := tidy(g.sums[i])
	return &s
}

// tidy rounds a sum of decimals to nine places, so 12.5 + 49.9 reads
// 62.4, not 62.400000000000006.
func tidy(f float64) float64 { return math.Round(f*1e9) / 1e9 }

// Average is Sum divided by how many records hold the number.
func (g *Group) Average(i int) *float64 {
	if _, num := g.mins[i].(*float64); g.ns[i] == 0 || !num {
		return nil
	}
	a := g.sums[i] / float64(g.ns[i])
	return &a
}

// Counted is how many of the group's records hold the i-th number.
func (g *Group) Counted(i int) int { return g.ns[i] }

// plan is a request resolved against its kind's spec.
type plan struct {
	spec     *Spec
	keys     []keyPlan
	numbers  []numPlan
	distinct []keyPlan
	rates    bool
	today    records.Date
	on       records.Date                                // age bands' day
	vias     map[Via]map[string]any                      // a related kind's values, by its records' ids
	defs     map[string]map[string]*records.AttributeDef // township → path → def
}

type keyPlan struct {
	field *Field // nil for an attribute
	attr  string
	path  string
	list  bool
}

type numPlan struct {
	attr string
	path string
	date bool
}

func resolve(req *Request) (*plan, error) {
	spec, ok := Specs[req.Kind]
	if !ok {
		return nil, records.Errorf(records.EINVALID, "%s cannot be aggregated", req.Kind)
	}
	if len(req.Keys) > MaxKeys {
		return nil, records.Invalidf("fields", "group by at most %d keys, got %d", MaxKeys, len(req.Keys))
	}
	p := &plan{spec: spec, rates: req.Rates, today: req.Today, on: req.On}
	if p.on == "" {
		p.on = records.Today()
	} else if !p.on.Valid() {
		return nil, records.Invalidf("asOf", "%q is not a date in YYYY-MM-DD form", p.on)
	}
	if req.Rates && req.Kind != records.KindSuggestion {
		return nil, records.Invalidf("rates", "only suggestions have rates")
	}
	for i, k := range req.Keys {
		kp, err := keyPlanOf(spec, k, fmt.Sprintf("attributes.%d", i), "fields")
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, kp)
	}
	for _, k := range req.Distinct {
		kp, err := keyPlanOf(spec, k, "attribute", "field")
		if err != nil {
			return nil, err
		}
		p.distinct = append(p.distinct, kp)
	}
	for _, n := range req.Numbers {
		np, err := numberPlan(spec, n)
		if err != nil {
			return nil, err
		}
		p.numbers = append(p.numbers, np)
	}
	paths := len(p.keys) + len(p.numbers) + len(p.distinct)
	if p.rates {
		paths += len(records.HandlingPaths)
	}
	if paths > records.MaxGroupPaths {
		return nil, records.Invalidf("", "at most %d keys and numbers together", records.MaxGroupPaths)
	}
	return p, nil
}

func keyPlanOf(spec *Spec, k Key, attrField, field string) (keyPlan, error) {
	if k.Attribute != "" {
		if err := checkPath(k.Attribute, attrField); err != nil {
			return keyPlan{}, err
		}
		return keyPlan{attr: k.Attribute, path: "attributes." + k.Attribute, list: true}, nil
	}
	f, ok := spec.Field(k.Field)
	if !ok {
		return keyPlan{}, records.Invalidf(field, "%s cannot be grouped by %q", spec.Kind.Noun(), k.Field)
	}
	return keyPlan{field: f, path: f.Path, list: f.List}, nil
}

func numberPlan(spec *Spec, n NumberRef) (numPlan, error) {
	if n.Attribute != "" {
		if err := checkPath(n.Attribute, "path"); err != nil {
			return numPlan{}, err
		}
		return numPlan{attr: n.Attribute, path: "attributes." + n.Attribute}, nil
	}
	x, ok := spec.Number(n.Number)
	if !ok {
		return numPlan{}, records.Invalidf("number", "%s has no number %q", spec.Kind.Noun(), n.Number)
	}
	return numPlan{path: x.Path, date: x.Date}, nil
}

func checkPath(path, field string) error {
	if !records.ValidAttributePath(path) {
		return records.Invalidf(field, "attribute path %q must be up to 8 dot-separated names of letters, digits, '_' or '-'", path)
	}
	return nil
}

// numberIndex finds (or adds) the number n among the request's numbers.
func (r *Request) numberIndex(n NumberRef) int {
	for i, x := range r.Numbers {
		if x == n {
			return i
		}
	}
	r.Numbers = append(r.Numbers, n)
	return len(r.Numbers) - 1
}

// Groups answers every one of req's groups that passes its having, in
// req.Order: never a cut list (req.First is not read).
func Groups(ctx context.Context, s *records.Store, req Request) ([]*Group, error) {
	at, err := req.Having.prepare(&req)
	if err != nil {
		return nil, err
	}
	order := -1
	switch req.Order.By {
	case "", ByKey, ByCount:
	case BySum, ByAverage, ByMin, ByMax:
		order = req.numberIndex(req.Order.Number)
	default:
		return nil, records.Invalidf("orderBy.by", "unknown order %q", req.Order.By)
	}
	groups, err := run(ctx, s, &req)
	if err != nil {
		return nil, err
	}
	ranks := keyRanks(req)
	groups = slices.DeleteFunc(groups, func(g *Group) bool { return !req.Having.match(g, at) })
	slices.SortFunc(groups, func(a, b *Group) int {
		c := 0
		switch req.Order.By {
		case ByCount:
			c = cmp.Compare(a.Count, b.Count)
		case BySum:
			c = compareNumbers(a.Sum(order), b.Sum(order))
		case ByAverage:
			c = compareNumbers(a.Average(order), b.Average(order))
		case ByMin:
			c = compareFigures(a.Min(order), b.Min(order))
		case ByMax:
			c = compareFigures(a.Max(order), b.Max(order))
		}
		if c == 0 {
			c = compareKeys(ranks, a.Keys, b.Keys)
			if req.Order.By == ByKey || req.Order.By == "" {
				return dir(c, req.Order.Desc)
			}
			return c // ties broken by key, always ascending
		}
		return dir(c, req.Order.Desc)
	})
	return groups, nil
}

// Aggregate answers every one of req's groups, in req.Order, or, when
// there are more than req.First (nil: MaxGroups), an error naming how
// many there are: never a list cut short without a word.
func Aggregate(ctx context.Context, s *records.Store, req Request) ([]*Group, error) {
	limit := MaxGroups
	if req.First != nil {
		limit = *req.First
		if limit < 0 || limit > MaxGroups {
			return nil, records.Invalidf("first", "first is 0 to %d, got %d", MaxGroups, limit)
		}
	}
	groups, err := Groups(ctx, s, req)
	if err != nil {
		return nil, err
	}
	if len(groups) > limit {
		most := fmt.Sprintf("first (%d)", limit)
		if req.First == nil {
			most = fmt.Sprintf("groupBy answers at once (%d)", MaxGroups)
		}
		return nil, records.Invalidf("first", "there are %d groups, more than %s: page through them with groups(first:, after:) { totalCount pageInfo { hasNextPage endCursor } nodes { … } }, narrow the filter or having, or group by coarser keys", len(groups), most)
	}
	return groups, nil
}

// Empty is the group of no records with req's figures: count 0, no
// sums, rates null.
func Empty(req Request) *Group { return newGroup([]any{}, 0, len(req.Numbers), len(req.Distinct)) }

// Totals answers req with no keys: the count and sums of all its records.
func Totals(ctx context.Context, s *records.Store, req Request) (*Group, error) {
	req.Keys = nil
	groups, err := run(ctx, s, &req)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return newGroup([]any{}, 0, len(req.Numbers), len(req.Distinct)), nil
	}
	return groups[0], nil
}

func dir(c int, desc bool) int {
	if desc {
		return -c
	}
	return c
}
