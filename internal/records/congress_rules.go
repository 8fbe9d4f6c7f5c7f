package records

import (
	"fmt"
	"slices"
)

// The congress's rules, one definition each: the quorum, the majority of
// all deputies, who is elected, and the counts a deputy's attendance and
// a session's title are made of.

// MajorityOfAll is the votes needed to carry by more than half of all n
// deputies (not of those present): ⌊n/2⌋+1.
func MajorityOfAll(n int) int { return n/2 + 1 }

// TwoThirds is how many of n deputies make a quorum: two thirds, rounded up.
func TwoThirds(n int) int { return (2*n + 2) / 3 }

// MajorityRule states the rule a vote is judged by.
func MajorityRule(n int) string {
	return fmt.Sprintf("以全体代表的过半数通过：全体代表%d名，赞成票须达%d票", n, MajorityOfAll(n))
}

// Judge applies the rule: more than half of all n deputies vote yes.
func Judge(yes, n int) Verdict {
	need := MajorityOfAll(n)
	return Verdict{Needed: need, Passed: n > 0 && yes >= need, Rule: MajorityRule(n)}
}

// electionRule states who is elected, as the 地方组织法 words it: a majority
// of all deputies; with more candidates than seats, also how the majority's
// excess and a tie for the last seat are settled (Elect applies it).
func electionRule(n, seats, candidates int) string {
	rule := fmt.Sprintf("候选人获得全体代表过半数的选票始得当选：全体代表%d名，须得%d票", n, MajorityOfAll(n))
	if candidates > seats {
		rule += fmt.Sprintf("；获得过半数选票的候选人多于应选名额%d名时，以得票多的当选，如遇票数相等不能确定当选人，就票数相等的候选人再次投票", seats)
	}
	return rule
}

// Elect says which candidates are elected: those with more than half of
// all n deputies' votes, the most votes first, up to seats; candidates
// tied for the last seat are not elected (they go to another ballot).
func Elect(votes []int, seats, n int) []bool {
	out := make([]bool, len(votes))
	need := MajorityOfAll(n)
	var over []int // indexes with a majority, most votes first
	for i, v := range votes {
		if n > 0 && v >= need {
			over = append(over, i)
		}
	}
	slices.SortStableFunc(over, func(a, b int) int { return votes[b] - votes[a] })
	if len(over) <= seats {
		for _, i := range over {
			out[i] = true
		}
		return out
	}
	cut := votes[over[seats]] // the first one left out
	for _, i := range over[:seats] {
		out[i] = votes[i] > cut
	}
	return out
}

// ChineseNumber writes n (0 to 99) in Chinese numerals, as a session's
// title counts its term and sitting: 3 三, 10 十, 18 十八, 21 二十一.
func ChineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 0 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + map[bool]string{true: "", false: digits[n%10]}[n%10 == 0]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}

// Rate is the share of all deputies present, 0 to 1 (0 with none).
func (a AttendanceTotals) Rate() float64 {
	if a.Expected == 0 {
		return 0
	}
	return float64(a.Present) / float64(a.Expected)
}

// DeputyAttendance is how often one deputy attended the congress's
// sessions (出席会议, the first of a deputy's duties).
type DeputyAttendance struct {
	Sessions int // on whose roll call the deputy stands
	Present  int
	OnLeave  int
	Absent   int
	Entries  []DeputySessionEntry
}

// DeputySessionEntry is the deputy's place on one session's roll call.
type DeputySessionEntry struct {
	Session *CongressSession
	Status  AttendanceStatus
	Note    string
}

// Rate is the share of those sessions the deputy was present at, 0 to 1
// (0 with none).
func (a DeputyAttendance) Rate() float64 {
	if a.Sessions == 0 {
		return 0
	}
	return float64(a.Present) / float64(a.Sessions)
}

// AttendanceOf counts deputy's places on the roll calls of sessions (of
// year, or all when year is 0), in the sessions' order.
func AttendanceOf(deputy string, sessions []*CongressSession, year int) DeputyAttendance {
	var a DeputyAttendance
	for _, s := range sessions {
		if year != 0 && s.Year != year {
			continue
		}
		for _, r := range s.Roll {
			if r.DeputyID != deputy {
				continue
			}
			a.Sessions++
			switch r.Status {
			case PRESENT:
				a.Present++
			case ON_LEAVE:
				a.OnLeave++
			case ABSENT:
				a.Absent++
			}
			a.Entries = append(a.Entries, DeputySessionEntry{Session: s, Status: r.Status, Note: r.Note})
		}
	}
	return a
}
