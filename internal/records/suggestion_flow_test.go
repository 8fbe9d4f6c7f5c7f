package records_test

import (
	"testing"

	"renda/internal/records"
)

// MustAssigned is a suggestion submitted on 2023-03-01 and assigned to dept
// on assigned.
func MustAssigned(tb testing.TB, dept, assigned string) *records.Suggestion {
	tb.Helper()
	s := &records.Suggestion{Submitted: "2023-03-01", Title: "t", Kind: records.SUGGESTION, DeputyID: "d"}
	s.OnCreate("clerk", on("2023-03-01"))
	MustMove(tb, s, records.ACCEPTED, "", "2023-03-01")
	s.Department = dept
	MustMove(tb, s, records.ASSIGNED, "", assigned)
	return s
}

func MustMove(tb testing.TB, s *records.Suggestion, to records.SuggestionStatus, note, day string) {
	tb.Helper()
	if err := s.Move(to, note, "clerk", on(day)); err != nil {
		tb.Fatalf("%s on %s: %v", to, day, err)
	}
	s.Derive(nil)
}

func wantInvalid(tb testing.TB, err error, field string) {
	tb.Helper()
	if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != field {
		tb.Fatalf("got %v, want EINVALID on %s", err, field)
	}
}

func reply(s *records.Suggestion, text string, c records.ReplyClass) {
	s.Reply, s.ReplyClass = text, &c
}

func verdict(s *records.Suggestion, v records.Satisfaction) { s.Satisfaction = &v }

func TestSuggestionDeadlines(t *testing.T) {
	for _, c := range []struct{ assigned, due string }{
		{"2023-03-10", "2023-06-10"},
		{"2023-11-30", "2024-02-29"}, // a shorter month: its last day
		{"2022-11-30", "2023-02-28"},
		{"2023-10-31", "2024-01-31"},
	} {
		t.Run(c.assigned, func(t *testing.T) {
			s := MustAssigned(t, "交通局", c.assigned)
			if s.Deadline == nil || *s.Deadline != records.Date(c.due) || *s.ReplyDue != records.Date(c.due) || *s.AssignedOn != records.Date(c.assigned) {
				t.Fatalf("deadline %v, due %v, assigned %v: want %s, %s, %s", s.Deadline, s.ReplyDue, s.AssignedOn, c.due, c.due, c.assigned)
			}
		})
	}
	t.Run("EarlierDeadlineSetBefore", func(t *testing.T) {
		s := &records.Suggestion{Submitted: "2023-03-01"}
		s.OnCreate("clerk", on("2023-03-01"))
		d := records.Date("2023-04-01")
		s.Deadline, s.Department = &d, "交通局"
		MustMove(t, s, records.ACCEPTED, "", "2023-03-01")
		MustMove(t, s, records.ASSIGNED, "", "2023-03-02")
		if *s.Deadline != d {
			t.Fatalf("deadline %s, want the one set before, %s", *s.Deadline, d)
		}
	})
	t.Run("OverdueFromTheDayAfter", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		if s.Overdue("2023-06-10") || !s.Overdue("2023-06-11") {
			t.Fatalf("overdue on the deadline %v, the day after %v: want false, true", s.Overdue("2023-06-10"), s.Overdue("2023-06-11"))
		}
		h := handlingOn(t, s, "2023-06-11")
		if h.OverdueOpen != 1 || h.Open != 1 {
			t.Fatalf("as of the day after: %+v, want one open and overdue", h)
		}
		if h := handlingOn(t, s, "2023-06-10"); h.OverdueOpen != 0 {
			t.Fatalf("as of the deadline: %+v, want none overdue", h)
		}
	})
	t.Run("RepliedOnTheDeadline", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		reply(s, "已修", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-06-10")
		if s.OnTime == nil || !*s.OnTime || s.Overdue("2024-01-01") {
			t.Fatalf("replied on the deadline: on time %v, overdue %v", s.OnTime, s.Overdue("2024-01-01"))
		}
		late := MustAssigned(t, "交通局", "2023-03-10")
		reply(late, "已修", records.CLASS_B)
		MustMove(t, late, records.REPLIED, "", "2023-06-11")
		if late.OnTime == nil || *late.OnTime || !late.Overdue("2023-06-11") {
			t.Fatalf("replied the day after: on time %v, want late", late.OnTime)
		}
	})
	t.Run("DeadlinePatchedAfterAssignment", func(t *testing.T) {
		before := MustAssigned(t, "交通局", "2023-03-10")
		after := *before
		d := records.Date("2023-12-31")
		after.Deadline = &d
		wantInvalid(t, after.CheckPatch(before), "deadline")
		fresh := &records.Suggestion{Submitted: "2023-03-01"}
		fresh.OnCreate("clerk", on("2023-03-01"))
		moved := *fresh
		moved.Deadline = &d
		if err := moved.CheckPatch(fresh); err != nil {
			t.Fatalf("a deadline set before the assignment: %v", err)
		}
	})
}

