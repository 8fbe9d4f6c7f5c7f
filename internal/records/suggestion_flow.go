package records

import (
	"fmt"
	"strings"
	"time"
)

// HandlingRules are the calendar-day rules of a suggestion's handling, as
// township congresses commonly state them (practice.md: 退办 within days
// of receipt, a reply within three months, extendable once, 15 days to
// handle again after 不满意). Calendar days, not working days.
var HandlingRules = struct {
	// ReturnDays: a department may send a suggestion back (退办) up to
	// this many days after the day it was assigned.
	ReturnDays int
	// ReplyMonths: assigned on day d, the reply is due d plus this many
	// calendar months (unless a deadline was set before the first
	// assignment).
	ReplyMonths int
	// ExtensionDays: the one extension moves the deadline by at most this
	// many days; it is asked on or before the deadline, with a reason.
	ExtensionDays int
	// RedoDays: a reply the deputy is 不满意 with sends the suggestion back
	// to its department (once), due this many days after the verdict.
	RedoDays int
}{ReturnDays: 7, ReplyMonths: 3, ExtensionDays: 30, RedoDays: 15}

// ReplyClass classes a department's reply, as handling reports count them.
type ReplyClass string

const (
	CLASS_A ReplyClass = "A" // 已解决或基本解决
	CLASS_B ReplyClass = "B" // 正在解决
	CLASS_C ReplyClass = "C" // 列入规划逐步解决
	CLASS_D ReplyClass = "D" // 留作参考
)

func (c ReplyClass) valid() bool { return c == CLASS_A || c == CLASS_B || c == CLASS_C || c == CLASS_D }

// Step names a history entry that is not a move between statuses (its To
// is the status it stayed at), or the reopening that a 不满意 verdict
// causes.
type Step string

const (
	STEP_EXTENDED     Step = "EXTENDED"     // the deadline extended (once), Note the reason
	STEP_SUPERVISED   Step = "SUPERVISED"   // put under 重点督办
	STEP_UNSUPERVISED Step = "UNSUPERVISED" // taken off 重点督办
	STEP_REDO         Step = "REDO"         // reopened because the deputy was 不满意: handled again
)

// Flow is derived from the history at write time, for filters, lists and
// counts in the database.
type Flow struct {
	// AssignedOn is the day of the latest assignment to a department.
	AssignedOn *Date `json:"assignedOn,omitempty" bson:"assignedOn,omitempty" max:"-"`
	// ReplyDue is the deadline in effect while a reply is awaited (not
	// yet assigned, assigned, or reopened); nil otherwise.
	ReplyDue *Date `json:"replyDue,omitempty" bson:"replyDue,omitempty" max:"-"`
	// Extended: the one extension was granted.
	Extended bool `json:"extended" bson:"extended"`
	// Redos counts the times it was handled again after a 不满意 verdict.
	Redos int `json:"redos" bson:"redos"`
}

// maxDay is after every day a history holds.
const maxDay Date = "9999-12-31"

// dayOf is the calendar day of t in Asia/Shanghai, where township
// calendars are kept.
func dayOf(t time.Time) Date { return DateOf(t.In(shanghai)) }

// addMonths is d plus n calendar months, on the same day of the month
// or, where that month is shorter, its last day (11-30 plus three months
// is 02-28 or 02-29), as people count months.
func addMonths(d Date, n int) Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return DateOf(first.AddDate(0, 0, min(t.Day(), last)-1))
}

