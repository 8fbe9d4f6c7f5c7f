package records

import (
	"context"
	"fmt"
)

// Defined filter types for gqlgen binding; see the generic shapes in filter.go.
type (
	TagFilter           ListFilter[string]
	LevelListFilter     ListFilter[Level]
	GenderFilter        EnumFilter[Gender]
	ProjectKindFilter   EnumFilter[ProjectKind]
	ProjectStatusFilter EnumFilter[ProjectStatus]
	SurfaceFilter       EnumFilter[Surface]
	PrecisionFilter     EnumFilter[Precision]
)

// DeputyFilter selects deputies. Fields set at one level must all match.
type DeputyFilter struct {
	Common
	And        []*DeputyFilter
	Or         []*DeputyFilter
	Not        *DeputyFilter
	Name       *StringFilter
	Gender     *GenderFilter
	BirthDate  *DateFilter
	Ethnicity  *StringFilter
	Party      *StringFilter
	Occupation *StringFilter
	Levels     *LevelListFilter
	Term       *StringFilter
	Group      *StringFilter
	Village    *IDFilter
	Honour     *StringFilter // title of any honour
	HonourYear *IntFilter
	// AgeBand is the deputy's age band on the date asked, VoterCount how
	// many voters they keep in contact with (age.go).
	AgeBand    *AgeBandFilter
	VoterCount *IntFilter
	// ServingOn matches deputies serving on a day by their terms (or with
	// none recorded).
	ServingOn *Date
	// Relations: the records naming the deputy.
	Inspections *InspectionRelation
	Activities  *ActivityRelation
	Suggestions *SuggestionRelation
}

func (f *DeputyFilter) parts() (and, or []*DeputyFilter, not *DeputyFilter) {
	return f.And, f.Or, f.Not
}

func (f *DeputyFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	if f.ServingOn != nil {
		if !f.ServingOn.Valid() {
			b.fail("servingOn", "%q is not a date in YYYY-MM-DD form", *f.ServingOn)
		} else {
			b.conds = append(b.conds, servingOnExpr(*f.ServingOn))
		}
	}
	f.Name.build(b, "name", "name")
	(*EnumFilter[Gender])(f.Gender).build(b, "gender", "gender")
	f.BirthDate.build(b, "birthDate", "birthDate")
	f.Ethnicity.build(b, "ethnicity", "ethnicity")
	f.Party.build(b, "party", "party")
	f.Occupation.build(b, "occupation", "occupation")
	(*ListFilter[Level])(f.Levels).build(b, "levels", "levels")
	f.Term.build(b, "term", "term")
	f.Group.build(b, "group", "group")
	f.Village.build(b, "village", "villageId")
	f.Honour.build(b, "honour", "honours.title")
	f.HonourYear.build(b, "honourYear", "honours.year")
	f.AgeBand.build(b, "ageBand")
	f.VoterCount.build(b, "voterCount", "voterCount")
	f.Inspections.build(b, "inspections", "participantIds")
	f.Activities.build(b, "activities", "participantIds")
	f.Suggestions.build(b, "suggestions", "deputyId")
}

// VillageFilter selects villages.
type VillageFilter struct {
	Common
	And             []*VillageFilter
	Or              []*VillageFilter
	Not             *VillageFilter
	Name            *StringFilter
	Code            *StringFilter
	Population      *IntFilter
	Designation     *StringFilter // title of any designation
	DesignationYear *IntFilter
	// Relations: the records naming the village.
	Deputies    *DeputyRelation
	Projects    *ProjectRelation
	Inspections *InspectionRelation
	Activities  *ActivityRelation
}

func (f *VillageFilter) parts() (and, or []*VillageFilter, not *VillageFilter) {
	return f.And, f.Or, f.Not
}

func (f *VillageFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Name.build(b, "name", "name")
	f.Code.build(b, "code", "code")
	f.Population.build(b, "population", "population")
	f.Designation.build(b, "designation", "designations.title")
	f.DesignationYear.build(b, "designationYear", "designations.year")
	f.Deputies.build(b, "deputies", "villageId")
	f.Projects.build(b, "projects", "villageIds")
	f.Inspections.build(b, "inspections", "villageIds")
	f.Activities.build(b, "activities", "villageIds")
}

// ProjectFilter selects projects.
type ProjectFilter struct {
	Common
	And          []*ProjectFilter
	Or           []*ProjectFilter
	Not          *ProjectFilter
	Name         *StringFilter
	Kind         *ProjectKindFilter
	Villages     *VillageListFilter
	Year         *IntFilter
	Status       *ProjectStatusFilter
	LengthKm     *FloatFilter
	Surface      *SurfaceFilter
	FundingTotal *FloatFilter
	BiddingTeams *IntFilter
	// Relations: the records naming the project.
	Inspections *InspectionRelation
	Activities  *ActivityRelation
}

func (f *ProjectFilter) parts() (and, or []*ProjectFilter, not *ProjectFilter) {
	return f.And, f.Or, f.Not
}

