package records

import "fmt"

// LivelihoodProject is one candidate of a year's 民生实事项目人大代表票决: the
// project as put forward, the deputies' ballot at the session, whether it
// was adopted, its milestones as the government carries it out, and the
// deputies' satisfaction vote at the next session.
type LivelihoodProject struct {
	Meta            `bson:",inline"`
	Year            int       `json:"year" bson:"year"` // the year it is for
	Name            string    `json:"name" bson:"name"`
	NameKey         string    `json:"nameKey" bson:"nameKey" max:"-"`
	Source          string    `json:"source,omitempty" bson:"source,omitempty"`         // 群众征集, 代表提出, 政府提出
	Investment      *float64  `json:"investment,omitempty" bson:"investment,omitempty"` // 万元
	OwnerDepartment string    `json:"ownerDepartment,omitempty" bson:"ownerDepartment,omitempty"`
	CompletionDate  *DateSpan `json:"completionDate,omitempty" bson:"completionDate,omitempty"` // planned
	Description     string    `json:"description,omitempty" bson:"description,omitempty" max:"20000" text:"multiline"`
	// SessionID is the session that voted on it.
	SessionID    string            `json:"sessionId,omitempty" bson:"sessionId,omitempty"`
	Ballot       *LivelihoodBallot `json:"ballot,omitempty" bson:"ballot,omitempty"`
	Milestones   []Milestone       `json:"milestones" bson:"milestones" max:"24"`
	Satisfaction *SatisfactionVote `json:"satisfaction,omitempty" bson:"satisfaction,omitempty"`
	// Derived at write time.
	Adopted   bool `json:"adopted" bson:"adopted"`
	Votes     int  `json:"votes" bson:"votes"`       // the ballot's yes votes, 0 before it
	Progress  int  `json:"progress" bson:"progress"` // the latest milestone's, 0 to 100
	Completed bool `json:"completed" bson:"completed"`
}

// BallotMethod is how the deputies voted on the candidates.
type BallotMethod string

const (
	// ITEM_BALLOT: each project yes, no or abstain (逐项表决).
	ITEM_BALLOT BallotMethod = "ITEM"
	// RANKING_BALLOT: N of M candidates chosen (差额票决): each deputy
	// marks up to N; the project's yes votes are the ballots marking it.
	RANKING_BALLOT BallotMethod = "RANKING"
)

// LivelihoodBallot is one project's result in the deputies' ballot.
type LivelihoodBallot struct {
	Method BallotMethod `json:"method" bson:"method"`
	// Deputies is 全体代表, the base of the rule.
	Deputies   int `json:"deputies" bson:"deputies"`
	Candidates int `json:"candidates" bson:"candidates"` // M: projects on the ballot (RANKING)
	Seats      int `json:"seats" bson:"seats"`           // N: projects to choose (RANKING)
	Yes        int `json:"yes" bson:"yes"`
	No         int `json:"no" bson:"no"`
	Abstain    int `json:"abstain" bson:"abstain"`
	NotVoting  int `json:"notVoting" bson:"notVoting"`
	// Rank is the project's place by votes among the candidates, 1 the
	// most (RANKING), as counted at the session; 0 before the count.
	Rank int `json:"rank" bson:"rank"`
	// Derived: the votes needed and the rule in words.
	Needed int    `json:"needed" bson:"needed"`
	Rule   string `json:"rule" bson:"rule"`
}

// Bounds of a project's follow-up, which reports read whole.
const (
	MaxMilestones     = 24 // two a month for a year
	MaxMilestoneLinks = 20 // inspections, and projects, of one milestone
)

// Milestone is a step of carrying a project out, with how far it has got.
type Milestone struct {
	Date          DateSpan `json:"date" bson:"date"`
	Title         string   `json:"title" bson:"title"`
	Progress      int      `json:"progress" bson:"progress"` // percent, 0 to 100
	Note          string   `json:"note,omitempty" bson:"note,omitempty" max:"20000" text:"multiline"`
	InspectionIDs []string `json:"inspectionIds" bson:"inspectionIds" max:"20"`
	ProjectIDs    []string `json:"projectIds" bson:"projectIds" max:"20"`
}

// SatisfactionVote is the deputies' 满意度测评 of a project, usually at the
// next session.
type SatisfactionVote struct {
	SessionID          string `json:"sessionId,omitempty" bson:"sessionId,omitempty"`
	Satisfied          int    `json:"satisfied" bson:"satisfied"`                   // 满意
	BasicallySatisfied int    `json:"basicallySatisfied" bson:"basicallySatisfied"` // 基本满意
	Dissatisfied       int    `json:"dissatisfied" bson:"dissatisfied"`             // 不满意
	Total              int    `json:"total" bson:"total"`                           // derived
}

