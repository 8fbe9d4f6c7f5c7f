package records_test

import (
	"fmt"
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
