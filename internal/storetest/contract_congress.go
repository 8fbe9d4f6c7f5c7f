package storetest

import (
	"fmt"
	"testing"

	"renda/internal/records"
)

// Fixtures of the congress's records: a township of n deputies d1…dn.

func mustDeputies(tb testing.TB, s *records.Store, t string, n int) []string {
	tb.Helper()
	ids := make([]string, n)
	xs := make([]*records.Deputy, n)
	for i := range n {
		ids[i] = fmt.Sprintf("%s-d%d", t, i+1)
		xs[i] = deputy(t, ids[i], fmt.Sprintf("代表%d", i+1))
	}
	if _, err := s.Deputies.Bulk(bg, xs); err != nil {
		tb.Fatalf("bulk deputies: %v", err)
	}
	return ids
}

// roll is a roll call of ids: the first present, the next onLeave on
// leave, the rest absent.
func roll(ids []string, present, onLeave int) []records.RollEntry {
	out := make([]records.RollEntry, len(ids))
	for i, id := range ids {
		st := records.ABSENT
		switch {
		case i < present:
			st = records.PRESENT
		case i < present+onLeave:
			st = records.ON_LEAVE
		}
		out[i] = records.RollEntry{DeputyID: id, Status: st}
	}
	return out
}

func session(t, id string, start records.Date) *records.CongressSession {
	return &records.CongressSession{
		Meta: records.Meta{ID: id, Township: t}, Term: 18, Sitting: 3, Start: start, Place: "镇政府大会议室",
		AgendaItems: []records.AgendaItem{
			{Order: 1, Title: "听取和审议镇人民政府工作报告", Kind: records.AGENDA_REPORT, Reporter: "镇长"},
			{Order: 2, Title: "选举镇人民代表大会主席", Kind: records.AGENDA_ELECTION},
			{Order: 3, Title: "票决2024年度民生实事项目", Kind: records.AGENDA_LIVELIHOOD},
		},
	}
}

