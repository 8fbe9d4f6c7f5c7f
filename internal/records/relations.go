package records

import "fmt"

// Rel is a filter through a relation: it matches the records for which
// the number of records of Kind that match Filter and whose Path holds
// the record's id (one id, or a list of ids) passes Count. some is a count
// of at least one, none a count of zero. Stores evaluate it as a join
// (SQLite) or as a query of the related records first (MongoDB: no
// $lookup on FerretDB v1).
//
// With Local set the relation runs the other way: the related records
// are those whose ids the record holds in its list at Local (an
// inspection's participantIds), and Count counts the different ones of
// them that match Filter.
type Rel struct {
	Kind   Kind
	Path   string
	Local  string
	Filter Expr
	Count  IntFilter
}

// Some reports a count of at least one and nothing else; None a count of
// zero and nothing else.
func (r *Rel) Some() bool {
	c := r.Count
	return c.Gte != nil && *c.Gte == 1 && c.Eq == nil && c.Ne == nil && c.Gt == nil && c.Lt == nil && c.Lte == nil && c.In == nil && c.Nin == nil
}

func (r *Rel) None() bool {
	c := r.Count
	return c.Eq != nil && *c.Eq == 0 && c.Ne == nil && c.Gt == nil && c.Gte == nil && c.Lt == nil && c.Lte == nil && c.In == nil && c.Nin == nil
}

// MaxRelations bounds the relation filters of one filter, nested ones
// included: each reads the related records once.
const MaxRelations = 8

// MatchesNone reports whether a record with no related record matching
// passes the count: then the records passing are those not among the
// related records whose count fails.
func (r *Rel) MatchesNone() bool { return r.Count.Match(0) }

// Relations calls f on every relation filter of x, outermost first, not
// descending into their filters.
func (x Expr) Relations(f func(*Rel)) {
	switch {
	case x.Rel != nil:
		f(x.Rel)
	case x.Not != nil:
		x.Not.Relations(f)
	default:
		for _, y := range append(x.And, x.Or...) {
			y.Relations(f)
		}
	}
}

// MapRelations rebuilds x with every relation filter (outermost) replaced
// by what f makes of it.
func (x Expr) MapRelations(f func(*Rel) (Expr, error)) (Expr, error) {
	switch {
	case x.Rel != nil:
		return f(x.Rel)
	case x.Not != nil:
		y, err := x.Not.MapRelations(f)
		if err != nil {
			return Expr{}, err
		}
		return Expr{Not: &y}, nil
	case x.And != nil || x.Or != nil:
		xs := x.And
		if x.Or != nil {
			xs = x.Or
		}
		out := make([]Expr, len(xs))
		for i, y := range xs {
			var err error
			if out[i], err = y.MapRelations(f); err != nil {
				return Expr{}, err
			}
		}
		if x.Or != nil {
			return Expr{Or: out}, nil
		}
		return Expr{And: out}, nil
	}
	return x, nil
}

// countRelations counts x's relation filters, nested ones included.
func (x Expr) countRelations() int {
	n := 0
	x.Relations(func(r *Rel) { n += 1 + r.Filter.countRelations() })
	return n
}

// buildRel adds the relation filter field: some, none and count (with its
// where), each a count of the related records of kind whose path holds the
// record's id.
func buildRel[F any, PF boolFilter[F]](b *exprBuilder, field string, kind Kind, path, local string, some, none PF, count *IntFilter, where PF) {
	add := func(name string, f PF, c IntFilter) {
		x, err := compile[F, PF](f, b.prefix+field+"."+name, b.depth+1, b.day)
		if err != nil {
			if b.err == nil {
				b.err = err
			}
			return
		}
		b.conds = append(b.conds, Expr{Rel: &Rel{Kind: kind, Path: path, Local: local, Filter: x, Count: c}})
	}
	one, zero := 1, 0
	if some != nil {
		add("some", some, IntFilter{Gte: &one})
	}
	if none != nil {
		add("none", none, IntFilter{Eq: &zero})
	}
	if count != nil {
		if err := count.CheckHaving(b.prefix + field + ".count"); err != nil {
			if b.err == nil {
				b.err = err
			}
			return
		}
		add("count.where", where, *count)
	}
}

