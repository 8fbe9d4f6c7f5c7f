package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/report/engine"
	"renda/internal/storetest"
	"renda/reports"
)

// Client talks to a GraphQL handler over a real store.
type Client struct {
	tb       testing.TB
	h        http.Handler
	s        *records.Store
	commands *commandCounter
}

type commandCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *commandCounter) add(name string) {
	c.mu.Lock()
	c.n[name]++
	c.mu.Unlock()
}

// total counts every command sent.
func (c *commandCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.n {
		n += k
	}
	return n
}

func (c *commandCounter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

// MustClient returns a client on a fresh database.
func MustClient(tb testing.TB) *Client {
	tb.Helper()
	cc := &commandCounter{n: map[string]int{}}
	s := storetest.MustOpen(tb, storetest.OnCommand(cc.add))
	log := slog.New(slog.DiscardHandler)
	api := graph.New(s, log)
	api.SetReports(report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports,
		Engine: engine.Options{Timeout: time.Second}}))
	return &Client{tb: tb, h: api, s: s, commands: cc}
}

type gqlError struct {
	Message    string
	Path       []any
	Extensions struct {
		Code  string
		Field string
	}
}

type response struct {
	Data   json.RawMessage
	Errors []gqlError
}

// Do runs a query and returns the raw response.
func (c *Client) Do(query string, vars map[string]any) response {
	c.tb.Helper()
	return c.doCtx(context.Background(), query, vars)
}

// MustDo runs a query that must succeed and decodes its data into out.
func (c *Client) MustDo(query string, vars map[string]any, out any) {
	c.tb.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) > 0 {
		c.tb.Fatalf("query failed: %+v", r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			c.tb.Fatalf("decode data: %v: %s", err, r.Data)
		}
	}
}

// MustFail runs a query that must fail with code, on field if given.
func (c *Client) MustFail(query string, vars map[string]any, code, field string) gqlError {
	c.tb.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) == 0 {
		c.tb.Fatalf("got no error, want %s: data %s", code, r.Data)
	}
	e := r.Errors[0]
	if e.Extensions.Code != code || (field != "" && e.Extensions.Field != field) {
		c.tb.Fatalf("got error %q code %q field %q, want code %q field %q", e.Message, e.Extensions.Code, e.Extensions.Field, code, field)
	}
	return e
}

// create runs a createX mutation and returns the new id.
func (c *Client) create(kind string, input map[string]any) string {
	c.tb.Helper()
	var out map[string]struct{ ID string }
	c.MustDo(fmt.Sprintf(`mutation($in: Create%sInput!) { r: create%s(input: $in) { id } }`, kind, kind), map[string]any{"in": input}, &out)
	return out["r"].ID
}

// Fixture is a small township built for a test.
type Fixture struct {
	Township string
	Villages []string
	Deputies []string
	Projects []string
}

// MustFixture creates a township with 3 villages, n deputies spread over
// them and levels, 2 road projects and an inspection per 10 deputies.
func MustFixture(c *Client, n int) Fixture {
	c.tb.Helper()
	f := Fixture{Township: c.create("Township", map[string]any{"name": "测试镇", "county": "测试县"})}
	for i, name := range []string{"东村", "西村", "南村"} {
		f.Villages = append(f.Villages, c.create("Village", map[string]any{"township": f.Township, "name": name, "population": 1000 * (i + 1),
			"attributes": map[string]any{"area": map[string]any{"km2": 10 * (i + 1)}}}))
	}
	levels := [][]string{{"TOWNSHIP"}, {"COUNTY", "TOWNSHIP"}, {"CITY", "COUNTY"}}
	for i := range n {
		f.Deputies = append(f.Deputies, c.create("Deputy", map[string]any{
			"township": f.Township, "name": fmt.Sprintf("代表%03d", i), "levels": levels[i%3],
			"villageId": f.Villages[i%3], "group": fmt.Sprintf("第%d组", i%4+1), "tags": []string{fmt.Sprintf("t%d", i%2)},
		}))
	}
	for i, km := range []float64{12.5, 3.2} {
		f.Projects = append(f.Projects, c.create("Project", map[string]any{"township": f.Township, "name": fmt.Sprintf("路%d", i),
			"kind": "ROAD", "year": 2023, "status": "COMPLETED", "lengthKm": km, "surface": "CEMENT", "villageIds": []string{f.Villages[i]}}))
	}
	for i := 0; i*10 < n; i++ {
		c.create("Inspection", map[string]any{"township": f.Township, "topic": fmt.Sprintf("视察%d", i),
			"date":           map[string]any{"date": fmt.Sprintf("2023-%02d-11", i%12+1), "precision": "DEKAD"},
			"participantIds": f.Deputies[i*10 : min(n, i*10+10)], "villageIds": f.Villages[:1], "projectIds": f.Projects[:1]})
	}
	return f
}

