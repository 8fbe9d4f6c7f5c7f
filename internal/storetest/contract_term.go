package storetest

import (
	"slices"
	"testing"

	"renda/internal/records"
)

// testTerms: a deputy's terms are checked on write, and rosters as of a
// day follow them — a deputy whose term ended before the day is not
// listed, one by-elected after it neither; one with no terms recorded is.
func (c *contract) testTerms(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	clerk := as("user:li", records.Editor, "ta")
	term := func(start records.Date, reason records.TermStart, end *records.Date, why *records.TermEnd) records.Term {
		return records.Term{Level: records.TOWNSHIP, Congress: "第十八届", Constituency: "第一选区", Start: start, StartReason: reason, End: end, EndReason: why}
	}
	withTerms := func(id string, terms ...records.Term) *records.Deputy {
		d := deputy("ta", id, "代表"+id)
		d.Terms = terms
		return d
	}
	MustCreate(t, clerk, s.Deputies, withTerms("serving", term("2021-12-20", records.ELECTED, nil, nil)))
	MustCreate(t, clerk, s.Deputies, withTerms("resigned", term("2021-12-20", records.ELECTED, ptr(records.Date("2023-06-30")), ptr(records.RESIGNED))))
	MustCreate(t, clerk, s.Deputies, withTerms("byelected", term("2023-09-01", records.BY_ELECTION, nil, nil)))
	MustCreate(t, clerk, s.Deputies, withTerms("noterms"))

	for _, c := range []struct {
		day  records.Date
		want []string
	}{
		{"2022-01-01", list("noterms", "resigned", "serving")},
		{"2023-06-30", list("noterms", "resigned", "serving")},
		{"2023-07-01", list("noterms", "serving")},
		{"2023-09-01", list("byelected", "noterms", "serving")},
		{"2021-01-01", list("noterms")},
	} {
		t.Run(string(c.day), func(t *testing.T) {
			expr, err := records.Compile(&records.DeputyFilter{ServingOn: &c.day}, "filter")
			wantOK(t, "compile", err)
			got := sorted(findAll(t, clerk, s.Deputies, records.Query{Townships: []string{"ta"}, Filter: expr, First: 10}))
			if !slices.Equal(got, c.want) {
				t.Errorf("serving on %s: %v, want %v", c.day, got, c.want)
			}
			n, err := s.Deputies.Count(clerk, records.Query{Townships: []string{"ta"}, Filter: expr})
			wantOK(t, "count", err)
			if n != len(c.want) {
				t.Errorf("counted %d serving on %s, want %d", n, c.day, len(c.want))
			}
		})
	}
	t.Run("Refused", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			terms []records.Term
			field string
		}{
			{"EndWithoutReason", []records.Term{term("2021-12-20", records.ELECTED, ptr(records.Date("2022-01-01")), nil)}, "terms.0.endReason"},
			{"EndBeforeStart", []records.Term{term("2021-12-20", records.ELECTED, ptr(records.Date("2021-01-01")), ptr(records.DIED))}, "terms.0.end"},
			{"UnknownReason", []records.Term{term("2021-12-20", "APPOINTED", nil, nil)}, "terms.0.startReason"},
			{"Overlap", []records.Term{term("2021-12-20", records.ELECTED, nil, nil), term("2023-01-01", records.BY_ELECTION, nil, nil)}, "terms.1.start"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Deputies.Create(clerk, withTerms("", c.terms...))
				wantErr(t, "create", err, records.EINVALID, c.field)
			})
		}
	})
}

// testTrainingAndReview: a training's hours and a 述职评议's votes are
// checked, and the deputies a review rates are references like any other.
func (c *contract) testTrainingAndReview(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	MustCreate(t, bg, s.Deputies, deputy("ta", "d1", "张三"))
	MustCreate(t, bg, s.Deputies, deputy("ta", "d2", "李四"))
	clerk := as("user:li", records.Editor, "ta")

	tr := activity("ta", "t1", "代表履职能力培训", records.TRAINING, "2024-04-10")
	tr.ParticipantIDs, tr.Training = []string{"d1", "d2"}, &records.Training{Hours: 3.5, Course: "代表法"}
	if got := MustCreate(t, clerk, s.Activities, tr); MustGet(t, s.Activities, got.ID).Training.Hours != 3.5 {
		t.Errorf("training hours not kept")
	}
	rv := activity("ta", "r1", "第一选区代表述职评议", records.REPORT_REVIEW, "2024-11-15")
	rv.ParticipantIDs = []string{"d1"}
	rv.ReportReview = &records.ReportReview{Constituency: "第一选区", Voters: 60, Results: []records.ReviewResult{{DeputyID: "d1", Satisfied: 52, BasicallySatisfied: 6, Dissatisfied: 2}}}
	MustCreate(t, clerk, s.Activities, rv)
	if got := MustGet(t, s.Activities, "r1").ReportReview; got == nil || got.Results[0].Total() != 60 {
		t.Errorf("review %+v, want 60 votes for d1", got)
	}
	_, err := s.Deputies.Delete(clerk, "d1", nil)
	wantErr(t, "delete a deputy rated in a review", err, records.ECONFLICT, "")

	for _, c := range []struct {
		name  string
		edit  func(a *records.Activity)
		field string
	}{
		{"ReviewUnknownDeputy", func(a *records.Activity) {
			a.Kind, a.ReportReview = records.REPORT_REVIEW, &records.ReportReview{Results: []records.ReviewResult{{DeputyID: "nobody"}}}
		}, "reportReview.results.0.deputyId"},
		{"ReviewMoreVotesThanVoters", func(a *records.Activity) {
			a.Kind, a.ReportReview = records.REPORT_REVIEW, &records.ReportReview{Voters: 10, Results: []records.ReviewResult{{DeputyID: "d2", Satisfied: 11}}}
		}, "reportReview.results.0"},
		{"ReviewOnATraining", func(a *records.Activity) {
			a.Kind, a.ReportReview = records.TRAINING, &records.ReportReview{}
		}, "reportReview"},
		{"NegativeHours", func(a *records.Activity) {
			a.Kind, a.Training = records.TRAINING, &records.Training{Hours: -1}
		}, "training.hours"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := activity("ta", "", "x", records.MEETING, "2024-01-01")
			c.edit(a)
			_, err := s.Activities.Create(clerk, a)
			wantErr(t, "create", err, records.EINVALID, c.field)
		})
	}
}
