package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/storetest"
	"renda/reports"
)

// limitOf returns extensions.limit of the first error of a response.
func limitOf(tb testing.TB, c *Client, query string) (string, response) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	var r struct {
		response
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		tb.Fatalf("response is not JSON: %v", err)
	}
	var out response
	out.Data = r.Data
	if len(r.Errors) == 0 {
		return "", out
	}
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		out.Errors = append(out.Errors, gqlError{Message: e.Message})
		out.Errors[len(out.Errors)-1].Extensions.Code = code
	}
	limit, _ := r.Errors[0].Extensions["limit"].(string)
	return limit, out
}

// TestQueryLimits: each limit on a query's text admits a query just under
// it and refuses one just over it with BAD_USER_INPUT and the limit named,
// before the query is validated or run.
func TestQueryLimits(t *testing.T) {
	c := MustClient(t)
	repeat := func(s string, n int) string { return strings.Repeat(s, n) }
	ofTypes := func(depth int) string { // __schema(1) queryType(2) fields(3) type(4) ofType…
		n := depth - 4
		return "{ __schema { queryType { fields { type { " + repeat("ofType { ", n) + "name" + repeat(" }", n) + " } } } } }"
	}
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: __typename ", i)
		}
		return b.String() + "}"
	}
	for _, tc := range []struct {
		name        string
		under, over string
		limit       string
	}{
		{"Size", "{ __typename }\n#" + repeat("x", graph.MaxQueryBytes-len("{ __typename }\n#")),
			"{ __typename }\n#" + repeat("x", graph.MaxQueryBytes-len("{ __typename }\n#")+1), "QUERY_TOO_LARGE"},
		{"Depth", ofTypes(graph.MaxQueryDepth), ofTypes(graph.MaxQueryDepth + 1), "QUERY_TOO_DEEP"},
		{"Aliases", aliases(graph.MaxAliases), aliases(graph.MaxAliases + 1), "TOO_MANY_ALIASES"},
		{"Directives", "{ " + repeat("__typename @include(if: true) ", graph.MaxDirectives) + "}",
			"{ " + repeat("__typename @include(if: true) ", graph.MaxDirectives+1) + "}", "TOO_MANY_DIRECTIVES"},
		{"Fields", "{ " + repeat("__typename ", graph.MaxFlatFields) + "}",
			"{ " + repeat("__typename ", graph.MaxFlatFields+1) + "}", "TOO_MANY_FIELDS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if limit, r := limitOf(t, c, tc.under); limit != "" || len(r.Errors) > 0 {
				t.Fatalf("just under the limit: got %q %+v, want an answer", limit, r.Errors)
			}
			limit, r := limitOf(t, c, tc.over)
			if limit != tc.limit || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" {
				t.Fatalf("just over the limit: got limit %q, errors %+v; want %s BAD_USER_INPUT", limit, r.Errors, tc.limit)
			}
		})
	}
	t.Run("Tokens", func(t *testing.T) {
		// {"x" "x" …} in a list: one token a value, no fields. The ids are
		// refused as filter values (at most 1000) after the token check.
		list := func(n int) string {
			return `{ deputies(filter: {id: {in: [` + repeat(`"x" `, n) + `]}}) { totalCount } }`
		}
		const structure = 20 // the tokens of list(0) but its values, and the end
		limit, r := limitOf(t, c, list(graph.MaxQueryTokens-structure))
		if limit != "" || len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "at most 1000 values") {
			t.Fatalf("just under: got limit %q, errors %+v; want the filter's own limit", limit, r.Errors)
		}
		_, r = limitOf(t, c, list(graph.MaxQueryTokens-structure+2))
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "token limit") || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" {
			t.Fatalf("just over: got %+v, want the token limit", r.Errors)
		}
	})
	t.Run("FragmentExplosion", func(t *testing.T) {
		// Each fragment spreads the one before twice: 2^40 fields expanded.
		var b strings.Builder
		b.WriteString("{ ...F40 }\nfragment F0 on Query { __typename }\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
		}
		start := time.Now()
		if limit, _ := limitOf(t, c, b.String()); limit != "TOO_MANY_FIELDS" {
			t.Fatalf("got limit %q, want TOO_MANY_FIELDS", limit)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("refused after %v, want at once", d)
		}
	})
	t.Run("WorstAcceptedValidatesQuickly", func(t *testing.T) {
		// The most fields one selection set may hold, all alike: the
		// overlapping-fields rule compares them pairwise.
		q := "{ " + repeat("__type(name: \"Query\") { name } ", graph.MaxFlatFields/2) + "}"
		start := time.Now()
		if limit, r := limitOf(t, c, q); limit != "" || len(r.Errors) > 0 {
			t.Fatalf("got %q %+v, want an answer", limit, r.Errors)
		}
		t.Logf("%d alike fields: answered in %v", graph.MaxFlatFields, time.Since(start))
	})
	t.Run("ErrHugeQueryRefusedAtOnce", func(t *testing.T) {
		q := "{ deputies { nodes { " + repeat("name ", 1_000_000) + "} } }" // 5 MB
		start := time.Now()
		if limit, _ := limitOf(t, c, q); limit != "QUERY_TOO_LARGE" {
			t.Fatalf("got limit %q, want QUERY_TOO_LARGE", limit)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("a 5 MB query was refused after %v, want under a second", d)
		}
	})
}

