package records

import "fmt"

// CongressSession is one sitting of the township people's congress (乡镇人民
// 代表大会第N届第M次会议): its agenda, who attended, what it voted on,
// whom it elected and what it resolved. (Session, in this package, is a
// signed-in caller's.)
type CongressSession struct {
	Meta    `bson:",inline"`
	Term    int    `json:"term" bson:"term"`       // 届
	Sitting int    `json:"sitting" bson:"sitting"` // 次
	Start   Date   `json:"start" bson:"start"`
	End     Date   `json:"end" bson:"end"` // the last day; the first when the session lasts one
	Place   string `json:"place" bson:"place"`
	// DeputyCount is 全体代表: the deputies in office, the base of the
	// quorum and of every vote. 0 means the deputies on the roll call.
	DeputyCount int              `json:"deputyCount" bson:"deputyCount"`
	AgendaItems []AgendaItem     `json:"agendaItems" bson:"agendaItems"`
	Roll        []RollEntry      `json:"roll" bson:"roll" max:"500"`
	Guests      []Guest          `json:"guests" bson:"guests"`
	Votes       []SessionVote    `json:"votes" bson:"votes"`
	Elections   []Election       `json:"elections" bson:"elections" max:"50"`
	Resolutions []Resolution     `json:"resolutions" bson:"resolutions" max:"50"`
	Summary     string           `json:"summary,omitempty" bson:"summary,omitempty" max:"20000" text:"multiline"`
	Year        int              `json:"year" bson:"year"`   // derived: the start's
	Title       string           `json:"title" bson:"title"` // derived: 第十八届人民代表大会第三次会议
	Attendance  AttendanceTotals `json:"attendance" bson:"attendance"`
}

// AgendaKind is what an agenda item puts before the congress.
type AgendaKind string

const (
	AGENDA_REPORT     AgendaKind = "REPORT"          // 听取和审议报告
	AGENDA_ELECTION   AgendaKind = "ELECTION"        // 选举
	AGENDA_DECISION   AgendaKind = "DECISION"        // 决定
	AGENDA_LIVELIHOOD AgendaKind = "LIVELIHOOD_VOTE" // 民生实事项目票决
	AGENDA_OTHER      AgendaKind = "OTHER"
)

// AgendaItem is one item of the agenda, numbered by Order (1, 2, …).
type AgendaItem struct {
	Order    int        `json:"order" bson:"order"`
	Title    string     `json:"title" bson:"title"`
	Kind     AgendaKind `json:"kind" bson:"kind"`
	Reporter string     `json:"reporter,omitempty" bson:"reporter,omitempty"` // who reports: 镇长 张三
	// When places the item in the session's 日程: a day and 上午/下午.
	Day    Date   `json:"day,omitempty" bson:"day,omitempty"`
	Period string `json:"period,omitempty" bson:"period,omitempty"`
}

// AttendanceStatus is a deputy's place on the roll call.
type AttendanceStatus string

const (
	PRESENT  AttendanceStatus = "PRESENT"
	ON_LEAVE AttendanceStatus = "ON_LEAVE" // 请假
	ABSENT   AttendanceStatus = "ABSENT"   // 缺席
)

// RollEntry is one deputy on the roll call.
type RollEntry struct {
	DeputyID string           `json:"deputyId" bson:"deputyId"`
	Status   AttendanceStatus `json:"status" bson:"status"`
	Note     string           `json:"note,omitempty" bson:"note,omitempty"`
}

// Guest sat in without a vote (列席): officials, villages' heads ….
type Guest struct {
	Name  string `json:"name" bson:"name"`
	Title string `json:"title,omitempty" bson:"title,omitempty"`
}

// AttendanceTotals is the roll call counted, derived at write time.
type AttendanceTotals struct {
	Expected int `json:"expected" bson:"expected"` // 应到: all deputies
	Present  int `json:"present" bson:"present"`   // 实到
	OnLeave  int `json:"onLeave" bson:"onLeave"`
	Absent   int `json:"absent" bson:"absent"`
	// Unrecorded are deputies in office not on the roll call (yet).
	Unrecorded int `json:"unrecorded" bson:"unrecorded"`
	// Needed is how many must be present: two thirds of all deputies,
	// rounded up.
	Needed int  `json:"needed" bson:"needed"`
	Quorum bool `json:"quorum" bson:"quorum"`
}

