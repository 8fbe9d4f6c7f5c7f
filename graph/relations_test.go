package graph_test

import (
	"fmt"
	"testing"
)

// TestRelationFilters: some, none and count through GraphQL, in lists and
// aggregates alike.
func TestRelationFilters(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 12) // inspection 0 (January): deputies 0–9; inspection 1 (February): 10–11
	var out struct {
		None      struct{ TotalCount int }
		January   struct{ Nodes []struct{ Name string } }
		Aggregate struct{ Count int }
		Villages  struct{ Nodes []struct{ Name string } }
	}
	c.MustDo(`query($t: ID) {
		none: deputies(township: $t, filter: {inspections: {none: {month: {eq: 1}}}}) { totalCount }
		january: deputies(township: $t, filter: {inspections: {count: {eq: 1, where: {month: {eq: 1}}}}}, first: 100) { nodes { name } }
		aggregate: deputiesAggregate(township: $t, filter: {inspections: {some: {year: {eq: 2023}}}}) { count }
		villages(township: $t, filter: {projects: {none: {kind: {eq: ROAD}}}}) { nodes { name } } }`, map[string]any{"t": f.Township}, &out)
	if out.None.TotalCount != 2 || len(out.January.Nodes) != 10 || out.Aggregate.Count != 12 {
		t.Fatalf("none %d, january %d, aggregate %d: want 2 in no January inspection, 10 in one, 12 in some 2023 inspection", out.None.TotalCount, len(out.January.Nodes), out.Aggregate.Count)
	}
	if len(out.Villages.Nodes) != 1 || out.Villages.Nodes[0].Name != "南村" {
		t.Fatalf("villages %+v: want 南村, the one with no road", out.Villages.Nodes)
	}
	t.Run("Townships", func(t *testing.T) {
		other := MustFixture(c, 0)
		var out struct {
			Townships struct{ Nodes []struct{ ID string } }
		}
		c.MustDo(`query($ts: [ID!]) { townships(filter: {and: [{id: {in: $ts}}, {inspections: {none: {year: {eq: 2023}}}}]}) { nodes { id } } }`,
			map[string]any{"ts": []string{f.Township, other.Township}}, &out)
		if len(out.Townships.Nodes) != 1 || out.Townships.Nodes[0].ID != other.Township {
			t.Fatalf("townships %+v: want only the one with no inspection", out.Townships.Nodes)
		}
	})
	t.Run("Lists", func(t *testing.T) {
		var out struct {
			City, Has, Two struct{ TotalCount int }
		}
		c.MustDo(`query($t: ID, $d: String) {
			city: inspections(township: $t, filter: {participants: {some: {levels: {has: CITY}}}}) { totalCount }
			has: inspections(township: $t, filter: {participants: {has: $d}}) { totalCount }
			two: inspections(township: $t, filter: {participants: {count: {gte: 5, where: {levels: {has: COUNTY}}}}}) { totalCount } }`,
			map[string]any{"t": f.Township, "d": f.Deputies[11]}, &out)
		// Inspection 0: deputies 0–9 (six at COUNTY level: i%3 is 1 or 2); inspection 1: 10 and 11 (11 at CITY and COUNTY).
		if out.City.TotalCount != 2 || out.Has.TotalCount != 1 || out.Two.TotalCount != 1 {
			t.Fatalf("got %+v: want both inspections with a CITY deputy, one with deputy 11, one with 5 or more COUNTY deputies", out)
		}
	})
	t.Run("ErrNested", func(t *testing.T) {
		c.MustFail(`query($t: ID) { deputies(township: $t, filter: {inspections: {count: {gte: 1, where: {attributes: [{path: "a b", eq: 1}]}}}}) { totalCount } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "filter.inspections.count.where.attributes.0.path")
	})
}

// TestNestedAggregates: aggregates under records, each record its own
// figures, a page of them one grouping per aggregate asked.
func TestNestedAggregates(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 60) // inspection i: deputies 10i … 10i+9, in month i+1
	var out struct {
		Deputies struct {
			Nodes []struct {
				Name                 string
				InspectionsAggregate struct {
					Count int
					Min   struct{ Date string }
				}
				SuggestionsAggregate struct {
					Count int
					Rates struct{ Handling *float64 }
				}
				ActivitiesAggregate struct {
					Count int
					Min   struct{ Date *string }
				}
			}
		}
		Villages struct {
			Nodes []struct {
				Name              string
				DeputiesAggregate struct {
					Count  int
					Levels int
				}
				ProjectsAggregate struct{ Sum struct{ LengthKm *float64 } }
			}
		}
	}
	c.commands.mu.Lock()
	c.commands.n = map[string]int{}
	c.commands.mu.Unlock()
	before := c.commands.total()
	c.MustDo(`query($t: ID) { deputies(township: $t, first: 60) { nodes { name
			inspectionsAggregate(filter: {year: {eq: 2023}}) { count min { date } }
			suggestionsAggregate { count rates { handling } }
			activitiesAggregate(filter: {year: {eq: 2023}}) { count min { date } } } } }`, map[string]any{"t": f.Township}, &out)
	// The page and a grouping a batch of each aggregate: a few, not one per
	// deputy (a batch waits 2 ms for its siblings, so a busy machine may
	// split one).
	t.Logf("%d commands: %v", c.commands.total()-before, c.commands.n)
	if got := c.commands.total() - before; got > 30 {
		t.Fatalf("%d commands for 60 deputies' three aggregates, want a few, not 180", got)
	}
	for i, d := range out.Deputies.Nodes {
		want := fmt.Sprintf("2023-%02d-11", i/10+1)
		if d.InspectionsAggregate.Count != 1 || d.InspectionsAggregate.Min.Date != want || d.SuggestionsAggregate.Count != 0 || d.SuggestionsAggregate.Rates.Handling != nil ||
			d.ActivitiesAggregate.Count != 0 || d.ActivitiesAggregate.Min.Date != nil {
			t.Fatalf("%s: %+v, want one inspection on %s, no suggestions, no activities", d.Name, d, want)
		}
	}
	c.MustDo(`query($t: ID) { villages(township: $t) { nodes { name deputiesAggregate { count levels: countDistinct(field: LEVEL) } projectsAggregate { sum { lengthKm } } } } }`,
		map[string]any{"t": f.Township}, &out)
	got := map[string]string{}
	for _, v := range out.Villages.Nodes {
		km := "none"
		if v.ProjectsAggregate.Sum.LengthKm != nil {
			km = fmt.Sprint(*v.ProjectsAggregate.Sum.LengthKm)
		}
		got[v.Name] = fmt.Sprintf("%d/%d/%s", v.DeputiesAggregate.Count, v.DeputiesAggregate.Levels, km)
	}
	// Deputy i lives in village i%3 with levels[i%3]: TOWNSHIP; COUNTY and TOWNSHIP; CITY and COUNTY.
	if want := map[string]string{"东村": "20/1/12.5", "西村": "20/2/3.2", "南村": "20/2/none"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("villages %v, want %v", got, want)
	}
}
