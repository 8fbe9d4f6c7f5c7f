package records

import (
	"context"
	"strings"
	"time"
)

// KindSubmission keeps what deputies submit of their own duty for the
// office to verify (代表履职申报, 审核).
const KindSubmission Kind = "submissions"

// SubmissionKind is what a deputy submits.
type SubmissionKind string

const (
	SUB_VOTER_CONTACT SubmissionKind = "VOTER_CONTACT" // 联系选民
	SUB_SUGGESTION    SubmissionKind = "SUGGESTION"    // 代表建议
)

// SubmissionKindLabels are the kinds in Chinese.
var SubmissionKindLabels = map[SubmissionKind]string{SUB_VOTER_CONTACT: "联系选民", SUB_SUGGESTION: "代表建议"}

// SubmissionStatus is where a submission stands in the office's review.
type SubmissionStatus string

const (
	SUB_PENDING  SubmissionStatus = "PENDING"  // 待审核
	SUB_APPROVED SubmissionStatus = "APPROVED" // 已通过: its record exists and counts
	SUB_RETURNED SubmissionStatus = "RETURNED" // 已退回, with the reason; the deputy may correct and submit again
)

// SubmissionStatusLabels are the statuses in Chinese.
var SubmissionStatusLabels = map[SubmissionStatus]string{SUB_PENDING: "待审核", SUB_APPROVED: "已通过", SUB_RETURNED: "已退回"}

// DutySubmission is a duty record a deputy submits from their own account.
// Nothing of it counts until the office approves it (ReviewSubmission):
// approval writes the record it describes — a contact event on the
// deputy's voter, or a suggestion — and only that record reaches points,
// archives and documents.
type DutySubmission struct {
	Meta     `bson:",inline"`
	DeputyID string         `json:"deputyId" bson:"deputyId"`
	Kind     SubmissionKind `json:"kind" bson:"kind"`
	// Date is the day of the contact, or the day the suggestion is made.
	Date Date `json:"date" bson:"date"`
	// VoterName is the voter contacted (VOTER_CONTACT).
	VoterName string `json:"voterName,omitempty" bson:"voterName,omitempty"`
	// VillageID is the voter's village, for a voter new to the deputy.
	VillageID string `json:"villageId,omitempty" bson:"villageId,omitempty"`
	// Channel is how: 走访, 电话, 座谈 … (VOTER_CONTACT).
	Channel string `json:"channel,omitempty" bson:"channel,omitempty"`
	// Title is the suggestion's title (SUGGESTION).
	Title string `json:"title,omitempty" bson:"title,omitempty"`
	// Summary is what was said (VOTER_CONTACT) or the suggestion's text.
	Summary string           `json:"summary" bson:"summary" max:"20000" text:"multiline"`
	Status  SubmissionStatus `json:"status" bson:"status"`
	// Reason is why the office returned it (RETURNED).
	Reason     string     `json:"reason,omitempty" bson:"reason,omitempty" max:"2000" text:"multiline"`
	ReviewedBy string     `json:"reviewedBy,omitempty" bson:"reviewedBy,omitempty"`
	ReviewedAt *time.Time `json:"reviewedAt,omitempty" bson:"reviewedAt,omitempty"`
	// SuggestionID is the suggestion an approved SUGGESTION became.
	SuggestionID string `json:"suggestionId,omitempty" bson:"suggestionId,omitempty"`
	// Derived.
	Year int `json:"year" bson:"year"`
}

func (x *DutySubmission) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if err := required("deputyId", x.DeputyID); err != nil {
		return err
	}
	if _, ok := SubmissionKindLabels[x.Kind]; !ok {
		return Invalidf("kind", "kind is VOTER_CONTACT or SUGGESTION, not %q", x.Kind)
	}
	if !x.Date.Valid() {
		return Invalidf("date", "%q is not a date in YYYY-MM-DD form", x.Date)
	}
	if _, ok := SubmissionStatusLabels[x.Status]; !ok {
		return Invalidf("status", "unknown status %q", x.Status)
	}
	switch x.Kind {
	case SUB_VOTER_CONTACT:
		if err := required("voterName", x.VoterName); err != nil {
			return err
		}
	case SUB_SUGGESTION:
		if err := required("title", x.Title); err != nil {
			return err
		}
	}
	if err := required("summary", x.Summary); err != nil {
		return err
	}
	if x.Status == SUB_RETURNED && strings.TrimSpace(x.Reason) == "" {
		return Invalidf("reason", "say why it is returned, for the deputy to correct it")
	}
	return x.Meta.Validate()
}

func (x *DutySubmission) Derive(SortKey) { x.Year = x.Date.Time().Year() }

func (x *DutySubmission) Refs() []Ref {
	refs := []Ref{{Field: "deputyId", Kind: KindDeputy, IDs: []string{x.DeputyID}}}
	if x.VillageID != "" {
		refs = append(refs, Ref{Field: "villageId", Kind: KindVillage, IDs: []string{x.VillageID}})
	}
	if x.SuggestionID != "" {
		refs = append(refs, Ref{Field: "suggestionId", Kind: KindSuggestion, IDs: []string{x.SuggestionID}})
	}
	return refs
}

// OnCreate: a submission starts pending, unreviewed.
func (x *DutySubmission) OnCreate(string, time.Time) {
	x.Status, x.Reason, x.ReviewedBy, x.ReviewedAt, x.SuggestionID = SUB_PENDING, "", "", nil, ""
}

