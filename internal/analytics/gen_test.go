package analytics_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"renda/internal/records"
)

// county is a set of random records, as stored.
type county struct {
	towns       []string
	deputies    []*records.Deputy
	villages    []*records.Village
	projects    []*records.Project
	inspections []*records.Inspection
	activities  []*records.Activity
	suggestions []*records.Suggestion
}

// MustRandomCounty stores n townships of random records drawn from seed:
// lists of every length (none included), values left out, attributes of
// mixed types (numbers, numbers written as text, lists, nested objects),
// date spans of every precision, suggestions walked to random statuses
// with replies at any hour (so their Shanghai day differs from UTC's). It
// returns the records as the store reads them back.
func MustRandomCounty(tb testing.TB, s *records.Store, n int, seed uint64) *county {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed*7+1))
	c := &county{}
	for i := range n {
		t := fmt.Sprintf("t%d", i)
		if _, err := s.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: t}, Name: fmt.Sprintf("镇%d", i), County: pick(rng, "甲县", "乙县")}); err != nil {
			tb.Fatal(err)
		}
		c.towns = append(c.towns, t)
		g := &townGen{rng: rng, t: t}
		mustBulk(tb, s.Villages, g.villages(3+rng.IntN(4)))
		mustBulk(tb, s.Deputies, g.deputies(6+rng.IntN(10)))
		mustBulk(tb, s.Projects, g.projects(3+rng.IntN(6)))
		mustBulk(tb, s.Inspections, g.inspections(4+rng.IntN(10)))
		mustBulk(tb, s.Activities, g.activities(4+rng.IntN(10)))
		mustBulk(tb, s.Suggestions, g.suggestions(5+rng.IntN(20)))
	}
	c.reload(tb, s)
	return c
}

// reload reads every record back from the store.
func (c *county) reload(tb testing.TB, s *records.Store) {
	tb.Helper()
	c.deputies = all(tb, s.Deputies)
	c.villages = all(tb, s.Villages)
	c.projects = all(tb, s.Projects)
	c.inspections = all(tb, s.Inspections)
	c.activities = all(tb, s.Activities)
	c.suggestions = all(tb, s.Suggestions)
}

