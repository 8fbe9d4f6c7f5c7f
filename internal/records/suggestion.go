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
	// RETURNED: the department sent it back as not its own (退办), within
	// HandlingRules.ReturnDays of being assigned; the office assigns it
	// again (to another department) or rejects it.
	RETURNED SuggestionStatus = "RETURNED"
)

// Transitions is the handling workflow: from each status, where it may go.
var Transitions = map[SuggestionStatus][]SuggestionStatus{
	SUBMITTED: {ACCEPTED, REJECTED},
	ACCEPTED:  {ASSIGNED, REJECTED},
	ASSIGNED:  {REPLIED, RETURNED},
	RETURNED:  {ASSIGNED, REJECTED},
	REPLIED:   {EVALUATED, REOPENED},
	EVALUATED: {CLOSED, REOPENED},
	CLOSED:    {REOPENED},
	REJECTED:  {REOPENED},
	REOPENED:  {ASSIGNED, REPLIED, REJECTED},
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
	Meta       `bson:",inline"`
	DeputyID   string         `json:"deputyId" bson:"deputyId"`
	VoterName  string         `json:"voterName,omitempty" bson:"voterName,omitempty"` // when it came from a voter
	Kind       SuggestionKind `json:"kind" bson:"kind"`
	Title      string         `json:"title" bson:"title"`
	Content    string         `json:"content,omitempty" bson:"content,omitempty" max:"20000" text:"multiline"`
	Category   string         `json:"category,omitempty" bson:"category,omitempty"`
	Submitted  Date           `json:"submitted" bson:"submitted"`
	Year       int            `json:"year" bson:"year"`                                 // of Submitted, derived
	Half       int            `json:"half" bson:"half"`                                 // of Submitted, derived: 1 上半年, 2 下半年
	Quarter    int            `json:"quarter" bson:"quarter"`                           // of Submitted, derived
	Month      int            `json:"month" bson:"month"`                               // of Submitted, derived
	Department string         `json:"department,omitempty" bson:"department,omitempty"` // the lead department (主办)
	// CoDepartments help the lead department (协办).
	CoDepartments []string         `json:"coDepartments,omitempty" bson:"coDepartments,omitempty" max:"20"`
	Deadline      *Date            `json:"deadline,omitempty" bson:"deadline,omitempty"`
	Status        SuggestionStatus `json:"status" bson:"status"`
	Reply         string           `json:"reply,omitempty" bson:"reply,omitempty" max:"20000" text:"multiline"`
	// ReplyClass classes the reply (A–D); required to move to REPLIED.
	ReplyClass *ReplyClass `json:"replyClass,omitempty" bson:"replyClass,omitempty"`
	// Supervised: under 重点督办 (Supervise), a step of its history.
	Supervised   bool          `json:"supervised" bson:"supervised"`
	Satisfaction *Satisfaction `json:"satisfaction,omitempty" bson:"satisfaction,omitempty"`
	Valuable     bool          `json:"valuable" bson:"valuable"` // counts toward the deputy's monthly duty
	History      []Transition  `json:"history" bson:"history" max:"1000"`
	// ReceptionID and ReceptionItemID name the reception item the
	// suggestion was made from (SuggestFromReception), if any.
	ReceptionID     string `json:"receptionId,omitempty" bson:"receptionId,omitempty"`
	ReceptionItemID string `json:"receptionItemId,omitempty" bson:"receptionItemId,omitempty"`
	Replies         `bson:",inline"`
	Flow            `bson:",inline"`
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
	// Step names a step that is no move (EXTENDED, SUPERVISED,
	// UNSUPERVISED) or a reopening after 不满意 (REDO); "" for a move.
	Step Step `json:"step,omitempty" bson:"step,omitempty"`
	// Deadline is the one the step set (assignment, extension, redo).
	Deadline *Date `json:"deadline,omitempty" bson:"deadline,omitempty"`
	// Department: assigned to (ASSIGNED), or the one returning it (RETURNED).
	Department string `json:"department,omitempty" bson:"department,omitempty"`
	// ReplyClass of a REPLIED step and Satisfaction of an EVALUATED one
	// keep each round's verdicts; Reply keeps a reply handled again (REDO).
	ReplyClass   *ReplyClass   `json:"replyClass,omitempty" bson:"replyClass,omitempty"`
	Satisfaction *Satisfaction `json:"satisfaction,omitempty" bson:"satisfaction,omitempty"`
	Reply        string        `json:"reply,omitempty" bson:"reply,omitempty" max:"20000" text:"multiline"`
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
	if s.ReplyClass != nil && !s.ReplyClass.valid() {
		return Invalidf("replyClass", "unknown reply class %q", *s.ReplyClass)
	}
	for i, d := range s.CoDepartments {
		if strings.TrimSpace(d) == "" || d == s.Department {
			return Invalidf(fmt.Sprintf("coDepartments.%d", i), "a co-handling department is named, and is not the lead department")
		}
	}
	return s.Meta.Validate()
}

