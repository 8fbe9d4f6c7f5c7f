package records

import (
	"fmt"
	"strings"
	"time"
)

// SuggestionKind is what a deputy put forward: 建议, 批评 or 意见.
type SuggestionKind string

const (
	SUGGESTION SuggestionKind = "SUGGESTION" // 建议
	CRITICISM  SuggestionKind = "CRITICISM"  // 批评
	OPINION    SuggestionKind = "OPINION"    // 意见
)

// SuggestionStatus is where a suggestion stands in its handling.
type SuggestionStatus string

const (
	SUBMITTED SuggestionStatus = "SUBMITTED"
	ACCEPTED  SuggestionStatus = "ACCEPTED"
	ASSIGNED  SuggestionStatus = "ASSIGNED"
	REPLIED   SuggestionStatus = "REPLIED"
	EVALUATED SuggestionStatus = "EVALUATED"
	CLOSED    SuggestionStatus = "CLOSED"
	REJECTED  SuggestionStatus = "REJECTED"
	REOPENED  SuggestionStatus = "REOPENED"
)

// Transitions is the handling workflow: from each status, where it may go.
var Transitions = map[SuggestionStatus][]SuggestionStatus{
	SUBMITTED: {ACCEPTED, REJECTED},
	ACCEPTED:  {ASSIGNED, REJECTED},
	ASSIGNED:  {REPLIED},
	REPLIED:   {EVALUATED, REOPENED},
	EVALUATED: {CLOSED, REOPENED},
	CLOSED:    {REOPENED},
	REJECTED:  {REOPENED},
	REOPENED:  {ASSIGNED, REJECTED},
}

// Satisfaction is the deputy's verdict on the reply.
type Satisfaction string

const (
	SATISFIED           Satisfaction = "SATISFIED"
	BASICALLY_SATISFIED Satisfaction = "BASICALLY_SATISFIED"
	DISSATISFIED        Satisfaction = "DISSATISFIED"
)

// Suggestion is a deputy's 建议、批评和意见, possibly passed on from a voter,
// and its handling.
type Suggestion struct {
	Meta         `bson:",inline"`
	DeputyID     string           `json:"deputyId" bson:"deputyId"`
	VoterName    string           `json:"voterName,omitempty" bson:"voterName,omitempty"` // when it came from a voter
	Kind         SuggestionKind   `json:"kind" bson:"kind"`
	Title        string           `json:"title" bson:"title"`
	Content      string           `json:"content,omitempty" bson:"content,omitempty" max:"20000" text:"multiline"`
	Category     string           `json:"category,omitempty" bson:"category,omitempty"`
	Submitted    Date             `json:"submitted" bson:"submitted"`
	Year         int              `json:"year" bson:"year"`       // of Submitted, derived
	Half         int              `json:"half" bson:"half"`       // of Submitted, derived: 1 上半年, 2 下半年
	Quarter      int              `json:"quarter" bson:"quarter"` // of Submitted, derived
	Month        int              `json:"month" bson:"month"`     // of Submitted, derived
	Department   string           `json:"department,omitempty" bson:"department,omitempty"`
	Deadline     *Date            `json:"deadline,omitempty" bson:"deadline,omitempty"`
	Status       SuggestionStatus `json:"status" bson:"status"`
	Reply        string           `json:"reply,omitempty" bson:"reply,omitempty" max:"20000" text:"multiline"`
	Satisfaction *Satisfaction    `json:"satisfaction,omitempty" bson:"satisfaction,omitempty"`
	Valuable     bool             `json:"valuable" bson:"valuable"` // counts toward the deputy's monthly duty
	History      []Transition     `json:"history" bson:"history" max:"1000"`
	// ReceptionID and ReceptionItemID name the reception item the
	// suggestion was made from (SuggestFromReception), if any.
	ReceptionID     string `json:"receptionId,omitempty" bson:"receptionId,omitempty"`
	ReceptionItemID string `json:"receptionItemId,omitempty" bson:"receptionItemId,omitempty"`
	Replies         `bson:",inline"`
}

// Replies are derived from a suggestion's history at write time, so
// dashboards can count answers and their timeliness in the database,
// which cannot compare two fields of a document (FerretDB has no $expr).
type Replies struct {
	// RepliedAt is when the suggestion first reached REPLIED; nil if never.
	RepliedAt *time.Time `json:"repliedAt,omitempty" bson:"repliedAt,omitempty" max:"-"`
	// RepliedOn is RepliedAt's calendar day in Asia/Shanghai.
	RepliedOn *Date `json:"repliedOn,omitempty" bson:"repliedOn,omitempty" max:"-"`
	// OnTime: replied on or before the deadline (true), after it (false);
	// nil without a reply or without a deadline.
	OnTime *bool `json:"onTime,omitempty" bson:"onTime,omitempty" max:"-"`
	// DaysToReply counts the days from submission to the first reply.
	DaysToReply *int `json:"daysToReply,omitempty" bson:"daysToReply,omitempty" max:"-"`
	// Satisfied is 1 for SATISFIED or BASICALLY_SATISFIED, 0 for
	// DISSATISFIED, nil before the deputy's verdict: its average is the
	// satisfaction rate.
	Satisfied *int `json:"satisfied,omitempty" bson:"satisfied,omitempty" max:"-"`
}