// Rate is the share satisfied or basically satisfied, 0 to 1 (0 with no votes).
func (s SatisfactionVote) Rate() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Satisfied+s.BasicallySatisfied) / float64(s.Total)
}

func (x *LivelihoodProject) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if x.Year < 1949 || x.Year > 2100 {
		return Invalidf("year", "year %d is out of range", x.Year)
	}
	if err := required("name", x.Name); err != nil {
		return err
	}
	if err := nonNegative("investment", x.Investment); err != nil {
		return err
	}
	if err := x.CompletionDate.Validate(); err != nil {
		return Prefix("completionDate", err)
	}
	if b := x.Ballot; b != nil {
		if err := b.validate(); err != nil {
			return Prefix("ballot", err)
		}
	}
	for i := range x.Milestones {
		m := &x.Milestones[i]
		field := fmt.Sprintf("milestones.%d", i)
		if err := m.Date.Validate(); err != nil {
			return Prefix(field+".date", err)
		}
		if err := required("title", m.Title); err != nil {
			return Prefix(field, err)
		}
		if m.Progress < 0 || m.Progress > 100 {
			return Invalidf(field+".progress", "progress is a percentage, 0 to 100, got %d", m.Progress)
		}
		for _, l := range []struct {
			name string
			ids  []string
		}{{"inspectionIds", m.InspectionIDs}, {"projectIds", m.ProjectIDs}} {
			if err := uniqueIDs(l.name, l.ids); err != nil {
				return Prefix(field, err)
			}
		}
	}
	if s := x.Satisfaction; s != nil {
		for _, c := range []struct {
			f string
			n int
		}{{"satisfied", s.Satisfied}, {"basicallySatisfied", s.BasicallySatisfied}, {"dissatisfied", s.Dissatisfied}} {
			if c.n < 0 {
				return Invalidf("satisfaction."+c.f, "%s cannot be negative", c.f)
			}
		}
		if n := s.Satisfied + s.BasicallySatisfied + s.Dissatisfied; n > MaxDeputies {
			return Invalidf("satisfaction", "the vote counts %d deputies, more than %d", n, MaxDeputies)
		}
	}
	return x.Meta.Validate()
}

func (b *LivelihoodBallot) validate() error {
	if b.Deputies < 1 || b.Deputies > MaxDeputies {
		return Invalidf("deputies", "deputies (全体代表) is 1 to %d, got %d", MaxDeputies, b.Deputies)
	}
	for _, c := range []struct {
		f string
		n int
	}{{"yes", b.Yes}, {"no", b.No}, {"abstain", b.Abstain}, {"notVoting", b.NotVoting}} {
		if c.n < 0 {
			return Invalidf(c.f, "%s cannot be negative", c.f)
		}
	}
	if n := b.Yes + b.No + b.Abstain + b.NotVoting; n > b.Deputies {
		return Invalidf("yes", "the tally counts %d deputies, more than the %d in office (全体代表)", n, b.Deputies)
	}
	switch b.Method {
	case ITEM_BALLOT:
	case RANKING_BALLOT:
		if b.Seats < 1 || b.Candidates <= b.Seats || b.Candidates > MaxListItems {
			return Invalidf("seats", "a RANKING ballot chooses 1 or more of more candidates (at most %d): %d of %d", MaxListItems, b.Seats, b.Candidates)
		}
		if b.Rank < 0 || b.Rank > b.Candidates {
			return Invalidf("rank", "rank is the project's place among the %d candidates, 1 to %d (0 before the count), got %d", b.Candidates, b.Candidates, b.Rank)
		}
	default:
		return Invalidf("method", "method is ITEM or RANKING, not %q", b.Method)
	}
	return nil
}

// Judge applies the ballot's rule: more than half of all deputies vote
// yes, and for a RANKING ballot the project is among the N most voted.
func (b *LivelihoodBallot) Judge() bool {
	ok := b.Deputies > 0 && b.Yes >= MajorityOfAll(b.Deputies)
	if b.Method == RANKING_BALLOT {
		ok = ok && b.Rank >= 1 && b.Rank <= b.Seats
	}
	return ok
}

// RuleText states the ballot's rule.
func (b *LivelihoodBallot) RuleText() string {
	if b.Method == RANKING_BALLOT {
		return fmt.Sprintf("差额票决，从%d个候选项目中选出%d个；获得全体代表过半数赞成票（全体代表%d名，须达%d票）的项目，按得票多少确定前%d个为当选项目", b.Candidates, b.Seats, b.Deputies, MajorityOfAll(b.Deputies), b.Seats)
	}
	return fmt.Sprintf("逐项表决，%s", MajorityRule(b.Deputies))
}

