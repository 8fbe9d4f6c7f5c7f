package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/storetest"
)

// httpResult is an answer of /graphql as a client sees it.
type httpResult struct {
	status  int
	header  http.Header
	body    []byte
	hasData bool
	errors  []gqlError
}

// MustServer serves c's API over real HTTP.
func MustServer(tb testing.TB, c *Client) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(c.h)
	tb.Cleanup(srv.Close)
	return srv
}

func decodeResult(tb testing.TB, status int, header http.Header, body []byte) httpResult {
	tb.Helper()
	r := httpResult{status: status, header: header, body: body}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		tb.Fatalf("response is not a JSON object: %v: %.300s", err, body)
	}
	_, r.hasData = top["data"]
	if e, ok := top["errors"]; ok {
		if err := json.Unmarshal(e, &r.errors); err != nil {
			tb.Fatalf("errors: %v: %.300s", err, e)
		}
	}
	return r
}

// send posts body to srv with the given content type.
func send(tb testing.TB, srv *httptest.Server, method, contentType string, body io.Reader) httpResult {
	tb.Helper()
	req, err := http.NewRequest(method, srv.URL, body)
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s: %v", method, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return decodeResult(tb, res.StatusCode, res.Header, b)
}

func postJSON(tb testing.TB, srv *httptest.Server, body string) httpResult {
	tb.Helper()
	return send(tb, srv, http.MethodPost, "application/json", strings.NewReader(body))
}

// mustOK: the request ran and answered data without errors.
func (r httpResult) mustOK(tb testing.TB) {
	tb.Helper()
	if r.status != http.StatusOK || len(r.errors) > 0 || !r.hasData {
		tb.Fatalf("got %d %.300s, want 200 with data", r.status, r.body)
	}
}

// mustRefuse: the request was refused with status, BAD_USER_INPUT, a
// message containing msg, field if given, and no data entry.
func (r httpResult) mustRefuse(tb testing.TB, status int, msg, field string) {
	tb.Helper()
	if r.status != status || len(r.errors) != 1 || r.hasData {
		tb.Fatalf("got %d %.300s, want %d with one error and no data", r.status, r.body, status)
	}
	e := r.errors[0]
	if e.Extensions.Code != "BAD_USER_INPUT" || !strings.Contains(e.Message, msg) || e.Extensions.Field != field {
		tb.Fatalf("got error %q code %q field %q, want BAD_USER_INPUT with %q on field %q", e.Message, e.Extensions.Code, e.Extensions.Field, msg, field)
	}
}