// testSessions: a session's roll call is counted and its quorum judged
// (two thirds of all deputies present); its votes pass with more than half
// of ALL deputies, exactly half failing; tallies beyond the deputies are
// refused; elections elect by the same rule.
func (c *contract) testSessions(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	ids := mustDeputies(t, s, "ta", 30)

	t.Run("Quorum", func(t *testing.T) {
		for _, x := range []struct {
			present, leave int
			quorum         bool
		}{{20, 2, true}, {19, 3, false}, {30, 0, true}} {
			in := session("ta", fmt.Sprintf("q%d", x.present), "2024-01-10")
			in.Roll = roll(ids, x.present, x.leave)
			got := MustCreate(t, bg, s.Sessions, in)
			want := records.AttendanceTotals{Expected: 30, Present: x.present, OnLeave: x.leave, Absent: 30 - x.present - x.leave, Needed: 20, Quorum: x.quorum}
			if got.Attendance != want {
				t.Errorf("%d present: attendance %+v, want %+v", x.present, got.Attendance, want)
			}
			if back := MustGet(t, s.Sessions, got.ID); back.Attendance != want {
				t.Errorf("%d present, read back: %+v, want %+v", x.present, back.Attendance, want)
			}
		}
		// 31 in office: two thirds is 20.67, so 21 are needed.
		in := session("ta", "q31", "2024-01-10")
		in.DeputyCount = 31
		in.Roll = roll(ids, 20, 0)
		got := MustCreate(t, bg, s.Sessions, in)
		if a := got.Attendance; a.Needed != 21 || a.Quorum || a.Unrecorded != 1 {
			t.Errorf("31 in office, 20 present: %+v, want 21 needed, no quorum, 1 unrecorded", a)
		}
	})

	t.Run("Votes", func(t *testing.T) {
		in := session("ta", "v", "2024-01-11")
		in.Roll = roll(ids, 28, 2)
		in.Votes = []records.SessionVote{
			{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 15, No: 10, Abstain: 3},     // exactly half
			{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 16, No: 12},                 // one more
			{ItemOrder: 3, Method: records.SECRET_VOTE, Yes: 27, Abstain: 1},           // carried
			{ItemOrder: 3, Method: records.SECRET_VOTE, Yes: 14, No: 14},               // of those present: half; fails
			{ItemOrder: 3, Method: records.SECRET_VOTE, Yes: 16, No: 0, NotVoting: 12}, // carried with many silent
		}
		in.Resolutions = []records.Resolution{{ItemOrder: 1, Title: "关于政府工作报告的决议"}, {ItemOrder: 2, Title: "无表决的事项"}}
		got := MustCreate(t, bg, s.Sessions, in)
		var passed []bool
		for _, v := range got.Votes {
			passed = append(passed, v.Passed)
			if v.Needed != 16 || v.Rule == "" || v.Item == nil || v.Item.Order != v.ItemOrder {
				t.Errorf("vote on %d: needed %d, rule %q, item %+v; want 16, the rule stated, its item", v.ItemOrder, v.Needed, v.Rule, v.Item)
			}
		}
		if want := []bool{false, true, true, false, true}; fmt.Sprint(passed) != fmt.Sprint(want) {
			t.Errorf("passed %v, want %v", passed, want)
		}
		if got.Votes[0].Item.Title != "听取和审议镇人民政府工作报告" {
			t.Errorf("vote 0 is on %q", got.Votes[0].Item.Title)
		}
		if r := got.Resolutions; !r[0].Adopted || r[1].Adopted {
			t.Errorf("resolutions adopted %v, %v; want true (a vote on item 1 passed), false", r[0].Adopted, r[1].Adopted)
		}
	})

	t.Run("ErrTally", func(t *testing.T) {
		for _, x := range []struct {
			name  string
			count int
			roll  []records.RollEntry
			vote  records.SessionVote
			field string
		}{
			{"MoreThanInOffice", 30, nil, records.SessionVote{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 20, No: 10, Abstain: 1}, "votes.0.yes"},
			{"MoreThanPresent", 0, roll(ids, 25, 5), records.SessionVote{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 20, No: 6}, "votes.0.yes"},
			{"Negative", 30, nil, records.SessionVote{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 20, No: -1}, "votes.0.no"},
			{"NoSuchItem", 30, nil, records.SessionVote{ItemOrder: 9, Method: records.OPEN_VOTE, Yes: 20}, "votes.0.itemOrder"},
			{"NoBase", 0, nil, records.SessionVote{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 1}, "deputyCount"},
		} {
			t.Run(x.name, func(t *testing.T) {
				in := session("ta", "bad", "2024-01-12")
				in.DeputyCount, in.Roll, in.Votes = x.count, x.roll, []records.SessionVote{x.vote}
				_, err := s.Sessions.Create(bg, in)
				wantErr(t, x.name, err, records.EINVALID, x.field)
			})
		}
		in := session("ta", "bad", "2024-01-12")
		in.DeputyCount = 10
		in.Roll = roll(ids, 30, 0)
		_, err := s.Sessions.Create(bg, in)
		wantErr(t, "roll of 30, 10 in office", err, records.EINVALID, "roll")
		in = session("ta", "bad", "2024-01-12")
		in.Roll = append(roll(ids[:2], 2, 0), records.RollEntry{DeputyID: ids[0], Status: records.PRESENT})
		_, err = s.Sessions.Create(bg, in)
		wantErr(t, "a deputy twice", err, records.EINVALID, "roll.2.deputyId")
		in = session("ta", "bad", "2024-01-12")
		in.Roll = []records.RollEntry{{DeputyID: "tb-d1", Status: records.PRESENT}}
		_, err = s.Sessions.Create(bg, in)
		wantErr(t, "another township's deputy", err, records.EINVALID, "roll.0")
	})

	t.Run("Elections", func(t *testing.T) {
		in := session("ta", "e", "2024-01-13")
		in.Roll = roll(ids, 30, 0)
		in.Elections = []records.Election{
			{ItemOrder: 2, Office: "镇人大主席", Seats: 1, Method: records.NON_COMPETITIVE, BallotsIssued: 30, BallotsReturned: 30,
				Candidates: []records.Candidate{{Name: "代表1", DeputyID: ids[0], Votes: 15}}}, // exactly half: not elected
			{ItemOrder: 2, Office: "镇人大副主席", Seats: 2, Method: records.COMPETITIVE, BallotsIssued: 30, BallotsReturned: 29,
				Candidates: []records.Candidate{{Name: "甲", Votes: 20}, {Name: "乙", Votes: 17}, {Name: "丙", Votes: 17}}}, // tie for the last seat
			{ItemOrder: 2, Office: "主席团成员", Seats: 2, Method: records.COMPETITIVE, BallotsIssued: 30, BallotsReturned: 30,
				Candidates: []records.Candidate{{Name: "丁", Votes: 16}, {Name: "戊", Votes: 25}, {Name: "己", Votes: 14}}},
		}
		got := MustCreate(t, bg, s.Sessions, in)
		var elected [][]bool
		for _, e := range got.Elections {
			var row []bool
			for _, c := range e.Candidates {
				row = append(row, c.Elected)
			}
			elected = append(elected, row)
			if e.Needed != 16 || e.Rule == "" {
				t.Errorf("%s: needed %d, rule %q", e.Office, e.Needed, e.Rule)
			}
		}
		if want := [][]bool{{false}, {true, false, false}, {true, true, false}}; fmt.Sprint(elected) != fmt.Sprint(want) {
			t.Errorf("elected %v, want %v", elected, want)
		}
		for _, x := range []struct {
			name  string
			e     records.Election
			field string
		}{
			{"CompetitiveNeedsMore", records.Election{ItemOrder: 2, Office: "主席", Seats: 1, Method: records.COMPETITIVE, Candidates: []records.Candidate{{Name: "甲"}}}, "elections.0.candidates"},
			{"VotesOverBallots", records.Election{ItemOrder: 2, Office: "主席", Seats: 1, Method: records.NON_COMPETITIVE, BallotsIssued: 30, BallotsReturned: 20, Candidates: []records.Candidate{{Name: "甲", Votes: 21}}}, "elections.0.candidates.0.votes"},
			{"BallotsOverDeputies", records.Election{ItemOrder: 2, Office: "主席", Seats: 1, Method: records.NON_COMPETITIVE, BallotsIssued: 31, Candidates: []records.Candidate{{Name: "甲"}}}, "elections.0.ballotsIssued"},
		} {
			in := session("ta", "bad", "2024-01-13")
			in.Roll = roll(ids, 30, 0)
			in.Elections = []records.Election{x.e}
			_, err := s.Sessions.Create(bg, in)
			wantErr(t, x.name, err, records.EINVALID, x.field)
		}
	})

	t.Run("UpdateHistoryScope", func(t *testing.T) {
		in := session("ta", "h", "2023-12-20")
		in.DeputyCount = 30
		MustCreate(t, bg, s.Sessions, in)
		got := MustUpdate(t, bg, s.Sessions, "h", func(x *records.CongressSession) {
			x.Roll = roll(ids, 25, 5)
			x.Votes = []records.SessionVote{{ItemOrder: 1, Method: records.OPEN_VOTE, Yes: 25}}
		})
		if got.Version != 2 || !got.Votes[0].Passed || got.Attendance.Present != 25 || got.Year != 2023 || got.Title != "第十八届人民代表大会第三次会议" {
			t.Errorf("updated: version %d, passed %v, present %d, year %d, title %q", got.Version, got.Votes[0].Passed, got.Attendance.Present, got.Year, got.Title)
		}
		h, err := s.Sessions.History(bg, "h")
		if err != nil || len(h) != 2 {
			t.Errorf("history: %d entries (%v), want 2", len(h), err)
		}
		_, err = s.Sessions.Get(as("v", records.Viewer, "tb"), "h")
		wantErr(t, "another township's viewer", err, records.ENOTFOUND, "")
		_, err = s.Deputies.Delete(bg, ids[0], nil)
		wantErr(t, "delete a deputy on a roll call", err, records.ECONFLICT, "")
	})

	t.Run("FindFilterOrder", func(t *testing.T) {
		sorts, err := records.Sorts(records.KindCongressSession, []records.Order{{Field: "START", Direction: records.DESC}})
		wantOK(t, "sorts", err)
		expr, err := records.Compile(&records.CongressSessionFilter{Year: &records.IntFilter{Eq: ptr(2023)}}, "filter")
		wantOK(t, "compile", err)
		if got := findAll(t, bg, s.Sessions, records.Query{Townships: []string{"ta"}, Filter: expr, Sort: sorts, First: 2}); fmt.Sprint(got) != "[h]" {
			t.Errorf("sessions of 2023: %v, want [h]", got)
		}
		expr, err = records.Compile(&records.CongressSessionFilter{Deputy: &records.TagFilter{Has: &ids[29]}}, "filter")
		wantOK(t, "compile", err)
		got := findAll(t, bg, s.Sessions, records.Query{Filter: expr, Sort: sorts, First: 2})
		if fmt.Sprint(got) != "[e v q19 q20 q30 q31 h]" { // ties by id
			t.Errorf("sessions with %s on the roll call, latest first: %v", ids[29], got)
		}
	})
}