// Transition is one accepted move in a suggestion's handling.
type Transition struct {
	From SuggestionStatus `json:"from,omitempty" bson:"from,omitempty"`
	To   SuggestionStatus `json:"to" bson:"to"`
	At   time.Time        `json:"at" bson:"at"`
	By   string           `json:"by" bson:"by"`
	Note string           `json:"note,omitempty" bson:"note,omitempty" max:"2000" text:"multiline"`
}

func (s *Suggestion) Validate() error {
	if err := checkLimits(s); err != nil {
		return err
	}
	if err := required("deputyId", s.DeputyID); err != nil {
		return err
	}
	switch s.Kind {
	case SUGGESTION, CRITICISM, OPINION:
	default:
		return Invalidf("kind", "unknown suggestion kind %q", s.Kind)
	}
	if err := required("title", s.Title); err != nil {
		return err
	}
	if !s.Submitted.Valid() {
		return Invalidf("submitted", "%q is not a date in YYYY-MM-DD form", s.Submitted)
	}
	if s.Deadline != nil && (!s.Deadline.Valid() || *s.Deadline < s.Submitted) {
		return Invalidf("deadline", "the deadline is a date on or after the day it was submitted")
	}
	if _, ok := Transitions[s.Status]; !ok {
		return Invalidf("status", "unknown status %q", s.Status)
	}
	if s.Satisfaction != nil {
		switch *s.Satisfaction {
		case SATISFIED, BASICALLY_SATISFIED, DISSATISFIED:
		default:
			return Invalidf("satisfaction", "unknown satisfaction %q", *s.Satisfaction)
		}
	}
	return s.Meta.Validate()
}

func (s *Suggestion) Derive(SortKey) {
	t := s.Submitted.Time()
	s.Year, s.Month = t.Year(), int(t.Month())
	s.Half, s.Quarter = HalfOf(s.Month), QuarterOf(s.Month)
	s.Replies = Replies{}
	for _, h := range s.History {
		if h.To == REPLIED {
			at, on := h.At, DateOf(h.At.In(shanghai))
			days := int(on.Time().Sub(t).Hours() / 24)
			s.RepliedAt, s.RepliedOn, s.DaysToReply = &at, &on, &days
			if s.Deadline != nil {
				ok := on <= *s.Deadline
				s.OnTime = &ok
			}
			break
		}
	}
	if s.Satisfaction != nil {
		n := 0
		if *s.Satisfaction != DISSATISFIED {
			n = 1
		}
		s.Satisfied = &n
	}
}

// Overdue reports a suggestion not answered by its deadline: replied after
// it, or still without a reply (and not rejected) once the deadline is
// past on day today.
func (s *Suggestion) Overdue(today Date) bool {
	if s.OnTime != nil {
		return !*s.OnTime
	}
	return s.RepliedAt == nil && s.Deadline != nil && *s.Deadline < today && s.Status != REJECTED
}

// Today is the calendar day in Asia/Shanghai, where township calendars are
// kept.
func Today() Date { return DateOf(time.Now().In(shanghai)) }

func (s *Suggestion) Refs() []Ref {
	refs := []Ref{{Field: "deputyId", Kind: KindDeputy, IDs: []string{s.DeputyID}}}
	if s.ReceptionID != "" {
		refs = append(refs, Ref{Field: "receptionId", Kind: KindReception, IDs: []string{s.ReceptionID}})
	}
	return refs
}

// OnCreate puts a new suggestion at SUBMITTED, with that first step in its
// history, whatever the input said.
func (s *Suggestion) OnCreate(by string, at time.Time) {
	s.Status = SUBMITTED
	s.History = []Transition{{To: SUBMITTED, At: at, By: by}}
}

// Move takes the suggestion to status to, if the workflow allows it, and
// records the step. A reply must be written before REPLIED, a satisfaction
// before EVALUATED.
func (s *Suggestion) Move(to SuggestionStatus, note, by string, at time.Time) error {
	allowed := Transitions[s.Status]
	ok := false
	for _, a := range allowed {
		ok = ok || a == to
	}
	if !ok {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		return Invalidf("to", "a %s suggestion can move to %s, not %s", s.Status, strings.Join(names, " or "), to)
	}
	switch {
	case to == REPLIED && strings.TrimSpace(s.Reply) == "":
		return Invalidf("to", "write the reply (updateSuggestion) before moving to REPLIED")
	case to == EVALUATED && s.Satisfaction == nil:
		return Invalidf("to", "record the deputy's satisfaction (updateSuggestion) before moving to EVALUATED")
	case to == ASSIGNED && strings.TrimSpace(s.Department) == "":
		return Invalidf("to", "name the department (updateSuggestion) before moving to ASSIGNED")
	}
	s.History = append(s.History, Transition{From: s.Status, To: to, At: at, By: by, Note: note})
	s.Status = to
	return nil
}