// VoteMethod is how a vote is taken.
type VoteMethod string

const (
	OPEN_VOTE   VoteMethod = "OPEN"   // 举手表决 / 按表决器
	SECRET_VOTE VoteMethod = "SECRET" // 无记名投票
)

// SessionVote is the tally of one vote on an agenda item. Passed, Needed
// and Rule are derived from the tally and the session's deputies.
type SessionVote struct {
	ItemOrder int         `json:"itemOrder" bson:"itemOrder"`
	Subject   string      `json:"subject,omitempty" bson:"subject,omitempty"` // what was put: 关于…的决议
	Method    VoteMethod  `json:"method" bson:"method"`
	Yes       int         `json:"yes" bson:"yes"`
	No        int         `json:"no" bson:"no"`
	Abstain   int         `json:"abstain" bson:"abstain"`
	NotVoting int         `json:"notVoting" bson:"notVoting"`
	Item      *AgendaItem `json:"item,omitempty" bson:"item,omitempty"` // derived: the item voted on
	Verdict   `bson:",inline"`
}

// Verdict is a tally judged by the rule: derived, never input.
type Verdict struct {
	Needed int    `json:"needed" bson:"needed"` // yes votes needed
	Passed bool   `json:"passed" bson:"passed"`
	Rule   string `json:"rule" bson:"rule"` // the rule in words
}

// ElectionMethod says whether there were more candidates than seats.
type ElectionMethod string

const (
	COMPETITIVE     ElectionMethod = "COMPETITIVE"     // 差额选举
	NON_COMPETITIVE ElectionMethod = "NON_COMPETITIVE" // 等额选举
)

// Election fills one office (镇人大主席, 副主席, 镇长 …) by secret ballot.
type Election struct {
	ItemOrder       int            `json:"itemOrder" bson:"itemOrder"`
	Office          string         `json:"office" bson:"office"`
	Seats           int            `json:"seats" bson:"seats"`
	Method          ElectionMethod `json:"method" bson:"method"`
	BallotsIssued   int            `json:"ballotsIssued" bson:"ballotsIssued"`
	BallotsReturned int            `json:"ballotsReturned" bson:"ballotsReturned"`
	Candidates      []Candidate    `json:"candidates" bson:"candidates" max:"50"`
	Item            *AgendaItem    `json:"item,omitempty" bson:"item,omitempty"` // derived
	Needed          int            `json:"needed" bson:"needed"`                 // derived: votes needed
	Rule            string         `json:"rule" bson:"rule"`                     // derived
}

// Candidate is one person on an election's ballot.
type Candidate struct {
	Name     string `json:"name" bson:"name"`
	DeputyID string `json:"deputyId,omitempty" bson:"deputyId,omitempty"`
	Votes    int    `json:"votes" bson:"votes"`
	Elected  bool   `json:"elected" bson:"elected"` // derived
}

// Resolution is a 决议 the congress adopted on an agenda item.
type Resolution struct {
	ItemOrder int         `json:"itemOrder" bson:"itemOrder"`
	Title     string      `json:"title" bson:"title"`
	Text      string      `json:"text,omitempty" bson:"text,omitempty" max:"20000" text:"multiline"`
	Item      *AgendaItem `json:"item,omitempty" bson:"item,omitempty"` // derived
	// Adopted is derived: a vote on the item passed.
	Adopted bool `json:"adopted" bson:"adopted"`
}

// Bounds on a session's numbers.
const (
	MaxTerm     = 99
	MaxDeputies = MaxRefs // a township congress has 40 to 130 deputies
)

// Expected is 全体代表: DeputyCount, or the deputies on the roll call.
func (x *CongressSession) Expected() int {
	if x.DeputyCount > 0 {
		return x.DeputyCount
	}
	return len(x.Roll)
}

