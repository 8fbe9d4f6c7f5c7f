package model

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"

	"renda/internal/analytics"
	"renda/internal/records"
)

// Aggregate is every kind's XAggregate: the request, and its totals
// (count, sum, average) computed once, by one grouping, when first asked.
type Aggregate struct {
	Request analytics.Request
	// Totals runs the request without keys.
	Totals func(ctx context.Context, req analytics.Request) (*analytics.Group, error)

	once   sync.Once
	totals *analytics.Group
	err    error
}

func (a *Aggregate) group(ctx context.Context) (*analytics.Group, error) {
	a.once.Do(func() { a.totals, a.err = a.Totals(ctx, a.Request) })
	return a.totals, a.err
}

// Count is how many records match.
func (a *Aggregate) Count(ctx context.Context) (int, error) {
	g, err := a.group(ctx)
	if err != nil {
		return 0, err
	}
	return g.Count, nil
}

// Sum are the sums of the numbers asked for.
func (a *Aggregate) Sum(ctx context.Context) (*Numbers, error) {
	g, err := a.group(ctx)
	if err != nil {
		return nil, err
	}
	return &Numbers{Refs: a.Request.Numbers, Group: g}, nil
}

// Min are the least values of the numbers and dates asked for.
func (a *Aggregate) Min(ctx context.Context) (*Extremes, error) {
	g, err := a.group(ctx)
	if err != nil {
		return nil, err
	}
	return &Extremes{Refs: a.Request.Numbers, Group: g}, nil
}

// Max are the greatest values of the numbers and dates asked for.
func (a *Aggregate) Max(ctx context.Context) (*Extremes, error) {
	g, err := a.group(ctx)
	if err != nil {
		return nil, err
	}
	return &Extremes{Refs: a.Request.Numbers, Group: g, Max: true}, nil
}

// Rates are the handling rates of all the suggestions selected.
func (a *Aggregate) Rates(ctx context.Context) (*Rates, error) {
	g, err := a.group(ctx)
	if err != nil {
		return nil, err
	}
	return &Rates{H: g.Handling()}, nil
}

// CountDistinct is how many different values of field the records hold.
func (a *Aggregate) CountDistinct(ctx context.Context, field string) (int, error) {
	g, err := a.group(ctx)
	if err != nil {
		return 0, err
	}
	return countDistinct(a.Request.Distinct, g, field)
}

func countDistinct(keys []analytics.Key, g *analytics.Group, field string) (int, error) {
	for i, k := range keys {
		if k.Field == field {
			return g.CountDistinct(i), nil
		}
	}
	return 0, errors.New("distinct field not collected") // a selection the resolver did not see: a bug
}

// Average are the averages of the numbers asked for.
func (a *Aggregate) Average(ctx context.Context) (*Numbers, error) {
	n, err := a.Sum(ctx)
	if n != nil {
		n.Average = true
	}
	return n, err
}

// Numbers is every kind's XNumbers: a group's sums or averages of the
// numbers its request named.
type Numbers struct {
	Refs    []analytics.NumberRef
	Group   *analytics.Group
	Average bool
}

func (n *Numbers) get(ref analytics.NumberRef) (*float64, error) {
	for i, r := range n.Refs {
		if r == ref {
			if n.Average {
				return n.Group.Average(i), nil
			}
			return n.Group.Sum(i), nil
		}
	}
	return nil, errors.New("number not collected") // a selection the resolver did not see: a bug
}

func (n *Numbers) number(name string) (*float64, error) {
	return n.get(analytics.NumberRef{Number: name})
}

func (n *Numbers) Population() (*float64, error)       { return n.number("POPULATION") }
func (n *Numbers) LengthKm() (*float64, error)         { return n.number("LENGTH_KM") }
func (n *Numbers) FundingTotal() (*float64, error)     { return n.number("FUNDING_TOTAL") }
func (n *Numbers) BiddingTeams() (*float64, error)     { return n.number("BIDDING_TEAMS") }
func (n *Numbers) ParticipantCount() (*float64, error) { return n.number("PARTICIPANT_COUNT") }
func (n *Numbers) StandardizationAmount() (*float64, error) {
	return n.number("STANDARDIZATION_AMOUNT")
}
func (n *Numbers) DaysToReply() (*float64, error) { return n.number("DAYS_TO_REPLY") }
func (n *Numbers) Satisfied() (*float64, error)   { return n.number("SATISFIED") }