func TestQuery_DeputiesWithRelations(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 12)
	var out struct {
		Deputies struct {
			TotalCount int
			Nodes      []struct {
				Name        string
				Levels      []string
				Village     struct{ Name string }
				Inspections []struct{ Topic string }
				Township    struct{ Name string }
			}
		}
	}
	c.MustDo(`query($t: ID) { deputies(township: $t, first: 3) { totalCount nodes { name levels village { name } inspections { topic } township { name } } } }`,
		map[string]any{"t": f.Township}, &out)
	if got := out.Deputies.TotalCount; got != 12 {
		t.Fatalf("totalCount = %d, want 12", got)
	}
	d := out.Deputies.Nodes[0]
	if d.Name != "代表000" || d.Village.Name != "东村" || len(d.Inspections) != 1 || d.Inspections[0].Topic != "视察0" || d.Township.Name != "测试镇" {
		t.Fatalf("first deputy = %+v, want 代表000 of 东村 in 视察0 of 测试镇", d)
	}
}

func TestQuery_Single(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	t.Run("OK", func(t *testing.T) {
		var out struct {
			Village struct {
				Name     string
				Deputies []struct{ Name string }
				Projects []struct {
					Name        string
					LengthKm    float64
					Villages    []struct{ Name string }
					Inspections []struct{ Topic string }
				}
			}
		}
		c.MustDo(`query($id: ID!) { village(id: $id) { name deputies { name } projects { name lengthKm villages { name } inspections { topic } } } }`,
			map[string]any{"id": f.Villages[0]}, &out)
		v := out.Village
		if v.Name != "东村" || len(v.Deputies) != 1 || len(v.Projects) != 1 || v.Projects[0].LengthKm != 12.5 ||
			v.Projects[0].Villages[0].Name != "东村" || len(v.Projects[0].Inspections) != 1 {
			t.Fatalf("village = %+v", v)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		c.MustFail(`{ deputy(id: "nope") { name } }`, nil, "NOT_FOUND", "")
	})
}

func TestQuery_InspectionDateSpan(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 10)
	var out struct {
		Inspections struct {
			Nodes []struct {
				Date             struct{ Date, End, Text, FullText, Precision string }
				ParticipantCount int
				Participants     []struct{ Name string }
			}
		}
	}
	c.MustDo(`query($t: ID) { inspections(township: $t) { nodes { date { date end text fullText precision } participantCount participants { name } } } }`,
		map[string]any{"t": f.Township}, &out)
	got := out.Inspections.Nodes[0]
	if got.Date.Text != "1月中旬" || got.Date.End != "2023-01-20" || got.Date.FullText != "2023年1月中旬" || got.ParticipantCount != 10 || len(got.Participants) != 10 {
		t.Fatalf("inspection = %+v, want 1月中旬 ending 2023-01-20 with 10 participants", got)
	}
}