// handlingOn counts s alone as it stood at the end of day.
func handlingOn(tb testing.TB, s *records.Suggestion, day string) records.Handling {
	tb.Helper()
	r := records.NewHandlingReport([]*records.Suggestion{s}, s.Submitted, records.Date(day), records.Date(day))
	if r.Total != 1 {
		tb.Fatalf("not submitted by %s", day)
	}
	return r.Handling
}

func TestSuggestionReturn(t *testing.T) {
	t.Run("OnTheLastDay", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		MustMove(t, s, records.RETURNED, "不属本局职责", "2023-03-17")
		if s.Department != "" || s.ReplyDue != nil || s.Overdue("2024-01-01") {
			t.Fatalf("returned: department %q, due %v: want none, none", s.Department, s.ReplyDue)
		}
		if h := handlingOn(t, s, "2023-03-17"); h.Unassigned != 1 || h.Assigned() != 0 {
			t.Fatalf("returned and not assigned again: %+v, want it unassigned", h)
		}
		last := s.History[len(s.History)-1]
		if last.Department != "交通局" || last.Note != "不属本局职责" {
			t.Fatalf("the 退办 step names %q with %q, want the department and its reason", last.Department, last.Note)
		}
		s.Department = "交通局"
		wantInvalid(t, s.Move(records.ASSIGNED, "", "clerk", on("2023-03-18")), "department")
		s.Department = "水利站"
		MustMove(t, s, records.ASSIGNED, "", "2023-03-18")
		if *s.Deadline != "2023-06-18" {
			t.Fatalf("assigned again on 03-18: deadline %s, want 2023-06-18", *s.Deadline)
		}
		wantInvalid(t, s.Move(records.RETURNED, "", "clerk", on("2023-03-19")), "note")
	})
	t.Run("TheDayAfter", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		wantInvalid(t, s.Move(records.RETURNED, "不属本局职责", "clerk", on("2023-03-18")), "to")
	})
	t.Run("AfterAReply", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		reply(s, "已修", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-03-11")
		wantInvalid(t, s.Move(records.RETURNED, "不属本局职责", "clerk", on("2023-03-12")), "to")
	})
	t.Run("ThenRejected", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		MustMove(t, s, records.RETURNED, "不属本局职责", "2023-03-11")
		MustMove(t, s, records.REJECTED, "不属镇级事权", "2023-03-12")
	})
}

