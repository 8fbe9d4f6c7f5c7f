package graph_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// groups is a groupBy answer decoded loosely.
type groups []struct {
	Keys   map[string]any
	Values []any
	Labels []string
	Label  string
	Count  int
	Sum    map[string]*float64
}

// TestAggregate: groupBy over a list field and an enumeration, keys that
// are ids resolving to their records, Chinese labels, totals with sums,
// having, ordering and first, in GraphQL.
func TestAggregate(t *testing.T) {
	c := MustClient(t)
	const n = 12
	f := MustFixture(c, n)
	// What MustFixture made: deputy i holds levels[i%3], lives in village i%3.
	levels := [][]string{{"TOWNSHIP"}, {"COUNTY", "TOWNSHIP"}, {"CITY", "COUNTY"}}
	want := map[string]int{}
	for i := range n {
		for _, l := range levels[i%3] {
			want[fmt.Sprintf("%s/%s", l, f.Villages[i%3])]++
		}
	}
	t.Run("OK/GroupBy", func(t *testing.T) {
		var out struct{ DeputiesAggregate struct{ GroupBy groups } }
		c.MustDo(`query($t: ID) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL, VILLAGE]) {
			keys { level village { id name } } values labels label count } } }`, map[string]any{"t": f.Township}, &out)
		got := map[string]int{}
		for _, g := range out.DeputiesAggregate.GroupBy {
			v := g.Keys["village"].(map[string]any)
			got[fmt.Sprintf("%s/%s", g.Keys["level"], v["id"])] = g.Count
			if g.Values[1] != v["id"] || len(g.Labels) != 2 || g.Labels[1] != v["name"] || g.Label != g.Labels[0]+"·"+g.Labels[1] {
				t.Fatalf("group %+v: values, labels and label do not agree with its keys", g)
			}
			if l := map[any]string{"CITY": "市级", "COUNTY": "县级", "TOWNSHIP": "镇级"}[g.Keys["level"]]; g.Labels[0] != l {
				t.Fatalf("level %v labelled %q, want %q", g.Keys["level"], g.Labels[0], l)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
	t.Run("OK/TotalsAndSums", func(t *testing.T) {
		var out struct {
			ProjectsAggregate struct {
				Count   int
				Sum     struct{ LengthKm float64 }
				Average struct{ LengthKm float64 }
				GroupBy groups
			}
		}
		c.MustDo(`query($t: ID) { projectsAggregate(township: $t) { count sum { lengthKm } average { lengthKm }
			groupBy(fields: [VILLAGE], orderBy: {by: SUM, number: LENGTH_KM, direction: DESC}) { keys { village { name } } count sum { lengthKm } } } }`,
			map[string]any{"t": f.Township}, &out)
		a := out.ProjectsAggregate
		if a.Count != 2 || a.Sum.LengthKm != 12.5+3.2 || a.Average.LengthKm != (12.5+3.2)/2 {
			t.Fatalf("count %d sum %v average %v: want 2 projects of 12.5 and 3.2 km", a.Count, a.Sum.LengthKm, a.Average.LengthKm)
		}
		if len(a.GroupBy) != 2 || *a.GroupBy[0].Sum["lengthKm"] != 12.5 || *a.GroupBy[1].Sum["lengthKm"] != 3.2 {
			t.Fatalf("groups %+v: want 东村's 12.5 km first, then 西村's 3.2", a.GroupBy)
		}
	})
	t.Run("OK/HavingOrderTop", func(t *testing.T) {
		var out struct {
			DeputiesAggregate struct {
				Groups struct {
					TotalCount int
					PageInfo   struct{ HasNextPage bool }
					Nodes      groups
				}
			}
		}
		c.MustDo(`query($t: ID) { deputiesAggregate(township: $t) { groups(fields: [LEVEL], having: {count: {gte: 5}}, orderBy: {by: COUNT, direction: DESC}, first: 1) {
			totalCount pageInfo { hasNextPage } nodes { keys { level } count } } } }`, map[string]any{"t": f.Township}, &out)
		byLevel := map[string]int{}
		for k, v := range want {
			byLevel[strings.Split(k, "/")[0]] += v
		}
		best, kept := 0, 0
		for _, v := range byLevel {
			best = max(best, v)
			if v >= 5 {
				kept++
			}
		}
		gs := out.DeputiesAggregate.Groups
		if len(gs.Nodes) != 1 || gs.Nodes[0].Count != best || gs.TotalCount != kept || gs.PageInfo.HasNextPage != (kept > 1) {
			t.Fatalf("got %+v, want the one level with the most deputies (%d) of %d with 5 or more", gs, best, kept)
		}
	})
	t.Run("OK/MinMaxDistinct", func(t *testing.T) {
		var out struct {
			ProjectsAggregate struct {
				Min, Max struct{ LengthKm float64 }
				GroupBy  []struct {
					Count int
					Max   struct{ LengthKm float64 }
				}
			}
			DeputiesAggregate struct {
				Villages, Levels int
				GroupBy          []struct {
					Keys     struct{ Level string }
					Villages int
				}
			}
			InspectionsAggregate struct {
				Min, Max struct{ Date string }
				GroupBy  []struct{ Keys struct{ Month int } }
			}
		}
		c.MustDo(`query($t: ID) {
			projectsAggregate(township: $t) { min { lengthKm } max { lengthKm }
				groupBy(fields: [VILLAGE], having: {sum: {lengthKm: {gt: 5}}}, orderBy: {by: MAX, number: LENGTH_KM}) { count max { lengthKm } } }
			deputiesAggregate(township: $t) { villages: countDistinct(field: VILLAGE) levels: countDistinct(field: LEVEL)
				groupBy(fields: [LEVEL]) { keys { level } villages: countDistinct(field: VILLAGE) } }
			inspectionsAggregate(township: $t) { min { date } max { date }
				groupBy(fields: [MONTH], having: {min: {date: {gte: "2023-02-01"}}}) { keys { month } } } }`, map[string]any{"t": f.Township}, &out)
		p := out.ProjectsAggregate
		if p.Min.LengthKm != 3.2 || p.Max.LengthKm != 12.5 || len(p.GroupBy) != 1 || p.GroupBy[0].Max.LengthKm != 12.5 {
			t.Fatalf("projects %+v: want min 3.2, max 12.5 km, and only 东村's 12.5 km with a sum over 5", p)
		}
		d := out.DeputiesAggregate
		// MustFixture: deputy i lives in village i%3 and holds levels[i%3].
		wantVillages := map[string]int{"TOWNSHIP": 2, "COUNTY": 2, "CITY": 1}
		if d.Villages != 3 || d.Levels != 3 || len(d.GroupBy) != 3 {
			t.Fatalf("deputies %+v: want 3 villages, 3 levels, 3 groups", d)
		}
		for _, g := range d.GroupBy {
			if g.Villages != wantVillages[g.Keys.Level] {
				t.Fatalf("level %s: %d villages, want %d", g.Keys.Level, g.Villages, wantVillages[g.Keys.Level])
			}
		}
		i := out.InspectionsAggregate
		if i.Min.Date != "2023-01-11" || i.Max.Date != "2023-02-11" || len(i.GroupBy) != 1 || i.GroupBy[0].Keys.Month != 2 {
			t.Fatalf("inspections %+v: want 1-11 to 2-11, and only February's group first on or after 2-1", i)
		}
	})
	t.Run("ErrHaving", func(t *testing.T) {
		c.MustFail(`query($t: ID) { villagesAggregate(township: $t) { groupBy(fields: [TAG], having: {sum: {attributes: [{path: "a b", gt: 1}]}}) { count } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "having.sum.attributes.0.path")
		c.MustFail(`query($t: ID) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL], having: {count: {isNull: true}}) { count } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "having.count.isNull")
	})
	t.Run("OK/GroupsPaged", func(t *testing.T) {
		type page struct {
			DeputiesAggregate struct {
				GroupBy groups
				Groups  struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   *string
					}
					Nodes groups
				}
			}
		}
		var all []string
		var after *string
		for range 20 {
			var out page
			c.MustDo(`query($t: ID, $after: String) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL, VILLAGE]) { label count }
				groups(fields: [LEVEL, VILLAGE], first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { label count } } } }`,
				map[string]any{"t": f.Township, "after": after}, &out)
			a := out.DeputiesAggregate
			if a.Groups.TotalCount != len(want) || len(a.GroupBy) != len(want) {
				t.Fatalf("totalCount %d, groupBy %d groups: want %d", a.Groups.TotalCount, len(a.GroupBy), len(want))
			}
			for _, g := range a.Groups.Nodes {
				all = append(all, fmt.Sprintf("%s=%d", g.Label, g.Count))
			}
			if !a.Groups.PageInfo.HasNextPage {
				var whole []string
				for _, g := range a.GroupBy {
					whole = append(whole, fmt.Sprintf("%s=%d", g.Label, g.Count))
				}
				if strings.Join(all, " ") != strings.Join(whole, " ") {
					t.Fatalf("paged %v, want groupBy's %v", all, whole)
				}
				return
			}
			after = a.Groups.PageInfo.EndCursor
		}
		t.Fatal("groups never reached their end")
	})
	t.Run("ErrMoreGroupsThanFirst", func(t *testing.T) {
		r := c.Do(`query($t: ID) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL], first: 2) { count } } }`, map[string]any{"t": f.Township})
		if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "there are 3 groups") || !strings.Contains(r.Errors[0].Message, "groups(first:, after:)") {
			t.Fatalf("errors %+v, want one naming the 3 groups and how to page", r.Errors)
		}
	})
	t.Run("ErrCursor", func(t *testing.T) {
		c.MustFail(`query($t: ID) { deputiesAggregate(township: $t) { groups(fields: [LEVEL], after: "x") { totalCount } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "after")
		var out struct {
			DeputiesAggregate struct {
				Groups struct{ PageInfo struct{ EndCursor string } }
			}
		}
		c.MustDo(`query($t: ID) { deputiesAggregate(township: $t) { groups(fields: [LEVEL], first: 1) { pageInfo { endCursor } } } }`, map[string]any{"t": f.Township}, &out)
		c.MustFail(`query($t: ID, $after: String) { deputiesAggregate(township: $t) { groups(fields: [GENDER], after: $after) { totalCount } } }`,
			map[string]any{"t": f.Township, "after": out.DeputiesAggregate.Groups.PageInfo.EndCursor}, "BAD_USER_INPUT", "after")
	})
	t.Run("OK/Attributes", func(t *testing.T) {
		var out struct{ VillagesAggregate struct{ GroupBy groups } }
		c.MustDo(`query($t: ID) { villagesAggregate(township: $t) { groupBy(attributes: ["area.km2"]) {
			keys { attribute(path: "area.km2") } count sum { population } } } }`, map[string]any{"t": f.Township}, &out)
		var got []string
		for _, g := range out.VillagesAggregate.GroupBy {
			got = append(got, fmt.Sprintf("%v:%v", g.Keys["attribute"], *g.Sum["population"]))
		}
		sort.Strings(got)
		if strings.Join(got, " ") != "10:1000 20:2000 30:3000" {
			t.Fatalf("got %v, want each area with its village's population", got)
		}
	})
	t.Run("ErrFirst", func(t *testing.T) {
		c.MustFail(`query($t: ID) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL], first: 501) { count } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "first")
	})
	t.Run("ErrNotGroupedBy", func(t *testing.T) {
		c.MustFail(`query($t: ID) { deputiesAggregate(township: $t) { groupBy(fields: [LEVEL]) { keys { attribute(path: "x") } } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "path")
	})
	t.Run("ErrOrder", func(t *testing.T) {
		c.MustFail(`query($t: ID) { projectsAggregate(township: $t) { groupBy(fields: [KIND], orderBy: {by: SUM}) { count } } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "orderBy")
	})
}

