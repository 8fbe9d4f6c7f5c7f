package demo_test

import (
	"context"
	"fmt"
	"testing"

	"renda/internal/records"
	"renda/internal/storetest"
)

// TestCongress checks the demo township's congress against its own year:
// the session's roll call is its TOWNSHIP-level deputies, the quorum and
// votes hold, the livelihood vote chose 6 of 8, and its follow-up points at
// the year's inspections and projects.
var bg = context.Background()

func TestCongress(t *testing.T) {
	s := storetest.MustDemo(t)
	ses := storetest.MustGet(t, s.Sessions, "cs-18-3")
	page, err := s.Deputies.Find(bg, records.Query{Townships: []string{"qps"}, First: records.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	township := 0
	for _, d := range page.Items {
		for _, l := range d.Levels {
			if l == records.TOWNSHIP {
				township++
			}
		}
	}
	if a := ses.Attendance; a.Expected != township || a.Present != 35 || a.OnLeave != 2 || !a.Quorum || len(ses.Roll) != township {
		t.Errorf("attendance %+v, roll of %d; want all %d TOWNSHIP deputies, 35 present, a quorum", a, len(ses.Roll), township)
	}
	for _, v := range ses.Votes {
		if !v.Passed {
			t.Errorf("vote on %q did not pass", v.Item.Title)
		}
	}
	if !ses.Elections[0].Candidates[0].Elected || len(ses.Resolutions) != 3 || !ses.Resolutions[0].Adopted {
		t.Errorf("election %+v, resolutions %+v", ses.Elections[0], ses.Resolutions)
	}
	lp, err := s.LivelihoodProjects.Find(bg, records.Query{Townships: []string{"qps"}, First: 50})
	if err != nil {
		t.Fatal(err)
	}
	adopted, measured := 0, 0
	for _, p := range lp.Items {
		if p.Adopted {
			adopted++
		}
		if p.Satisfaction != nil {
			measured++
		}
	}
	if len(lp.Items) != 8 || adopted != 6 || measured != 6 {
		t.Errorf("%d candidates, %d adopted, %d measured; want 8, 6, 6", len(lp.Items), adopted, measured)
	}
	pm, err := s.PresidiumMeetings.Find(bg, records.Query{Townships: []string{"qps"}, First: 50})
	if err != nil || len(pm.Items) != 2 || fmt.Sprint(pm.Items[0].Date.Year, pm.Items[1].Date.Year) != "2023 2023" {
		t.Errorf("presidium meetings: %d (%v)", len(pm.Items), err)
	}
}