// SuggestionPatch changes the fields it sets; the status moves only through
// Move, so a patch cannot skip the workflow.
type SuggestionPatch struct {
	VoterName    *string
	Kind         *SuggestionKind
	Title        *string
	Content      *string
	Category     *string
	Submitted    *Date
	Department   *string
	Deadline     *Date
	Reply        *string
	Satisfaction *Satisfaction
	Valuable     *bool
	Tags         []string
	Attributes   map[string]any
}

func (p *SuggestionPatch) Apply(s *Suggestion) {
	set(&s.VoterName, p.VoterName)
	set(&s.Kind, p.Kind)
	set(&s.Title, p.Title)
	set(&s.Content, p.Content)
	set(&s.Category, p.Category)
	set(&s.Submitted, p.Submitted)
	set(&s.Department, p.Department)
	setPtr(&s.Deadline, p.Deadline)
	set(&s.Reply, p.Reply)
	setPtr(&s.Satisfaction, p.Satisfaction)
	set(&s.Valuable, p.Valuable)
	setList(&s.Tags, p.Tags)
	setMap(&s.Attributes, p.Attributes)
}

// Filter types for suggestions.
type (
	SuggestionKindFilter   EnumFilter[SuggestionKind]
	SuggestionStatusFilter EnumFilter[SuggestionStatus]
	BoolFilter             struct{ Eq *bool }
)

// SuggestionFilter selects suggestions.
type SuggestionFilter struct {
	Common
	And        []*SuggestionFilter
	Or         []*SuggestionFilter
	Not        *SuggestionFilter
	Deputy     *IDFilter
	Kind       *SuggestionKindFilter
	Status     *SuggestionStatusFilter
	Title      *StringFilter
	Content    *StringFilter
	Category   *StringFilter
	Submitted  *DateFilter
	Year       *IntFilter
	Half       *IntFilter
	Quarter    *IntFilter
	Month      *IntFilter
	Department *StringFilter
	Deadline   *DateFilter
	Valuable   *BoolFilter
	// RepliedOn is the day of the first reply; isNull: true for none yet.
	RepliedOn *DateFilter
	// OnTime matches suggestions replied by their deadline (true) or after
	// it (false).
	OnTime *BoolFilter
	// Overdue matches suggestions not answered by their deadline (true),
	// as of the day the query runs, or the others (false).
	Overdue *bool
	// Satisfaction compares the deputy's verdict.
	Satisfaction *SatisfactionFilter
}

// SatisfactionFilter compares the deputy's verdict.
type SatisfactionFilter EnumFilter[Satisfaction]

func (f *SuggestionFilter) parts() (and, or []*SuggestionFilter, not *SuggestionFilter) {
	return f.And, f.Or, f.Not
}

func (f *SuggestionFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Deputy.build(b, "deputy", "deputyId")
	(*EnumFilter[SuggestionKind])(f.Kind).build(b, "kind", "kind")
	(*EnumFilter[SuggestionStatus])(f.Status).build(b, "status", "status")
	f.Title.build(b, "title", "title")
	f.Content.build(b, "content", "content")
	f.Category.build(b, "category", "category")
	f.Submitted.build(b, "submitted", "submitted")
	f.Year.build(b, "year", "year")
	f.Half.build(b, "half", "half")
	f.Quarter.build(b, "quarter", "quarter")
	f.Month.build(b, "month", "month")
	f.Department.build(b, "department", "department")
	f.Deadline.build(b, "deadline", "deadline")
	if f.Valuable != nil && f.Valuable.Eq != nil {
		b.add("valuable", OpEq, *f.Valuable.Eq)
	}
	f.RepliedOn.build(b, "repliedOn", "repliedOn")
	if f.OnTime != nil && f.OnTime.Eq != nil {
		b.add("onTime", OpEq, *f.OnTime.Eq)
	}
	(*EnumFilter[Satisfaction])(f.Satisfaction).build(b, "satisfaction", "satisfaction")
	if f.Overdue != nil {
		x := OverdueExpr(Today())
		if !*f.Overdue {
			overdue := x // x itself is overwritten: Not must point at a copy
			x = Expr{Not: &overdue}
		}
		b.conds = append(b.conds, x)
	}
}

// OverdueExpr matches the suggestions Overdue reports on day today, on
// stored fields only: replied late, or no reply, a deadline before today
// and not rejected.
func OverdueExpr(today Date) Expr {
	return Expr{Or: []Expr{
		{Cond: &Cond{Path: "onTime", Op: OpEq, Value: false}},
		{And: []Expr{
			{Cond: &Cond{Path: "repliedOn", Op: OpIsNull, Value: true}},
			{Cond: &Cond{Path: "deadline", Op: OpLt, Value: today}},
			{Cond: &Cond{Path: "status", Op: OpNe, Value: string(REJECTED)}},
		}},
	}}
}

// AllowedTransitions lists where the workflow lets the suggestion go next.
func (s *Suggestion) AllowedTransitions() []SuggestionStatus { return Transitions[s.Status] }

// String is for messages.
func (t Transition) String() string { return fmt.Sprintf("%s→%s", t.From, t.To) }