func (x *LivelihoodProject) Derive(key SortKey) {
	if key != nil {
		x.NameKey = key(x.Name)
	}
	if x.CompletionDate != nil {
		x.CompletionDate.Normalize()
	}
	x.Adopted, x.Votes = false, 0
	if b := x.Ballot; b != nil {
		b.Needed, b.Rule = MajorityOfAll(b.Deputies), b.RuleText()
		x.Adopted, x.Votes = b.Judge(), b.Yes
	}
	x.Progress = 0
	latest := ""
	for i := range x.Milestones {
		m := &x.Milestones[i]
		m.Date.Normalize()
		if string(m.Date.Date) >= latest {
			latest, x.Progress = string(m.Date.Date), m.Progress
		}
	}
	x.Completed = x.Progress == 100
	if s := x.Satisfaction; s != nil {
		s.Total = s.Satisfied + s.BasicallySatisfied + s.Dissatisfied
	}
}

func (x *LivelihoodProject) Refs() []Ref {
	var refs []Ref
	var sessions []string
	if x.SessionID != "" {
		refs = append(refs, Ref{Field: "sessionId", Kind: KindCongressSession, IDs: []string{x.SessionID}})
	}
	if s := x.Satisfaction; s != nil && s.SessionID != "" {
		sessions = append(sessions, s.SessionID)
		refs = append(refs, Ref{Field: "satisfaction.sessionId", Kind: KindCongressSession, IDs: sessions})
	}
	for i, m := range x.Milestones {
		field := fmt.Sprintf("milestones.%d.", i)
		refs = append(refs,
			Ref{Field: field + "inspectionIds", Kind: KindInspection, IDs: m.InspectionIDs, List: true},
			Ref{Field: field + "projectIds", Kind: KindProject, IDs: m.ProjectIDs, List: true})
	}
	return refs
}

// LivelihoodProjectPatch changes the fields it sets; nil leaves a field as it is.
type LivelihoodProjectPatch struct {
	Year            *int
	Name            *string
	Source          *string
	Investment      *float64
	OwnerDepartment *string
	CompletionDate  *DateSpan
	Description     *string
	SessionID       *string
	Ballot          *LivelihoodBallot
	Milestones      []Milestone
	Satisfaction    *SatisfactionVote
	Tags            []string
	Attributes      map[string]any
}

func (p *LivelihoodProjectPatch) Apply(x *LivelihoodProject) {
	set(&x.Year, p.Year)
	set(&x.Name, p.Name)
	set(&x.Source, p.Source)
	setPtr(&x.Investment, p.Investment)
	set(&x.OwnerDepartment, p.OwnerDepartment)
	setPtr(&x.CompletionDate, p.CompletionDate)
	set(&x.Description, p.Description)
	set(&x.SessionID, p.SessionID)
	setPtr(&x.Ballot, p.Ballot)
	setList(&x.Milestones, p.Milestones)
	setPtr(&x.Satisfaction, p.Satisfaction)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}

// LivelihoodProjectFilter selects livelihood projects.
type LivelihoodProjectFilter struct {
	Common
	And             []*LivelihoodProjectFilter
	Or              []*LivelihoodProjectFilter
	Not             *LivelihoodProjectFilter
	Year            *IntFilter
	Name            *StringFilter
	Source          *StringFilter
	OwnerDepartment *StringFilter
	Session         *IDFilter
	Adopted         *BoolFilter
	Completed       *BoolFilter
	Progress        *IntFilter
}

func (f *LivelihoodProjectFilter) parts() (and, or []*LivelihoodProjectFilter, not *LivelihoodProjectFilter) {
	return f.And, f.Or, f.Not
}

func (f *LivelihoodProjectFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Year.build(b, "year", "year")
	f.Name.build(b, "name", "name")
	f.Source.build(b, "source", "source")
	f.OwnerDepartment.build(b, "ownerDepartment", "ownerDepartment")
	f.Session.build(b, "session", "sessionId")
	for _, bf := range []struct {
		f    *BoolFilter
		name string
	}{{f.Adopted, "adopted"}, {f.Completed, "completed"}} {
		if bf.f != nil && bf.f.Eq != nil {
			b.add(bf.name, OpEq, *bf.f.Eq)
		}
	}
	f.Progress.build(b, "progress", "progress")
}

func init() {
	for target, brs := range map[Kind][]Backref{
		KindTownship:        {{KindLivelihoodProject, "township"}},
		KindCongressSession: {{KindLivelihoodProject, "sessionId"}, {KindLivelihoodProject, "satisfaction.sessionId"}},
		KindInspection:      {{KindLivelihoodProject, "milestones.inspectionIds"}},
		KindProject:         {{KindLivelihoodProject, "milestones.projectIds"}},
	} {
		Backrefs[target] = append(Backrefs[target], brs...)
	}
}
