package records

import (
	"fmt"
	"net/url"
	"slices"
)

// ActivityKind is what sort of duty work an activity was.
type ActivityKind string

const (
	DELIBERATION    ActivityKind = "DELIBERATION"    // 代表议政日
	APPRAISAL       ActivityKind = "APPRAISAL"       // 评议
	GROUP_DAY       ActivityKind = "GROUP_DAY"       // 代表小组活动日
	VISIT           ActivityKind = "VISIT"           // 走访代表
	MEETING         ActivityKind = "MEETING"         // 会议
	TRAINING        ActivityKind = "TRAINING"        // 培训
	STANDARDIZATION ActivityKind = "STANDARDIZATION" // 规范化建设: 代表之家, rules, archives
	OTHER_ACTIVITY  ActivityKind = "OTHER"           // anything else, with a category
)

// Activity is one piece of the presidium's or the deputies' duty work other
// than an inspection. Kind-specific details sit in the field named after
// the kind; only that one may be set.
type Activity struct {
	Meta              `bson:",inline"`
	Kind              ActivityKind     `json:"kind" bson:"kind"`
	Category          string           `json:"category,omitempty" bson:"category,omitempty"`
	Title             string           `json:"title" bson:"title"`
	Date              DateSpan         `json:"date" bson:"date"`
	Location          string           `json:"location,omitempty" bson:"location,omitempty"`
	Organiser         string           `json:"organiser,omitempty" bson:"organiser,omitempty"`
	ParticipantIDs    []string         `json:"participantIds" bson:"participantIds" max:"500"`
	OtherParticipants []Headcount      `json:"otherParticipants" bson:"otherParticipants"`
	VillageIDs        []string         `json:"villageIds" bson:"villageIds" max:"500"`
	ProjectIDs        []string         `json:"projectIds" bson:"projectIds" max:"500"`
	Summary           string           `json:"summary,omitempty" bson:"summary,omitempty" max:"20000" text:"multiline"`
	Outcome           string           `json:"outcome,omitempty" bson:"outcome,omitempty" max:"20000" text:"multiline"`
	Attachments       []Attachment     `json:"attachments" bson:"attachments"`
	Deliberation      *Deliberation    `json:"deliberation,omitempty" bson:"deliberation,omitempty"`
	Appraisal         *Appraisal       `json:"appraisal,omitempty" bson:"appraisal,omitempty"`
	Standardization   *Standardization `json:"standardization,omitempty" bson:"standardization,omitempty"`
	// Order places the record in its section of a document (the summary's
	// 一是, 二是 …): those with one first, by it; nil is none.
	Order        *int          `json:"order,omitempty" bson:"order,omitempty"`
	Training     *Training     `json:"training,omitempty" bson:"training,omitempty"`
	ReportReview *ReportReview `json:"reportReview,omitempty" bson:"reportReview,omitempty"`
	// ParticipantTotal is ParticipantCount, derived at write time so aggregates
	// can add it up in the database.
	ParticipantTotal int `json:"participantCount" bson:"participantCount"`
}

// Attachment is a reference to a document kept elsewhere.
type Attachment struct {
	Name string `json:"name" bson:"name"`
	URL  string `json:"url" bson:"url" max:"2000"`
}

// Deliberation is what a 议政日 discussed and decided.
type Deliberation struct {
	Topic string `json:"topic" bson:"topic"`
	// Series names what several meetings deliberated together (a pilot
	// village's three meetings on its road): documents tell the meetings
	// of one series as one item, under this name.
	Series   string `json:"series,omitempty" bson:"series,omitempty"`
	Decision string `json:"decision,omitempty" bson:"decision,omitempty" max:"20000" text:"multiline"`
	Votes    *Votes `json:"votes,omitempty" bson:"votes,omitempty"`
}

// Votes of a show of hands or ballot.
type Votes struct {
	For     int `json:"for" bson:"for"`
	Against int `json:"against" bson:"against"`
	Abstain int `json:"abstain" bson:"abstain"`
}

// Appraisal is a 评议 of departments or officials.
type Appraisal struct {
	Subjects []AppraisalSubject `json:"subjects" bson:"subjects"`
}

// AppraisalSubject is one department, station or official appraised.
type AppraisalSubject struct {
	Name          string   `json:"name" bson:"name"`
	SubjectKind   string   `json:"subjectKind" bson:"subjectKind"` // DEPARTMENT or OFFICIAL
	Methods       []string `json:"methods" bson:"methods"`         // e.g. 述职, 质询, 测评票
	Score         *float64 `json:"score,omitempty" bson:"score,omitempty"`
	Rank          *int     `json:"rank,omitempty" bson:"rank,omitempty"`
	Verdict       string   `json:"verdict,omitempty" bson:"verdict,omitempty"` // 最满意, 满意, 不满意 …
	Rectification string   `json:"rectification,omitempty" bson:"rectification,omitempty" max:"20000" text:"multiline"`
}