func (f *ProjectFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Name.build(b, "name", "name")
	(*EnumFilter[ProjectKind])(f.Kind).build(b, "kind", "kind")
	f.Villages.build(b, "villages", "villageIds")
	f.Year.build(b, "year", "year")
	(*EnumFilter[ProjectStatus])(f.Status).build(b, "status", "status")
	f.LengthKm.build(b, "lengthKm", "lengthKm")
	(*EnumFilter[Surface])(f.Surface).build(b, "surface", "surface")
	f.FundingTotal.build(b, "fundingTotal", "funding.total")
	f.BiddingTeams.build(b, "biddingTeams", "bidding.teams")
	f.Inspections.build(b, "inspections", "projectIds")
	f.Activities.build(b, "activities", "projectIds")
}

// InspectionFilter selects inspections.
type InspectionFilter struct {
	Common
	And          []*InspectionFilter
	Or           []*InspectionFilter
	Not          *InspectionFilter
	Topic        *StringFilter
	Date         *DateFilter // the span's first day
	DateEnd      *DateFilter // the span's last day
	Year         *IntFilter
	Half         *IntFilter
	Month        *IntFilter
	Quarter      *IntFilter
	Precision    *PrecisionFilter
	Organiser    *StringFilter
	Participants *DeputyListFilter
	Villages     *VillageListFilter
	Projects     *ProjectListFilter
	Findings     *StringFilter
}

func (f *InspectionFilter) parts() (and, or []*InspectionFilter, not *InspectionFilter) {
	return f.And, f.Or, f.Not
}

func (f *InspectionFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Topic.build(b, "topic", "topic")
	f.Date.build(b, "date", "date.date")
	f.DateEnd.build(b, "dateEnd", "date.end")
	f.Year.build(b, "year", "date.year")
	f.Month.build(b, "month", "date.month")
	f.Quarter.build(b, "quarter", "date.quarter")
	f.Half.build(b, "half", "date.half")
	(*EnumFilter[Precision])(f.Precision).build(b, "precision", "date.precision")
	f.Organiser.build(b, "organiser", "organiser")
	f.Participants.build(b, "participants", "participantIds")
	f.Villages.build(b, "villages", "villageIds")
	f.Projects.build(b, "projects", "projectIds")
	f.Findings.build(b, "findings", "findings")
}

// TownshipFilter selects townships.
type TownshipFilter struct {
	Common
	And    []*TownshipFilter
	Or     []*TownshipFilter
	Not    *TownshipFilter
	Name   *StringFilter
	County *StringFilter
	// Relations: the township's records.
	Deputies    *DeputyRelation
	Villages    *VillageRelation
	Projects    *ProjectRelation
	Inspections *InspectionRelation
	Activities  *ActivityRelation
	Suggestions *SuggestionRelation
}

func (f *TownshipFilter) parts() (and, or []*TownshipFilter, not *TownshipFilter) {
	return f.And, f.Or, f.Not
}

func (f *TownshipFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Name.build(b, "name", "name")
	f.County.build(b, "county", "county")
	f.Deputies.build(b, "deputies", "township")
	f.Villages.build(b, "villages", "township")
	f.Projects.build(b, "projects", "township")
	f.Inspections.build(b, "inspections", "township")
	f.Activities.build(b, "activities", "township")
	f.Suggestions.build(b, "suggestions", "township")
}

// Direction orders a sort.
type Direction string

const (
	ASC  Direction = "ASC"
	DESC Direction = "DESC"
)

// Sort orders results by one stored field. Every sortable field is always
// present on stored records, so keyset pagination never meets a missing key.
type Sort struct {
	Path string
	Desc bool
	// Count, when set, sorts by how many records of Count.Kind matching
	// Count.Filter hold the record's id at Count.Path (each once; none is
	// 0): Path then only names the sort (countorder.go).
	Count *Rel
}

// Order is one orderBy entry from the API: a field name, or a count of
// related records (one of the counts; countorder.go), and a direction.
type Order struct {
	Field            string
	Direction        Direction
	DeputiesCount    *DeputyCountOrder
	VillagesCount    *VillageCountOrder
	ProjectsCount    *ProjectCountOrder
	InspectionsCount *InspectionCountOrder
	ActivitiesCount  *ActivityCountOrder
	SuggestionsCount *SuggestionCountOrder
}