// padded is a request of exactly n bytes: {__typename} with an unused
// variable of filler.
func padded(n int) string {
	head, tail := `{"query":"{ __typename }","variables":{"pad":"`, `"}}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

// nested is a request whose variables nest to depth levels in all, the
// request object counting as one.
func nested(depth int) string {
	// request (1), variables (2), then depth-2 arrays.
	return `{"query":"{ __typename }","variables":{"v":` + strings.Repeat("[", depth-2) + strings.Repeat("]", depth-2) + `}}`
}

// hidden hides a reader's length so the client sends it chunked.
type hidden struct{ io.Reader }

func TestHTTP_BodySize(t *testing.T) {
	srv := MustServer(t, MustClient(t))
	limit := fmt.Sprintf("%d MiB", graph.MaxBodyBytes>>20)
	t.Run("OK", func(t *testing.T) {
		postJSON(t, srv, padded(graph.MaxBodyBytes)).mustOK(t)
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		postJSON(t, srv, padded(graph.MaxBodyBytes+1)).mustRefuse(t, http.StatusRequestEntityTooLarge, limit, "")
	})
	t.Run("ErrTooLargeChunked", func(t *testing.T) {
		send(t, srv, http.MethodPost, "application/json", hidden{strings.NewReader(padded(graph.MaxBodyBytes + 1))}).
			mustRefuse(t, http.StatusRequestEntityTooLarge, limit, "")
	})
	t.Run("OKChunked", func(t *testing.T) {
		send(t, srv, http.MethodPost, "application/json", hidden{strings.NewReader(padded(graph.MaxBodyBytes))}).mustOK(t)
	})
}

func TestHTTP_Batching(t *testing.T) {
	srv := MustServer(t, MustClient(t))
	t.Run("OK", func(t *testing.T) {
		postJSON(t, srv, `{"query":"{ __typename }"}`).mustOK(t)
	})
	t.Run("ErrBatch", func(t *testing.T) {
		postJSON(t, srv, " \n"+`[{"query":"{ __typename }"},{"query":"{ __typename }"}]`).
			mustRefuse(t, http.StatusBadRequest, "batching is not supported; send one operation per request", "")
	})
}

func TestHTTP_JSONDepth(t *testing.T) {
	srv := MustServer(t, MustClient(t))
	t.Run("OK", func(t *testing.T) {
		postJSON(t, srv, nested(graph.MaxJSONDepth)).mustOK(t)
	})
	t.Run("ErrTooDeep", func(t *testing.T) {
		postJSON(t, srv, nested(graph.MaxJSONDepth+1)).mustRefuse(t, http.StatusBadRequest, fmt.Sprintf("deeper than %d levels", graph.MaxJSONDepth), "")
	})
	t.Run("ErrTooDeepInStrings", func(t *testing.T) {
		// Brackets in strings do not count; an escaped quote does not end one.
		body := `{"query":"{ __typename }","variables":{"s":"\"` + strings.Repeat("[", 1000) + `"}}`
		postJSON(t, srv, body).mustOK(t)
	})
	t.Run("ErrTenMegabytesOfBrackets", func(t *testing.T) {
		body := []byte(`{"query":"{ __typename }","variables":{"v":` + strings.Repeat("[", 10<<20))
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		r := send(t, srv, http.MethodPost, "application/json", bytes.NewReader(body))
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		r.mustRefuse(t, http.StatusBadRequest, "deeper than", "")
		// Reading the body costs its size once; decoding it would cost
		// ten times that.
		if alloc := after.TotalAlloc - before.TotalAlloc; took > time.Second || alloc > 3*uint64(len(body)) {
			t.Fatalf("refused in %v allocating %d MB, want under 1 s and %d MB", took, alloc>>20, 3*len(body)>>20)
		}
	})
}

func TestHTTP_JSONItems(t *testing.T) {
	srv := MustServer(t, MustClient(t))
	// The request object, "query", its value, "variables", its object, "v",
	// its array: 7 items, then one per element.
	items := func(n int) string {
		return `{"query":"{ __typename }","variables":{"v":[` + strings.Repeat("0,", n-7-1) + `0]}}`
	}
	t.Run("OK", func(t *testing.T) {
		postJSON(t, srv, items(graph.MaxJSONItems)).mustOK(t)
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		postJSON(t, srv, items(graph.MaxJSONItems+1)).mustRefuse(t, http.StatusBadRequest, fmt.Sprintf("more than %d values and keys", graph.MaxJSONItems), "")
	})
}

func TestHTTP_NumberRange(t *testing.T) {
	c := MustClient(t)
	srv := MustServer(t, c)
	create := func(attributes string) httpResult {
		return postJSON(t, srv, `{"query":"mutation($in: CreateTownshipInput!) { createTownship(input: $in) { id attributes } }",
			"variables":{"in":{"name":"甲镇","county":"乙县","attributes":`+attributes+`}}}`)
	}
	t.Run("OK", func(t *testing.T) {
		r := create(`{"max":1.7976931348623157e308,"min":-1.7976931348623157e308,"tiny":1e-400}`)
		r.mustOK(t)
		if !bytes.Contains(r.body, []byte("1.7976931348623157e+308")) {
			t.Fatalf("created %s, want the largest float back", r.body)
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		create(`{"x":1e400}`).mustRefuse(t, http.StatusBadRequest, "number out of range", "variables.in.attributes.x")
	})
	t.Run("ErrTooSmall", func(t *testing.T) {
		create(`{"list":[1,-1.8e308]}`).mustRefuse(t, http.StatusBadRequest, "number out of range", "variables.in.attributes.list.1")
	})
	var out struct{ Townships struct{ TotalCount int } }
	c.MustDo(`{ townships { totalCount } }`, nil, &out)
	if out.Townships.TotalCount != 1 {
		t.Fatalf("%d townships, want only the one created with numbers in range", out.Townships.TotalCount)
	}
}

func TestHTTP_BadRequests(t *testing.T) {
	srv := MustServer(t, MustClient(t))
	t.Run("OKByteOrderMark", func(t *testing.T) {
		postJSON(t, srv, "\xef\xbb\xbf"+`{"query":"{ __typename }"}`).mustOK(t)
	})
	for _, tc := range []struct {
		name, method, contentType, body string
		status                          int
		msg, field                      string
	}{
		{"ErrNotJSON", "POST", "application/json", `{"query": "{ __typename }"`, 400, "not valid JSON", ""},
		{"ErrTrailingData", "POST", "application/json", `{"query": "{ __typename }"} {}`, 400, "not valid JSON", ""},
		{"ErrNotObject", "POST", "application/json", `"{ __typename }"`, 400, "must be a JSON object", ""},
		{"ErrEmpty", "POST", "application/json", ``, 400, "body is empty", ""},
		{"ErrNoQuery", "POST", "application/json", `{"qeury": "{ __typename }"}`, 400, "query is required", "query"},
		{"ErrQueryNotString", "POST", "application/json", `{"query": 1}`, 400, "query must be a string, not a number", "query"},
		{"ErrOperationNameNotString", "POST", "application/json", `{"query": "{ __typename }", "operationName": {}}`, 400, "operationName must be a string, not an object", "operationName"},
		{"ErrVariablesNotObject", "POST", "application/json", `{"query": "{ __typename }", "variables": "{}"}`, 400, "variables must be a JSON object, not a string", "variables"},
		{"ErrExtensionsNotObject", "POST", "application/json", `{"query": "{ __typename }", "extensions": []}`, 400, "extensions must be a JSON object, not an array", "extensions"},
		{"ErrNotUTF8", "POST", "application/json", "{\"query\": \"{ __typename }\", \"variables\": {\"name\": \"\xd5\xc5\xc8\xfd\"}}", 400, "not valid UTF-8", ""},
		{"ErrNoContentType", "POST", "", `{"query": "{ __typename }"}`, 415, "Content-Type: application/json", ""},
		{"ErrTextPlain", "POST", "text/plain;charset=UTF-8", `{"query": "{ __typename }"}`, 415, "Content-Type: application/json", ""},
		{"ErrCharset", "POST", "application/json; charset=gbk", `{"query": "{ __typename }"}`, 415, "must be UTF-8", ""},
		{"ErrMethod", "PUT", "application/json", `{"query": "{ __typename }"}`, 405, "method PUT is not allowed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, srv, tc.method, tc.contentType, strings.NewReader(tc.body))
			r.mustRefuse(t, tc.status, tc.msg, tc.field)
			if tc.status == 405 && r.header.Get("Allow") != "GET, POST" {
				t.Fatalf("Allow = %q, want GET, POST", r.header.Get("Allow"))
			}
		})
	}
}

func get(tb testing.TB, h http.Handler, accept string, params url.Values) httpResult {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return decodeResult(tb, rec.Code, rec.Header(), rec.Body.Bytes())
}

func TestHTTP_GET(t *testing.T) {
	c := MustClient(t)
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	t.Run("OK", func(t *testing.T) {
		get(t, c.h, "", q("query", "query($n: String!) { __type(name: $n) { name } }", "variables", `{"n":"Deputy"}`)).mustOK(t)
	})
	t.Run("ErrMutation", func(t *testing.T) {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			r := get(t, c.h, accept, q("query", `mutation { createTownship(input: {name: "甲镇", county: "乙县"}) { id } }`))
			r.mustRefuse(t, http.StatusMethodNotAllowed, "GET requests can only run queries", "")
			if r.header.Get("Allow") != "POST" {
				t.Fatalf("Allow = %q, want POST", r.header.Get("Allow"))
			}
		}
		var out struct{ Townships struct{ TotalCount int } }
		c.MustDo(`{ townships { totalCount } }`, nil, &out)
		if out.Townships.TotalCount != 0 {
			t.Fatalf("a GET mutation created %d townships", out.Townships.TotalCount)
		}
	})
	t.Run("OKLongestURL", func(t *testing.T) {
		params := q("query", "{ __typename }", "pad", "")
		pad := graph.MaxBodyBytes - len(params.Encode())
		params.Set("pad", strings.Repeat("x", pad))
		get(t, c.h, "", params).mustOK(t)
	})
	t.Run("ErrURLTooLong", func(t *testing.T) {
		params := q("query", "{ __typename }", "pad", "")
		params.Set("pad", strings.Repeat("x", graph.MaxBodyBytes-len(params.Encode())+1))
		get(t, c.h, "", params).mustRefuse(t, http.StatusRequestURITooLong, "send the request with POST", "")
	})
	t.Run("OKDepth", func(t *testing.T) {
		// variables is level 2, as in a body.
		v := `{"v":` + strings.Repeat("[", graph.MaxJSONDepth-2) + strings.Repeat("]", graph.MaxJSONDepth-2) + `}`
		get(t, c.h, "", q("query", "{ __typename }", "variables", v)).mustOK(t)
	})
	t.Run("ErrTooDeep", func(t *testing.T) {
		v := `{"v":` + strings.Repeat("[", graph.MaxJSONDepth-1) + strings.Repeat("]", graph.MaxJSONDepth-1) + `}`
		get(t, c.h, "", q("query", "{ __typename }", "variables", v)).mustRefuse(t, http.StatusBadRequest, "deeper than", "")
	})
	t.Run("ErrNumberRange", func(t *testing.T) {
		get(t, c.h, "", q("query", "{ __typename }", "variables", `{"n":[1e400]}`)).mustRefuse(t, http.StatusBadRequest, "out of range", "variables.n.0")
	})
	t.Run("ErrBatchVariables", func(t *testing.T) {
		get(t, c.h, "", q("query", "{ __typename }", "variables", `[{}]`)).mustRefuse(t, http.StatusBadRequest, "must be a JSON object, not an array", "variables")
	})
	t.Run("ErrNoQuery", func(t *testing.T) {
		get(t, c.h, "", q("operationName", "Q")).mustRefuse(t, http.StatusBadRequest, "query is required", "query")
	})
	t.Run("ErrTooManyParams", func(t *testing.T) {
		params := q("query", "{ __typename }")
		for i := range 64 {
			params.Set(fmt.Sprint("p", i), "")
		}
		get(t, c.h, "", params).mustRefuse(t, http.StatusBadRequest, "more than 64 parameters", "")
	})
}

// TestHTTP_LogsNoBodies: a refused body is not logged, not even in part;
// the log says why and how long it was.
func TestHTTP_LogsNoBodies(t *testing.T) {
	var logs bytes.Buffer
	api := graph.New(storetest.MustOpen(t), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	srv := httptest.NewServer(api)
	defer srv.Close()
	secret := `"name":"张三","phone":"13800138000"`
	cut := `{"query":"mutation { x }","variables":{"in":{` + secret + strings.Repeat(" ", 1<<20) // cut short
	for _, body := range []string{
		cut,
		`[{"query":"{ __typename }","variables":{` + secret + `}}]`,
		`{"query":"{ __typename }","variables":{` + secret + `,"n":1e400}}`,
		`{"query":"{ __typename }","variables":{` + secret + `,"v":` + strings.Repeat("[", 100) + `}}`,
	} {
		r := postJSON(t, srv, body)
		if r.status != http.StatusBadRequest || bytes.Contains(r.body, []byte("13800138000")) {
			t.Fatalf("got %d %.200s, want 400 without the body echoed", r.status, r.body)
		}
	}
	if got := logs.String(); strings.Contains(got, "13800138000") || strings.Contains(got, "张三") || len(got) > 4096 ||
		strings.Count(got, "graphql request refused") != 4 || !strings.Contains(got, fmt.Sprintf("bytes=%d", len(cut))) {
		t.Fatalf("logs hold request data or lack the refusals:\n%.2000s", got)
	}
}

func TestHTTP_Accept(t *testing.T) {
	c := MustClient(t)
	for _, tc := range []struct{ accept, want string }{
		{"", "application/json"},
		{"*/*", "application/json"},
		{"application/*", "application/json"},
		{"text/html", "application/json"},
		{"application/graphql-response+json, application/json", "application/graphql-response+json"},
		{"application/json, application/graphql-response+json", "application/json"},
		{"application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json"},
		{"application/graphql-response+json;q=0, */*", "application/json"},
		{"*/*, application/graphql-response+json", "application/graphql-response+json"},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"},
	} {
		r := get(t, c.h, tc.accept, url.Values{"query": {"{ __typename }"}})
		if got := r.header.Get("Content-Type"); got != tc.want+"; charset=utf-8" || r.status != 200 {
			t.Errorf("Accept %q: got %d %q, want 200 %q", tc.accept, r.status, got, tc.want)
		}
	}
}

// TestHTTP_RequestErrors: whatever fails before execution is the
// request's fault: 200 with application/json, 400 with
// application/graphql-response+json, no data either way, never INTERNAL.
func TestHTTP_RequestErrors(t *testing.T) {
	c := MustClient(t)
	for _, tc := range []struct{ name, query, extensions, reason string }{
		{"ErrParse", "{", "", "GRAPHQL_PARSE_FAILED"},
		{"ErrValidation", "{ salary }", "", "GRAPHQL_VALIDATION_FAILED"},
		{"ErrUnknownOperation", "query A { __typename }", "", "GRAPHQL_VALIDATION_FAILED"},
		{"ErrPersistedQueryVersion", "{ __typename }", `{"persistedQuery":{"version":2,"sha256Hash":"x"}}`, "BAD_REQUEST"},
		{"ErrPersistedQueryNotFound", "", `{"persistedQuery":{"version":1,"sha256Hash":"0000"}}`, "PERSISTED_QUERY_NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for accept, status := range map[string]int{"application/json": 200, "application/graphql-response+json": 400} {
				params := url.Values{"operationName": {"B"}}
				if tc.name != "ErrUnknownOperation" {
					params.Del("operationName")
				}
				if tc.query != "" {
					params.Set("query", tc.query)
				}
				if tc.extensions != "" {
					params.Set("extensions", tc.extensions)
				}
				r := get(t, c.h, accept, params)
				if r.status != status || r.hasData || len(r.errors) != 1 || r.errors[0].Extensions.Code != "BAD_USER_INPUT" {
					t.Fatalf("Accept %s: got %d %s, want %d BAD_USER_INPUT without data", accept, r.status, r.body, status)
				}
				var reason struct {
					Errors []struct{ Extensions struct{ Reason string } }
				}
				if err := json.Unmarshal(r.body, &reason); err != nil || reason.Errors[0].Extensions.Reason != tc.reason {
					t.Fatalf("Accept %s: got %s, want reason %s", accept, r.body, tc.reason)
				}
			}
		})
	}
}

// FuzzHTTP_Body: no body makes the transport fail: every answer is a JSON
// object with a clear status and never INTERNAL.
func FuzzHTTP_Body(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ __typename }"}`, `[{"query":"{ __typename }"}]`, `{"query":"{"}`, `{ "not a JSON`,
		`{"query":"query($v: JSON) { __typename }","variables":{"v":[[[1e400]]]}}`, "\xef\xbb\xbf{}",
		`{"query":"mutation($in: CreateTownshipInput!) { createTownship(input: $in) { id } }","variables":{"in":{"name":"甲","county":"乙","attributes":{"a":[1,{"b":null}]}}}}`,
		`{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"x"}}}`,
		`{"query":"{ __typename }","variables":{"s":"\"[[[["}}`, nested(graph.MaxJSONDepth + 1),
	} {
		f.Add([]byte(seed))
	}
	c := MustClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", accept)
			rec := httptest.NewRecorder()
			c.h.ServeHTTP(rec, req)
			r := decodeResult(t, rec.Code, rec.Header(), rec.Body.Bytes())
			switch {
			case rec.Code != 200 && rec.Code != 400 && rec.Code != 413:
				t.Fatalf("status %d: %.300s", rec.Code, r.body)
			case rec.Code != 200 && r.hasData:
				t.Fatalf("status %d with data: %.300s", rec.Code, r.body)
			case rec.Code == 200 && !r.hasData && accept != "application/json":
				t.Fatalf("200 without data: %.300s", r.body)
			}
			for _, e := range r.errors {
				if e.Extensions.Code == "" || e.Extensions.Code == "INTERNAL" {
					t.Fatalf("error %q with code %q", e.Message, e.Extensions.Code)
				}
			}
		}
	})
}