// The relation filters of the kinds: some, none, count.
type (
	DeputyRelation struct {
		Some, None *DeputyFilter
		Count      *DeputyCount
	}
	DeputyCount struct {
		IntFilter
		Where *DeputyFilter
	}
	ProjectRelation struct {
		Some, None *ProjectFilter
		Count      *ProjectCount
	}
	ProjectCount struct {
		IntFilter
		Where *ProjectFilter
	}
	InspectionRelation struct {
		Some, None *InspectionFilter
		Count      *InspectionCount
	}
	InspectionCount struct {
		IntFilter
		Where *InspectionFilter
	}
	ActivityRelation struct {
		Some, None *ActivityFilter
		Count      *ActivityCount
	}
	ActivityCount struct {
		IntFilter
		Where *ActivityFilter
	}
	SuggestionRelation struct {
		Some, None *SuggestionFilter
		Count      *SuggestionCount
	}
	SuggestionCount struct {
		IntFilter
		Where *SuggestionFilter
	}
)

func (r *DeputyRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *DeputyFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindDeputy, path, "", r.Some, r.None, c, w)
	}
}

func (r *ProjectRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *ProjectFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindProject, path, "", r.Some, r.None, c, w)
	}
}

func (r *InspectionRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *InspectionFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindInspection, path, "", r.Some, r.None, c, w)
	}
}

func (r *ActivityRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *ActivityFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindActivity, path, "", r.Some, r.None, c, w)
	}
}

func (r *SuggestionRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *SuggestionFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindSuggestion, path, "", r.Some, r.None, c, w)
	}
}

func (r Rel) String() string {
	return fmt.Sprintf("%s[%s%s](%s) count %v", r.Kind, r.Path, r.Local, r.Filter, r.Count)
}

// Lists of ids a record holds, filtered as lists (has, hasAny, hasAll) and
// through the records they name (some, none, count).
type (
	DeputyListFilter struct {
		Has            *string
		HasAny, HasAll []string
		Some, None     *DeputyFilter
		Count          *DeputyCount
	}
	VillageListFilter struct {
		Has            *string
		HasAny, HasAll []string
		Some, None     *VillageFilter
		Count          *VillageCount
	}
	ProjectListFilter struct {
		Has            *string
		HasAny, HasAll []string
		Some, None     *ProjectFilter
		Count          *ProjectCount
	}
	VillageCount struct {
		IntFilter
		Where *VillageFilter
	}
	VillageRelation struct {
		Some, None *VillageFilter
		Count      *VillageCount
	}
)

func (r *VillageRelation) build(b *exprBuilder, field, path string) {
	if r != nil {
		var c *IntFilter
		var w *VillageFilter
		if r.Count != nil {
			c, w = &r.Count.IntFilter, r.Count.Where
		}
		buildRel(b, field, KindVillage, path, "", r.Some, r.None, c, w)
	}
}

func (f *DeputyListFilter) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	(&ListFilter[string]{Has: f.Has, HasAny: f.HasAny, HasAll: f.HasAll}).build(b, field, path)
	var c *IntFilter
	var w *DeputyFilter
	if f.Count != nil {
		c, w = &f.Count.IntFilter, f.Count.Where
	}
	buildRel(b, field, KindDeputy, "", path, f.Some, f.None, c, w)
}

func (f *VillageListFilter) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	(&ListFilter[string]{Has: f.Has, HasAny: f.HasAny, HasAll: f.HasAll}).build(b, field, path)
	var c *IntFilter
	var w *VillageFilter
	if f.Count != nil {
		c, w = &f.Count.IntFilter, f.Count.Where
	}
	buildRel(b, field, KindVillage, "", path, f.Some, f.None, c, w)
}

func (f *ProjectListFilter) build(b *exprBuilder, field, path string) {
	if f == nil {
		return
	}
	(&ListFilter[string]{Has: f.Has, HasAny: f.HasAny, HasAll: f.HasAll}).build(b, field, path)
	var c *IntFilter
	var w *ProjectFilter
	if f.Count != nil {
		c, w = &f.Count.IntFilter, f.Count.Where
	}
	buildRel(b, field, KindProject, "", path, f.Some, f.None, c, w)
}