func TestQuery_Filters(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 12)
	count := func(filter string) int {
		t.Helper()
		var out struct{ Deputies struct{ TotalCount int } }
		c.MustDo(`query($t: ID, $f: DeputyFilter) { deputies(township: $t, filter: $f) { totalCount } }`,
			map[string]any{"t": f.Township, "f": json.RawMessage(filter)}, &out)
		return out.Deputies.TotalCount
	}
	for _, tc := range []struct {
		name   string
		filter string
		want   int
	}{
		{"StringEq", `{"name": {"eq": "代表001"}}`, 1},
		{"StringNe", `{"name": {"ne": "代表001"}}`, 11},
		{"StringIn", `{"name": {"in": ["代表001", "代表002", "无此人"]}}`, 2},
		{"StringContains", `{"name": {"contains": "01"}}`, 3},
		{"StringContainsChinese", `{"name": {"contains": "表00"}}`, 10},
		{"StringContainsIsLiteral", `{"name": {"contains": "代表.*"}}`, 0},
		{"StringStartsWith", `{"group": {"startsWith": "第1"}}`, 3},
		{"StringIsNull", `{"party": {"isNull": true}}`, 12},
		{"IDEq", fmt.Sprintf(`{"village": {"eq": %q}}`, f.Villages[0]), 4},
		{"IDNin", fmt.Sprintf(`{"village": {"nin": [%q, %q]}}`, f.Villages[0], f.Villages[1]), 4},
		{"LevelsHas", `{"levels": {"has": "COUNTY"}}`, 8},
		{"LevelsHasAny", `{"levels": {"hasAny": ["CITY", "TOWNSHIP"]}}`, 12},
		{"LevelsHasAll", `{"levels": {"hasAll": ["COUNTY", "TOWNSHIP"]}}`, 4},
		{"Tags", `{"tags": {"has": "t1"}}`, 6},
		{"And", `{"and": [{"levels": {"has": "COUNTY"}}, {"tags": {"has": "t1"}}]}`, 4},
		{"Or", `{"or": [{"name": {"eq": "代表000"}}, {"name": {"eq": "代表011"}}]}`, 2},
		{"Not", `{"not": {"levels": {"has": "CITY"}}}`, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(tc.filter); got != tc.want {
				t.Fatalf("count(%s) = %d, want %d", tc.filter, got, tc.want)
			}
		})
	}
	t.Run("NumbersAndAttributes", func(t *testing.T) {
		var out struct {
			Villages struct{ Nodes []struct{ Name string } }
		}
		c.MustDo(`query($t: ID) { villages(township: $t, filter: {population: {gt: 1000, lte: 3000}, attributes: [{path: "area.km2", gte: 30}]}) { nodes { name } } }`,
			map[string]any{"t": f.Township}, &out)
		if len(out.Villages.Nodes) != 1 || out.Villages.Nodes[0].Name != "南村" {
			t.Fatalf("villages = %+v, want only 南村", out.Villages.Nodes)
		}
	})
	t.Run("Dates", func(t *testing.T) {
		var out struct{ Inspections struct{ TotalCount int } }
		c.MustDo(`query($t: ID) { inspections(township: $t, filter: {date: {gte: "2023-02-01", lt: "2023-03-01"}, year: {eq: 2023}}) { totalCount } }`,
			map[string]any{"t": f.Township}, &out)
		if out.Inspections.TotalCount != 1 {
			t.Fatalf("inspections in February = %d, want 1", out.Inspections.TotalCount)
		}
	})
	t.Run("ErrAttributePath", func(t *testing.T) {
		c.MustFail(`{ villages(filter: {attributes: [{path: "$where", eq: 1}]}) { totalCount } }`, nil, "BAD_USER_INPUT", "filter.attributes.0.path")
	})
	t.Run("ErrBadDate", func(t *testing.T) {
		c.MustFail(`{ inspections(filter: {date: {gte: "2023-02-30"}}) { totalCount } }`, nil, "BAD_USER_INPUT", "")
	})
}

