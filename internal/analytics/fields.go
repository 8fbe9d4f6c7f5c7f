// Package analytics answers grouped aggregates and dashboard figures over
// renda's records. The database does the counting: every figure is rolled
// up from the counts of one pipeline per township (store.Collection.Group),
// whose records are grouped by the stored values asked for; this package
// expands lists into their items, adds numbers (value × count), merges
// townships and applies having, ordering and first. Nothing here reads a
// record whole.
package analytics

import (
	"fmt"
	"strconv"

	"renda/internal/records"
)

// Field is one key the records of a kind can be grouped by.
type Field struct {
	Name string // as the API names it: LEVEL
	Path string // where it is stored: levels
	// List fields hold several values: a record counts once in the group
	// of each, and in the group of no value (nil) when it holds none.
	List bool
	// Item, for a list of documents, is the field of each the key is:
	// FerretDB v1 answers null for a path through a document into a list
	// of documents (funding.sources.source), so the list is grouped on
	// whole and the item's field read here.
	Item string
	// Ref is the kind of record the values are ids of, if any.
	Ref records.Kind
	// Label is the Chinese label of a value (not nil); refs are labelled
	// by the API with the record's name.
	Label func(v any) string
	// Via, for a key that is a related record's field, names it: Path is
	// then the id of the related record (a suggestion's deputyId), and the
	// key is the value at Via.Path of that record (its levels), read by
	// one grouping of the related kind.
	Via *Via
	// Age, for a key computed from a birth date stored at Path (or at
	// Via.Path), makes the key the age band on the date asked
	// (Request.On): the birth dates are grouped on, and each counted in
	// its band here. Bands order youngest first.
	Age bool
	// Always says every record holds a value (checked on write, or
	// derived): the API's key is non-null, so it is asked for only when
	// grouped by.
	Always bool
}

// Via is a field of a related record.
type Via struct {
	Kind records.Kind
	Path string
}

// Number is a numeric field whose sum, average, min and max can be asked
// for; or, Date, a calendar date whose min and max can.
type Number struct {
	Name string // LENGTH_KM
	Path string // lengthKm
	Date bool
}

// Spec is what a kind offers aggregates.
type Spec struct {
	Kind    records.Kind
	Fields  []Field
	Numbers []Number // the dates among them last
}

// Field returns the kind's field called name.
func (s *Spec) Field(name string) (*Field, bool) {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i], true
		}
	}
	return nil, false
}

