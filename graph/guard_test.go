package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/records"
)

// doCtx runs a query with ctx as the request's context.
func (c *Client) doCtx(ctx context.Context, query string, vars map[string]any) response {
	c.tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		c.tb.Fatalf("response is not JSON: %v: %.200s", err, rec.Body.String())
	}
	return r
}

// TestResponseCap: an answer that would be larger than MaxResponseBytes
// stops early with one error and no data.
func TestResponseCap(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 0)
	big := strings.Repeat("x", records.MaxAttributeBytes-16)
	for i := range 10 {
		c.create("Deputy", map[string]any{"township": f.Township, "name": fmt.Sprintf("代表%d", i), "levels": []string{"TOWNSHIP"},
			"attributes": map[string]any{"note": big}})
	}
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("query($t: ID) {")
		for i := range n {
			fmt.Fprintf(&b, " a%d: deputies(township: $t) { nodes { attributes } }", i)
		}
		return b.String() + " }"
	}
	vars := map[string]any{"t": f.Township}
	t.Run("OK", func(t *testing.T) {
		// 10 × 64 KiB × 20 ≈ 13 MiB: under the cap.
		c.MustDo(aliases(20), vars, nil)
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		// 10 × 64 KiB × 30 ≈ 19 MiB.
		r := c.Do(aliases(30), vars)
		if len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, fmt.Sprintf("larger than %d MiB", graph.MaxResponseBytes>>20)) {
			t.Fatalf("errors %+v, want one BAD_USER_INPUT naming the %d MiB cap", r.Errors, graph.MaxResponseBytes>>20)
		}
		if len(r.Data) > 0 && string(r.Data) != "null" {
			t.Fatalf("data of %d bytes, want none", len(r.Data))
		}
	})
}

// TestDeadline: a request that runs past its deadline ends with TIMEOUT,
// without data, soon after the deadline.
func TestDeadline(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 30)
	var b strings.Builder
	b.WriteString("query($t: ID) {")
	for i := range graph.MaxAliases {
		fmt.Fprintf(&b, " a%d: deputies(township: $t, filter: {name: {contains: \"%d\"}}) { nodes { name inspections(first: 10) { participants(first: 10) { name } } } }", i, i)
	}
	q := b.String() + " }"
	// The deadline is a tenth of what the query takes without one, so it
	// falls in the middle of the work however fast the store is.
	took := time.Now()
	c.MustDo(q, map[string]any{"t": f.Township}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Since(took)/10)
	defer cancel()
	start := time.Now()
	r := c.doCtx(ctx, q, map[string]any{"t": f.Township})
	if len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "TIMEOUT" {
		t.Fatalf("errors %+v, want one TIMEOUT", r.Errors)
	}
	if len(r.Data) > 0 && string(r.Data) != "null" {
		t.Fatalf("data of %d bytes, want none", len(r.Data))
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("answered after %v, want soon after the deadline", d)
	}
	t.Run("ErrEndedBeforeStart", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := c.doCtx(ctx, `{ townships { nodes { name } } }`, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "TIMEOUT" {
			t.Fatalf("errors %+v, want one TIMEOUT", r.Errors)
		}
	})
}

// TestIntRange: Int is GraphQL's 32-bit Int; a larger number is
// BAD_USER_INPUT, as a literal and as a variable.
func TestIntRange(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	q := `query($t: ID, $n: Int) { deputies(township: $t, first: $n) { totalCount } }`
	c.MustDo(q, map[string]any{"t": f.Township, "n": 1}, nil)
	for _, n := range []int64{2147483648, -2147483649} {
		r := c.Do(q, map[string]any{"t": f.Township, "n": n})
		if len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "out of range") {
			t.Fatalf("first: %d: got %+v, want BAD_USER_INPUT out of range", n, r.Errors)
		}
	}
	c.MustFail(`{ deputies(first: 2147483648) { totalCount } }`, nil, "BAD_USER_INPUT", "")
	c.MustFail(`{ deputies(first: 501) { totalCount } }`, nil, "BAD_USER_INPUT", "first")
}

// TestInputLimits: text and attributes over their limits are refused on
// their field through the API, and nothing is stored.
func TestInputLimits(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 0)
	mutation := `mutation($in: CreateDeputyInput!) { createDeputy(input: $in) { id } }`
	in := func(name string, attrs map[string]any) map[string]any {
		return map[string]any{"in": map[string]any{"township": f.Township, "name": name, "levels": []string{"TOWNSHIP"}, "attributes": attrs}}
	}
	c.MustDo(mutation, in(strings.Repeat("名", records.MaxShortText), nil), nil)
	c.MustFail(mutation, in(strings.Repeat("名", records.MaxShortText+1), nil), "BAD_USER_INPUT", "input.name")
	c.MustFail(mutation, in("张三", map[string]any{"k": strings.Repeat("x", records.MaxAttributeBytes)}), "BAD_USER_INPUT", "input.attributes")
	// Tags hold 200, as every list (the README's Limits).
	tagged := func(n int) map[string]any {
		v := in("有标签的代表", nil)
		var tags []string
		for i := range n {
			tags = append(tags, fmt.Sprintf("标签%d", i))
		}
		v["in"].(map[string]any)["tags"] = tags
		return v
	}
	c.MustFail(mutation, tagged(201), "BAD_USER_INPUT", "input.tags")
	c.MustDo(mutation, tagged(200), nil)
	var out struct{ Deputies struct{ TotalCount int } }
	c.MustDo(`query($t: ID) { deputies(township: $t) { totalCount } }`, map[string]any{"t": f.Township}, &out)
	if out.Deputies.TotalCount != 2 {
		t.Fatalf("%d deputies stored, want only the two within limits", out.Deputies.TotalCount)
	}
}

