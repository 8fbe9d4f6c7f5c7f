package records_test

import (
	"fmt"
	"strings"
	"testing"

	"renda/internal/records"
)

func TestMajorityOfAll(t *testing.T) {
	for _, c := range []struct{ n, need, quorum int }{
		{1, 1, 1}, {2, 2, 2}, {3, 2, 2}, {30, 16, 20}, {31, 16, 21}, {45, 23, 30}, {102, 52, 68}, {120, 61, 80},
	} {
		if got := records.MajorityOfAll(c.n); got != c.need {
			t.Errorf("MajorityOfAll(%d) = %d, want %d", c.n, got, c.need)
		}
		if got := records.TwoThirds(c.n); got != c.quorum {
			t.Errorf("TwoThirds(%d) = %d, want %d", c.n, got, c.quorum)
		}
		// The edges: exactly half fails, one more passes.
		if half := c.n / 2; c.n%2 == 0 && records.Judge(half, c.n).Passed {
			t.Errorf("%d of %d passed", half, c.n)
		}
		if !records.Judge(c.need, c.n).Passed || records.Judge(c.need-1, c.n).Passed {
			t.Errorf("%d deputies: the verdict does not turn at %d", c.n, c.need)
		}
	}
	if records.Judge(0, 0).Passed {
		t.Error("a vote of no deputies passed")
	}
}

func TestElect(t *testing.T) {
	for _, c := range []struct {
		votes    []int
		seats, n int
		want     string
	}{
		{[]int{16}, 1, 30, "[true]"},
		{[]int{15}, 1, 30, "[false]"},                    // exactly half
		{[]int{20, 17, 17}, 2, 30, "[true false false]"}, // tied for the last seat
		{[]int{17, 20, 17}, 1, 30, "[false true false]"},
		{[]int{25, 16, 14}, 2, 30, "[true true false]"},
		{[]int{25, 16, 14}, 3, 30, "[true true false]"}, // a majority, not a seat, elects
		{[]int{0, 0}, 1, 0, "[false false]"},
	} {
		if got := fmt.Sprint(records.Elect(c.votes, c.seats, c.n)); got != c.want {
			t.Errorf("Elect(%v, %d seats, %d deputies) = %s, want %s", c.votes, c.seats, c.n, got, c.want)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 3: "三", 10: "十", 12: "十二", 18: "十八", 20: "二十", 21: "二十一", 99: "九十九"} {
		if got := records.ChineseNumber(n); got != want {
			t.Errorf("ChineseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestElectionRule: the rule a session states for an election names the
// majority of all deputies; only with more candidates than seats does it
// say how an excess of majorities and a tie are settled.
func TestElectionRule(t *testing.T) {
	roll := make([]records.RollEntry, 37)
	for i := range roll {
		roll[i] = records.RollEntry{DeputyID: fmt.Sprintf("d-%03d", i+1), Status: records.PRESENT}
	}
	s := &records.CongressSession{Term: 18, Sitting: 3, Start: "2023-01-12", DeputyCount: 37, Roll: roll,
		Elections: []records.Election{
			{Office: "副主席", Seats: 1, Method: records.NON_COMPETITIVE, Candidates: []records.Candidate{{Name: "甲", Votes: 33}}},
			{Office: "主席", Seats: 1, Method: records.COMPETITIVE, Candidates: []records.Candidate{{Name: "乙", Votes: 20}, {Name: "丙", Votes: 15}}},
		}}
	s.Derive(nil)
	single, contest := s.Elections[0].Rule, s.Elections[1].Rule
	for _, r := range []string{single, contest} {
		if !strings.Contains(r, "全体代表37名，须得19票") {
			t.Errorf("rule %q does not name the majority of all 37", r)
		}
	}
	if strings.Contains(single, "多于应选名额") {
		t.Errorf("one candidate for one seat, yet the rule settles an excess: %q", single)
	}
	if !strings.Contains(contest, "多于应选名额1名时，以得票多的当选") {
		t.Errorf("two candidates for one seat, and the rule does not settle an excess: %q", contest)
	}
}