// TestTownships: every list, aggregate and dashboard takes townships;
// an unknown one is NOT_FOUND on its field, never an empty answer.
func TestTownships(t *testing.T) {
	c := MustClient(t)
	a, b := MustFixture(c, 3), MustFixture(c, 6)
	t.Run("OK", func(t *testing.T) {
		var out struct {
			Deputies          struct{ TotalCount int }
			DeputiesAggregate struct{ Count int }
			Dashboard         struct{ Deputies struct{ Total int } }
		}
		c.MustDo(`query($ts: [ID!]) { deputies(townships: $ts) { totalCount } deputiesAggregate(townships: $ts) { count }
			dashboard(townships: $ts, year: 2023) { deputies { total } } }`, map[string]any{"ts": []string{a.Township, b.Township}}, &out)
		if out.Deputies.TotalCount != 9 || out.DeputiesAggregate.Count != 9 || out.Dashboard.Deputies.Total != 9 {
			t.Fatalf("got %+v, want 9 deputies in the two townships everywhere", out)
		}
	})
	for _, q := range []string{
		`query($ts: [ID!]) { deputies(townships: $ts) { totalCount } }`,
		`query($ts: [ID!]) { villages(townships: $ts) { nodes { id } } }`,
		`query($ts: [ID!]) { projects(townships: $ts) { nodes { id } } }`,
		`query($ts: [ID!]) { inspections(townships: $ts) { nodes { id } } }`,
		`query($ts: [ID!]) { activities(townships: $ts) { nodes { id } } }`,
		`query($ts: [ID!]) { suggestions(townships: $ts) { nodes { id } } }`,
		`query($ts: [ID!]) { deputiesAggregate(townships: $ts) { groupBy(fields: [LEVEL]) { count } } }`,
		`query($ts: [ID!]) { villagesAggregate(townships: $ts) { count } }`,
		`query($ts: [ID!]) { projectsAggregate(townships: $ts) { count } }`,
		`query($ts: [ID!]) { inspectionsAggregate(townships: $ts) { count } }`,
		`query($ts: [ID!]) { activitiesAggregate(townships: $ts) { count } }`,
		`query($ts: [ID!]) { suggestionsAggregate(townships: $ts) { count } }`,
		`query($ts: [ID!]) { dashboard(townships: $ts, year: 2023) { year } }`,
	} {
		name := strings.Fields(strings.SplitN(q, "{", 3)[1])[0]
		t.Run("ErrNotFound/"+name, func(t *testing.T) {
			c.MustFail(q, map[string]any{"ts": []string{a.Township, "nowhere"}}, "NOT_FOUND", "townships.1")
		})
	}
	t.Run("ErrNotFound/township", func(t *testing.T) {
		c.MustFail(`{ deputies(township: "nowhere") { totalCount } }`, nil, "NOT_FOUND", "township")
		c.MustFail(`{ inspectionsAggregate(township: "nowhere") { count } }`, nil, "NOT_FOUND", "township")
	})
	t.Run("ErrBoth", func(t *testing.T) {
		c.MustFail(`query($t: ID, $ts: [ID!]) { deputies(township: $t, townships: $ts) { totalCount } }`,
			map[string]any{"t": a.Township, "ts": []string{b.Township}}, "BAD_USER_INPUT", "townships")
	})
}