func TestSuggestionExtension(t *testing.T) {
	t.Run("OnceOnTheDeadline", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		wantInvalid(t, s.Extend(30, "", "clerk", on("2023-06-10")), "reason")
		if err := s.Extend(30, "需报县里审批", "clerk", on("2023-06-10")); err != nil {
			t.Fatal(err)
		}
		s.Derive(nil)
		if *s.Deadline != "2023-07-10" || !s.Extended || *s.ReplyDue != "2023-07-10" || s.Overdue("2023-07-10") {
			t.Fatalf("extended: deadline %s, extended %v, due %v", *s.Deadline, s.Extended, s.ReplyDue)
		}
		wantInvalid(t, s.Extend(1, "再延", "clerk", on("2023-06-11")), "days")
		reply(s, "已修", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-07-10")
		if !*s.OnTime {
			t.Fatal("replied by the extended deadline: want on time")
		}
	})
	t.Run("Bounds", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		wantInvalid(t, s.Extend(31, "需报县里审批", "clerk", on("2023-04-01")), "days")
		wantInvalid(t, s.Extend(0, "需报县里审批", "clerk", on("2023-04-01")), "days")
		if err := s.Extend(1, "需报县里审批", "clerk", on("2023-04-01")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("AfterTheDeadline", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		wantInvalid(t, s.Extend(10, "需报县里审批", "clerk", on("2023-06-11")), "days")
	})
	t.Run("NotAwaitingAReply", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		reply(s, "已修", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-03-11")
		wantInvalid(t, s.Extend(10, "需报县里审批", "clerk", on("2023-03-12")), "days")
	})
}

func TestSuggestionDissatisfied(t *testing.T) {
	s := MustAssigned(t, "交通局", "2023-03-10")
	wantInvalid(t, s.Move(records.REPLIED, "", "clerk", on("2023-03-20")), "to")
	s.Reply = "已修"
	wantInvalid(t, s.Move(records.REPLIED, "", "clerk", on("2023-03-20")), "replyClass")
	reply(s, "已修", records.CLASS_B)
	MustMove(t, s, records.REPLIED, "", "2023-03-20")
	verdict(s, records.DISSATISFIED)
	MustMove(t, s, records.EVALUATED, "", "2023-03-25")
	if s.Status != records.REOPENED || *s.Deadline != "2023-04-09" || s.Redos != 1 || s.Reply != "" || s.ReplyClass != nil || s.Satisfaction != nil {
		t.Fatalf("不满意: status %s, deadline %s, redos %d, reply %q: want REOPENED due 2023-04-09 (15 days), one redo, reply to write again",
			s.Status, *s.Deadline, s.Redos, s.Reply)
	}
	redo := s.History[len(s.History)-1]
	if redo.Step != records.STEP_REDO || redo.Reply != "已修" || s.History[len(s.History)-2].Satisfaction == nil {
		t.Fatalf("history keeps the first round: %+v", s.History)
	}
	if h := handlingOn(t, s, "2023-04-10"); h.OverdueOpen != 1 || h.Replied != 1 || h.Unrated != 1 {
		t.Fatalf("the redo past its deadline: %+v, want replied once, overdue, no verdict", h)
	}
	if h := handlingOn(t, s, "2023-03-24"); h.Unrated != 1 || h.OnTime != 1 {
		t.Fatalf("as of the day before the verdict: %+v, want replied on time, no verdict", h)
	}
	if h := handlingOn(t, s, "2023-03-25"); h.Open != 1 || h.Dissatisfied != 0 {
		t.Fatalf("as of the verdict's day: %+v, want handled again, no verdict counted", h)
	}
	reply(s, "已全面修复", records.CLASS_A)
	MustMove(t, s, records.REPLIED, "", "2023-04-09")
	verdict(s, records.DISSATISFIED)
	MustMove(t, s, records.EVALUATED, "", "2023-04-12")
	if s.Status != records.EVALUATED || s.Redos != 1 || !*s.OnTime {
		t.Fatalf("a second 不满意: status %s, redos %d, on time %v: want EVALUATED, handled again once, on time", s.Status, s.Redos, *s.OnTime)
	}
	MustMove(t, s, records.CLOSED, "", "2023-04-13")
	if h := handlingOn(t, s, "2023-12-31"); h.Dissatisfied != 1 || h.OnTime != 1 || h.OverdueOpen != 0 {
		t.Fatalf("closed after handling again: %+v", h)
	}
	t.Run("RedoLate", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		reply(s, "已修", records.CLASS_B)
		MustMove(t, s, records.REPLIED, "", "2023-03-20")
		verdict(s, records.DISSATISFIED)
		MustMove(t, s, records.EVALUATED, "", "2023-03-25")
		reply(s, "已全面修复", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-04-10")
		if *s.OnTime || !s.Overdue("2023-04-10") {
			t.Fatal("handled again a day after its 15 days: want late")
		}
	})
	t.Run("Satisfied", func(t *testing.T) {
		s := MustAssigned(t, "交通局", "2023-03-10")
		reply(s, "已修", records.CLASS_A)
		MustMove(t, s, records.REPLIED, "", "2023-03-20")
		verdict(s, records.BASICALLY_SATISFIED)
		MustMove(t, s, records.EVALUATED, "", "2023-03-25")
		if s.Status != records.EVALUATED || s.Redos != 0 {
			t.Fatalf("基本满意: status %s, want EVALUATED", s.Status)
		}
	})
}

func TestSuggestionSupervision(t *testing.T) {
	s := MustAssigned(t, "交通局", "2023-03-10")
	wantInvalid(t, s.Supervise(false, "", "clerk", on("2023-03-11")), "supervised")
	if err := s.Supervise(true, "主任会议确定", "clerk", on("2023-03-11")); err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, s.Supervise(true, "", "clerk", on("2023-03-12")), "supervised")
	if !s.Supervised || s.Status != records.ASSIGNED || s.History[len(s.History)-1].Step != records.STEP_SUPERVISED {
		t.Fatalf("supervised %v, status %s: want under 重点督办, still ASSIGNED, a step in the history", s.Supervised, s.Status)
	}
	if err := s.Supervise(false, "已办结", "clerk", on("2023-03-13")); err != nil {
		t.Fatal(err)
	}
	reply(s, "已修", records.CLASS_A)
	MustMove(t, s, records.REPLIED, "", "2023-03-20")
	verdict(s, records.SATISFIED)
	MustMove(t, s, records.EVALUATED, "", "2023-03-21")
	MustMove(t, s, records.CLOSED, "", "2023-03-22")
	wantInvalid(t, s.Supervise(true, "", "clerk", on("2023-03-23")), "supervised")
}