// Guard is checked by the store on every write of a submission, before
// and after the change: a deputy's account writes only its own, and never
// an approved one nor an approval.
func (x *DutySubmission) Guard(a Actor) error {
	if a.Role != DeputyRole {
		return nil
	}
	switch {
	case x.DeputyID != a.DeputyID:
		return Errorf(EFORBIDDEN, "a deputy submits and changes only their own duty records")
	case x.Status == SUB_APPROVED || x.ReviewedBy != "" && x.Status != SUB_RETURNED:
		return Errorf(EFORBIDDEN, "an approved submission is the office's record now; ask the office to change it")
	}
	return nil
}

// Guarded is a record whose writes the store checks against the caller
// (Guard), before and after the change.
type Guarded interface{ Guard(Actor) error }

// Resubmit is a deputy's correction of a returned (or still pending)
// submission: it goes back to the queue.
func (x *DutySubmission) Resubmit() {
	if x.Status == SUB_RETURNED {
		x.Status, x.Reason, x.ReviewedBy, x.ReviewedAt = SUB_PENDING, "", "", nil
	}
}

// ReviewSubmission is the office's verdict (审核) on a pending submission:
// approved, it writes the record it describes in the same transaction (on
// MongoDB, a failure to mark it undoes that record) — a contact event on
// the deputy's voter of that name (the voter added if new), or a
// suggestion submitted on its date — and only then does it count;
// returned, it needs the reason and goes back to the deputy.
func (s *Store) ReviewSubmission(ctx context.Context, id string, approve bool, reason string, expectedVersion *int) (*DutySubmission, error) {
	x, err := s.Submissions.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := CanWrite(ctx, x.Township); err != nil {
		return nil, err
	}
	if x.Status != SUB_PENDING {
		return nil, notPending(x.Status)
	}
	now, by := NowFor(ctx), ActorFrom(ctx).ID
	if !approve {
		if strings.TrimSpace(reason) == "" {
			return nil, Invalidf("reason", "say why it is returned, for the deputy to correct it")
		}
		return s.Submissions.Modify(ctx, id, expectedVersion, func(y *DutySubmission) error {
			if y.Status != SUB_PENDING {
				return notPending(y.Status)
			}
			y.Status, y.Reason, y.ReviewedBy, y.ReviewedAt = SUB_RETURNED, strings.TrimSpace(reason), by, &now
			return nil
		})
	}
	var out *DutySubmission
	err = s.InTx(ctx, func(ctx context.Context) error {
		var undo func()
		switch x.Kind {
		case SUB_SUGGESTION:
			made, err := s.Suggestions.Create(ctx, &Suggestion{Meta: Meta{Township: x.Township}, DeputyID: x.DeputyID, Kind: SUGGESTION,
				Title: x.Title, Content: x.Summary, Submitted: x.Date})
			if err != nil {
				return err
			}
			x.SuggestionID = made.ID
			undo = func() { _, _ = s.Suggestions.Delete(ctx, made.ID, nil) }
		case SUB_VOTER_CONTACT:
			var before []Voter
			_, err := s.Deputies.Modify(ctx, x.DeputyID, nil, func(d *Deputy) error {
				before = cloneVoters(d.Voters)
				d.AddContact(x.VoterName, x.VillageID, ContactEvent{Date: x.Date, Channel: x.Channel, Summary: x.Summary})
				return nil
			})
			if err != nil {
				return err
			}
			undo = func() {
				_, _ = s.Deputies.Update(ctx, x.DeputyID, nil, func(d *Deputy) { d.Voters = before })
			}
		}
		var err error
		out, err = s.Submissions.Modify(ctx, id, expectedVersion, func(y *DutySubmission) error {
			if y.Status != SUB_PENDING {
				return notPending(y.Status)
			}
			y.Status, y.Reason, y.ReviewedBy, y.ReviewedAt, y.SuggestionID = SUB_APPROVED, "", by, &now, x.SuggestionID
			return nil
		})
		if err != nil {
			undo() // rolled back with the transaction on SQLite; undone here on MongoDB
		}
		return err
	})
	return out, err
}

// notPending refuses a verdict on a submission already reviewed.
func notPending(s SubmissionStatus) error {
	return &Error{Code: ECONFLICT, Field: "id", Message: "only a pending submission is reviewed; this one is " + string(s)}
}

// AddContact records a contact event with the deputy's voter of that name,
// adding the voter (of village) if the deputy had none of that name.
func (d *Deputy) AddContact(voter, village string, c ContactEvent) {
	for i := range d.Voters {
		if d.Voters[i].Name == voter {
			d.Voters[i].Contacts = append(d.Voters[i].Contacts, c)
			return
		}
	}
	d.Voters = append(d.Voters, Voter{Name: voter, VillageID: village, Contacts: []ContactEvent{c}})
}

func cloneVoters(vs []Voter) []Voter {
	out := make([]Voter, len(vs))
	for i, v := range vs {
		v.Contacts = append([]ContactEvent(nil), v.Contacts...)
		out[i] = v
	}
	return out
}

func init() {
	Sortable[KindSubmission] = map[string]string{"DATE": "date", "STATUS": "status", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"}
	DefaultOrder[KindSubmission] = Order{Field: "CREATED_AT", Direction: ASC}
	Backrefs[KindTownship] = append(Backrefs[KindTownship], Backref{KindSubmission, "township"})
	Backrefs[KindDeputy] = append(Backrefs[KindDeputy], Backref{KindSubmission, "deputyId"})
	Backrefs[KindVillage] = append(Backrefs[KindVillage], Backref{KindSubmission, "villageId"})
	Backrefs[KindSuggestion] = append(Backrefs[KindSuggestion], Backref{KindSubmission, "suggestionId"})
}

// CheckGuard runs x's Guard, if it has one, for the caller in ctx.
func CheckGuard(ctx context.Context, x any) error {
	if g, ok := x.(Guarded); ok {
		return g.Guard(ActorFrom(ctx))
	}
	return nil
}