// Standardization is the presidium's own 规范化建设: money spent, things
// bought, rules set.
type Standardization struct {
	AmountYuan *float64 `json:"amountYuan,omitempty" bson:"amountYuan,omitempty"`
	Items      []string `json:"items" bson:"items"`
	// AmountFor names the items AmountYuan paid for, when it did not pay
	// for all of them.
	AmountFor []string `json:"amountFor,omitempty" bson:"amountFor,omitempty"`
}

func (a *Activity) Validate() error {
	if err := checkLimits(a); err != nil {
		return err
	}
	switch a.Kind {
	case DELIBERATION, APPRAISAL, GROUP_DAY, VISIT, MEETING, TRAINING, STANDARDIZATION, REPORT_REVIEW:
	case OTHER_ACTIVITY:
		if err := required("category", a.Category); err != nil {
			return Invalidf("category", "an OTHER activity needs a category")
		}
	default:
		return Invalidf("kind", "unknown activity kind %q", a.Kind)
	}
	if err := required("title", a.Title); err != nil {
		return err
	}
	if err := checkOrder(a.Order); err != nil {
		return err
	}
	if err := a.Date.Validate(); err != nil {
		return Prefix("date", err)
	}
	if err := validateGathering(a.ParticipantIDs, a.VillageIDs, a.ProjectIDs, a.OtherParticipants); err != nil {
		return err
	}
	for i, at := range a.Attachments {
		field := fmt.Sprintf("attachments.%d", i)
		if err := required("name", at.Name); err != nil {
			return Prefix(field, err)
		}
		if u, err := url.Parse(at.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return Invalidf(field+".url", "an attachment URL is an http or https address")
		}
	}
	if err := a.validateDetails(); err != nil {
		return err
	}
	return a.Meta.Validate()
}

// validateDetails checks that only the kind's own details are set, and
// that an appraisal names what it appraised.
func (a *Activity) validateDetails() error {
	for _, d := range []struct {
		field string
		kind  ActivityKind
		set   bool
	}{
		{"deliberation", DELIBERATION, a.Deliberation != nil},
		{"appraisal", APPRAISAL, a.Appraisal != nil},
		{"standardization", STANDARDIZATION, a.Standardization != nil},
		{"training", TRAINING, a.Training != nil},
		{"reportReview", REPORT_REVIEW, a.ReportReview != nil},
	} {
		if d.set && a.Kind != d.kind {
			return Invalidf(d.field, "%s details are for %s activities, this one is %s", d.field, d.kind, a.Kind)
		}
	}
	if a.Kind == APPRAISAL && (a.Appraisal == nil || len(a.Appraisal.Subjects) == 0) {
		return Invalidf("appraisal.subjects", "an APPRAISAL names at least one subject appraised")
	}
	if a.Appraisal != nil {
		for i, s := range a.Appraisal.Subjects {
			field := fmt.Sprintf("appraisal.subjects.%d", i)
			if err := required("name", s.Name); err != nil {
				return Prefix(field, err)
			}
			if s.SubjectKind != "DEPARTMENT" && s.SubjectKind != "OFFICIAL" {
				return Invalidf(field+".subjectKind", "subjectKind is DEPARTMENT or OFFICIAL")
			}
		}
	}
	if d := a.Deliberation; d != nil {
		if err := required("topic", d.Topic); err != nil {
			return Prefix("deliberation", err)
		}
		if v := d.Votes; v != nil && (v.For < 0 || v.Against < 0 || v.Abstain < 0) {
			return Invalidf("deliberation.votes", "votes cannot be negative")
		}
	}
	if t := a.Training; t != nil {
		if err := t.validate(); err != nil {
			return err
		}
	}
	if r := a.ReportReview; r != nil {
		if err := r.validate(); err != nil {
			return err
		}
	}
	if s := a.Standardization; s != nil {
		if err := nonNegative("standardization.amountYuan", s.AmountYuan); err != nil {
			return err
		}
		for i, x := range s.AmountFor {
			if !slices.Contains(s.Items, x) {
				return Invalidf(fmt.Sprintf("standardization.amountFor.%d", i), "%q is not among the items bought or set up", x)
			}
		}
	}
	return nil
}