// addDays is d plus n calendar days.
func addDays(d Date, n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// replayed is a suggestion's handling as its history stood at the end of
// a day: the one reading of the history behind Derive (stored figures),
// NewHandlingReport (figures as of a date) and the workflow's own checks.
type replayed struct {
	status       SuggestionStatus
	deadline     Date // in effect; "" for none
	assignedOn   Date
	assignedTo   string // the department of the latest assignment
	firstReply   Date
	firstReplyAt time.Time
	daysToReply  int
	onTime       *bool  // every reply by the deadline then in effect; nil if none replied with a deadline
	lateOn       Date   // the first reply after its deadline
	lateDeadline Date   // the deadline it missed
	department   string // on the day: assigned (legacy: the record's), none once returned
	satisfaction *Satisfaction
	replyDue     Date
	extended     bool
	redos        int
	supervised   bool
}

// replay reads s's history up to the end of day. Histories written before
// steps carried their deadline (or verdict) read the record's own.
func (s *Suggestion) replay(day Date) replayed {
	r := replayed{status: SUBMITTED}
	stepDeadlines := false
	for _, h := range s.History {
		stepDeadlines = stepDeadlines || h.Deadline != nil
	}
	if !stepDeadlines && s.Deadline != nil {
		r.deadline = *s.Deadline
	}
	stepDepartments := false
	for _, h := range s.History {
		stepDepartments = stepDepartments || h.Department != ""
	}
	if !stepDepartments {
		r.department = s.Department
	}
	for _, h := range s.History {
		on := dayOf(h.At)
		if on > day {
			break
		}
		r.status = h.To
		if h.Deadline != nil {
			r.deadline = *h.Deadline
		}
		switch h.Step {
		case STEP_EXTENDED:
			r.extended = true
			continue
		case STEP_SUPERVISED:
			r.supervised = true
			continue
		case STEP_UNSUPERVISED:
			r.supervised = false
			continue
		case STEP_REDO:
			r.redos++
		}
		switch h.To {
		case ASSIGNED:
			r.assignedOn, r.assignedTo = on, h.Department
			if stepDepartments {
				r.department = h.Department
			}
		case RETURNED:
			r.department = ""
		case REPLIED:
			if r.firstReply == "" {
				r.firstReply, r.firstReplyAt = on, h.At
				r.daysToReply = int(on.Time().Sub(s.Submitted.Time()).Hours() / 24)
			}
			if r.deadline != "" {
				ok := on <= r.deadline && (r.onTime == nil || *r.onTime)
				r.onTime = &ok
				if on > r.deadline && r.lateOn == "" {
					r.lateOn, r.lateDeadline = on, r.deadline
				}
			}
		case EVALUATED:
			r.satisfaction = h.Satisfaction
			if r.satisfaction == nil {
				r.satisfaction = s.Satisfaction
			}
		case REOPENED:
			r.satisfaction = nil
			if h.Step != STEP_REDO && h.Deadline == nil {
				r.deadline = "" // due again once assigned again
			}
		}
	}
	switch r.status {
	case SUBMITTED, ACCEPTED, ASSIGNED, REOPENED:
		r.replyDue = r.deadline
	}
	return r
}

// Move takes the suggestion to status to, if the workflow allows it, and
// records the step, on the day of at (Asia/Shanghai):
//   - ASSIGNED names the lead department (updateSuggestion before); the
//     reply is due HandlingRules.ReplyMonths later, unless a deadline was
//     set before the first assignment (records entered after the fact). Assigned again
//     after a 退办, it goes to another department.
//   - RETURNED (退办) needs the department's reason (note), within
//     HandlingRules.ReturnDays of the assignment; the department is
//     cleared for the office to name the next.
//   - REPLIED needs the reply and its class (A–D).
//   - EVALUATED needs the deputy's satisfaction. The first 不满意 reopens
//     the suggestion at once (a REDO step): its department handles it
//     again, due HandlingRules.RedoDays after the verdict.
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
	day := dayOf(at)
	now := s.replay(maxDay)
	step := Transition{From: s.Status, To: to, At: at, By: by, Note: note}
	switch to {
	case ASSIGNED:
		dept := strings.TrimSpace(s.Department)
		if dept == "" {
			return Invalidf("to", "name the department (updateSuggestion) before moving to ASSIGNED")
		}
		if s.Status == RETURNED && dept == now.assignedTo {
			return Invalidf("department", "%s returned this suggestion: assign it to another department", dept)
		}
		due := addMonths(day, HandlingRules.ReplyMonths)
		if now.assignedOn == "" && s.Deadline != nil {
			due = *s.Deadline // set before the first assignment: the clerk's
		}
		step.Department, step.Deadline = dept, &due
		s.Deadline = &due
	case RETURNED:
		if strings.TrimSpace(note) == "" {
			return Invalidf("note", "a department returning a suggestion (退办) gives its reason")
		}
		if last := addDays(now.assignedOn, HandlingRules.ReturnDays); day > last {
			return Invalidf("to", "a suggestion assigned on %s could be returned until %s (%d days); answer it, or ask for an extension",
				now.assignedOn, last, HandlingRules.ReturnDays)
		}
		step.Department = now.assignedTo
		s.Department = ""
	case REPLIED:
		if strings.TrimSpace(s.Reply) == "" {
			return Invalidf("to", "write the reply (updateSuggestion) before moving to REPLIED")
		}
		if s.ReplyClass == nil {
			return Invalidf("replyClass", "class the reply A, B, C or D (updateSuggestion) before moving to REPLIED")
		}
		step.ReplyClass = s.ReplyClass
	case EVALUATED:
		if s.Satisfaction == nil {
			return Invalidf("to", "record the deputy's satisfaction (updateSuggestion) before moving to EVALUATED")
		}
		step.Satisfaction = s.Satisfaction
	case REOPENED:
		s.Deadline = nil // due again once assigned again
	}
	s.History = append(s.History, step)
	s.Status = to
	if to == EVALUATED && *s.Satisfaction == DISSATISFIED && now.redos == 0 {
		due := addDays(day, HandlingRules.RedoDays)
		s.History = append(s.History, Transition{From: EVALUATED, To: REOPENED, Step: STEP_REDO, At: at, By: by,
			Note: "代表不满意，重新办理", Deadline: &due, Reply: s.Reply})
		s.Status, s.Deadline = REOPENED, &due
		s.Reply, s.ReplyClass, s.Satisfaction = "", nil, nil
	}
	return nil
}