// RollComplete reports whether every deputy is on the roll call, so that
// tallies can be checked against who was present.
func (x *CongressSession) RollComplete() bool { return len(x.Roll) > 0 && len(x.Roll) == x.Expected() }

// ItemAt is the agenda item numbered order, nil if none.
func (x *CongressSession) ItemAt(order int) *AgendaItem {
	for i := range x.AgendaItems {
		if x.AgendaItems[i].Order == order {
			it := x.AgendaItems[i]
			return &it
		}
	}
	return nil
}

// LastDay is the session's last day (its start when no end is given).
func (x *CongressSession) LastDay() Date {
	if x.End == "" || x.End < x.Start {
		return x.Start
	}
	return x.End
}

// HalfDays is how many half-days the session sat, as duty points count
// attendance: the distinct half-days (a day's 上午, 下午 or 晚上) its
// agenda is scheduled on; without a schedule, two a day from its start to
// its last day.
func (x *CongressSession) HalfDays() int {
	slots := map[string]bool{}
	for _, it := range x.AgendaItems {
		if it.Day != "" && (it.Period == "上午" || it.Period == "下午" || it.Period == "晚上") {
			slots[string(it.Day)+it.Period] = true
		}
	}
	if len(slots) > 0 {
		return len(slots)
	}
	days := int(x.LastDay().Time().Sub(x.Start.Time()).Hours()/24) + 1
	return 2 * max(days, 1)
}

func (x *CongressSession) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if x.Term < 1 || x.Term > MaxTerm {
		return Invalidf("term", "term (届) is 1 to %d, got %d", MaxTerm, x.Term)
	}
	if x.Sitting < 1 || x.Sitting > MaxTerm {
		return Invalidf("sitting", "sitting (次) is 1 to %d, got %d", MaxTerm, x.Sitting)
	}
	if _, err := ParseDate(string(x.Start)); err != nil {
		return Invalidf("start", "%s", err.Error())
	}
	if x.End != "" {
		if _, err := ParseDate(string(x.End)); err != nil {
			return Invalidf("end", "%s", err.Error())
		}
		if x.End < x.Start || x.End.Time().Sub(x.Start.Time()).Hours() > 24*31 {
			return Invalidf("end", "end is on or after start, within a month of it")
		}
	}
	if x.DeputyCount < 0 || x.DeputyCount > MaxDeputies {
		return Invalidf("deputyCount", "deputyCount is 0 to %d, got %d", MaxDeputies, x.DeputyCount)
	}
	if x.DeputyCount > 0 && len(x.Roll) > x.DeputyCount {
		return Invalidf("roll", "the roll call names %d deputies, more than the %d in office (deputyCount)", len(x.Roll), x.DeputyCount)
	}
	if err := x.validateAgenda(); err != nil {
		return err
	}
	if err := x.validateRoll(); err != nil {
		return err
	}
	for i, g := range x.Guests {
		if err := required("name", g.Name); err != nil {
			return Prefix(fmt.Sprintf("guests.%d", i), err)
		}
	}
	if (len(x.Votes) > 0 || len(x.Elections) > 0) && x.Expected() == 0 {
		return Invalidf("deputyCount", "votes are counted against all deputies: give deputyCount or the roll call")
	}
	for i := range x.Votes {
		if err := x.validateVote(&x.Votes[i]); err != nil {
			return Prefix(fmt.Sprintf("votes.%d", i), err)
		}
	}
	for i := range x.Elections {
		if err := x.validateElection(&x.Elections[i]); err != nil {
			return Prefix(fmt.Sprintf("elections.%d", i), err)
		}
	}
	for i, r := range x.Resolutions {
		field := fmt.Sprintf("resolutions.%d", i)
		if x.ItemAt(r.ItemOrder) == nil {
			return Invalidf(field+".itemOrder", "no agenda item %d", r.ItemOrder)
		}
		if err := required("title", r.Title); err != nil {
			return Prefix(field, err)
		}
	}
	return x.Meta.Validate()
}