// TestDashboard: a township's dashboard through GraphQL, each figure as
// the analytics computes it, with Chinese labels.
func TestDashboard(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 12)
	var out struct {
		Township struct {
			Dashboard struct {
				Deputies struct {
					Total   int
					ByLevel []struct {
						Key   string
						Label string
						Count int
					}
				}
				Inspections struct {
					Total  int
					Months []struct {
						Label string
						Count int
					}
				}
				Projects struct {
					RoadKmCompleted float64
					ByKind          []struct{ Label string }
				}
				Suggestions struct {
					Total        int
					HandlingRate *float64
				}
				Valuable struct {
					MonthsChecked int
					Deputies      []struct {
						Deputy struct{ Name string }
						Months []int
						Labels []string
					}
				}
			}
		}
	}
	c.MustDo(`query($t: ID!) { township(id: $t) { dashboard(year: 2023) {
		deputies { total byLevel { key label count } }
		inspections { total months { label count } }
		projects { roadKmCompleted byKind { label } }
		suggestions { total handlingRate }
		valuable { monthsChecked deputies { deputy { name } months labels } } } } }`, map[string]any{"t": f.Township}, &out)
	d := out.Township.Dashboard
	if d.Deputies.Total != 12 || d.Deputies.ByLevel[0].Label != "市级" || d.Deputies.ByLevel[0].Key != "CITY" || d.Deputies.ByLevel[0].Count != 4 {
		t.Fatalf("deputies %+v: want 12, 市级 first with the 4 deputies MustFixture makes CITY", d.Deputies)
	}
	// MustFixture: one inspection per ten deputies, the i-th in month i+1.
	if d.Inspections.Total != 2 || d.Inspections.Months[0].Count != 1 || d.Inspections.Months[1].Count != 1 || d.Inspections.Months[0].Label != "1月" {
		t.Fatalf("inspections %+v: want one in 1月 and one in 2月", d.Inspections)
	}
	if d.Projects.RoadKmCompleted != 12.5+3.2 || d.Projects.ByKind[0].Label != "公路" {
		t.Fatalf("projects %+v: want 15.7 km of road completed, 公路 first", d.Projects)
	}
	if d.Suggestions.Total != 0 || d.Suggestions.HandlingRate != nil {
		t.Fatalf("suggestions %+v: want none, and no rate", d.Suggestions)
	}
	if d.Valuable.MonthsChecked != 12 || len(d.Valuable.Deputies) != 12 || len(d.Valuable.Deputies[0].Months) != 12 || d.Valuable.Deputies[0].Labels[2] != "3月" {
		t.Fatalf("valuable %+v: want all 12 deputies lacking all 12 months of 2023", d.Valuable)
	}
}