// testPresidiumMeetings: a meeting links the deputies who attended, the
// session it prepared and the inspections it planned, each checked and
// each held against deletion; open decisions are counted.
func (c *contract) testPresidiumMeetings(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	ids := mustDeputies(t, s, "ta", 5)
	MustCreate(t, bg, s.Sessions, session("ta", "s1", "2024-01-10"))
	MustCreate(t, bg, s.Inspections, inspection("ta", "i1", "视察民生实事项目", "2024-05-01", records.MONTH))
	MustCreate(t, bg, s.Inspections, inspection("tb", "ib", "别镇视察", "2024-05-01", records.MONTH))
	m := &records.PresidiumMeeting{Meta: records.Meta{ID: "m1", Township: "ta"}, Title: "主席团第一次会议",
		Date: records.DateSpan{Date: "2023-12-20", Precision: records.DAY}, AttendeeIDs: ids[:3],
		OtherAttendees: []records.Guest{{Name: "镇长"}},
		Topics:         []string{"确定大会议程"},
		Decisions: []records.MeetingDecision{
			{Text: "大会于1月10日召开", Owner: "人大办", Done: true},
			{Text: "组织代表视察民生实事项目", Owner: "张三", Due: "2024-05-31"},
		},
		SessionID: "s1", InspectionIDs: []string{"i1"}}
	got := MustCreate(t, bg, s.PresidiumMeetings, m)
	if got.AttendeeTotal != 4 || got.OpenDecisions != 1 || got.Date.Year != 2023 {
		t.Errorf("created: %d attendees, %d open decisions, year %d; want 4, 1, 2023", got.AttendeeTotal, got.OpenDecisions, got.Date.Year)
	}
	for _, x := range []struct {
		name  string
		edit  func(*records.PresidiumMeeting)
		field string
	}{
		{"OtherTownshipsInspection", func(m *records.PresidiumMeeting) { m.InspectionIDs = []string{"ib"} }, "inspectionIds.0"},
		{"NoSuchSession", func(m *records.PresidiumMeeting) { m.SessionID = "nope" }, "sessionId"},
		{"DecisionWithoutText", func(m *records.PresidiumMeeting) { m.Decisions = []records.MeetingDecision{{Owner: "x"}} }, "decisions.0.text"},
		{"AttendeeTwice", func(m *records.PresidiumMeeting) { m.AttendeeIDs = []string{ids[0], ids[0]} }, "attendeeIds.1"},
	} {
		_, err := s.PresidiumMeetings.Update(bg, "m1", nil, x.edit)
		wantErr(t, x.name, err, records.EINVALID, x.field)
	}
	for what, del := range map[string]func() error{
		"session":    func() error { _, err := s.Sessions.Delete(bg, "s1", nil); return err },
		"inspection": func() error { _, err := s.Inspections.Delete(bg, "i1", nil); return err },
		"attendee":   func() error { _, err := s.Deputies.Delete(bg, ids[0], nil); return err },
	} {
		wantErr(t, "delete the linked "+what, del(), records.ECONFLICT, "")
	}
	expr, err := records.Compile(&records.PresidiumMeetingFilter{Session: &records.IDFilter{Eq: ptr("s1")}, OpenDecisions: &records.IntFilter{Gte: ptr(1)}}, "filter")
	wantOK(t, "compile", err)
	sorts, _ := records.Sorts(records.KindPresidiumMeeting, nil)
	if got := findAll(t, bg, s.PresidiumMeetings, records.Query{Filter: expr, Sort: sorts, First: 10}); fmt.Sprint(got) != "[m1]" {
		t.Errorf("meetings on s1 with open decisions: %v", got)
	}
	_, err = s.PresidiumMeetings.Get(as("v", records.Viewer, "tb"), "m1")
	wantErr(t, "another township's viewer", err, records.ENOTFOUND, "")
}

