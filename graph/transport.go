package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/internal/records"
)

// Bounds of a /graphql request, checked before anything is decoded or
// parsed. Each refusal is a BAD_USER_INPUT error that says the limit.
const (
	// MaxBodyBytes bounds a POST body and a GET's query string. A body holds
	// a query and its variables, at most a report plugin's files (64 of
	// 256 KiB, JSON-escaped); nothing needs more.
	MaxBodyBytes = 20 << 20
	// MaxJSONDepth bounds how deep the request's JSON nests, the request
	// object being level 1 and `variables` level 2.
	MaxJSONDepth = 64
	// MaxJSONItems bounds the values and object keys in the request's
	// JSON: decoded, each costs tens of bytes, so a 20 MiB body of `0,`
	// would otherwise take half a gigabyte.
	MaxJSONItems = 100_000
	// maxURLParams bounds the parameters of a GET: GraphQL needs four.
	maxURLParams = 64
)

const (
	mediaJSON     = "application/json"
	mediaResponse = "application/graphql-response+json"
)

// HTTP is renda's GraphQL over HTTP transport: POST with a JSON body, GET
// for queries. It replaces gqlgen's transport.POST and transport.GET, which
// read bodies without bound, decode any amount of JSON, put an undecodable
// body whole into its error (logged, as INTERNAL) and answer parse failures
// with 422. It follows the GraphQL over HTTP spec
// (https://graphql.github.io/graphql-over-http/draft/):
//
//   - a request that is not a well-formed GraphQL-over-HTTP request (not
//     JSON, wrong parameter types, too large, a batch) answers 4xx;
//   - with application/json, a well-formed request answers 200, even when
//     its document does not parse, validate or coerce its variables;
//   - with application/graphql-response+json, a request that fails before
//     execution answers 400 (500 if it failed for a fault of ours);
//   - a response of a request that never ran has no data entry.
type HTTP struct {
	// Log gets one DEBUG line per refused request: status, reason and
	// length, never the body or a value from it.
	Log *slog.Logger
}

var _ graphql.Transport = HTTP{}

// Supports every plain HTTP request, so that each gets a GraphQL answer:
// the wrong method or media type is refused here, not as "transport not
// supported".
func (HTTP) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// refusal is a request the transport will not run.
type refusal struct {
	status int
	err    *records.Error
	reason string // for the log: a fixed word, never input
	length int    // bytes of the body or URL query
}

func refuse(status int, reason string, length int, field, format string, args ...any) *refusal {
	return &refusal{status: status, reason: reason, length: length, err: records.Invalidf(field, format, args...)}
}

func (h HTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Values("Accept"))
	w.Header().Set("Content-Type", media+"; charset=utf-8")

	start := graphql.Now()
	var params *graphql.RawParams
	var ref *refusal
	switch r.Method {
	case http.MethodPost:
		params, ref = readPOST(w, r)
	case http.MethodGet:
		params, ref = readGET(r)
	default:
		w.Header().Set("Allow", "GET, POST")
		ref = refuse(http.StatusMethodNotAllowed, "method", 0, "", "method %s is not allowed: send queries with GET or POST, mutations with POST", r.Method)
	}
	if ref != nil {
		h.refuse(ctx, w, exec, ref)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// Nothing ran: whatever failed, the request is at fault. An error
		// an extension raised without a code would otherwise be taken for
		// one of ours (INTERNAL, logged).
		for _, e := range errs {
			if _, ok := e.Extensions["code"]; !ok && !errors.As(e, new(*records.Error)) {
				if e.Extensions == nil {
					e.Extensions = map[string]any{}
				}
				e.Extensions["code"] = "BAD_REQUEST"
			}
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		writeResponse(w, h.Log, ctx, statusNotRun(media, resp), resp)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		h.refuse(ctx, w, exec, refuse(http.StatusMethodNotAllowed, "get_mutation", len(r.URL.RawQuery), "",
			"GET requests can only run queries: send a %s with POST", opCtx.Operation.Operation))
		return
	}

	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if resp == nil {
		// The request's context ended before the operation ran.
		resp = exec.DispatchError(ctx, gqlerror.List{gqlerror.WrapIfUnwrapped(
			records.Errorf(records.ETIMEOUT, "the request was cancelled or ran out of time before it ran"))})
		writeResponse(w, h.Log, ctx, http.StatusServiceUnavailable, resp)
		return
	}
	status := http.StatusOK
	if resp.Data == nil {
		status = statusNotRun(media, resp)
	}
	if r.Method == http.MethodGet && status == http.StatusOK && len(resp.Errors) == 0 {
		writeTagged(w, r, h.Log, ctx, resp)
		return
	}
	writeResponse(w, h.Log, ctx, status, resp)
}