// TestSuggestion_Handling: a suggestion's first reply, timeliness and
// overdue state, as fields and as filters.
func TestSuggestion_Handling(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	mk := func(title, submitted, deadline string) string {
		return c.create("Suggestion", map[string]any{"township": f.Township, "deputyId": f.Deputies[0], "title": title, "submitted": submitted, "deadline": deadline})
	}
	late, open := mk("修路", "2023-03-01", "2023-03-02"), mk("修桥", "2023-03-01", "2023-03-02")
	for _, step := range []struct{ to, input string }{{"ACCEPTED", ""}, {"ASSIGNED", `department: "交通局"`}, {"REPLIED", `reply: "已修", replyClass: A`}} {
		if step.input != "" {
			c.MustDo(fmt.Sprintf(`mutation($id: ID!) { updateSuggestion(id: $id, input: {%s}) { id } }`, step.input), map[string]any{"id": late}, nil)
		}
		c.MustDo(`mutation($id: ID!, $to: SuggestionStatus!) { transitionSuggestion(id: $id, to: $to) { id } }`, map[string]any{"id": late, "to": step.to}, nil)
	}
	var out struct {
		Suggestion struct {
			RepliedOn   string
			OnTime      bool
			DaysToReply int
			Overdue     bool
		}
		Overdue struct{ Nodes []struct{ ID string } }
		Late    struct{ Nodes []struct{ ID string } }
	}
	c.MustDo(`query($id: ID!, $t: ID) { suggestion(id: $id) { repliedOn onTime daysToReply overdue }
		overdue: suggestions(township: $t, filter: {overdue: true}) { nodes { id } }
		late: suggestions(township: $t, filter: {onTime: {eq: false}}) { nodes { id } } }`, map[string]any{"id": late, "t": f.Township}, &out)
	s := out.Suggestion
	if s.RepliedOn == "" || s.OnTime || !s.Overdue || s.DaysToReply < 1 {
		t.Fatalf("replied late: %+v, want a reply day, not on time, overdue", s)
	}
	var ids []string
	for _, n := range out.Overdue.Nodes {
		ids = append(ids, n.ID)
	}
	sort.Strings(ids)
	want := []string{late, open}
	sort.Strings(want)
	if fmt.Sprint(ids) != fmt.Sprint(want) || len(out.Late.Nodes) != 1 || out.Late.Nodes[0].ID != late {
		t.Fatalf("overdue %v, late %v: want both overdue (one replied late, one open past its deadline), one late", ids, out.Late.Nodes)
	}
	t.Run("ByDeputysFields", func(t *testing.T) {
		var out struct {
			SuggestionsAggregate struct {
				GroupBy []struct {
					Keys struct {
						DeputyLevel   string
						DeputyVillage struct{ Name string }
					}
					Labels []string
					Count  int
				}
			}
		}
		c.MustDo(`query($t: ID) { suggestionsAggregate(township: $t) { groupBy(fields: [DEPUTY_LEVEL, DEPUTY_VILLAGE]) {
			keys { deputyLevel deputyVillage { name } } labels count } } }`, map[string]any{"t": f.Township}, &out)
		// MustFixture: deputy 0 is TOWNSHIP, of 东村.
		g := out.SuggestionsAggregate.GroupBy
		if len(g) != 1 || g[0].Keys.DeputyLevel != "TOWNSHIP" || g[0].Keys.DeputyVillage.Name != "东村" || strings.Join(g[0].Labels, "·") != "镇级·东村" || g[0].Count != 2 {
			t.Fatalf("groups %+v, want both suggestions under 镇级·东村", g)
		}
	})
	t.Run("Rates", func(t *testing.T) {
		type rates struct{ Handling, OnTime, Satisfied *float64 }
		var out struct {
			SuggestionsAggregate struct {
				Rates   rates
				GroupBy []struct {
					Keys  struct{ Department string }
					Rates rates
				}
			}
			Township struct {
				Dashboard struct {
					Suggestions struct{ HandlingRate, OnTimeRate, SatisfiedRate *float64 }
				}
			}
		}
		c.MustDo(`query($t: ID!) { suggestionsAggregate(township: $t, filter: {year: {eq: 2023}}) { rates { handling onTime satisfied }
			groupBy(fields: [DEPARTMENT], having: {rates: {handling: {gt: 0}}}) { keys { department } rates { handling onTime satisfied } } }
			township(id: $t) { dashboard(year: 2023) { suggestions { handlingRate onTimeRate satisfiedRate } } } }`, map[string]any{"t": f.Township}, &out)
		a, d := out.SuggestionsAggregate, out.Township.Dashboard.Suggestions
		str := func(p *float64) string {
			if p == nil {
				return "null"
			}
			return fmt.Sprint(*p)
		}
		// One assigned and replied late, one never assigned and open past
		// its deadline, none rated: the handling rate is over those
		// assigned (1 of 1), the on-time rate over those due (0 of 2).
		if str(a.Rates.Handling) != "1" || str(a.Rates.OnTime) != "0" || a.Rates.Satisfied != nil {
			t.Fatalf("rates %s %s %s, want 1 0 null", str(a.Rates.Handling), str(a.Rates.OnTime), str(a.Rates.Satisfied))
		}
		if str(d.HandlingRate) != str(a.Rates.Handling) || str(d.OnTimeRate) != str(a.Rates.OnTime) || str(d.SatisfiedRate) != str(a.Rates.Satisfied) {
			t.Fatalf("dashboard %+v and aggregate %+v disagree", d, a.Rates)
		}
		if len(a.GroupBy) != 1 || a.GroupBy[0].Keys.Department != "交通局" || str(a.GroupBy[0].Rates.Handling) != "1" || str(a.GroupBy[0].Rates.OnTime) != "0" {
			t.Fatalf("groups %+v, want only 交通局's, all replied, none on time", a.GroupBy)
		}
	})
}

