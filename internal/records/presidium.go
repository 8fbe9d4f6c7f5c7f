package records

import "fmt"

// PresidiumMeeting is a meeting of the township congress's presidium (主席团
// 会议): between sessions it prepares them (the agenda), plans inspections
// and follows up what it decided.
type PresidiumMeeting struct {
	Meta           `bson:",inline"`
	Title          string            `json:"title" bson:"title"` // 镇人大主席团第五次会议
	Date           DateSpan          `json:"date" bson:"date"`
	Place          string            `json:"place,omitempty" bson:"place,omitempty"`
	Convener       string            `json:"convener,omitempty" bson:"convener,omitempty"` // 主持人
	AttendeeIDs    []string          `json:"attendeeIds" bson:"attendeeIds" max:"500"`
	OtherAttendees []Guest           `json:"otherAttendees" bson:"otherAttendees"` // 列席
	Topics         []string          `json:"topics" bson:"topics" itemMax:"2000"`
	Decisions      []MeetingDecision `json:"decisions" bson:"decisions"`
	// SessionID is the session whose preparation (agenda, 日程) the
	// meeting decided, if any.
	SessionID     string   `json:"sessionId,omitempty" bson:"sessionId,omitempty"`
	InspectionIDs []string `json:"inspectionIds" bson:"inspectionIds" max:"500"`
	Minutes       string   `json:"minutes,omitempty" bson:"minutes,omitempty" max:"20000" text:"multiline"`
	// AttendeeTotal is everyone who attended, derived at write time.
	AttendeeTotal int `json:"attendeeCount" bson:"attendeeCount"`
	// OpenDecisions counts the decisions not done yet, derived.
	OpenDecisions int `json:"openDecisions" bson:"openDecisions"`
}

// MeetingDecision is one thing the presidium decided, and who follows it up.
type MeetingDecision struct {
	Text   string `json:"text" bson:"text" max:"2000"`
	Owner  string `json:"owner,omitempty" bson:"owner,omitempty"` // 承办: 人大办 / 张三
	Due    Date   `json:"due,omitempty" bson:"due,omitempty"`
	Done   bool   `json:"done" bson:"done"`
	Result string `json:"result,omitempty" bson:"result,omitempty" max:"20000" text:"multiline"`
}

func (x *PresidiumMeeting) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if err := required("title", x.Title); err != nil {
		return err
	}
	if err := x.Date.Validate(); err != nil {
		return Prefix("date", err)
	}
	for _, f := range []struct {
		name string
		ids  []string
	}{{"attendeeIds", x.AttendeeIDs}, {"inspectionIds", x.InspectionIDs}} {
		if err := uniqueIDs(f.name, f.ids); err != nil {
			return err
		}
	}
	for i, g := range x.OtherAttendees {
		if err := required("name", g.Name); err != nil {
			return Prefix(fmt.Sprintf("otherAttendees.%d", i), err)
		}
	}
	for i, d := range x.Decisions {
		field := fmt.Sprintf("decisions.%d", i)
		if err := required("text", d.Text); err != nil {
			return Prefix(field, err)
		}
		if d.Due != "" {
			if _, err := ParseDate(string(d.Due)); err != nil {
				return Invalidf(field+".due", "%s", err.Error())
			}
		}
	}
	return x.Meta.Validate()
}

func (x *PresidiumMeeting) Derive(SortKey) {
	x.Date.Normalize()
	x.AttendeeTotal = len(x.AttendeeIDs) + len(x.OtherAttendees)
	x.OpenDecisions = 0
	for _, d := range x.Decisions {
		if !d.Done {
			x.OpenDecisions++
		}
	}
}

func (x *PresidiumMeeting) Refs() []Ref {
	refs := []Ref{
		{Field: "attendeeIds", Kind: KindDeputy, IDs: x.AttendeeIDs, List: true},
		{Field: "inspectionIds", Kind: KindInspection, IDs: x.InspectionIDs, List: true},
	}
	if x.SessionID != "" {
		refs = append(refs, Ref{Field: "sessionId", Kind: KindCongressSession, IDs: []string{x.SessionID}})
	}
	return refs
}

// PresidiumMeetingPatch changes the fields it sets; nil leaves a field as it is.
type PresidiumMeetingPatch struct {
	Title          *string
	Date           *DateSpan
	Place          *string
	Convener       *string
	AttendeeIDs    []string
	OtherAttendees []Guest
	Topics         []string
	Decisions      []MeetingDecision
	SessionID      *string
	InspectionIDs  []string
	Minutes        *string
	Tags           []string
	Attributes     map[string]any
}

func (p *PresidiumMeetingPatch) Apply(x *PresidiumMeeting) {
	set(&x.Title, p.Title)
	set(&x.Date, p.Date)
	set(&x.Place, p.Place)
	set(&x.Convener, p.Convener)
	setList(&x.AttendeeIDs, p.AttendeeIDs)
	setList(&x.OtherAttendees, p.OtherAttendees)
	setList(&x.Topics, p.Topics)
	setList(&x.Decisions, p.Decisions)
	set(&x.SessionID, p.SessionID)
	setList(&x.InspectionIDs, p.InspectionIDs)
	set(&x.Minutes, p.Minutes)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}

// PresidiumMeetingFilter selects presidium meetings.
type PresidiumMeetingFilter struct {
	Common
	And           []*PresidiumMeetingFilter
	Or            []*PresidiumMeetingFilter
	Not           *PresidiumMeetingFilter
	Title         *StringFilter
	Date          *DateFilter
	Year          *IntFilter
	Month         *IntFilter
	Session       *IDFilter
	Attendees     *TagFilter
	Inspections   *TagFilter
	OpenDecisions *IntFilter
}

func (f *PresidiumMeetingFilter) parts() (and, or []*PresidiumMeetingFilter, not *PresidiumMeetingFilter) {
	return f.And, f.Or, f.Not
}

func (f *PresidiumMeetingFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Title.build(b, "title", "title")
	f.Date.build(b, "date", "date.date")
	f.Year.build(b, "year", "date.year")
	f.Month.build(b, "month", "date.month")
	f.Session.build(b, "session", "sessionId")
	(*ListFilter[string])(f.Attendees).build(b, "attendees", "attendeeIds")
	(*ListFilter[string])(f.Inspections).build(b, "inspections", "inspectionIds")
	f.OpenDecisions.build(b, "openDecisions", "openDecisions")
}
