package records_test

import (
	"testing"
	"time"

	"renda/internal/records"
)

// on is 10:00 of day in Asia/Shanghai.
func on(day string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", time.FixedZone("CST", 8*3600))
	return t
}

// TestHandlingReport: a 通报 dated 6-30 counts what stood that day — not
// the verdict given on 7-24 — and the handling rate over those assigned.
func TestHandlingReport(t *testing.T) {
	dl := func(d string) *records.Date { x := records.Date(d); return &x }
	dis := records.DISSATISFIED
	late := &records.Suggestion{Submitted: "2023-03-01", Department: "交通局", Deadline: dl("2023-06-05"), Status: records.EVALUATED, Satisfaction: &dis,
		History: []records.Transition{{To: records.SUBMITTED, At: on("2023-03-01")}, {To: records.ACCEPTED, At: on("2023-03-02")},
			{To: records.ASSIGNED, At: on("2023-03-05")}, {To: records.REPLIED, At: on("2023-06-20")}, {To: records.EVALUATED, At: on("2023-07-24")}}}
	waiting := &records.Suggestion{Submitted: "2023-04-01", Status: records.SUBMITTED, History: []records.Transition{{To: records.SUBMITTED, At: on("2023-04-01")}}}
	overdue := &records.Suggestion{Submitted: "2023-04-01", Department: "水利站", Deadline: dl("2023-05-01"), Status: records.ASSIGNED,
		History: []records.Transition{{To: records.SUBMITTED, At: on("2023-04-01")}, {To: records.ACCEPTED, At: on("2023-04-02")}, {To: records.ASSIGNED, At: on("2023-04-02")}}}
	later := &records.Suggestion{Submitted: "2023-08-01", Status: records.SUBMITTED}
	xs := []*records.Suggestion{later, overdue, waiting, late}

	june := records.NewHandlingReport(xs, "2023-01-01", "2023-06-30", "2023-06-30")
	h := june.Handling
	got := []int{h.Total, h.Unassigned, h.Open, h.Replied, h.Late, h.OverdueOpen, h.Dissatisfied, h.Unrated, h.Assigned()}
	want := []int{3, 1, 1, 1, 1, 1, 0, 3, 2}
	if !equal(got, want) {
		t.Errorf("as of 6-30: total, unassigned, open, replied, late, overdue open, dissatisfied, unrated, assigned = %v, want %v", got, want)
	}
	if r := h.HandlingRate(); r == nil || *r != 0.5 {
		t.Errorf("办复率 as of 6-30: %v, want 1 replied of 2 assigned", r)
	}
	if len(june.Items) != 3 || june.Items[0].Suggestion != late || june.Items[0].Status != records.REPLIED || june.Items[0].RepliedOn == nil || *june.Items[0].RepliedOn != "2023-06-20" || !june.Items[0].Overdue || june.Items[0].Satisfaction != nil {
		t.Errorf("the late one as of 6-30: %+v", june.Items[0])
	}
	var names []string
	for _, it := range june.Items {
		if it.Overdue {
			names = append(names, it.Suggestion.Department)
		}
	}
	if !equal(names, []string{"交通局", "水利站"}) {
		t.Errorf("overdue as of 6-30 by department: %v", names)
	}
	if len(june.ByDepartment) != 2 || june.ByDepartment[0].Department != "交通局" || june.ByDepartment[1].OverdueOpen != 1 {
		t.Errorf("by department: %+v", june.ByDepartment)
	}

	year := records.NewHandlingReport(xs, "2023-01-01", "2023-12-31", "2023-12-31")
	if year.Total != 4 || year.Dissatisfied != 1 || year.Unassigned != 2 {
		t.Errorf("as of 12-31: total %d, dissatisfied %d, unassigned %d; want 4, 1, 2", year.Total, year.Dissatisfied, year.Unassigned)
	}
	if early := records.NewHandlingReport(xs, "2023-01-01", "2023-12-31", "2023-03-31"); early.Total != 1 || early.Open != 1 {
		t.Errorf("as of 3-31: %+v, want the first one, assigned", early.Handling)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSortDepartments: most assigned first; ties by the key given (the
// API gives pinyin).
func TestSortDepartments(t *testing.T) {
	r := &records.HandlingReport{ByDepartment: []records.DepartmentHandling{
		{Department: "乙", Handling: records.Handling{Total: 2}},
		{Department: "甲", Handling: records.Handling{Total: 2}},
		{Department: "丙", Handling: records.Handling{Total: 5}},
	}}
	order := map[string]string{"甲": "a", "乙": "b", "丙": "c"}
	r.SortDepartments(func(s string) string { return order[s] })
	var got []string
	for _, d := range r.ByDepartment {
		got = append(got, d.Department)
	}
	if !equal(got, []string{"丙", "甲", "乙"}) {
		t.Errorf("departments %v, want 丙 (5) then 甲 and 乙 by key", got)
	}
}

// TestFeedback: the monthly rule counts the valuable items submitted in
// the period by the day, the deputies who forwarded one, and those who
// forwarded one in each month of the period (six for a half year).
func TestFeedback(t *testing.T) {
	var xs []*records.Suggestion
	add := func(deputy, day string, valuable bool) {
		d, _ := time.Parse("2006-01-02", day)
		xs = append(xs, &records.Suggestion{DeputyID: deputy, Submitted: records.Date(day), Year: d.Year(), Month: int(d.Month()),
			Valuable: valuable, Status: records.SUBMITTED})
	}
	for m := 1; m <= 6; m++ {
		add("a", time.Date(2023, time.Month(m), 10, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), true)
	}
	add("a", "2023-02-20", false)
	add("b", "2023-01-05", true)
	add("b", "2023-03-05", true)
	add("b", "2023-03-06", true)
	add("c", "2023-02-01", false)
	add("", "2023-02-02", true) // a voter's, through no deputy
	add("c", "2023-09-01", true)

	for _, c := range []struct {
		name          string
		from, to, day records.Date
		want          records.Feedback
		total         int
	}{
		{"上半年", "2023-01-01", "2023-06-30", "2023-06-30", records.Feedback{Valuable: 10, DeputiesValuable: 2, DeputiesEveryMonth: 1}, 12},
		{"全年", "2023-01-01", "2023-12-31", "2023-12-31", records.Feedback{Valuable: 11, DeputiesValuable: 3, DeputiesEveryMonth: 0}, 13},
		{"下半年", "2023-07-01", "2023-12-31", "2023-12-31", records.Feedback{Valuable: 1, DeputiesValuable: 1, DeputiesEveryMonth: 0}, 1},
		{"上半年 as of 3-31", "2023-01-01", "2023-06-30", "2023-03-31", records.Feedback{Valuable: 7, DeputiesValuable: 2, DeputiesEveryMonth: 0}, 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := records.NewHandlingReport(xs, c.from, c.to, c.day)
			if r.Feedback != c.want || r.Total != c.total {
				t.Errorf("got %+v of %d, want %+v of %d", r.Feedback, r.Total, c.want, c.total)
			}
		})
	}
}