// TestRelationFirst: a relation list answers all its items up to first, and
// an error naming its length beyond, never a cut list.
func TestRelationFirst(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 10) // one inspection with 10 participants
	q := `query($t: ID, $n: Int) { inspections(township: $t) { nodes { participants(first: $n) { name } } } }`
	var out struct {
		Inspections struct {
			Nodes []struct{ Participants []struct{ Name string } }
		}
	}
	c.MustDo(q, map[string]any{"t": f.Township, "n": 10}, &out)
	if got := len(out.Inspections.Nodes[0].Participants); got != 10 {
		t.Fatalf("%d participants, want 10", got)
	}
	e := c.MustFail(q, map[string]any{"t": f.Township, "n": 9}, "BAD_USER_INPUT", "first")
	if !strings.Contains(e.Message, "10 participants") {
		t.Fatalf("message %q, want the list's length named", e.Message)
	}
	c.MustFail(q, map[string]any{"t": f.Township, "n": 501}, "BAD_USER_INPUT", "first")
}

// TestDutyBatched: duty(year) for a page of deputies costs the same number
// of database commands for 10 deputies as for 100.
func TestDutyBatched(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 100)
	for i := range 20 {
		c.create("Suggestion", map[string]any{"township": f.Township, "deputyId": f.Deputies[i*5], "kind": "SUGGESTION",
			"title": fmt.Sprintf("建议%d", i), "submitted": fmt.Sprintf("2023-%02d-05", i%12+1), "valuable": true})
	}
	commands := func(n int) int {
		before := c.commands.total()
		var out struct {
			Deputies struct {
				Nodes []struct {
					Duty struct {
						Inspections []struct{ Topic string }
						Suggestions []struct{ Title string }
						Compliant   bool
					}
				}
			}
		}
		c.MustDo(`query($t: ID, $n: Int) { deputies(township: $t, first: $n) { nodes { duty(year: 2023) { inspections { topic } suggestions { title } compliant } } } }`,
			map[string]any{"t": f.Township, "n": n}, &out)
		if len(out.Deputies.Nodes) != n || len(out.Deputies.Nodes[0].Duty.Inspections) != 1 || len(out.Deputies.Nodes[0].Duty.Suggestions) != 1 {
			t.Fatalf("got %d deputies, first %+v; want %d with their inspection and suggestion", len(out.Deputies.Nodes), out.Deputies.Nodes[0].Duty, n)
		}
		return c.commands.total() - before
	}
	small, large := commands(10), commands(100)
	if small != large || large > 5 {
		t.Fatalf("%d commands for 10 deputies, %d for 100; want the same few", small, large)
	}
}

// TestNestedListsServer: the nested-lists query, and one twice as
// deep, sent to a running server are refused before they run, the process
// stays far below 1 GB, and a simple query sent at the same time answers
// in under a second.
func TestNestedListsServer(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 50)
	srv := httptest.NewServer(c.h)
	defer srv.Close()
	post := func(q string) (int, []byte, time.Duration) {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"t": f.Township}})
		start := time.Now()
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return 0, nil, 0
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.Bytes(), time.Since(start)
	}
	nested := `{ deputies(first: 500) { nodes { inspections { participants { inspections { participants { name } } } } } } }`
	deeper := `{ deputies(first: 500) { nodes { inspections { participants { inspections { participants { inspections { participants { inspections { participants { name } } } } } } } } } } }`
	done := make(chan string, 8)
	for range 3 {
		for _, q := range []string{nested, deeper} {
			go func() {
				_, body, d := post(q)
				if !strings.Contains(string(body), `"limit":"COST"`) || d > 5*time.Second {
					done <- fmt.Sprintf("nested query: %.200s after %v, want refused for its cost", body, d)
					return
				}
				done <- ""
			}()
		}
	}
	code, body, d := post(`query($t: ID) { deputies(township: $t, first: 5) { nodes { name } } }`)
	if code != 200 || strings.Contains(string(body), "errors") || d > time.Second {
		t.Errorf("simple query: %d %.200s after %v, want an answer in under a second", code, body, d)
	}
	for range 6 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	if rss := residentBytes(t); rss > 1<<30 {
		t.Errorf("resident set %d MiB, want under 1 GiB", rss>>20)
	}
}

// residentBytes is the process's resident set size.
func residentBytes(tb testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}
