package graph_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/storetest"
)

// A deputy's age band and voter count, and lists ordered by a relation's
// count, through the API. The records are written in 2020 (onDay), so
// they stand on every day asked; the answers are checked against ages and
// counts worked out here from the fixture.

// bandOf is the band of the age, on day, of one born on birth (the
// oracle storetest shares).
func bandOf(birth, day string) string { return string(storetest.NaiveAgeBand(birth, day)) }

var bandLabels = map[string]string{"UNDER_35": "不满35岁", "AGED_35_49": "35至49岁", "AGED_50_59": "50至59岁", "AGED_60_UP": "60岁及以上", "": "未填"}

type fieldsDeputy struct {
	name, birth string
	voters      int
}

var fieldsDeputies = []fieldsDeputy{
	{"赵一", "1989-02-28", 0}, {"钱二", "1989-03-01", 2}, {"孙三", "1964-02-29", 1}, {"李四", "1974-03-01", 3},
	{"周五", "1988-07-15", 2}, {"吴六", "1963-07-16", 0}, {"郑七", "", 1}, {"王八", "1958-12-31", 2},
}

// mustFieldsCounty writes the deputies of fieldsDeputies in one township
// on 2020-01-01, and a suggestion of theirs per entry of sugs (deputy's
// index, day submitted and stored on that day).
func mustFieldsCounty(c *Client, sugs []struct {
	deputy int
	day    string
}) (string, []string) {
	c.tb.Helper()
	ta := c.mustDoAt("2020-01-01", `mutation { r: createTownship(input: {name: "甲镇", county: "乙县"}) { id } }`, nil)["r"].ID
	var ids []string
	for _, d := range fieldsDeputies {
		in := map[string]any{"township": ta, "name": d.name, "levels": []string{"TOWNSHIP"}}
		if d.birth != "" {
			in["birthDate"] = d.birth
		}
		var voters []map[string]any
		for i := range d.voters {
			voters = append(voters, map[string]any{"name": fmt.Sprintf("选民%d", i)})
		}
		in["voters"] = voters
		ids = append(ids, c.mustDoAt("2020-01-01", `mutation($in: CreateDeputyInput!) { r: createDeputy(input: $in) { id } }`, map[string]any{"in": in})["r"].ID)
	}
	for i, s := range sugs {
		c.mustDoAt(s.day, `mutation($t: ID!, $d: ID!, $title: String!, $on: Date!) { r: createSuggestion(input: {township: $t, deputyId: $d, kind: SUGGESTION, title: $title, submitted: $on}) { id } }`,
			map[string]any{"t": ta, "d": ids[s.deputy], "title": fmt.Sprintf("建议%d", i), "on": s.day})
	}
	return ta, ids
}