// Attribute is the sum or average of the number at an attribute path.
func (n *Numbers) Attribute(path string) (*float64, error) {
	return n.get(analytics.NumberRef{Attribute: path})
}

// RefLoader loads the record of kind with id in township t.
type RefLoader func(ctx context.Context, kind records.Kind, t, id string) (any, error)

// Group is what every kind's XGroup shares; each embeds it with its keys.
type Group struct {
	Count    int
	Sum      *Numbers
	Average  *Numbers
	Min      *Extremes
	Max      *Extremes
	values   []any
	labels   func(ctx context.Context) ([]string, error)
	group    *analytics.Group
	distinct []analytics.Key
}

// Rates are the group's handling rates (suggestions).
func (g *Group) Rates() *Rates { return &Rates{H: g.group.Handling()} }

// CountDistinct is how many different values of field the group's
// records hold.
func (g *Group) CountDistinct(field string) (int, error) {
	return countDistinct(g.distinct, g.group, field)
}

// Values are the keys' values in the order asked.
func (g *Group) Values() []any { return g.values }

// Labels are the keys' Chinese labels in the order asked.
func (g *Group) Labels(ctx context.Context) ([]string, error) { return g.labels(ctx) }

// Label is the labels joined with ·.
func (g *Group) Label(ctx context.Context) (string, error) {
	ls, err := g.labels(ctx)
	return strings.Join(ls, "·"), err
}

// NewGroup shapes an analytics group for the API.
func NewGroup(g *analytics.Group, req analytics.Request, labels func(ctx context.Context) ([]string, error)) Group {
	refs := req.Numbers
	return Group{Count: g.Count, Sum: &Numbers{Refs: refs, Group: g}, Average: &Numbers{Refs: refs, Group: g, Average: true},
		Min: &Extremes{Refs: refs, Group: g}, Max: &Extremes{Refs: refs, Group: g, Max: true},
		values: g.Keys, labels: labels, group: g, distinct: req.Distinct}
}

// Keys is what every kind's XGroupKeys shares: the attribute values and
// the references of the group, loaded when asked.
type Keys struct {
	attrs map[string]any
	refs  map[string]ref
	load  RefLoader
}

type ref struct {
	kind      records.Kind
	town, id  string
	requested bool
}

// Base is the shared part of a kind's keys, for FillKeys.
func (k *Keys) Base() *Keys { return k }

// Attribute is the value at a path grouped by.
func (k *Keys) Attribute(path string) (any, error) {
	v, ok := k.attrs[path]
	if !ok {
		return nil, records.Invalidf("path", "the groups are not grouped by attribute %q; add it to attributes", path)
	}
	return v, nil
}

func loadRef[T any](ctx context.Context, k *Keys, field string) (*T, error) {
	r, ok := k.refs[field]
	if !ok || r.id == "" {
		return nil, nil
	}
	x, err := k.load(ctx, r.kind, r.town, r.id)
	if err != nil || x == nil {
		return nil, err
	}
	t, _ := x.(*T)
	return t, nil
}

func (k *Keys) townshipRef(ctx context.Context) (*records.Township, error) {
	return loadRef[records.Township](ctx, k, "TOWNSHIP")
}

// FillKeys sets keys (a pointer to a kind's XGroupKeys) from a group: each
// field tagged key:"NAME" from the key of that name, converted to the
// field's type; attributes by path; references for their loaders.
func FillKeys(keys any, base *Keys, kind records.Kind, req []analytics.Key, g *analytics.Group, load RefLoader) {
	*base = Keys{attrs: map[string]any{}, refs: map[string]ref{}, load: load}
	spec := analytics.Specs[kind]
	byTag := map[string]reflect.Value{}
	tagged(reflect.ValueOf(keys).Elem(), byTag)
	for i, k := range req {
		val := g.Keys[i]
		if k.Attribute != "" {
			base.attrs[k.Attribute] = val
			continue
		}
		if f, ok := spec.Field(k.Field); ok && f.Ref != "" {
			id, _ := val.(string)
			base.refs[k.Field] = ref{kind: f.Ref, town: g.Towns[i], id: id}
			continue
		}
		dst, ok := byTag[k.Field]
		if !ok || val == nil {
			continue
		}
		setPtr(dst, val)
	}
}