// TestAttributeDefinitions: defined attributes check writes and type
// filters, through GraphQL.
func TestAttributeDefinitions(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 0)
	var def struct{ DefineAttribute struct{ Path, Type string } }
	c.MustDo(`mutation($t: ID!) { defineAttribute(township: $t, kind: DEPUTY, input: {path: "education", label: "文化程度", type: CHOICE, values: ["大专", "本科"]}) { path type } }`,
		map[string]any{"t": f.Township}, &def)
	c.MustDo(`mutation($t: ID!) { defineAttribute(township: $t, kind: DEPUTY, input: {path: "years", label: "任职年数", type: NUMBER}) { path } }`,
		map[string]any{"t": f.Township}, nil)
	t.Run("ErrInvalid/Definition", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!) { defineAttribute(township: $t, kind: DEPUTY, input: {path: "a b", label: "x", type: TEXT}) { path } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.path")
	})
	t.Run("ErrInvalid/Write", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!) { createDeputy(input: {township: $t, name: "甲", levels: [TOWNSHIP], attributes: {education: "博士"}}) { id } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.attributes.education")
	})
	c.create("Deputy", map[string]any{"township": f.Township, "name": "乙", "levels": []string{"TOWNSHIP"}, "attributes": map[string]any{"education": "本科", "years": "5"}})
	var out struct {
		AttributeDefinitions struct {
			Version     int
			Definitions []struct{ Path, Label string }
		}
		Deputies struct {
			Nodes []struct{ Attributes map[string]any }
		}
	}
	c.MustDo(`query($t: ID!) { attributeDefinitions(township: $t, kind: DEPUTY) { version definitions { path label } }
		deputies(township: $t, filter: {attributes: [{path: "years", gte: "3"}]}) { nodes { attributes } } }`, map[string]any{"t": f.Township}, &out)
	if out.AttributeDefinitions.Version != 2 || len(out.AttributeDefinitions.Definitions) != 2 || out.AttributeDefinitions.Definitions[0].Label != "文化程度" {
		t.Fatalf("definitions %+v: want the two defined, in order", out.AttributeDefinitions)
	}
	if len(out.Deputies.Nodes) != 1 || out.Deputies.Nodes[0].Attributes["years"] != float64(5) {
		t.Fatalf("deputies %+v: want the one with years stored as the number 5", out.Deputies.Nodes)
	}
	t.Run("ErrInvalid/Filter", func(t *testing.T) {
		c.MustFail(`query($t: ID) { deputies(township: $t, filter: {attributes: [{path: "years", gte: "三"}]}) { totalCount } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "filter.attributes.0.gte")
	})
}

// TestAggregateCost: aggregates and dashboard figures count in a query's
// cost, so dashboards nested in a long list are refused before they run.
func TestAggregateCost(t *testing.T) {
	c := MustClient(t)
	q := `query($n: Int) { townships(first: $n) { nodes { dashboard(year: 2023) {
		deputies { total } inspections { total } activities { total } projects { total } suggestions { total } } } } }`
	c.MustDo(q, map[string]any{"n": 50}, nil)
	r := c.Do(q, map[string]any{"n": 100})
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "exceeds the limit") {
		t.Fatalf("errors %+v, want the cost limit", r.Errors)
	}
}

// TestAggregate_RoundTrips: the records keys name are loaded in one batch
// per kind, however many groups.
func TestAggregate_RoundTrips(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 60)
	before := c.commands.total()
	c.MustDo(`query($t: ID) { inspectionsAggregate(township: $t) { groupBy(fields: [PARTICIPANT, VILLAGE, PROJECT]) {
		keys { participant { name } village { name } project { name } } labels } } }`, map[string]any{"t": f.Township}, nil)
	// One grouping, a find per kind referred to, and the township lookups.
	if got := c.commands.total() - before; got > 6 {
		t.Fatalf("%d commands, want at most 6", got)
	}
}