func (x *CongressSession) validateAgenda() error {
	seen := map[int]bool{}
	for i, it := range x.AgendaItems {
		field := fmt.Sprintf("agendaItems.%d", i)
		if it.Order < 1 || it.Order > MaxListItems {
			return Invalidf(field+".order", "order is 1 to %d, got %d", MaxListItems, it.Order)
		}
		if seen[it.Order] {
			return Invalidf(field+".order", "agenda item %d is given twice", it.Order)
		}
		seen[it.Order] = true
		if err := required("title", it.Title); err != nil {
			return Prefix(field, err)
		}
		switch it.Kind {
		case AGENDA_REPORT, AGENDA_ELECTION, AGENDA_DECISION, AGENDA_LIVELIHOOD, AGENDA_OTHER:
		default:
			return Invalidf(field+".kind", "unknown agenda item kind %q", it.Kind)
		}
		if it.Day != "" {
			if _, err := ParseDate(string(it.Day)); err != nil {
				return Invalidf(field+".day", "%s", err.Error())
			}
		}
	}
	return nil
}

func (x *CongressSession) validateRoll() error {
	seen := map[string]bool{}
	for i, r := range x.Roll {
		field := fmt.Sprintf("roll.%d", i)
		if err := required("deputyId", r.DeputyID); err != nil {
			return Prefix(field, err)
		}
		if seen[r.DeputyID] {
			return Invalidf(field+".deputyId", "deputy %q is on the roll call twice", r.DeputyID)
		}
		seen[r.DeputyID] = true
		switch r.Status {
		case PRESENT, ON_LEAVE, ABSENT:
		default:
			return Invalidf(field+".status", "status is PRESENT, ON_LEAVE or ABSENT, not %q", r.Status)
		}
	}
	return nil
}

func (x *CongressSession) validateVote(v *SessionVote) error {
	if x.ItemAt(v.ItemOrder) == nil {
		return Invalidf("itemOrder", "no agenda item %d", v.ItemOrder)
	}
	switch v.Method {
	case OPEN_VOTE, SECRET_VOTE:
	default:
		return Invalidf("method", "method is OPEN or SECRET, not %q", v.Method)
	}
	return x.checkTally(v.Yes, v.No, v.Abstain, v.NotVoting)
}

// checkTally refuses counts below zero, a tally of more deputies than are
// in office, and, when the roll call is complete, more than were present.
func (x *CongressSession) checkTally(yes, no, abstain, notVoting int) error {
	for _, c := range []struct {
		f string
		n int
	}{{"yes", yes}, {"no", no}, {"abstain", abstain}, {"notVoting", notVoting}} {
		if c.n < 0 {
			return Invalidf(c.f, "%s cannot be negative", c.f)
		}
	}
	total := yes + no + abstain + notVoting
	if total > x.Expected() {
		return Invalidf("yes", "the tally counts %d deputies, more than the %d in office (全体代表)", total, x.Expected())
	}
	if x.RollComplete() {
		if p := x.countRoll(PRESENT); total > p {
			return Invalidf("yes", "the tally counts %d deputies, more than the %d present (实到)", total, p)
		}
	}
	return nil
}