func (a *Activity) Derive(SortKey) { a.Date.Normalize(); a.ParticipantTotal = a.ParticipantCount() }

func (a *Activity) Refs() []Ref {
	return append(gatheringRefs(a.ParticipantIDs, a.VillageIDs, a.ProjectIDs), a.ReportReview.refs()...)
}

// ParticipantCount is everyone who took part: deputies named plus headcounts.
func (a *Activity) ParticipantCount() int {
	return len(a.ParticipantIDs) + headcount(a.OtherParticipants)
}

// ActivityPatch changes the fields it sets; nil leaves a field as it is.
type ActivityPatch struct {
	Kind              *ActivityKind
	Category          *string
	Title             *string
	Date              *DateSpan
	Location          *string
	Organiser         *string
	ParticipantIDs    []string
	OtherParticipants []Headcount
	VillageIDs        []string
	ProjectIDs        []string
	Summary           *string
	Outcome           *string
	Attachments       []Attachment
	Deliberation      *Deliberation
	Appraisal         *Appraisal
	Standardization   *Standardization
	Order             *int
	Training          *Training
	ReportReview      *ReportReview
	Tags              []string
	Attributes        map[string]any
}

func (p *ActivityPatch) Apply(a *Activity) {
	set(&a.Kind, p.Kind)
	set(&a.Category, p.Category)
	set(&a.Title, p.Title)
	set(&a.Date, p.Date)
	set(&a.Location, p.Location)
	set(&a.Organiser, p.Organiser)
	setList(&a.ParticipantIDs, p.ParticipantIDs)
	setList(&a.OtherParticipants, p.OtherParticipants)
	setList(&a.VillageIDs, p.VillageIDs)
	setList(&a.ProjectIDs, p.ProjectIDs)
	set(&a.Summary, p.Summary)
	set(&a.Outcome, p.Outcome)
	setList(&a.Attachments, p.Attachments)
	setPtr(&a.Deliberation, p.Deliberation)
	setPtr(&a.Appraisal, p.Appraisal)
	setPtr(&a.Standardization, p.Standardization)
	setOrder(&a.Order, p.Order)
	setPtr(&a.Training, p.Training)
	setPtr(&a.ReportReview, p.ReportReview)
	setList(&a.Tags, p.Tags)
	setMap(&a.Attributes, p.Attributes)
}

// ActivityKindFilter compares an activity's kind.
type ActivityKindFilter EnumFilter[ActivityKind]

// ActivityFilter selects activities.
type ActivityFilter struct {
	Common
	And          []*ActivityFilter
	Or           []*ActivityFilter
	Not          *ActivityFilter
	Kind         *ActivityKindFilter
	Category     *StringFilter
	Title        *StringFilter
	Date         *DateFilter
	DateEnd      *DateFilter
	Year         *IntFilter
	Half         *IntFilter
	Month        *IntFilter
	Quarter      *IntFilter
	Location     *StringFilter
	Organiser    *StringFilter
	Participants *DeputyListFilter
	Villages     *VillageListFilter
	Projects     *ProjectListFilter
	Subject      *StringFilter // name of any appraisal subject
}

func (f *ActivityFilter) parts() (and, or []*ActivityFilter, not *ActivityFilter) {
	return f.And, f.Or, f.Not
}

func (f *ActivityFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	(*EnumFilter[ActivityKind])(f.Kind).build(b, "kind", "kind")
	f.Category.build(b, "category", "category")
	f.Title.build(b, "title", "title")
	f.Date.build(b, "date", "date.date")
	f.DateEnd.build(b, "dateEnd", "date.end")
	f.Year.build(b, "year", "date.year")
	f.Month.build(b, "month", "date.month")
	f.Quarter.build(b, "quarter", "date.quarter")
	f.Half.build(b, "half", "date.half")
	f.Location.build(b, "location", "location")
	f.Organiser.build(b, "organiser", "organiser")
	f.Participants.build(b, "participants", "participantIds")
	f.Villages.build(b, "villages", "villageIds")
	f.Projects.build(b, "projects", "projectIds")
	f.Subject.build(b, "subject", "appraisal.subjects.name")
}

// MaxOrder bounds a record's order in its section.
const MaxOrder = 999

func checkOrder(n *int) error {
	if n != nil && (*n < 1 || *n > MaxOrder) {
		return Invalidf("order", "order is 1 to %d, got %d", MaxOrder, *n)
	}
	return nil
}

// setOrder applies a patch's order: 0 clears it.
func setOrder(dst **int, v *int) {
	switch {
	case v == nil:
	case *v == 0:
		*dst = nil
	default:
		setPtr(dst, v)
	}
}