// TestCost: what a query may cost is counted from the most items each list
// can hold, so nested lists multiply; the built-in reports' queries fit.
func TestCost(t *testing.T) {
	api := graph.New(storetest.MustOpen(t), slog.New(slog.DiscardHandler))
	t.Run("BuiltinReportsFit", func(t *testing.T) {
		matches, _ := fs.Glob(reports.FS, "*/query.graphql")
		if len(matches) == 0 {
			t.Fatal("no built-in report queries found")
		}
		for _, m := range matches {
			b, _ := fs.ReadFile(reports.FS, m)
			cost, err := api.Cost(string(b), map[string]any{"township": "qps", "year": 2023, "deputy": "d", "inspection": "i"})
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			t.Logf("%s costs up to %d", m, cost)
			if cost > graph.MaxCost/2 {
				t.Errorf("%s costs up to %d, more than half the limit (%d)", m, cost, graph.MaxCost)
			}
		}
	})
	c := MustClient(t)
	for _, tc := range []struct{ name, query string }{
		{"ErrNestedRelationLists", `{ deputies(first: 500) { nodes { inspections { participants { inspections { participants { name } } } } } } }`},
		{"ErrTwiceAsDeep", `{ deputies(first: 500) { nodes { inspections { participants { inspections { participants { inspections { participants { inspections { participants { name } } } } } } } } } } }`},
		{"ErrVotersReachOut", `{ deputies(first: 500) { nodes { voters { village { deputies { voters { village { name } } } } } } } }`},
		{"ErrNestedPages", `{ townships(first: 500) { nodes { deputies(first: 500) { nodes { name } } } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limit, r := limitOf(t, c, tc.query)
			if limit != "COST" || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" || r.Data != nil && string(r.Data) != "null" {
				t.Fatalf("got limit %q, errors %+v, data %s; want COST refused before it runs", limit, r.Errors, r.Data)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		for _, q := range []string{
			`{ deputies(first: 50) { nodes { inspections(first: 20) { participants(first: 50) { name } } } } }`,
			`{ deputies(first: 500) { nodes { name voters { name contacts { date summary } } honours { title } } } }`,
			`{ deputies(first: 100) { nodes { duty(year: 2023) { inspections { topic } suggestions { title } } } } }`,
		} {
			if limit, r := limitOf(t, c, q); limit != "" || len(r.Errors) > 0 {
				t.Fatalf("%s: got %q %+v, want an answer", q, limit, r.Errors)
			}
		}
	})
}