// writeTagged writes the answer to a GET (a query, persisted or not) with
// an ETag that follows the data: the hash of the answer, so it changes
// exactly when what the caller would read changes. A client that sends it
// back in If-None-Match gets 304 and no body. The answer is the caller's
// own (masked for some): private, revalidated each time.
func writeTagged(w http.ResponseWriter, r *http.Request, log *slog.Logger, ctx context.Context, resp *graphql.Response) {
	b, err := json.Marshal(struct {
		*graphql.Response
		Data json.RawMessage `json:"data,omitempty"`
	}{resp, resp.Data})
	if err != nil {
		writeResponse(w, log, ctx, http.StatusOK, resp)
		return
	}
	sum := sha256.Sum256(b)
	tag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Add("Vary", "Authorization, Cookie")
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == tag || t == "*" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (h HTTP) refuse(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, ref *refusal) {
	if h.Log != nil {
		h.Log.DebugContext(ctx, "graphql request refused", "status", ref.status, "reason", ref.reason, "bytes", ref.length)
	}
	resp := exec.DispatchError(ctx, gqlerror.List{gqlerror.WrapIfUnwrapped(ref.err)})
	writeResponse(w, h.Log, ctx, ref.status, resp)
}

// statusNotRun is the status of a response without data: 200 for
// application/json, else 4xx or 5xx by what failed.
func statusNotRun(media string, resp *graphql.Response) int {
	if media != mediaResponse {
		return http.StatusOK
	}
	status := http.StatusBadRequest
	for _, e := range resp.Errors {
		switch e.Extensions["code"] {
		case "INTERNAL":
			return http.StatusInternalServerError
		case "TIMEOUT":
			return http.StatusServiceUnavailable
		case "UNAUTHENTICATED":
			status = http.StatusUnauthorized
		case "FORBIDDEN":
			status = http.StatusForbidden
		}
	}
	return status
}

// writeResponse writes resp; a response with no data has no data entry.
func writeResponse(w http.ResponseWriter, log *slog.Logger, ctx context.Context, status int, resp *graphql.Response) {
	b, err := json.Marshal(struct {
		*graphql.Response
		Data json.RawMessage `json:"data,omitempty"`
	}{resp, resp.Data})
	if err != nil {
		if log != nil {
			log.ErrorContext(ctx, "graphql response not encodable", "err", err.Error())
		}
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// responseMedia chooses the response's media type from the Accept header:
// the acceptable one with the highest q, application/graphql-response+json
// over application/json only when the client names it first or weighs it
// more; application/json when the client names neither (*/*, none, or
// only types renda does not write).
func responseMedia(accept []string) string {
	best, bestQ, named := mediaJSON, 0.0, false
	for _, line := range accept {
		for part := range strings.SplitSeq(line, ",") {
			mt, p, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := p["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil {
					continue
				}
			}
			var m string
			switch mt {
			case mediaResponse, mediaJSON:
				m = mt
			case "*/*", "application/*":
				m = mediaJSON
			default:
				continue
			}
			exact := mt == m
			if q > bestQ || (q == bestQ && exact && !named) {
				best, bestQ, named = m, q, exact
			}
		}
	}
	return best
}

// readPOST reads and decodes a POST: Content-Type application/json, UTF-8,
// a JSON object of at most MaxBodyBytes.
func readPOST(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *refusal) {
	mt, p, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		return nil, refuse(http.StatusUnsupportedMediaType, "media_type", 0, "",
			"send the request as Content-Type: application/json (a JSON object with query, variables, operationName, extensions)")
	}
	if cs, ok := p["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, refuse(http.StatusUnsupportedMediaType, "charset", 0, "", "the request body must be UTF-8, not %.20q", cs)
	}
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge(int(min(r.ContentLength, math.MaxInt32)))
	}
	body, ref := readBody(w, r)
	if ref != nil {
		return nil, ref
	}
	return decodeBody(body)
}

func tooLarge(n int) *refusal {
	return refuse(http.StatusRequestEntityTooLarge, "too_large", n, "", "the request body is larger than the limit of %d bytes (%d MiB)", MaxBodyBytes, MaxBodyBytes>>20)
}

