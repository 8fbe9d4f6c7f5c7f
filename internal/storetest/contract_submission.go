package storetest

import (
	"testing"

	"renda/internal/records"
)

// asDeputy is deputy d's own account, in township t.
func asDeputy(d, t string) records.Actor {
	return records.Actor{ID: "user:" + d, Role: records.DeputyRole, Townships: []string{t}, DeputyID: d}
}

// testSubmissions: a deputy's account submits its own duty records and no
// other writes; nothing counts before the office approves; approval writes
// the record described (a contact on the deputy's voter, a suggestion), a
// return needs its reason and goes back to the deputy, who corrects and
// submits again.
func (c *contract) testSubmissions(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Deputies, deputy("ta", "d1", "张三"))
	MustCreate(t, bg, s.Deputies, deputy("ta", "d2", "李四"))
	MustCreate(t, bg, s.Villages, village("ta", "va", "一号村"))
	zhang := records.WithActor(bg, asDeputy("d1", "ta"))
	clerk := as("user:clerk", records.Editor, "ta")

	contact := func() *records.DutySubmission {
		return &records.DutySubmission{Meta: records.Meta{Township: "ta"}, DeputyID: "d1", Kind: records.SUB_VOTER_CONTACT,
			Date: "2023-05-06", VoterName: "刘大爷", VillageID: "va", Channel: "走访", Summary: "反映村道路灯不亮"}
	}

	t.Run("DeputyWritesOwnOnly", func(t *testing.T) {
		x := contact()
		x.Status = records.SUB_APPROVED // not theirs to set
		got := MustCreate(t, zhang, s.Submissions, x)
		if got.Status != records.SUB_PENDING || got.CreatedBy != "user:d1" {
			t.Errorf("a deputy's submission: status %s, by %s; want PENDING by user:d1", got.Status, got.CreatedBy)
		}
		other := contact()
		other.DeputyID = "d2"
		_, err := s.Submissions.Create(zhang, other)
		wantErr(t, "a deputy submits for another", err, records.EFORBIDDEN, "")
		_, err = s.Deputies.Update(zhang, "d1", nil, func(d *records.Deputy) { d.Name = "张三丰" })
		wantErr(t, "a deputy edits their deputy record", err, records.EFORBIDDEN, "")
		_, err = s.Suggestions.Create(zhang, &records.Suggestion{Meta: records.Meta{Township: "ta"}, DeputyID: "d1", Kind: records.SUGGESTION, Title: "关于修路的建议", Submitted: "2023-05-06"})
		wantErr(t, "a deputy writes a suggestion directly", err, records.EFORBIDDEN, "")
		_, err = s.Submissions.Create(records.WithActor(bg, asDeputy("d1", "tb")), &records.DutySubmission{Meta: records.Meta{Township: "ta"}, DeputyID: "d1", Kind: records.SUB_VOTER_CONTACT, Date: "2023-05-06", VoterName: "刘大爷", Summary: "x"})
		wantErr(t, "a deputy of another township", err, records.ENOTFOUND, "")
		_, err = s.ReviewSubmission(zhang, got.ID, true, "", nil)
		wantErr(t, "a deputy approves their own", err, records.EFORBIDDEN, "")
	})

	t.Run("ApproveContact", func(t *testing.T) {
		x := MustCreate(t, zhang, s.Submissions, contact())
		if d := MustGet(t, s.Deputies, "d1"); len(d.Voters) != 0 {
			t.Fatalf("before approval the deputy has voters %v; a pending submission counts for nothing", d.Voters)
		}
		got, err := s.ReviewSubmission(clerk, x.ID, true, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != records.SUB_APPROVED || got.ReviewedBy != "user:clerk" || got.ReviewedAt == nil {
			t.Errorf("approved: status %s, reviewed by %q at %v", got.Status, got.ReviewedBy, got.ReviewedAt)
		}
		d := MustGet(t, s.Deputies, "d1")
		if len(d.Voters) != 1 || d.Voters[0].Name != "刘大爷" || d.Voters[0].VillageID != "va" || len(d.Voters[0].Contacts) != 1 ||
			d.Voters[0].Contacts[0] != (records.ContactEvent{Date: "2023-05-06", Channel: "走访", Summary: "反映村道路灯不亮"}) {
			t.Errorf("after approval the deputy's voters are %+v; want 刘大爷 of va with the contact", d.Voters)
		}
		// A second contact with the same voter joins their events.
		y := MustCreate(t, zhang, s.Submissions, contact())
		if _, err := s.ReviewSubmission(clerk, y.ID, true, "", nil); err != nil {
			t.Fatal(err)
		}
		if d := MustGet(t, s.Deputies, "d1"); len(d.Voters) != 1 || len(d.Voters[0].Contacts) != 2 {
			t.Errorf("a second contact with 刘大爷: voters %+v; want one voter with two contacts", d.Voters)
		}
		_, err = s.ReviewSubmission(clerk, x.ID, false, "重复", nil)
		wantErr(t, "reviewing an approved one again", err, records.ECONFLICT, "id")
		_, err = s.Submissions.Update(zhang, x.ID, nil, func(x *records.DutySubmission) { x.Summary = "改了" })
		wantErr(t, "a deputy changes an approved one", err, records.EFORBIDDEN, "")
	})

	t.Run("ReturnAndResubmit", func(t *testing.T) {
		x := MustCreate(t, zhang, s.Submissions, &records.DutySubmission{Meta: records.Meta{Township: "ta"}, DeputyID: "d1", Kind: records.SUB_SUGGESTION,
			Date: "2023-06-01", Title: "关于修建村路灯的建议", Summary: "一号村主路无路灯"})
		_, err := s.ReviewSubmission(clerk, x.ID, false, " ", nil)
		wantErr(t, "a return without a reason", err, records.EINVALID, "reason")
		got, err := s.ReviewSubmission(clerk, x.ID, false, "请写明路段", nil)
		if err != nil || got.Status != records.SUB_RETURNED || got.Reason != "请写明路段" {
			t.Fatalf("returned: %v, %+v", err, got)
		}
		n, err := s.Suggestions.Count(bg, records.Query{Townships: []string{"ta"}})
		if err != nil || n != 0 {
			t.Fatalf("a returned submission made %d suggestions (%v)", n, err)
		}
		got, err = s.Submissions.Update(zhang, x.ID, nil, func(x *records.DutySubmission) { x.Summary = "一号村主路东段800米无路灯"; x.Resubmit() })
		if err != nil || got.Status != records.SUB_PENDING || got.Reason != "" {
			t.Fatalf("resubmitted: %v, %+v", err, got)
		}
		got, err = s.ReviewSubmission(clerk, x.ID, true, "", nil)
		if err != nil || got.SuggestionID == "" {
			t.Fatalf("approved: %v, %+v", err, got)
		}
		sug := MustGet(t, s.Suggestions, got.SuggestionID)
		if sug.DeputyID != "d1" || sug.Title != "关于修建村路灯的建议" || sug.Content != "一号村主路东段800米无路灯" || sug.Submitted != "2023-06-01" || sug.Status != records.SUBMITTED {
			t.Errorf("the suggestion made: %+v", sug)
		}
		_, err = s.Suggestions.Delete(bg, sug.ID, nil)
		wantErr(t, "deleting the suggestion a submission became", err, records.ECONFLICT, "")
	})
}