// Extend grants the one extension of the deadline: by days (1 to
// HandlingRules.ExtensionDays), asked with a reason on or before the
// deadline, while a reply is awaited from a department.
func (s *Suggestion) Extend(days int, reason, by string, at time.Time) error {
	now := s.replay(maxDay)
	switch {
	case s.Status != ASSIGNED && s.Status != REOPENED:
		return Invalidf("days", "only a suggestion awaiting its department's reply (ASSIGNED or REOPENED) is extended, not a %s one", s.Status)
	case now.extended:
		return Invalidf("days", "the deadline was extended once already; it is extended only once")
	case days < 1 || days > HandlingRules.ExtensionDays:
		return Invalidf("days", "an extension is 1 to %d days, not %d", HandlingRules.ExtensionDays, days)
	case strings.TrimSpace(reason) == "":
		return Invalidf("reason", "give the reason for the extension")
	case now.deadline == "":
		return Invalidf("days", "the suggestion has no deadline to extend")
	case dayOf(at) > now.deadline:
		return Invalidf("days", "the deadline %s has passed: an extension is asked on or before it", now.deadline)
	}
	due := addDays(now.deadline, days)
	s.History = append(s.History, Transition{From: s.Status, To: s.Status, Step: STEP_EXTENDED, At: at, By: by,
		Note: reason, Deadline: &due})
	s.Deadline = &due
	return nil
}

// Supervise puts the suggestion under 重点督办 (on) or takes it off,
// recording the step; closed and rejected suggestions are not put under it.
func (s *Suggestion) Supervise(on bool, note, by string, at time.Time) error {
	if on == s.Supervised {
		if on {
			return Invalidf("supervised", "the suggestion is under 重点督办 already")
		}
		return Invalidf("supervised", "the suggestion is not under 重点督办")
	}
	if on && (s.Status == CLOSED || s.Status == REJECTED) {
		return Invalidf("supervised", "a %s suggestion is not put under 重点督办", s.Status)
	}
	step := STEP_SUPERVISED
	if !on {
		step = STEP_UNSUPERVISED
	}
	s.History = append(s.History, Transition{From: s.Status, To: s.Status, Step: step, At: at, By: by, Note: note})
	s.Supervised = on
	return nil
}

// CheckPatch refuses what a patch may not change once handling began: the
// deadline after the first assignment moves only by Extend.
func (s *Suggestion) CheckPatch(before *Suggestion) error {
	if before.replay(maxDay).assignedOn == "" {
		return nil
	}
	if (s.Deadline == nil) != (before.Deadline == nil) || s.Deadline != nil && *s.Deadline != *before.Deadline {
		return Invalidf("deadline", "the deadline of an assigned suggestion moves only by its one extension (extendSuggestion)")
	}
	return nil
}

// String is for messages.
func (t Transition) String() string { return fmt.Sprintf("%s→%s", t.From, t.To) }