// readBody reads at most MaxBodyBytes, or the smaller bound the server
// put on the body (a caller without credentials: 16 KiB, see
// server.bodyGuard), and says which was passed; net/http closes the
// connection of a longer body rather than reading the rest.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *refusal) {
	if r.Body == nil {
		return nil, nil
	}
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(body)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		if mbe.Limit < MaxBodyBytes {
			msg := "the request body is larger than the limit of %d bytes (%d KiB)"
			if records.ActorFrom(r.Context()).IsAnonymous() {
				msg += " for a caller without credentials: sign in, or send an API key"
			}
			return nil, refuse(http.StatusRequestEntityTooLarge, "too_large", int(mbe.Limit)+1, "", msg, mbe.Limit, mbe.Limit>>10)
		}
		return nil, tooLarge(MaxBodyBytes + 1)
	}
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "read", buf.Len(), "", "the request body could not be read")
	}
	return buf.Bytes(), nil
}

// decodeBody decodes a POST body: one JSON object, no batch.
func decodeBody(body []byte) (*graphql.RawParams, *refusal) {
	n := len(body)
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, refuse(http.StatusBadRequest, "empty", n, "",
			"the request body is empty: send a JSON object with a query")
	case trimmed[0] == '[':
		return nil, refuse(http.StatusBadRequest, "batch", n, "", "batching is not supported; send one operation per request")
	case trimmed[0] != '{':
		return nil, refuse(http.StatusBadRequest, "not_object", n, "",
			"the request body must be a JSON object with a query")
	}
	if items, ref := scanJSON(body, 0, n); ref != nil {
		return nil, ref
	} else if items > MaxJSONItems {
		return nil, tooManyItems(n)
	}
	v, ref := decodeJSON("the request body", body, n)
	if ref != nil {
		return nil, ref
	}
	fields := v.(map[string]any) // it starts with {
	params := &graphql.RawParams{}
	if params.Variables, ref = objectParam("variables", fields["variables"], n); ref != nil {
		return nil, ref
	}
	if params.Extensions, ref = objectParam("extensions", fields["extensions"], n); ref != nil {
		return nil, ref
	}
	if params.OperationName, _, ref = stringParam("operationName", fields["operationName"], n); ref != nil {
		return nil, ref
	}
	var ok bool
	if params.Query, ok, ref = stringParam("query", fields["query"], n); ref != nil {
		return nil, ref
	}
	if !ok && params.Extensions["persistedQuery"] == nil {
		return nil, refuse(http.StatusBadRequest, "no_query", n, "query", "query is required: send the GraphQL document as a string")
	}
	return params, nil
}

// readGET decodes a GET: query, operationName, variables and extensions as
// URL parameters, variables and extensions as JSON, under the same bounds as
// a body.
func readGET(r *http.Request) (*graphql.RawParams, *refusal) {
	raw := r.URL.RawQuery
	n := len(raw)
	if n > MaxBodyBytes {
		return nil, refuse(http.StatusRequestURITooLong, "too_large", n, "", "the URL query is longer than the limit of %d bytes (%d MiB): send the request with POST", MaxBodyBytes, MaxBodyBytes>>20)
	}
	if strings.Count(raw, "&") >= maxURLParams {
		return nil, refuse(http.StatusBadRequest, "url_params", n, "", "the URL has more than %d parameters", maxURLParams)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "url", n, "", "the URL query is malformed: encode it as application/x-www-form-urlencoded")
	}
	params := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	items := 0
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &params.Variables}, {"extensions", &params.Extensions}} {
		s := []byte(q.Get(f.name))
		if len(s) == 0 {
			continue
		}
		// As if inside the request object, like a POST body's.
		k, ref := scanJSON(s, 1, n)
		if ref != nil {
			return nil, ref
		}
		if items += k; items > MaxJSONItems {
			return nil, tooManyItems(n)
		}
		v, ref := decodeJSON(f.name, s, n)
		if ref != nil {
			return nil, ref
		}
		if *f.dst, ref = objectParam(f.name, v, n); ref != nil {
			return nil, ref
		}
	}
	if !q.Has("query") && params.Extensions["persistedQuery"] == nil {
		return nil, refuse(http.StatusBadRequest, "no_query", n, "query", "query is required: pass the GraphQL document as the URL parameter query")
	}
	return params, nil
}
