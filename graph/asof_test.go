package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// onDay is a request's context whose writes are stamped at 10:00 of day (in
// Asia/Shanghai): a history over months, made in a test.
func onDay(day string) context.Context {
	t, _ := time.ParseInLocation(time.DateOnly+" 15:04", day+" 10:00", time.FixedZone("CST", 8*3600))
	return records.WithClock(context.Background(), func() time.Time { return t })
}

// mustDoAt runs a mutation as if on day and decodes its data into out.
func (c *Client) mustDoAt(day, query string, vars map[string]any) map[string]struct{ ID string } {
	c.tb.Helper()
	r := c.doCtx(onDay(day), query, vars)
	if len(r.Errors) > 0 {
		c.tb.Fatalf("%s: %+v", query, r.Errors)
	}
	var out map[string]struct{ ID string }
	_ = json.Unmarshal(r.Data, &out)
	return out
}

// TestAsOf: lists, lookups, aggregates and what is read under them answer
// as the records stood at the end of the day asked, through the API: a
// village renamed, one created then deleted, a deputy renamed, a
// suggestion added, over four months of 2023.
func TestAsOf(t *testing.T) {
	c := MustClient(t)
	ta := c.mustDoAt("2023-03-01", `mutation { r: createTownship(input: {name: "甲镇", county: "乙县"}) { id } }`, nil)["r"].ID
	v1 := c.mustDoAt("2023-03-01", `mutation($t: ID!) { r: createVillage(input: {township: $t, name: "东村"}) { id } }`, map[string]any{"t": ta})["r"].ID
	d1 := c.mustDoAt("2023-03-01", `mutation($t: ID!, $v: ID!) { r: createDeputy(input: {township: $t, name: "张三", levels: [TOWNSHIP], villageId: $v}) { id } }`, map[string]any{"t": ta, "v": v1})["r"].ID
	c.mustDoAt("2023-05-01", `mutation($v: ID!) { r: updateVillage(id: $v, input: {name: "东风村"}) { id } }`, map[string]any{"v": v1})
	v2 := c.mustDoAt("2023-05-01", `mutation($t: ID!) { r: createVillage(input: {township: $t, name: "西村"}) { id } }`, map[string]any{"t": ta})["r"].ID
	c.mustDoAt("2023-05-02", `mutation($t: ID!, $d: ID!) { r: createSuggestion(input: {township: $t, deputyId: $d, kind: SUGGESTION, title: "修路", submitted: "2023-05-02"}) { id } }`, map[string]any{"t": ta, "d": d1})
	c.mustDoAt("2023-07-01", `mutation($v: ID!) { r: deleteVillage(id: $v) { id } }`, map[string]any{"v": v2})
	c.mustDoAt("2023-07-01", `mutation($d: ID!) { r: updateDeputy(id: $d, input: {name: "张叁"}) { id } }`, map[string]any{"d": d1})

	type named struct{ Name string }
	villages := func(asOf any) []string {
		var out struct{ Villages struct{ Nodes []named } }
		c.MustDo(`query($t: ID!, $a: Date) { villages(township: $t, asOf: $a) { nodes { name } } }`, map[string]any{"t": ta, "a": asOf}, &out)
		names := []string{}
		for _, n := range out.Villages.Nodes {
			names = append(names, n.Name)
		}
		slices.Sort(names)
		return names
	}
	for _, x := range []struct {
		asOf any
		want []string
	}{
		{"2023-02-28", []string{}},
		{"2023-03-01", []string{"东村"}},
		{"2023-04-30", []string{"东村"}},
		{"2023-05-01", []string{"东风村", "西村"}},
		{"2023-06-30", []string{"东风村", "西村"}},
		{"2023-07-01", []string{"东风村"}},
		{nil, []string{"东风村"}},
		{time.Now().Format(time.DateOnly), []string{"东风村"}},
	} {
		if got := villages(x.asOf); !slices.Equal(got, x.want) {
			t.Errorf("villages as of %v: %v, want %v", x.asOf, got, x.want)
		}
	}
	{ // Lookup
		var out struct{ Then, Before *named }
		c.MustDo(`query($v: ID!) { then: village(id: $v, asOf: "2023-06-30") { name } }`, map[string]any{"v": v2}, &out)
		if out.Then == nil || out.Then.Name != "西村" {
			t.Errorf("village v2 as of June: %+v, want 西村", out.Then)
		}
		c.MustFail(`query($v: ID!) { village(id: $v) { name } }`, map[string]any{"v": v2}, "NOT_FOUND", "")
		c.MustFail(`query($v: ID!) { village(id: $v, asOf: "2023-04-30") { name } }`, map[string]any{"v": v2}, "NOT_FOUND", "")
	}
	{ // Nested
		// One request reads the deputy and the village it points at as of
		// two days and now: each read under a field is as of that field's
		// day, no batch mixing them.
		var out map[string]struct {
			Nodes []struct {
				Name                 string
				Village              named
				Township             struct{ Name string }
				SuggestionsAggregate struct{ Count int }
			}
		}
		c.MustDo(`query($t: ID!) {
			march: deputies(township: $t, asOf: "2023-03-31") { nodes { name village { name } township { name } suggestionsAggregate { count } } }
			june: deputies(township: $t, asOf: "2023-06-30") { nodes { name village { name } suggestionsAggregate { count } } }
			now: deputies(township: $t) { nodes { name village { name } suggestionsAggregate { count } } }
		}`, map[string]any{"t": ta}, &out)
		got := fmt.Sprintf("%v|%v|%v", out["march"].Nodes, out["june"].Nodes, out["now"].Nodes)
		want := "[{张三 {东村} {甲镇} {0}}]|[{张三 {东风村} {} {1}}]|[{张叁 {东风村} {} {1}}]"
		if got != want {
			t.Errorf("deputies with their village\n got %s\nwant %s", got, want)
		}
	}
	{ // Aggregate
		var out map[string]struct{ Count int }
		c.MustDo(`query($t: ID!) {
			april: suggestionsAggregate(township: $t, asOf: "2023-04-30") { count }
			may: suggestionsAggregate(township: $t, asOf: "2023-05-31") { count }
			villagesJune: villagesAggregate(township: $t, asOf: "2023-06-30") { count }
			villagesNow: villagesAggregate(township: $t) { count }
		}`, map[string]any{"t": ta}, &out)
		if out["april"].Count != 0 || out["may"].Count != 1 || out["villagesJune"].Count != 2 || out["villagesNow"].Count != 1 {
			t.Errorf("counts as of April, May (suggestions), June and now (villages): %v, want 0 1 2 1", out)
		}
	}
	{ // Report
		// A report's query reads as of the day renderReport names.
		var out map[string]struct{ Content string }
		c.MustDo(`query($t: ID!) {
			then: renderReport(template: "deputy-roster", params: {township: $t}, format: MARKDOWN, asOf: "2023-06-30") { content }
			now: renderReport(template: "deputy-roster", params: {township: $t}, format: MARKDOWN) { content }
		}`, map[string]any{"t": ta}, &out)
		if then, now := out["then"].Content, out["now"].Content; !strings.Contains(then, "张三") || strings.Contains(then, "张叁") || !strings.Contains(now, "张叁") {
			t.Errorf("roster as of June names 张三, now 张叁:\n%s\n---\n%s", then, now)
		}
	}
	{ // ErrBadDate
		c.MustFail(`{ villages(asOf: "2023-02-30") { nodes { name } } }`, nil, "BAD_USER_INPUT", "")
	}
}