// Number returns the kind's number called name.
func (s *Spec) Number(name string) (*Number, bool) {
	for i := range s.Numbers {
		if s.Numbers[i].Name == name {
			return &s.Numbers[i], true
		}
	}
	return nil, false
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return records.NoValue
	case string:
		if x == "" {
			return records.NoValue
		}
		return x
	case bool:
		return records.BoolLabel(x)
	}
	if f, ok := records.Number(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func enum(v any) string {
	if s, ok := v.(string); ok && s != "" {
		return records.EnumLabel(s)
	}
	return text(v)
}

func intLabel(f func(int) string) func(any) string {
	return func(v any) string {
		if n, ok := records.Number(v); ok {
			return f(int(n))
		}
		return text(v)
	}
}

var (
	year    = intLabel(records.YearLabel)
	half    = intLabel(records.HalfLabel)
	quarter = intLabel(records.QuarterLabel)
	month   = intLabel(records.MonthLabel)
	people  = intLabel(func(n int) string { return fmt.Sprintf("%d人", n) })
)

func township() Field {
	return Field{Name: "TOWNSHIP", Path: "township", Ref: records.KindTownship, Label: text, Always: true}
}

func tags() Field { return Field{Name: "TAG", Path: "tags", List: true, Label: text} }

// span are the keys of a date span stored at path (date): its first day's
// year, half, quarter and month, and its precision.
func span(path string) []Field {
	return []Field{
		{Name: "YEAR", Path: path + ".year", Label: year, Always: true},
		{Name: "HALF", Path: path + ".half", Label: half, Always: true},
		{Name: "QUARTER", Path: path + ".quarter", Label: quarter, Always: true},
		{Name: "MONTH", Path: path + ".month", Label: month, Always: true},
		{Name: "PRECISION", Path: path + ".precision", Label: enum, Always: true},
	}
}

func gathering() []Field {
	return []Field{
		{Name: "ORGANISER", Path: "organiser", Label: text},
		{Name: "PARTICIPANT", Path: "participantIds", List: true, Ref: records.KindDeputy, Label: text},
		{Name: "VILLAGE", Path: "villageIds", List: true, Ref: records.KindVillage, Label: text},
		{Name: "PROJECT", Path: "projectIds", List: true, Ref: records.KindProject, Label: text},
	}
}

// spanDates are a date span's first and last days.
var spanDates = []Number{{"DATE", "date.date", true}, {"DATE_END", "date.end", true}}

// Specs are the kinds' keys and numbers. The API's enumerations of group
// fields and numbers list exactly these names.
var Specs = map[records.Kind]*Spec{
	records.KindTownship: {Kind: records.KindTownship, Fields: []Field{
		{Name: "COUNTY", Path: "county", Label: text},
		tags(),
	}},
	records.KindDeputy: {Kind: records.KindDeputy, Fields: []Field{
		township(),
		{Name: "LEVEL", Path: "levels", List: true, Label: enum, Always: true},
		{Name: "GENDER", Path: "gender", Label: enum},
		{Name: "ETHNICITY", Path: "ethnicity", Label: text},
		{Name: "PARTY", Path: "party", Label: text},
		{Name: "OCCUPATION", Path: "occupation", Label: text},
		{Name: "TERM", Path: "term", Label: text},
		{Name: "GROUP", Path: "group", Label: text},
		{Name: "VILLAGE", Path: "villageId", Ref: records.KindVillage, Label: text},
		{Name: "HONOUR", Path: "honours.title", List: true, Label: text},
		{Name: "HONOUR_YEAR", Path: "honours.year", List: true, Label: year},
		{Name: "HONOUR_LEVEL", Path: "honours.level", List: true, Label: enum},
		tags(),
		{Name: "AGE_BAND", Path: "birthDate", Age: true, Label: enum},
		{Name: "VOTER_COUNT", Path: "voterCount", Label: people, Always: true},
	}, Numbers: []Number{{"BIRTH_DATE", "birthDate", true}}},
	records.KindVillage: {Kind: records.KindVillage, Fields: []Field{
		township(),
		{Name: "DESIGNATION", Path: "designations.title", List: true, Label: text},
		{Name: "DESIGNATION_YEAR", Path: "designations.year", List: true, Label: year},
		{Name: "DESIGNATION_LEVEL", Path: "designations.level", List: true, Label: text},
		tags(),
	}, Numbers: []Number{{"POPULATION", "population", false}}},
	records.KindProject: {Kind: records.KindProject, Fields: []Field{
		township(),
		{Name: "KIND", Path: "kind", Label: enum, Always: true},
		{Name: "STATUS", Path: "status", Label: enum, Always: true},
		{Name: "YEAR", Path: "year", Label: year, Always: true},
		{Name: "VILLAGE", Path: "villageIds", List: true, Ref: records.KindVillage, Label: text},
		{Name: "SURFACE", Path: "surface", Label: enum},
		{Name: "FUNDING_SOURCE", Path: "funding.sources", Item: "source", List: true, Label: text},
		{Name: "BIDDING_METHOD", Path: "bidding.method", Label: text},
		tags(),
	}, Numbers: []Number{{"LENGTH_KM", "lengthKm", false}, {"FUNDING_TOTAL", "funding.total", false}, {"BIDDING_TEAMS", "bidding.teams", false}}},
	records.KindInspection: {Kind: records.KindInspection,
		Fields:  append(append([]Field{township()}, append(span("date"), gathering()...)...), tags()),
		Numbers: append([]Number{{"PARTICIPANT_COUNT", "participantCount", false}}, spanDates...)},
	records.KindActivity: {Kind: records.KindActivity,
		Fields: append(append([]Field{township(),
			{Name: "KIND", Path: "kind", Label: enum, Always: true},
			{Name: "CATEGORY", Path: "category", Label: text},
			{Name: "LOCATION", Path: "location", Label: text},
		}, append(span("date"), gathering()...)...), tags()),
		Numbers: append([]Number{{"PARTICIPANT_COUNT", "participantCount", false}, {"STANDARDIZATION_AMOUNT", "standardization.amountYuan", false}}, spanDates...)},
	records.KindSuggestion: {Kind: records.KindSuggestion, Fields: []Field{
		township(),
		{Name: "YEAR", Path: "year", Label: year, Always: true},
		{Name: "HALF", Path: "half", Label: half, Always: true},
		{Name: "QUARTER", Path: "quarter", Label: quarter, Always: true},
		{Name: "MONTH", Path: "month", Label: month, Always: true},
		{Name: "DEPUTY", Path: "deputyId", Ref: records.KindDeputy, Label: text, Always: true},
		{Name: "KIND", Path: "kind", Label: enum, Always: true},
		{Name: "STATUS", Path: "status", Label: enum, Always: true},
		{Name: "CATEGORY", Path: "category", Label: text},
		{Name: "DEPARTMENT", Path: "department", Label: text},
		{Name: "SATISFACTION", Path: "satisfaction", Label: enum},
		{Name: "VALUABLE", Path: "valuable", Label: text},
		{Name: "ON_TIME", Path: "onTime", Label: text},
		{Name: "REPLY_CLASS", Path: "replyClass", Label: enum},
		{Name: "SUPERVISED", Path: "supervised", Label: text},
		{Name: "EXTENDED", Path: "extended", Label: text},
		tags(),
		{Name: "DEPUTY_LEVEL", Path: "deputyId", List: true, Via: &Via{records.KindDeputy, "levels"}, Label: enum},
		{Name: "DEPUTY_GROUP", Path: "deputyId", Via: &Via{records.KindDeputy, "group"}, Label: text},
		{Name: "DEPUTY_PARTY", Path: "deputyId", Via: &Via{records.KindDeputy, "party"}, Label: text},
		{Name: "DEPUTY_VILLAGE", Path: "deputyId", Via: &Via{records.KindDeputy, "villageId"}, Ref: records.KindVillage, Label: text},
		{Name: "DEPUTY_AGE_BAND", Path: "deputyId", Via: &Via{records.KindDeputy, "birthDate"}, Age: true, Label: enum},
	}, Numbers: []Number{{"DAYS_TO_REPLY", "daysToReply", false}, {"SATISFIED", "satisfied", false},
		{"SUBMITTED", "submitted", true}, {"DEADLINE", "deadline", true}, {"REPLIED_ON", "repliedOn", true}}},
}
