package records

import (
	"fmt"
	"slices"
)

// TermStart is how a deputy's term began.
type TermStart string

const (
	ELECTED     TermStart = "ELECTED"     // 选举产生(换届)
	BY_ELECTION TermStart = "BY_ELECTION" // 补选
)

// TermEnd is how a deputy's term ended.
type TermEnd string

const (
	TERM_ENDED TermEnd = "TERM_ENDED" // 任期届满
	RESIGNED   TermEnd = "RESIGNED"   // 辞职
	RECALLED   TermEnd = "RECALLED"   // 罢免
	MOVED_AWAY TermEnd = "MOVED_AWAY" // 迁出或调离本行政区域
	DIED       TermEnd = "DIED"       // 去世
)

// Labels of the term reasons, as rosters and notices write them.
var (
	TermStartLabels = map[TermStart]string{ELECTED: "选举产生", BY_ELECTION: "补选"}
	TermEndLabels   = map[TermEnd]string{TERM_ENDED: "任期届满", RESIGNED: "辞职", RECALLED: "罢免", MOVED_AWAY: "迁出或调离", DIED: "去世"}
)

// Term is one term a deputy served or serves at one level: from the day
// elected (or by-elected) to the day it ended, if it has, in a 选区.
type Term struct {
	Level Level `json:"level" bson:"level"`
	// Congress is the 届别: 第十八届.
	Congress     string    `json:"congress,omitempty" bson:"congress,omitempty"`
	Constituency string    `json:"constituency,omitempty" bson:"constituency,omitempty"` // 选区
	Start        Date      `json:"start" bson:"start"`
	StartReason  TermStart `json:"startReason" bson:"startReason"`
	End          *Date     `json:"end,omitempty" bson:"end,omitempty"`
	EndReason    *TermEnd  `json:"endReason,omitempty" bson:"endReason,omitempty"`
}

// MaxTerms bounds a deputy's terms.
const MaxTerms = 20

// OpenEnd is the last day of a term still running, as derived fields
// store it so that dates compare.
const OpenEnd Date = "9999-12-31"

// validateTerms checks each term's dates and reasons, and that terms at
// one level do not overlap.
func validateTerms(terms []Term) error {
	if len(terms) > MaxTerms {
		return Invalidf("terms", "at most %d terms, got %d", MaxTerms, len(terms))
	}
	for i, t := range terms {
		field := fmt.Sprintf("terms.%d", i)
		if !t.Level.valid() {
			return Invalidf(field+".level", "level is CITY, COUNTY or TOWNSHIP")
		}
		if !t.Start.Valid() {
			return Invalidf(field+".start", "%q is not a date in YYYY-MM-DD form", t.Start)
		}
		if _, ok := TermStartLabels[t.StartReason]; !ok {
			return Invalidf(field+".startReason", "startReason is ELECTED or BY_ELECTION")
		}
		if (t.End == nil) != (t.EndReason == nil) {
			return Invalidf(field+".endReason", "a term that ended has both its end and its endReason")
		}
		if t.End != nil && (!t.End.Valid() || *t.End < t.Start) {
			return Invalidf(field+".end", "a term ends on or after the day it started")
		}
		if t.EndReason != nil {
			if _, ok := TermEndLabels[*t.EndReason]; !ok {
				return Invalidf(field+".endReason", "unknown endReason %q", *t.EndReason)
			}
		}
		for j, u := range terms[:i] {
			if u.Level == t.Level && u.Start <= t.last() && t.Start <= u.last() {
				return Invalidf(field+".start", "this term overlaps terms.%d at the same level", j)
			}
		}
	}
	return nil
}

// last is the term's last day, OpenEnd while it runs.
func (t Term) last() Date {
	if t.End == nil {
		return OpenEnd
	}
	return *t.End
}

// Serving reports whether the term covers day d.
func (t Term) Serving(d Date) bool { return t.Start <= d && d <= t.last() }

// ServingOn reports whether the deputy served on day d: a term covers it,
// or no term is recorded (a roster kept before terms were).
func (d *Deputy) ServingOn(day Date) bool {
	if len(d.Terms) == 0 {
		return true
	}
	return slices.ContainsFunc(d.Terms, func(t Term) bool { return t.Serving(day) })
}

// TermOn is the deputy's term at the level covering day d (the latest
// begun, should two be entered so), or nil: what a roster as of d reads
// for the 届别 and 选区.
func (d *Deputy) TermOn(level Level, day Date) *Term {
	var found *Term
	for i, t := range d.Terms {
		if t.Level == level && t.Serving(day) && (found == nil || t.Start > found.Start) {
			found = &d.Terms[i]
		}
	}
	return found
}

// ServingWithin reports whether the deputy served any day from first to
// last.
func (d *Deputy) ServingWithin(first, last Date) bool {
	if len(d.Terms) == 0 {
		return true
	}
	return slices.ContainsFunc(d.Terms, func(t Term) bool { return t.Start <= last && first <= t.last() })
}