// Sortable fields per kind: API name → stored path. Names sort by their
// pinyin key, the order Chinese readers browse lists in.
var Sortable = map[Kind]map[string]string{
	KindTownship:   {"NAME": "nameKey", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindDeputy:     {"NAME": "nameKey", "GROUP": "group", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindVillage:    {"NAME": "nameKey", "CODE": "code", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindProject:    {"NAME": "nameKey", "YEAR": "year", "KIND": "kind", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindInspection: {"DATE": "date.date", "TOPIC": "topic", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindActivity:   {"DATE": "date.date", "KIND": "kind", "TITLE": "title", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindSuggestion: {"SUBMITTED": "submitted", "STATUS": "status", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},

	KindCongressSession:   {"START": "start", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindPresidiumMeeting:  {"DATE": "date.date", "TITLE": "title", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
	KindLivelihoodProject: {"YEAR": "year", "NAME": "nameKey", "VOTES": "votes", "PROGRESS": "progress", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"},
}

// DefaultOrder is the order of a list when the caller gives none.
var DefaultOrder = map[Kind]Order{
	KindTownship:   {Field: "NAME", Direction: ASC},
	KindDeputy:     {Field: "NAME", Direction: ASC},
	KindVillage:    {Field: "NAME", Direction: ASC},
	KindProject:    {Field: "NAME", Direction: ASC},
	KindInspection: {Field: "DATE", Direction: ASC},
	KindActivity:   {Field: "DATE", Direction: ASC},
	KindSuggestion: {Field: "SUBMITTED", Direction: ASC},

	KindCongressSession:   {Field: "START", Direction: ASC},
	KindPresidiumMeeting:  {Field: "DATE", Direction: ASC},
	KindLivelihoodProject: {Field: "YEAR", Direction: ASC},
}

// Sorts turns orderBy entries into stored sorts, refusing repeats; the
// filters of counts are compiled on today (SortsOn).
func Sorts(kind Kind, orders []Order) ([]Sort, error) { return SortsOn(kind, orders, Today()) }

// SortsOn is Sorts with the filters of counts compiled on day (a
// deputy's age band is their age on it).
func SortsOn(kind Kind, orders []Order, day Date) ([]Sort, error) {
	if len(orders) == 0 {
		orders = []Order{DefaultOrder[kind]}
	}
	if len(orders) > 3 {
		return nil, Invalidf("orderBy", "at most 3 orderBy entries")
	}
	seen := map[string]bool{}
	sorts := make([]Sort, 0, len(orders))
	for i, o := range orders {
		counts := o.counts()
		switch {
		case len(counts) > 1 || len(counts) == 1 && o.Field != "":
			return nil, Invalidf(fmt.Sprintf("orderBy.%d", i), "an orderBy entry gives a field or one count, not both or two")
		case len(counts) == 1:
			for name, c := range counts {
				s, err := countSort(kind, i, name, c, o.Direction == DESC, day)
				if err != nil {
					return nil, err
				}
				if seen[s.Path] {
					return nil, Invalidf(fmt.Sprintf("orderBy.%d.%s", i, name), "the same count is given twice")
				}
				seen[s.Path] = true
				sorts = append(sorts, s)
			}
			continue
		case o.Field == "":
			return nil, Invalidf(fmt.Sprintf("orderBy.%d.field", i), "an orderBy entry gives a field or a count")
		}
		path, ok := Sortable[kind][o.Field]
		if !ok || seen[o.Field] {
			return nil, Invalidf(fmt.Sprintf("orderBy.%d.field", i), "%s cannot be ordered by %q, or it is given twice", kind.Noun(), o.Field)
		}
		seen[o.Field] = true
		sorts = append(sorts, Sort{Path: path, Desc: o.Direction == DESC})
	}
	return sorts, nil
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Query asks for one page of records of a kind.
type Query struct {
	Townships []string // nil for all the caller may see
	Filter    Expr
	Sort      []Sort
	First     int
	After     string // cursor of the last record of the previous page
}

// Validate checks page size.
func (q *Query) Validate() error { return q.ValidateIn(context.Background()) }

// ValidateIn checks page size against the page limit of ctx.
func (q *Query) ValidateIn(ctx context.Context) error {
	switch most := PageLimit(ctx); {
	case q.First < 0:
		return Invalidf("first", "first cannot be negative")
	case q.First > most:
		return Invalidf("first", "first is at most %d, got %d; page with after", most, q.First)
	}
	return nil
}

type pageLimitKey struct{}

// WithPageLimit lets the reads made in ctx ask pages of up to n records
// rather than MaxPageSize: for code in this process that reads a bounded
// list whole (an export reads up to its MaxRows+1 records in one page, so
// the list is sorted once, not once for every page of 500). The GraphQL
// API lets such a run cost and answer as much as the pages it stands for
// (PageScale). No client's request carries it.
func WithPageLimit(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, pageLimitKey{}, n)
}

// PageLimit is the largest page the reads in ctx may ask: MaxPageSize
// unless WithPageLimit raised it.
func PageLimit(ctx context.Context) int {
	if n, ok := ctx.Value(pageLimitKey{}).(int); ok && n > MaxPageSize {
		return n
	}
	return MaxPageSize
}

// PageScale is how many pages of MaxPageSize a page of PageLimit(ctx)
// holds, rounded up: 1 for every client's request.
func PageScale(ctx context.Context) int { return (PageLimit(ctx) + MaxPageSize - 1) / MaxPageSize }

// Page is one page of a list: records with their cursors.
type Page[T any] struct {
	Items       []*T
	Cursors     []string
	HasNextPage bool
}