func (s *Suggestion) Derive(SortKey) {
	t := s.Submitted.Time()
	s.Year, s.Month = t.Year(), int(t.Month())
	s.Half, s.Quarter = HalfOf(s.Month), QuarterOf(s.Month)
	r := s.replay(maxDay)
	s.Replies = Replies{}
	if r.firstReply != "" {
		at, on, days := r.firstReplyAt, r.firstReply, r.daysToReply
		s.RepliedAt, s.RepliedOn, s.DaysToReply = &at, &on, &days
		s.OnTime = r.onTime
	}
	if s.Satisfaction != nil {
		n := 0
		if *s.Satisfaction != DISSATISFIED {
			n = 1
		}
		s.Satisfied = &n
	}
	s.Flow = Flow{Extended: r.extended, Redos: r.redos}
	if r.assignedOn != "" {
		on := r.assignedOn
		s.AssignedOn = &on
	}
	if r.replyDue != "" {
		due := r.replyDue
		s.ReplyDue = &due
	}
}

// Overdue reports a suggestion not answered by its deadline on day today:
// a reply came after the deadline then in effect, or a reply is awaited
// (ReplyDue) and the day it was due has passed.
func (s *Suggestion) Overdue(today Date) bool {
	if s.OnTime != nil && !*s.OnTime {
		return true
	}
	return s.ReplyDue != nil && *s.ReplyDue < today
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

// SuggestionPatch changes the fields it sets; the status moves only through
// Move, so a patch cannot skip the workflow.
type SuggestionPatch struct {
	VoterName     *string
	Kind          *SuggestionKind
	Title         *string
	Content       *string
	Category      *string
	Submitted     *Date
	Department    *string
	CoDepartments []string
	Deadline      *Date
	Reply         *string
	ReplyClass    *ReplyClass
	Satisfaction  *Satisfaction
	Valuable      *bool
	Tags          []string
	Attributes    map[string]any
}

func (p *SuggestionPatch) Apply(s *Suggestion) {
	set(&s.VoterName, p.VoterName)
	set(&s.Kind, p.Kind)
	set(&s.Title, p.Title)
	set(&s.Content, p.Content)
	set(&s.Category, p.Category)
	set(&s.Submitted, p.Submitted)
	set(&s.Department, p.Department)
	setList(&s.CoDepartments, p.CoDepartments)
	setPtr(&s.Deadline, p.Deadline)
	set(&s.Reply, p.Reply)
	setPtr(&s.ReplyClass, p.ReplyClass)
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
	ReplyClass   *ReplyClassFilter
	Supervised   *BoolFilter
	Extended     *BoolFilter
	AssignedOn   *DateFilter
	ReplyDue     *DateFilter
}

// ReplyClassFilter compares a reply's class.
type ReplyClassFilter EnumFilter[ReplyClass]

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
	(*EnumFilter[ReplyClass])(f.ReplyClass).build(b, "replyClass", "replyClass")
	if f.Supervised != nil && f.Supervised.Eq != nil {
		b.add("supervised", OpEq, *f.Supervised.Eq)
	}
	if f.Extended != nil && f.Extended.Eq != nil {
		b.add("extended", OpEq, *f.Extended.Eq)
	}
	f.AssignedOn.build(b, "assignedOn", "assignedOn")
	f.ReplyDue.build(b, "replyDue", "replyDue")
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
// stored fields only: replied late, or a reply due before today.
func OverdueExpr(today Date) Expr {
	return Expr{Or: []Expr{
		{Cond: &Cond{Path: "onTime", Op: OpEq, Value: false}},
		{And: []Expr{
			{Cond: &Cond{Path: "replyDue", Op: OpIsNull, Value: false}},
			{Cond: &Cond{Path: "replyDue", Op: OpLt, Value: today}},
		}},
	}}
}

// AllowedTransitions lists where the workflow lets the suggestion go next.
func (s *Suggestion) AllowedTransitions() []SuggestionStatus { return Transitions[s.Status] }