// tagged collects the fields tagged key:"…" of a struct and of the
// structs it embeds.
func tagged(v reflect.Value, out map[string]reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if tag := f.Tag.Get("key"); tag != "" {
			out[tag] = v.Field(i)
		} else if f.Anonymous && f.Type.Kind() == reflect.Struct {
			tagged(v.Field(i), out)
		}
	}
}

// setPtr sets a pointer field to a copy of val converted to its type.
func setPtr(dst reflect.Value, val any) {
	t := dst.Type().Elem()
	rv := reflect.ValueOf(val)
	if n, ok := records.Number(val); ok && t.Kind() == reflect.Int {
		rv = reflect.ValueOf(int(n))
	}
	if !rv.Type().ConvertibleTo(t) || (rv.Kind() == reflect.String) != (t.Kind() == reflect.String) {
		return
	}
	p := reflect.New(t)
	p.Elem().Set(rv.Convert(t))
	dst.Set(p)
}

// The kinds' keys and groups.

type TownshipGroupKeys struct {
	Keys
	County *string `key:"COUNTY"`
	Tag    *string `key:"TAG"`
}

type DeputyGroupKeys struct {
	Keys
	Level       *records.Level   `key:"LEVEL"`
	Gender      *records.Gender  `key:"GENDER"`
	Ethnicity   *string          `key:"ETHNICITY"`
	Party       *string          `key:"PARTY"`
	Occupation  *string          `key:"OCCUPATION"`
	Term        *string          `key:"TERM"`
	Group       *string          `key:"GROUP"`
	Honour      *string          `key:"HONOUR"`
	HonourYear  *int             `key:"HONOUR_YEAR"`
	HonourLevel *records.Level   `key:"HONOUR_LEVEL"`
	Tag         *string          `key:"TAG"`
	AgeBand     *records.AgeBand `key:"AGE_BAND"`
	VoterCount  *int             `key:"VOTER_COUNT"`
}

func (k *DeputyGroupKeys) Township(ctx context.Context) (*records.Township, error) {
	return k.townshipRef(ctx)
}
func (k *DeputyGroupKeys) Village(ctx context.Context) (*records.Village, error) {
	return loadRef[records.Village](ctx, &k.Keys, "VILLAGE")
}

type VillageGroupKeys struct {
	Keys
	Designation      *string `key:"DESIGNATION"`
	DesignationYear  *int    `key:"DESIGNATION_YEAR"`
	DesignationLevel *string `key:"DESIGNATION_LEVEL"`
	Tag              *string `key:"TAG"`
}

func (k *VillageGroupKeys) Township(ctx context.Context) (*records.Township, error) {
	return k.townshipRef(ctx)
}

type ProjectGroupKeys struct {
	Keys
	Kind          *records.ProjectKind   `key:"KIND"`
	Status        *records.ProjectStatus `key:"STATUS"`
	Year          *int                   `key:"YEAR"`
	Surface       *records.Surface       `key:"SURFACE"`
	FundingSource *string                `key:"FUNDING_SOURCE"`
	BiddingMethod *string                `key:"BIDDING_METHOD"`
	Tag           *string                `key:"TAG"`
}

func (k *ProjectGroupKeys) Township(ctx context.Context) (*records.Township, error) {
	return k.townshipRef(ctx)
}
func (k *ProjectGroupKeys) Village(ctx context.Context) (*records.Village, error) {
	return loadRef[records.Village](ctx, &k.Keys, "VILLAGE")
}

// gatheringKeys are the keys inspections and activities share.
type gatheringKeys struct {
	Keys
	Year      *int               `key:"YEAR"`
	Half      *int               `key:"HALF"`
	Quarter   *int               `key:"QUARTER"`
	Month     *int               `key:"MONTH"`
	Precision *records.Precision `key:"PRECISION"`
	Organiser *string            `key:"ORGANISER"`
	Tag       *string            `key:"TAG"`
}