// TestDeputyFields: the age band on the day asked (asOf's, else today) —
// a deputy's field, a filter, a key of deputies and of suggestions, in
// Chinese and youngest first — and the voter count, filtered and grouped.
func TestDeputyFields(t *testing.T) {
	c := MustClient(t)
	sugs := []struct {
		deputy int
		day    string
	}{{0, "2020-03-01"}, {0, "2020-04-01"}, {2, "2020-05-01"}, {6, "2020-06-01"}}
	ta, _ := mustFieldsCounty(c, sugs)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	for _, day := range []string{"2024-02-29", "2023-07-15", "2023-02-28", ""} {
		on := day
		var asOf any = day
		if day == "" {
			on, asOf = today, nil
		}
		name := "asOf " + on
		if day == "" {
			name = "today"
		}
		t.Run(name, func(t *testing.T) {
			want := map[string]string{} // name → band ("" for none)
			for _, d := range fieldsDeputies {
				if d.birth != "" {
					want[d.name] = bandOf(d.birth, on)
				} else {
					want[d.name] = ""
				}
			}
			var out struct {
				Deputies struct {
					Nodes []struct {
						Name       string
						AgeBand    *string
						VoterCount int
					}
				}
				DeputiesAggregate struct {
					GroupBy []struct {
						Keys  struct{ AgeBand *string }
						Label string
						Count int
					}
				}
				SuggestionsAggregate struct {
					GroupBy []struct {
						Keys  struct{ DeputyAgeBand *string }
						Count int
					}
				}
			}
			c.MustDo(`query($t: ID!, $a: Date) {
				deputies(township: $t, asOf: $a) { nodes { name ageBand voterCount } }
				deputiesAggregate(township: $t, asOf: $a) { groupBy(fields: [AGE_BAND]) { keys { ageBand } label count } }
				suggestionsAggregate(township: $t, asOf: $a) { groupBy(fields: [DEPUTY_AGE_BAND]) { keys { deputyAgeBand } count } } }`,
				map[string]any{"t": ta, "a": asOf}, &out)
			for _, n := range out.Deputies.Nodes {
				got := ""
				if n.AgeBand != nil {
					got = *n.AgeBand
				}
				if got != want[n.Name] {
					t.Errorf("%s's ageBand %q, want %q", n.Name, got, want[n.Name])
				}
				i := slices.IndexFunc(fieldsDeputies, func(d fieldsDeputy) bool { return d.name == n.Name })
				if n.VoterCount != fieldsDeputies[i].voters {
					t.Errorf("%s's voterCount %d, want %d", n.Name, n.VoterCount, fieldsDeputies[i].voters)
				}
			}
			// Groups: no birth date first, then the bands youngest first.
			counts := map[string]int{}
			for _, b := range want {
				counts[b]++
			}
			var wantGroups, gotGroups []string
			for _, b := range []string{"", "UNDER_35", "AGED_35_49", "AGED_50_59", "AGED_60_UP"} {
				if counts[b] > 0 {
					wantGroups = append(wantGroups, fmt.Sprintf("%s %s %d", b, bandLabels[b], counts[b]))
				}
			}
			for _, g := range out.DeputiesAggregate.GroupBy {
				b := ""
				if g.Keys.AgeBand != nil {
					b = *g.Keys.AgeBand
				}
				gotGroups = append(gotGroups, fmt.Sprintf("%s %s %d", b, g.Label, g.Count))
			}
			if !slices.Equal(gotGroups, wantGroups) {
				t.Errorf("deputies by AGE_BAND %q, want %q", gotGroups, wantGroups)
			}
			sugCounts := map[string]int{}
			for _, s := range sugs {
				sugCounts[want[fieldsDeputies[s.deputy].name]]++
			}
			gotSug := map[string]int{}
			for _, g := range out.SuggestionsAggregate.GroupBy {
				b := ""
				if g.Keys.DeputyAgeBand != nil {
					b = *g.Keys.DeputyAgeBand
				}
				gotSug[b] += g.Count
			}
			if !maps.Equal(gotSug, sugCounts) {
				t.Errorf("suggestions by DEPUTY_AGE_BAND %v, want %v", gotSug, sugCounts)
			}
			// The filter, each band and ne, agrees with the field.
			for _, band := range []string{"UNDER_35", "AGED_35_49", "AGED_50_59", "AGED_60_UP"} {
				var eq, ne []string
				for n, b := range want {
					if b == band {
						eq = append(eq, n)
					} else {
						ne = append(ne, n)
					}
				}
				for _, x := range []struct {
					op   string
					want []string
				}{{"eq", eq}, {"ne", ne}} {
					var got struct {
						Deputies struct{ Nodes []struct{ Name string } }
					}
					c.MustDo(fmt.Sprintf(`query($t: ID!, $a: Date, $b: AgeBand) { deputies(township: $t, asOf: $a, filter: {ageBand: {%s: $b}}) { nodes { name } } }`, x.op),
						map[string]any{"t": ta, "a": asOf, "b": band}, &got)
					var names []string
					for _, n := range got.Deputies.Nodes {
						names = append(names, n.Name)
					}
					if w := x.want; !slices.Equal(sortedNames(names), sortedNames(w)) {
						t.Errorf("ageBand %s %s: %v, want %v", x.op, band, names, w)
					}
				}
			}
		})
	}
	t.Run("VoterCount", func(t *testing.T) {
		var out struct {
			Deputies          struct{ Nodes []struct{ Name string } }
			DeputiesAggregate struct {
				GroupBy []struct {
					Keys  struct{ VoterCount int }
					Label string
					Count int
				}
			}
		}
		c.MustDo(`query($t: ID!) { deputies(township: $t, filter: {voterCount: {gte: 2}}) { nodes { name } }
			deputiesAggregate(township: $t) { groupBy(fields: [VOTER_COUNT]) { keys { voterCount } label count } } }`, map[string]any{"t": ta}, &out)
		var names []string
		for _, n := range out.Deputies.Nodes {
			names = append(names, n.Name)
		}
		var want []string
		byCount := map[int]int{}
		for _, d := range fieldsDeputies {
			if d.voters >= 2 {
				want = append(want, d.name)
			}
			byCount[d.voters]++
		}
		if !slices.Equal(sortedNames(names), sortedNames(want)) {
			t.Errorf("voterCount gte 2: %v, want %v", names, want)
		}
		var got, wantGroups []string
		for _, g := range out.DeputiesAggregate.GroupBy {
			got = append(got, fmt.Sprintf("%d %s %d", g.Keys.VoterCount, g.Label, g.Count))
		}
		for _, n := range slices.Sorted(maps.Keys(byCount)) {
			wantGroups = append(wantGroups, fmt.Sprintf("%d %d人 %d", n, n, byCount[n]))
		}
		if !slices.Equal(got, wantGroups) {
			t.Errorf("by VOTER_COUNT %q, want %q", got, wantGroups)
		}
	})
	t.Run("ErrKeyNotGroupedBy", func(t *testing.T) {
		// township and voterCount are non-null: asked only when grouped by.
		c.MustFail(`query($t: ID!) { deputiesAggregate(township: $t) { groupBy(fields: [AGE_BAND]) { keys { ageBand voterCount } count } } }`,
			map[string]any{"t": ta}, "BAD_USER_INPUT", "fields")
		c.MustFail(`query($t: ID!) { suggestionsAggregate(township: $t) { groups(fields: [DEPARTMENT]) { nodes { keys { ... on SuggestionGroupKeys { township { name } } } } } } }`,
			map[string]any{"t": ta}, "BAD_USER_INPUT", "fields")
	})
}