func TestQuery_Pagination(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 25)
	type page struct {
		Deputies struct {
			Edges []struct {
				Cursor string
				Node   struct{ ID, Name string }
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	t.Run("OK", func(t *testing.T) {
		var names []string
		var after any
		for i := 0; i < 10; i++ {
			var p page
			c.MustDo(`query($t: ID, $a: String) { deputies(township: $t, first: 10, after: $a, orderBy: [{field: GROUP, direction: DESC}, {field: NAME}]) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"t": f.Township, "a": after}, &p)
			for _, e := range p.Deputies.Edges {
				names = append(names, e.Node.Name)
			}
			if !p.Deputies.PageInfo.HasNextPage {
				break
			}
			after = *p.Deputies.PageInfo.EndCursor
		}
		if len(names) != 25 {
			t.Fatalf("paged through %d deputies, want 25", len(names))
		}
		// Group 第4组 first (DESC), by name within: 代表003, 代表007 …
		if names[0] != "代表003" || names[1] != "代表007" || names[24] != "代表024" {
			t.Fatalf("order = %v", names)
		}
	})
	t.Run("ErrFirstTooLarge", func(t *testing.T) {
		c.MustFail(`{ deputies(first: 501) { totalCount } }`, nil, "BAD_USER_INPUT", "first")
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		e := c.MustFail(`{ deputies { nodes { salary } } }`, nil, "BAD_USER_INPUT", "")
		if !strings.Contains(e.Message, "salary") {
			t.Fatalf("message %q does not name the unknown field", e.Message)
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		c.MustFail(`{ deputies(after: "garbage") { totalCount } }`, nil, "BAD_USER_INPUT", "after")
	})
}

func TestMutation(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	t.Run("UpdateOK", func(t *testing.T) {
		var out struct {
			UpdateDeputy struct {
				Version int
				Party   string
				Name    string
			}
		}
		c.MustDo(`mutation($id: ID!) { updateDeputy(id: $id, input: {party: "中共党员"}, expectedVersion: 1) { version party name } }`,
			map[string]any{"id": f.Deputies[0]}, &out)
		if out.UpdateDeputy.Version != 2 || out.UpdateDeputy.Party != "中共党员" || out.UpdateDeputy.Name != "代表000" {
			t.Fatalf("updated = %+v", out.UpdateDeputy)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { updateDeputy(id: $id, input: {party: "群众"}, expectedVersion: 1) { version } }`,
			map[string]any{"id": f.Deputies[0]}, "CONFLICT", "")
		var out struct{ Deputy struct{ Party string } }
		c.MustDo(`query($id: ID!) { deputy(id: $id) { party } }`, map[string]any{"id": f.Deputies[0]}, &out)
		if out.Deputy.Party != "中共党员" {
			t.Fatalf("party after conflict = %q, want unchanged 中共党员", out.Deputy.Party)
		}
	})
	t.Run("ErrEmptyName", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!) { createVillage(input: {township: $t, name: " "}) { id } }`, map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.name")
	})
	t.Run("ErrUnknownVillage", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!) { createDeputy(input: {township: $t, name: "甲", levels: [TOWNSHIP], villageId: "nope"}) { id } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.villageId")
	})
	t.Run("ErrNegativeLength", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { updateProject(id: $id, input: {lengthKm: -1}) { id } }`, map[string]any{"id": f.Projects[0]}, "BAD_USER_INPUT", "input.lengthKm")
	})
	t.Run("ErrSpanPrecision", func(t *testing.T) {
		c.MustFail(`mutation($t: ID!) { createInspection(input: {township: $t, topic: "x", date: {date: "2023-10-15", precision: DEKAD}}) { id } }`,
			map[string]any{"t": f.Township}, "BAD_USER_INPUT", "input.date.precision")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		c.MustFail(`mutation { updateVillage(id: "nope", input: {name: "x"}) { id } }`, nil, "NOT_FOUND", "")
	})
	t.Run("DeleteOK", func(t *testing.T) {
		id := c.create("Village", map[string]any{"township": f.Township, "name": "待删村"})
		c.MustDo(`mutation($id: ID!) { deleteVillage(id: $id, expectedVersion: 1) { id } }`, map[string]any{"id": id}, nil)
		c.MustFail(`query($id: ID!) { village(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND", "")
	})
	t.Run("ErrDeleteReferenced", func(t *testing.T) {
		c.MustFail(`mutation($id: ID!) { deleteVillage(id: $id) { id } }`, map[string]any{"id": f.Villages[0]}, "CONFLICT", "")
	})
}

// TestMutation_ConcurrentSameVersion: 20 writers with one expected version,
// exactly one wins and the version rises by one.
func TestMutation_ConcurrentSameVersion(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	var ok, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.Do(`mutation($id: ID!, $p: String) { updateDeputy(id: $id, input: {phone: $p}, expectedVersion: 1) { version } }`,
				map[string]any{"id": f.Deputies[0], "p": fmt.Sprint(i)})
			switch {
			case len(r.Errors) == 0:
				ok.Add(1)
			case r.Errors[0].Extensions.Code == "CONFLICT":
				conflicts.Add(1)
			}
		}()
	}
	wg.Wait()
	var out struct{ Deputy struct{ Version int } }
	c.MustDo(`query($id: ID!) { deputy(id: $id) { version } }`, map[string]any{"id": f.Deputies[0]}, &out)
	if ok.Load() != 1 || conflicts.Load() != 19 || out.Deputy.Version != 2 {
		t.Fatalf("%d ok, %d conflicts, version %d; want 1, 19, 2", ok.Load(), conflicts.Load(), out.Deputy.Version)
	}
}

// TestQuery_ConstantRoundTrips: the nested page costs the same number of
// find commands for 10 deputies as for 100.
func TestQuery_ConstantRoundTrips(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 500)
	finds := func(n int) int {
		before := c.commands.get("find")
		var out struct {
			Deputies struct{ Nodes []struct{ Name string } }
		}
		c.MustDo(`query($t: ID, $n: Int) { deputies(township: $t, first: $n) { nodes { name village { name } inspections { topic } } } }`,
			map[string]any{"t": f.Township, "n": n}, &out)
		if len(out.Deputies.Nodes) != n {
			t.Fatalf("got %d deputies, want %d", len(out.Deputies.Nodes), n)
		}
		return c.commands.get("find") - before
	}
	for _, n := range []int{10, 100, 500} {
		if got := finds(n); got > 3 {
			t.Errorf("find commands for %d deputies with village and inspections: %d, want at most 3", n, got)
		}
	}
	before := c.commands.get("find")
	var out struct {
		Inspections struct {
			Nodes []struct{ Participants []struct{ Name string } }
		}
	}
	c.MustDo(`query($t: ID) { inspections(township: $t) { nodes { participants { name } villages { name } projects { name } } } }`,
		map[string]any{"t": f.Township}, &out)
	if got := c.commands.get("find") - before; len(out.Inspections.Nodes) != 50 || got > 4 {
		t.Errorf("%d inspections with participants, villages and projects cost %d finds, want 50 and at most 4", len(out.Inspections.Nodes), got)
	}
}

// TestQuery_ListedRecordsServeRelations: a relation to a record a list of
// the same request has read is served from that read: the villages'
// deputies point back at villages already listed, and cost no third find.
func TestQuery_ListedRecordsServeRelations(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 100)
	before := c.commands.get("find")
	var out struct {
		Villages struct {
			Nodes []struct {
				Name     string
				Deputies []struct{ Village struct{ Name string } }
			}
		}
	}
	c.MustDo(`query($t: ID) { villages(township: $t, first: 500) { nodes { name deputies { village { name } } } } }`,
		map[string]any{"t": f.Township}, &out)
	n := 0
	for _, v := range out.Villages.Nodes {
		for _, d := range v.Deputies {
			n++
			if d.Village.Name != v.Name {
				t.Fatalf("a deputy of %s reads village %s", v.Name, d.Village.Name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no deputy in any village")
	}
	if got := c.commands.get("find") - before; got != 2 {
		t.Errorf("villages, their deputies and the deputies' villages: %d finds, want 2 (the villages listed serve the relation)", got)
	}
}

func TestHTTP_ContentNegotiation(t *testing.T) {
	c := MustClient(t)
	for _, tc := range []struct{ accept, want string }{
		{"application/graphql-response+json", "application/graphql-response+json"},
		{"application/json", "application/json"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil)
		req.Header.Set("Accept", tc.accept)
		rec := httptest.NewRecorder()
		c.h.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, tc.want) || rec.Code != 200 {
			t.Fatalf("Accept %s: got %d %q (%s), want 200 %q", tc.accept, rec.Code, got, body, tc.want)
		}
	}
}
