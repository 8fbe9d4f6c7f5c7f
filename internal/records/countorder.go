package records

import (
	"fmt"
	"hash/fnv"
	"strconv"
)

// Ordering a list by a relation's count: deputies by how many of their
// suggestions of 2023 there are,
//
//	deputies(orderBy: [{suggestionsCount: {filter: {year: {eq: 2023}}}, direction: DESC}, {field: NAME}])
//
// An orderBy entry gives a field or one count. The count is that of the
// relation filters (Rel): the records of a kind matching a filter that
// hold the record's id at a path, each once. The stores sort on it as on
// a stored field — SQLite joins the counts, grouped once; MongoDB counts
// the related records first (no $lookup on FerretDB v1) — and the
// cursor holds the count, so keyset pages stay exact.

// The count orders: how many related records match Filter (all of them
// without one).
type (
	DeputyCountOrder     struct{ Filter *DeputyFilter }
	VillageCountOrder    struct{ Filter *VillageFilter }
	ProjectCountOrder    struct{ Filter *ProjectFilter }
	InspectionCountOrder struct{ Filter *InspectionFilter }
	ActivityCountOrder   struct{ Filter *ActivityFilter }
	SuggestionCountOrder struct{ Filter *SuggestionFilter }
)

func (o *DeputyCountOrder) compile(p string, d Date) (Expr, error)  { return CompileOn(o.Filter, p, d) }
func (o *VillageCountOrder) compile(p string, d Date) (Expr, error) { return CompileOn(o.Filter, p, d) }
func (o *ProjectCountOrder) compile(p string, d Date) (Expr, error) { return CompileOn(o.Filter, p, d) }
func (o *InspectionCountOrder) compile(p string, d Date) (Expr, error) {
	return CompileOn(o.Filter, p, d)
}
func (o *ActivityCountOrder) compile(p string, d Date) (Expr, error) {
	return CompileOn(o.Filter, p, d)
}
func (o *SuggestionCountOrder) compile(p string, d Date) (Expr, error) {
	return CompileOn(o.Filter, p, d)
}

// countRelations are, per kind, the relations its lists can be ordered
// by the count of: the input field's name → the related kind and the
// path at which its records hold this one's id (those of the relation
// filters).
var countRelations = map[Kind]map[string]struct {
	kind Kind
	path string
}{
	KindTownship: {
		"deputiesCount": {KindDeputy, "township"}, "villagesCount": {KindVillage, "township"},
		"projectsCount": {KindProject, "township"}, "inspectionsCount": {KindInspection, "township"},
		"activitiesCount": {KindActivity, "township"}, "suggestionsCount": {KindSuggestion, "township"},
	},
	KindDeputy: {
		"inspectionsCount": {KindInspection, "participantIds"}, "activitiesCount": {KindActivity, "participantIds"},
		"suggestionsCount": {KindSuggestion, "deputyId"},
	},
	KindVillage: {
		"deputiesCount": {KindDeputy, "villageId"}, "projectsCount": {KindProject, "villageIds"},
		"inspectionsCount": {KindInspection, "villageIds"}, "activitiesCount": {KindActivity, "villageIds"},
	},
	KindProject: {
		"inspectionsCount": {KindInspection, "projectIds"}, "activitiesCount": {KindActivity, "projectIds"},
	},
}

type countOrder interface {
	compile(prefix string, day Date) (Expr, error)
}

// counts are the count orders o gives, by input field name.
func (o *Order) counts() map[string]countOrder {
	out := map[string]countOrder{}
	add := func(name string, c countOrder, given bool) {
		if given {
			out[name] = c
		}
	}
	add("deputiesCount", o.DeputiesCount, o.DeputiesCount != nil)
	add("villagesCount", o.VillagesCount, o.VillagesCount != nil)
	add("projectsCount", o.ProjectsCount, o.ProjectsCount != nil)
	add("inspectionsCount", o.InspectionsCount, o.InspectionsCount != nil)
	add("activitiesCount", o.ActivitiesCount, o.ActivitiesCount != nil)
	add("suggestionsCount", o.SuggestionsCount, o.SuggestionsCount != nil)
	return out
}

// countSort is the sort of the i-th orderBy entry o, a count.
func countSort(kind Kind, i int, name string, c countOrder, desc bool, day Date) (Sort, error) {
	field := fmt.Sprintf("orderBy.%d.%s", i, name)
	rel, ok := countRelations[kind][name]
	if !ok {
		return Sort{}, Invalidf(field, "%s cannot be ordered by %s", kind.Noun(), name)
	}
	x, err := c.compile(field+".filter", day)
	if err != nil {
		return Sort{}, err
	}
	r := &Rel{Kind: rel.kind, Path: rel.path, Filter: x}
	// The path names the sort in cursors: the relation and its filter,
	// hashed, so a cursor of another count is refused.
	h := fnv.New64a()
	h.Write([]byte(r.String()))
	return Sort{Path: "#" + name + ":" + strconv.FormatUint(h.Sum64(), 36), Desc: desc, Count: r}, nil
}