func sortedNames(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// TestOrderByCount: deputies ordered by how many of their suggestions of
// 2020 there are, most first, then by name: paged a few at a time, all
// at once, and as of a day before some were put forward; a township's
// deputies by all their suggestions; bad orders and cursors refused.
func TestOrderByCount(t *testing.T) {
	c := MustClient(t)
	sugs := []struct {
		deputy int
		day    string
	}{{0, "2020-03-01"}, {0, "2020-04-01"}, {0, "2019-12-01"}, {2, "2020-05-01"}, {2, "2020-06-01"}, {3, "2020-09-01"}, {6, "2020-06-02"}, {5, "2020-10-01"}}
	ta, _ := mustFieldsCounty(c, sugs)
	// want orders the deputies by their suggestions of 2020 stored by
	// asOf (all without one), most first, then by name's pinyin.
	pinyin := map[string]string{"赵一": "zhao", "钱二": "qian", "孙三": "sun", "李四": "li", "周五": "zhou", "吴六": "wu", "郑七": "zheng", "王八": "wang"}
	want := func(asOf string) []string {
		n := map[string]int{}
		for _, s := range sugs {
			if s.day[:4] == "2020" && (asOf == "" || s.day <= asOf) {
				n[fieldsDeputies[s.deputy].name]++
			}
		}
		var names []string
		for _, d := range fieldsDeputies {
			names = append(names, d.name)
		}
		slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(n[b], n[a]), cmp.Compare(pinyin[a], pinyin[b])) })
		return names
	}
	type page struct {
		Nodes    []struct{ Name string }
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
	const q = `query($t: ID!, $a: Date, $first: Int, $after: String) {
		deputies(township: $t, asOf: $a, first: $first, after: $after,
			orderBy: [{suggestionsCount: {filter: {year: {eq: 2020}}}, direction: DESC}, {field: NAME}]) {
			nodes { name } pageInfo { hasNextPage endCursor } } }`
	all := func(asOf any, first int) []string {
		var names []string
		var after any
		for range 20 {
			var out struct{ Deputies page }
			c.MustDo(q, map[string]any{"t": ta, "a": asOf, "first": first, "after": after}, &out)
			for _, n := range out.Deputies.Nodes {
				names = append(names, n.Name)
			}
			if !out.Deputies.PageInfo.HasNextPage {
				return names
			}
			after = *out.Deputies.PageInfo.EndCursor
		}
		t.Fatal("more than 20 pages")
		return nil
	}
	for _, first := range []int{2, 50} {
		if got, w := all(nil, first), want(""); !slices.Equal(got, w) {
			t.Errorf("%d a page: %v, want %v", first, got, w)
		}
	}
	if got, w := all("2020-05-31", 3), want("2020-05-31"); !slices.Equal(got, w) {
		t.Errorf("as of 2020-05-31: %v, want %v", got, w)
	}
	var out struct {
		Township struct {
			Deputies struct{ Nodes []struct{ Name string } }
		}
	}
	c.MustDo(`query($t: ID!) { township(id: $t) { deputies(first: 3, orderBy: [{suggestionsCount: {}, direction: DESC}, {field: NAME}]) { nodes { name } } } }`,
		map[string]any{"t": ta}, &out)
	// All years: 赵一 3, 孙三 2, then 吴六, 李四 and 郑七 with one each, by pinyin.
	var got []string
	for _, n := range out.Township.Deputies.Nodes {
		got = append(got, n.Name)
	}
	if !slices.Equal(got, []string{"赵一", "孙三", "李四"}) {
		t.Errorf("township's deputies by all their suggestions: %v, want 赵一 孙三 李四", got)
	}
	t.Run("Errors", func(t *testing.T) {
		c.MustFail(`query { deputies(orderBy: [{field: NAME, suggestionsCount: {}}]) { totalCount } }`, nil, "BAD_USER_INPUT", "orderBy.0")
		c.MustFail(`query { deputies(orderBy: [{direction: DESC}]) { totalCount } }`, nil, "BAD_USER_INPUT", "orderBy.0.field")
		c.MustFail(`query($long: String) { deputies(orderBy: [{field: NAME}, {suggestionsCount: {filter: {title: {contains: $long}}}}]) { totalCount } }`,
			map[string]any{"long": strings.Repeat("路", 201)}, "BAD_USER_INPUT", "orderBy.1.suggestionsCount.filter.title.contains")
		var first struct{ Deputies page }
		c.MustDo(q, map[string]any{"t": ta, "first": 1}, &first)
		c.MustFail(`query($after: String) { deputies(first: 1, after: $after, orderBy: [{suggestionsCount: {}, direction: DESC}, {field: NAME}]) { totalCount } }`,
			map[string]any{"after": *first.Deputies.PageInfo.EndCursor}, "BAD_USER_INPUT", "after")
	})
}