// testLivelihoodProjects: a livelihood vote through its life: candidates,
// the ballot judged by its rule (by item: more than half of all deputies;
// by ranking: that and a place within the seats), milestones with their
// progress linked to inspections and projects, the satisfaction vote.
func (c *contract) testLivelihoodProjects(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Sessions, session("ta", "s1", "2024-01-10"))
	MustCreate(t, bg, s.Sessions, session("ta", "s2", "2025-01-09"))
	MustCreate(t, bg, s.Inspections, inspection("ta", "i1", "视察民生实事项目", "2024-06-01", records.MONTH))
	MustCreate(t, bg, s.Projects, project("ta", "p1", "南北大街硬化", records.ROAD, 2024))
	item := func(id string, yes, no int) *records.LivelihoodProject {
		return &records.LivelihoodProject{Meta: records.Meta{ID: id, Township: "ta"}, Year: 2024, Name: "项目" + id, SessionID: "s1",
			Investment: ptr(120.5), OwnerDepartment: "镇村建办",
			Ballot: &records.LivelihoodBallot{Method: records.ITEM_BALLOT, Deputies: 45, Yes: yes, No: no}}
	}
	rank := func(id string, yes, r int) *records.LivelihoodProject {
		return &records.LivelihoodProject{Meta: records.Meta{ID: id, Township: "ta"}, Year: 2024, Name: "排序" + id,
			Ballot: &records.LivelihoodBallot{Method: records.RANKING_BALLOT, Deputies: 45, Candidates: 6, Seats: 4, Yes: yes, Rank: r}}
	}
	for _, x := range []struct {
		p       *records.LivelihoodProject
		adopted bool
	}{
		{item("a", 23, 22), true}, {item("b", 22, 23), false}, {item("c", 45, 0), true},
		{rank("r1", 40, 1), true}, {rank("r4", 23, 4), true}, {rank("r5", 30, 5), false}, {rank("r3", 22, 3), false},
	} {
		got := MustCreate(t, bg, s.LivelihoodProjects, x.p)
		if got.Adopted != x.adopted || got.Ballot.Needed != 23 || got.Ballot.Rule == "" || got.Votes != x.p.Ballot.Yes {
			t.Errorf("%s: adopted %v, needed %d, rule %q; want adopted %v, 23 needed, the rule", got.ID, got.Adopted, got.Ballot.Needed, got.Ballot.Rule, x.adopted)
		}
	}
	t.Run("ErrBallot", func(t *testing.T) {
		for _, x := range []struct {
			name  string
			b     records.LivelihoodBallot
			field string
		}{
			{"OverDeputies", records.LivelihoodBallot{Method: records.ITEM_BALLOT, Deputies: 45, Yes: 40, No: 6}, "ballot.yes"},
			{"NoDeputies", records.LivelihoodBallot{Method: records.ITEM_BALLOT, Yes: 1}, "ballot.deputies"},
			{"SeatsNotFewer", records.LivelihoodBallot{Method: records.RANKING_BALLOT, Deputies: 45, Candidates: 4, Seats: 4, Rank: 1}, "ballot.seats"},
			{"RankOutside", records.LivelihoodBallot{Method: records.RANKING_BALLOT, Deputies: 45, Candidates: 6, Seats: 4, Rank: 7}, "ballot.rank"},
		} {
			p := item("bad", 0, 0)
			p.Ballot = &x.b
			_, err := s.LivelihoodProjects.Create(bg, p)
			wantErr(t, x.name, err, records.EINVALID, x.field)
		}
		// Before the count: the ballot is set up, the rank not known yet.
		p := rank("r0", 0, 0)
		if got := MustCreate(t, bg, s.LivelihoodProjects, p); got.Adopted || got.Ballot.Rule == "" {
			t.Errorf("a ballot before the count: adopted %v, rule %q", got.Adopted, got.Ballot.Rule)
		}
	})
	t.Run("FollowUp", func(t *testing.T) {
		got := MustUpdate(t, bg, s.LivelihoodProjects, "a", func(x *records.LivelihoodProject) {
			x.Milestones = []records.Milestone{
				{Date: records.DateSpan{Date: "2024-09-01", Precision: records.MONTH}, Title: "完工", Progress: 100, ProjectIDs: []string{"p1"}},
				{Date: records.DateSpan{Date: "2024-06-01", Precision: records.MONTH}, Title: "开工", Progress: 30, InspectionIDs: []string{"i1"}},
			}
			x.Satisfaction = &records.SatisfactionVote{SessionID: "s2", Satisfied: 40, BasicallySatisfied: 3, Dissatisfied: 1}
		})
		if got.Progress != 100 || !got.Completed || got.Satisfaction.Total != 44 || got.Satisfaction.Rate() != 43.0/44 {
			t.Errorf("followed up: progress %d, completed %v, satisfaction %+v", got.Progress, got.Completed, got.Satisfaction)
		}
		_, err := s.LivelihoodProjects.Update(bg, "a", nil, func(x *records.LivelihoodProject) { x.Milestones[0].Progress = 101 })
		wantErr(t, "progress 101", err, records.EINVALID, "milestones.0.progress")
		_, err = s.LivelihoodProjects.Update(bg, "a", nil, func(x *records.LivelihoodProject) { x.Milestones[1].InspectionIDs = []string{"nope"} })
		wantErr(t, "no such inspection", err, records.EINVALID, "milestones.1.inspectionIds.0")
		for what, del := range map[string]func() error{
			"session":      func() error { _, err := s.Sessions.Delete(bg, "s2", nil); return err },
			"inspection":   func() error { _, err := s.Inspections.Delete(bg, "i1", nil); return err },
			"project":      func() error { _, err := s.Projects.Delete(bg, "p1", nil); return err },
			"ballot's one": func() error { _, err := s.Sessions.Delete(bg, "s1", nil); return err },
		} {
			wantErr(t, "delete the linked "+what, del(), records.ECONFLICT, "")
		}
	})
	t.Run("FindFilterOrder", func(t *testing.T) {
		expr, err := records.Compile(&records.LivelihoodProjectFilter{Adopted: &records.BoolFilter{Eq: ptr(true)}, Year: &records.IntFilter{Eq: ptr(2024)}}, "filter")
		wantOK(t, "compile", err)
		sorts, err := records.Sorts(records.KindLivelihoodProject, []records.Order{{Field: "VOTES", Direction: records.DESC}})
		wantOK(t, "sorts", err)
		if got := findAll(t, bg, s.LivelihoodProjects, records.Query{Filter: expr, Sort: sorts, First: 2}); fmt.Sprint(got) != "[c r1 a r4]" {
			t.Errorf("adopted, most votes first: %v", got)
		}
		_, err = s.LivelihoodProjects.Get(as("v", records.Viewer, "tb"), "a")
		wantErr(t, "another township's viewer", err, records.ENOTFOUND, "")
	})
}