// deriveTerms fills ServingFrom and ServingUntil, the span from the first
// term's start to the last one's end (OpenEnd while one runs); nil without
// terms. Filters use them; a gap between two terms is inside the span.
func (d *Deputy) deriveTerms() {
	d.ServingFrom, d.ServingUntil = nil, nil
	for _, t := range d.Terms {
		start, last := t.Start, t.last()
		if d.ServingFrom == nil || start < *d.ServingFrom {
			d.ServingFrom = &start
		}
		if d.ServingUntil == nil || last > *d.ServingUntil {
			d.ServingUntil = &last
		}
	}
}

// servingOnExpr matches deputies serving on day d by the derived span, or
// without terms.
func servingOnExpr(d Date) Expr {
	return Expr{Or: []Expr{
		{Cond: &Cond{Path: "servingFrom", Op: OpIsNull, Value: true}},
		{And: []Expr{
			{Cond: &Cond{Path: "servingFrom", Op: OpLte, Value: d}},
			{Cond: &Cond{Path: "servingUntil", Op: OpGte, Value: d}},
		}},
	}}
}

// Training is what a 学习培训 activity taught, and for how long.
type Training struct {
	// Hours is the course's length (学时), counted for each deputy
	// taking part.
	Hours  float64 `json:"hours" bson:"hours"`
	Course string  `json:"course,omitempty" bson:"course,omitempty"`
	// Organiser is who held it when not the township: 县人大常委会 ….
	HeldBy string `json:"heldBy,omitempty" bson:"heldBy,omitempty"`
}

// REPORT_REVIEW is a 述职评议: deputies report to their voters, who rate them.
const REPORT_REVIEW ActivityKind = "REPORT_REVIEW"

// ReportReview is what a 述职评议 counted: the voters present and each
// deputy's 测评 votes.
type ReportReview struct {
	Constituency string         `json:"constituency,omitempty" bson:"constituency,omitempty"`
	Voters       int            `json:"voters" bson:"voters"` // 参加测评的选民(代表)人数
	Results      []ReviewResult `json:"results" bson:"results"`
}

// ReviewResult is one deputy's 测评 votes.
type ReviewResult struct {
	DeputyID           string `json:"deputyId" bson:"deputyId"`
	Satisfied          int    `json:"satisfied" bson:"satisfied"`
	BasicallySatisfied int    `json:"basicallySatisfied" bson:"basicallySatisfied"`
	Dissatisfied       int    `json:"dissatisfied" bson:"dissatisfied"`
}

// Total is the votes cast.
func (r ReviewResult) Total() int { return r.Satisfied + r.BasicallySatisfied + r.Dissatisfied }

func (rv *ReportReview) validate() error {
	if rv.Voters < 0 {
		return Invalidf("reportReview.voters", "voters cannot be negative")
	}
	seen := map[string]bool{}
	for i, r := range rv.Results {
		field := fmt.Sprintf("reportReview.results.%d", i)
		if err := required("deputyId", r.DeputyID); err != nil {
			return Prefix(field, err)
		}
		if seen[r.DeputyID] {
			return Invalidf(field+".deputyId", "deputy %q is given twice", r.DeputyID)
		}
		seen[r.DeputyID] = true
		if r.Satisfied < 0 || r.BasicallySatisfied < 0 || r.Dissatisfied < 0 {
			return Invalidf(field, "votes cannot be negative")
		}
		if rv.Voters > 0 && r.Total() > rv.Voters {
			return Invalidf(field, "%d votes for one deputy, more than the %d voters present", r.Total(), rv.Voters)
		}
	}
	return nil
}

func (rv *ReportReview) refs() []Ref {
	if rv == nil {
		return nil
	}
	var refs []Ref
	for i, r := range rv.Results {
		refs = append(refs, Ref{Field: fmt.Sprintf("reportReview.results.%d.deputyId", i), Kind: KindDeputy, IDs: []string{r.DeputyID}})
	}
	return refs
}

// validateTraining checks a training's hours.
func (t *Training) validate() error {
	if t.Hours < 0 || t.Hours > 1000 {
		return Invalidf("training.hours", "hours are 0 to 1000")
	}
	return nil
}

func init() {
	ActivityKindLabels[REPORT_REVIEW] = "代表述职评议"
	enumLabels = append(enumLabels, strs(ActivityKindLabels), strs(TermStartLabels), strs(TermEndLabels), strs(ReceptionRouteLabels))
	Backrefs[KindDeputy] = append(Backrefs[KindDeputy], Backref{KindActivity, "reportReview.results.deputyId"})
}

// Favourable is the votes of 满意 and 基本满意, what a 测评's rate counts.
func (r ReviewResult) Favourable() int { return r.Satisfied + r.BasicallySatisfied }