func all[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT]) []*T {
	tb.Helper()
	var out []*T
	q := records.Query{First: records.MaxPageSize}
	for {
		p, err := c.Find(context.Background(), q)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p.Items...)
		if !p.HasNextPage {
			return out
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}

func mustBulk[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT], xs []PT) {
	tb.Helper()
	if _, err := c.Bulk(context.Background(), xs); err != nil {
		tb.Fatal(err)
	}
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

// some returns a random subset of xs, in order, often empty.
func some[T any](rng *rand.Rand, xs []T) []T {
	out := []T{}
	for _, x := range xs {
		if rng.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

type townGen struct {
	rng                               *rand.Rand
	t                                 string
	villageIDs, deputyIDs, projectIDs []string
}

func (g *townGen) id(kind string, i int) string { return fmt.Sprintf("%s-%s%d", g.t, kind, i) }

// attributes draws a record's attributes: 片区 (text or missing), score (a
// number, a number as text, or missing), areas (a list), nested.level.
func (g *townGen) attributes() map[string]any {
	a := map[string]any{}
	switch g.rng.IntN(4) {
	case 0, 1:
		a["片区"] = pick(g.rng, "东片", "西片", "南片")
	case 2:
		a["片区"] = ""
	}
	switch g.rng.IntN(5) {
	case 0, 1:
		a["score"] = int64(g.rng.IntN(4))
	case 2:
		a["score"] = float64(g.rng.IntN(8)) / 2
	case 3:
		a["score"] = pick(g.rng, "2", "3", "高")
	}
	if g.rng.IntN(2) == 0 {
		a["areas"] = some(g.rng, []any{"山区", "川区", "库区"})
	}
	if g.rng.IntN(3) == 0 {
		a["nested"] = map[string]any{"level": pick(g.rng, "一", "二")}
	}
	if len(a) == 0 {
		return nil
	}
	return a
}

func (g *townGen) meta(kind string, i int) records.Meta {
	tags := some(g.rng, []string{"重点", "民生", "乡村振兴"})
	return records.Meta{ID: g.id(kind, i), Township: g.t, Tags: tags, Attributes: g.attributes()}
}

func (g *townGen) villages(n int) []*records.Village {
	var out []*records.Village
	for i := range n {
		v := &records.Village{Meta: g.meta("v", i), Name: fmt.Sprintf("%s村%d", g.t, i)}
		if g.rng.IntN(4) > 0 {
			v.Population = ptr(200 + g.rng.IntN(3000))
		}
		for range g.rng.IntN(3) {
			v.Designations = append(v.Designations, records.Designation{Year: 2020 + g.rng.IntN(4), Title: pick(g.rng, "文明村", "示范村"), Level: pick(g.rng, "市级", "县级", "")})
		}
		g.villageIDs = append(g.villageIDs, v.ID)
		out = append(out, v)
	}
	return out
}

func (g *townGen) deputies(n int) []*records.Deputy {
	var out []*records.Deputy
	for i := range n {
		d := &records.Deputy{Meta: g.meta("d", i), Name: fmt.Sprintf("代表%s-%d", g.t, i)}
		for len(d.Levels) == 0 {
			d.Levels = some(g.rng, []records.Level{records.CITY, records.COUNTY, records.TOWNSHIP})
		}
		switch g.rng.IntN(3) {
		case 0:
			d.Gender = ptr(records.MALE)
		case 1:
			d.Gender = ptr(records.FEMALE)
		}
		d.Party = pick(g.rng, "中共党员", "群众", "", "民盟")
		d.Group = pick(g.rng, "第一组", "第二组", "")
		d.Ethnicity = pick(g.rng, "汉族", "满族", "")
		d.Term = pick(g.rng, "第十八届", "")
		if g.rng.IntN(4) > 0 {
			d.VillageID = pick(g.rng, g.villageIDs...)
		}
		// Birth dates on both sides of the bands' bounds on naiveToday
		// (2023-07-15): 35 that day, 34 until the next, 50, 59, 60.
		if b := pick(g.rng, "", "1988-07-15", "1988-07-16", "1973-07-15", "1963-07-16", "1963-07-15", "1995-02-28", "1958-11-30"); b != "" {
			d.BirthDate = ptr(records.Date(b))
		}
		for j := range g.rng.IntN(4) {
			d.Voters = append(d.Voters, records.Voter{Name: fmt.Sprintf("选民%d", j)})
		}
		for range g.rng.IntN(3) {
			d.Honours = append(d.Honours, records.Honour{Year: 2021 + g.rng.IntN(3), Title: pick(g.rng, "优秀人大代表", "先进个人"), Level: pick(g.rng, records.COUNTY, records.TOWNSHIP)})
		}
		g.deputyIDs = append(g.deputyIDs, d.ID)
		out = append(out, d)
	}
	return out
}

func (g *townGen) projects(n int) []*records.Project {
	var out []*records.Project
	for i := range n {
		p := &records.Project{Meta: g.meta("p", i), Name: fmt.Sprintf("项目%d", i),
			Kind: pick(g.rng, records.ROAD, records.ROAD, records.SCHOOL, records.MARKET, records.OTHER),
			Year: pick(g.rng, 2022, 2023), Status: pick(g.rng, records.PLANNED, records.IN_PROGRESS, records.COMPLETED, records.COMPLETED, records.SUSPENDED),
			VillageIDs: some(g.rng, g.villageIDs)}
		if p.Kind == records.ROAD && g.rng.IntN(5) > 0 {
			p.LengthKm = ptr(float64(g.rng.IntN(100)) / 10)
			p.Surface = ptr(pick(g.rng, records.CEMENT, records.ASPHALT))
		}
		if g.rng.IntN(2) == 0 {
			p.Funding = &records.Funding{Total: ptr(float64(g.rng.IntN(50)) * 1000)}
			for _, src := range some(g.rng, []string{"县财政", "村民集资"}) {
				p.Funding.Sources = append(p.Funding.Sources, records.FundingSource{Source: src})
			}
		}
		if g.rng.IntN(3) == 0 {
			p.Bidding = &records.Bidding{Teams: g.rng.IntN(4), Method: pick(g.rng, "公开招标", "")}
		}
		g.projectIDs = append(g.projectIDs, p.ID)
		out = append(out, p)
	}
	return out
}

// span draws a date span of any precision in 2022 or 2023.
func (g *townGen) span() records.DateSpan {
	y := pick(g.rng, 2022, 2023)
	m := 1 + g.rng.IntN(12)
	var d time.Time
	p := pick(g.rng, records.DAY, records.DAY, records.DAY, records.DEKAD, records.MONTH, records.SEASON, records.HALF, records.YEAR)
	switch p {
	case records.DAY:
		d = time.Date(y, time.Month(m), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
	case records.DEKAD:
		d = time.Date(y, time.Month(m), pick(g.rng, 1, 11, 21), 0, 0, 0, 0, time.UTC)
	case records.MONTH:
		d = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	case records.SEASON:
		d = time.Date(y, time.Month(pick(g.rng, 3, 6, 9, 12)), 1, 0, 0, 0, 0, time.UTC)
	case records.HALF:
		d = time.Date(y, time.Month(pick(g.rng, 1, 7)), 1, 0, 0, 0, 0, time.UTC)
	case records.YEAR:
		d = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return records.DateSpan{Date: records.DateOf(d), Precision: p}
}

func (g *townGen) headcounts() []records.Headcount {
	var out []records.Headcount
	for _, k := range some(g.rng, []string{"村支部书记", "村民代表"}) {
		out = append(out, records.Headcount{Kind: k, Count: g.rng.IntN(6)})
	}
	return out
}

func (g *townGen) inspections(n int) []*records.Inspection {
	var out []*records.Inspection
	for i := range n {
		out = append(out, &records.Inspection{Meta: g.meta("i", i), Topic: fmt.Sprintf("视察%d", i), Date: g.span(),
			Organiser: pick(g.rng, "镇人大主席团", "代表小组", ""), ParticipantIDs: some(g.rng, g.deputyIDs),
			OtherParticipants: g.headcounts(), VillageIDs: some(g.rng, g.villageIDs), ProjectIDs: some(g.rng, g.projectIDs)})
	}
	return out
}

func (g *townGen) activities(n int) []*records.Activity {
	var out []*records.Activity
	for i := range n {
		a := &records.Activity{Meta: g.meta("a", i), Title: fmt.Sprintf("活动%d", i), Date: g.span(),
			Kind:     pick(g.rng, records.DELIBERATION, records.GROUP_DAY, records.VISIT, records.MEETING, records.TRAINING, records.STANDARDIZATION, records.APPRAISAL, records.OTHER_ACTIVITY),
			Location: pick(g.rng, "代表之家", ""), Organiser: pick(g.rng, "镇人大主席团", ""),
			ParticipantIDs: some(g.rng, g.deputyIDs), OtherParticipants: g.headcounts(), VillageIDs: some(g.rng, g.villageIDs), ProjectIDs: some(g.rng, g.projectIDs)}
		switch a.Kind {
		case records.OTHER_ACTIVITY:
			a.Category = pick(g.rng, "工作计划", "存在问题")
		case records.APPRAISAL:
			a.Appraisal = &records.Appraisal{}
			for _, s := range append(some(g.rng, []string{"财政所", "派出所"}), "农业站") {
				a.Appraisal.Subjects = append(a.Appraisal.Subjects, records.AppraisalSubject{Name: s, SubjectKind: "DEPARTMENT", Methods: []string{}})
			}
		case records.STANDARDIZATION:
			a.Standardization = &records.Standardization{Items: []string{}}
			if g.rng.IntN(3) > 0 {
				a.Standardization.AmountYuan = ptr(float64(g.rng.IntN(20)) * 500)
			}
		}
		out = append(out, a)
	}
	return out
}

// suggestions are walked to a random status, each step a random number
// of days (and hours) after the last.
func (g *townGen) suggestions(n int) []*records.Suggestion {
	var out []*records.Suggestion
	path := []records.SuggestionStatus{records.ACCEPTED, records.ASSIGNED, records.REPLIED, records.EVALUATED, records.CLOSED}
	for i := range n {
		year := pick(g.rng, 2022, 2023)
		sub := time.Date(year, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		x := &records.Suggestion{Meta: g.meta("s", i), DeputyID: pick(g.rng, g.deputyIDs...), Title: fmt.Sprintf("建议%d", i),
			Kind: pick(g.rng, records.SUGGESTION, records.CRITICISM, records.OPINION), Submitted: records.DateOf(sub),
			Category: pick(g.rng, "交通", "教育", ""), Valuable: g.rng.IntN(2) == 0}
		if g.rng.IntN(4) > 0 {
			x.Deadline = ptr(records.DateOf(sub.AddDate(0, 0, 10+g.rng.IntN(40))))
		}
		x.OnCreate("test", sub)
		at := sub
		steps := path[:g.rng.IntN(len(path)+1)]
		if g.rng.IntN(8) == 0 {
			steps = []records.SuggestionStatus{records.REJECTED}
		}
		for _, to := range steps {
			at = at.Add(time.Duration(1+g.rng.IntN(30*24)) * time.Hour)
			switch to {
			case records.ASSIGNED:
				x.Department = pick(g.rng, "交通局", "教育局")
			case records.REPLIED:
				x.Reply, x.ReplyClass = "已办理", ptr(pick(g.rng, records.CLASS_A, records.CLASS_B, records.CLASS_C, records.CLASS_D))
			case records.EVALUATED:
				x.Satisfaction = ptr(pick(g.rng, records.SATISFIED, records.BASICALLY_SATISFIED, records.DISSATISFIED))
			}
			if err := x.Move(to, "", "test", at); err != nil {
				panic(err)
			}
			if x.Status == records.REOPENED { // 不满意: handled again, evaluated again
				at = at.Add(time.Duration(1+g.rng.IntN(20*24)) * time.Hour)
				x.Reply, x.ReplyClass = "已重新办理", ptr(records.CLASS_A)
				if err := x.Move(records.REPLIED, "", "test", at); err != nil {
					panic(err)
				}
				at = at.Add(time.Duration(1+g.rng.IntN(5*24)) * time.Hour)
				x.Satisfaction = ptr(pick(g.rng, records.SATISFIED, records.BASICALLY_SATISFIED, records.DISSATISFIED))
				if err := x.Move(records.EVALUATED, "", "test", at); err != nil {
					panic(err)
				}
			}
		}
		out = append(out, x)
	}
	return out
}