func (x *CongressSession) validateElection(e *Election) error {
	if it := x.ItemAt(e.ItemOrder); it == nil {
		return Invalidf("itemOrder", "no agenda item %d", e.ItemOrder)
	}
	if err := required("office", e.Office); err != nil {
		return err
	}
	if e.Seats < 1 || e.Seats > MaxListItems {
		return Invalidf("seats", "seats is 1 to %d, got %d", MaxListItems, e.Seats)
	}
	switch e.Method {
	case COMPETITIVE:
		if len(e.Candidates) <= e.Seats {
			return Invalidf("candidates", "a COMPETITIVE (差额) election has more candidates than seats: %d for %d", len(e.Candidates), e.Seats)
		}
	case NON_COMPETITIVE:
		if len(e.Candidates) != e.Seats {
			return Invalidf("candidates", "a NON_COMPETITIVE (等额) election has as many candidates as seats: %d for %d", len(e.Candidates), e.Seats)
		}
	default:
		return Invalidf("method", "method is COMPETITIVE or NON_COMPETITIVE, not %q", e.Method)
	}
	n := x.Expected()
	if e.BallotsIssued < 0 || e.BallotsIssued > n {
		return Invalidf("ballotsIssued", "ballotsIssued is 0 to the %d deputies in office, got %d", n, e.BallotsIssued)
	}
	if x.RollComplete() && e.BallotsIssued > x.countRoll(PRESENT) {
		return Invalidf("ballotsIssued", "%d ballots issued, more than the %d deputies present", e.BallotsIssued, x.countRoll(PRESENT))
	}
	if e.BallotsReturned < 0 || e.BallotsReturned > e.BallotsIssued {
		return Invalidf("ballotsReturned", "ballotsReturned is 0 to the %d issued, got %d", e.BallotsIssued, e.BallotsReturned)
	}
	names := map[string]bool{}
	for i, c := range e.Candidates {
		field := fmt.Sprintf("candidates.%d", i)
		if err := required("name", c.Name); err != nil {
			return Prefix(field, err)
		}
		if names[c.Name] {
			return Invalidf(field+".name", "candidate %q is given twice", c.Name)
		}
		names[c.Name] = true
		if c.Votes < 0 || c.Votes > e.BallotsReturned {
			return Invalidf(field+".votes", "votes are 0 to the %d ballots returned, got %d", e.BallotsReturned, c.Votes)
		}
	}
	return nil
}

func (x *CongressSession) countRoll(s AttendanceStatus) int {
	n := 0
	for _, r := range x.Roll {
		if r.Status == s {
			n++
		}
	}
	return n
}

// Derive counts the roll call and judges every vote and election.
func (x *CongressSession) Derive(SortKey) {
	x.Year = x.Start.Time().Year()
	if x.End == "" {
		x.End = x.Start
	}
	x.Title = fmt.Sprintf("第%s届人民代表大会第%s次会议", ChineseNumber(x.Term), ChineseNumber(x.Sitting))
	n := x.Expected()
	x.Attendance = AttendanceTotals{
		Expected: n, Present: x.countRoll(PRESENT), OnLeave: x.countRoll(ON_LEAVE), Absent: x.countRoll(ABSENT),
		Needed: TwoThirds(n),
	}
	if x.DeputyCount > len(x.Roll) {
		x.Attendance.Unrecorded = x.DeputyCount - len(x.Roll)
	}
	x.Attendance.Quorum = n > 0 && x.Attendance.Present >= x.Attendance.Needed
	passed := map[int]bool{}
	for i := range x.Votes {
		v := &x.Votes[i]
		v.Item = x.ItemAt(v.ItemOrder)
		v.Verdict = Judge(v.Yes, n)
		passed[v.ItemOrder] = passed[v.ItemOrder] || v.Passed
	}
	for i := range x.Elections {
		e := &x.Elections[i]
		e.Item = x.ItemAt(e.ItemOrder)
		e.Needed, e.Rule = MajorityOfAll(n), electionRule(n, e.Seats, len(e.Candidates))
		votes := make([]int, len(e.Candidates))
		for j, c := range e.Candidates {
			votes[j] = c.Votes
		}
		for j, ok := range Elect(votes, e.Seats, n) {
			e.Candidates[j].Elected = ok
		}
	}
	for i := range x.Resolutions {
		r := &x.Resolutions[i]
		r.Item = x.ItemAt(r.ItemOrder)
		r.Adopted = passed[r.ItemOrder]
	}
}

func (x *CongressSession) Refs() []Ref {
	ids := make([]string, 0, len(x.Roll))
	for _, r := range x.Roll {
		ids = append(ids, r.DeputyID)
	}
	refs := []Ref{{Field: "roll", Kind: KindDeputy, IDs: ids, List: true}}
	for i, e := range x.Elections {
		var cand []string
		for _, c := range e.Candidates {
			if c.DeputyID != "" {
				cand = append(cand, c.DeputyID)
			}
		}
		if len(cand) > 0 {
			refs = append(refs, Ref{Field: fmt.Sprintf("elections.%d.candidates", i), Kind: KindDeputy, IDs: cand})
		}
	}
	return refs
}