func (k *gatheringKeys) Township(ctx context.Context) (*records.Township, error) {
	return k.townshipRef(ctx)
}
func (k *gatheringKeys) Participant(ctx context.Context) (*records.Deputy, error) {
	return loadRef[records.Deputy](ctx, &k.Keys, "PARTICIPANT")
}
func (k *gatheringKeys) Village(ctx context.Context) (*records.Village, error) {
	return loadRef[records.Village](ctx, &k.Keys, "VILLAGE")
}
func (k *gatheringKeys) Project(ctx context.Context) (*records.Project, error) {
	return loadRef[records.Project](ctx, &k.Keys, "PROJECT")
}

type InspectionGroupKeys struct{ gatheringKeys }

type ActivityGroupKeys struct {
	gatheringKeys
	Kind     *records.ActivityKind `key:"KIND"`
	Category *string               `key:"CATEGORY"`
	Location *string               `key:"LOCATION"`
}

type SuggestionGroupKeys struct {
	Keys
	Year          *int                      `key:"YEAR"`
	Half          *int                      `key:"HALF"`
	Quarter       *int                      `key:"QUARTER"`
	Month         *int                      `key:"MONTH"`
	Kind          *records.SuggestionKind   `key:"KIND"`
	Status        *records.SuggestionStatus `key:"STATUS"`
	Category      *string                   `key:"CATEGORY"`
	Department    *string                   `key:"DEPARTMENT"`
	Satisfaction  *records.Satisfaction     `key:"SATISFACTION"`
	Valuable      *bool                     `key:"VALUABLE"`
	OnTime        *bool                     `key:"ON_TIME"`
	Tag           *string                   `key:"TAG"`
	DeputyLevel   *records.Level            `key:"DEPUTY_LEVEL"`
	DeputyGroup   *string                   `key:"DEPUTY_GROUP"`
	DeputyParty   *string                   `key:"DEPUTY_PARTY"`
	DeputyAgeBand *records.AgeBand          `key:"DEPUTY_AGE_BAND"`
}

func (k *SuggestionGroupKeys) Township(ctx context.Context) (*records.Township, error) {
	return k.townshipRef(ctx)
}
func (k *SuggestionGroupKeys) Deputy(ctx context.Context) (*records.Deputy, error) {
	return loadRef[records.Deputy](ctx, &k.Keys, "DEPUTY")
}
func (k *SuggestionGroupKeys) DeputyVillage(ctx context.Context) (*records.Village, error) {
	return loadRef[records.Village](ctx, &k.Keys, "DEPUTY_VILLAGE")
}

type (
	TownshipGroup struct {
		Group
		Keys *TownshipGroupKeys
	}
	DeputyGroup struct {
		Group
		Keys *DeputyGroupKeys
	}
	VillageGroup struct {
		Group
		Keys *VillageGroupKeys
	}
	ProjectGroup struct {
		Group
		Keys *ProjectGroupKeys
	}
	InspectionGroup struct {
		Group
		Keys *InspectionGroupKeys
	}
	ActivityGroup struct {
		Group
		Keys *ActivityGroupKeys
	}
	SuggestionGroup struct {
		Group
		Keys *SuggestionGroupKeys
	}
)

// Pages of groups: the kinds' XGroupConnection.
type (
	TownshipGroupConnection   = GroupPage[TownshipGroup]
	DeputyGroupConnection     = GroupPage[DeputyGroup]
	VillageGroupConnection    = GroupPage[VillageGroup]
	ProjectGroupConnection    = GroupPage[ProjectGroup]
	InspectionGroupConnection = GroupPage[InspectionGroup]
	ActivityGroupConnection   = GroupPage[ActivityGroup]
	SuggestionGroupConnection = GroupPage[SuggestionGroup]
)

// GroupPage is a page of a kind's groups.
type GroupPage[G any] struct {
	TotalCount int
	PageInfo   *PageInfo
	Nodes      []*G
}

// Dashboard is a dashboard's townships and year; its figures are resolved
// when asked for.
type Dashboard struct {
	Year  int
	Towns []string // nil: all the caller may see
	// Figures computes them, sharing what two figures read.
	Figures *analytics.Year
}
