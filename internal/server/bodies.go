package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"renda/internal/records"
)

// Bounds of request bodies, decided before a byte of a body is read and
// after the gate has decided who the caller is.
const (
	// DefaultAnonymousBodyBytes bounds the body of a caller without
	// credentials: a login (a name and a password) takes a few hundred
	// bytes, and nothing else is open to such a caller.
	DefaultAnonymousBodyBytes = 16 << 10
	// DefaultMaxBodyBytes bounds the body of a signed-in caller, as the
	// GraphQL transport does (graph.MaxBodyBytes): a roster import of
	// 10 MiB in base64 or a report plugin's files.
	DefaultMaxBodyBytes = 20 << 20
	// DefaultBodyBudget bounds the bodies in flight, all callers together.
	DefaultBodyBudget = 256 << 20
	// retryAfter is what a request refused for the budget is told to wait.
	retryAfter = 2 * time.Second
)

// anonymousShare is the part of the budget that bodies of callers without
// credentials may hold together: many slow anonymous senders cannot keep
// signed-in callers out.
const anonymousShare = 8 // one eighth

// budget is the bytes of request bodies in flight, and of those the
// anonymous callers'.
type budget struct {
	mu              sync.Mutex
	used, anonymous int64
	limit           int64
}

// take reserves n bytes; false if that would pass the limit (for an
// anonymous caller, its share).
func (b *budget) take(n int64, anonymous bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit || (anonymous && b.anonymous+n > b.limit/anonymousShare) {
		return false
	}
	b.used += n
	if anonymous {
		b.anonymous += n
	}
	return true
}

func (b *budget) give(n int64, anonymous bool) {
	b.mu.Lock()
	b.used -= n
	if anonymous {
		b.anonymous -= n
	}
	b.mu.Unlock()
}

// bodyGuard bounds request bodies: a caller without credentials gets
// anonymous bytes, a signed-in one max (the local caller of a server that
// runs open is signed in); each body reserves its length (its caller's
// bound when it has none) from the budget shared by every request until
// its response is written, anonymous ones from an eighth of it. A body over its caller's bound is refused with
// 413, one that would take the budget past its limit with 503 and
// Retry-After, both before it is read, on a connection then closed.
type bodyGuard struct {
	next      http.Handler
	anonymous int64
	max       int64
	budget    *budget
	log       *slog.Logger
	lastWarn  atomic.Int64 // unix seconds of the last budget warning
}

func newBodyGuard(next http.Handler, c Config) *bodyGuard {
	pick := func(v, def int64) int64 {
		if v > 0 {
			return v
		}
		return def
	}
	return &bodyGuard{next: next, log: c.Logger,
		anonymous: pick(c.AnonymousBodyBytes, DefaultAnonymousBodyBytes),
		max:       pick(c.MaxBodyBytes, DefaultMaxBodyBytes),
		budget:    &budget{limit: pick(c.BodyBudget, DefaultBodyBudget)}}
}

func (g *bodyGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		g.next.ServeHTTP(w, r)
		return
	}
	anonymous := records.ActorFrom(r.Context()).IsAnonymous()
	limit := g.max
	if anonymous {
		limit = g.anonymous
	}
	if r.ContentLength > limit {
		g.refuse(w, r, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "BODY_SIZE", tooLargeMessage(limit, anonymous))
		return
	}
	need := r.ContentLength
	if need < 0 { // chunked: the most it may be
		need = limit
	}
	if !g.budget.take(need, anonymous) {
		if now := time.Now().Unix(); g.lastWarn.Swap(now) != now && g.log != nil {
			g.log.WarnContext(r.Context(), "request bodies in flight reached the budget: refusing more (503) until some finish",
				"budget_bytes", g.budget.limit, "bytes", need)
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
		g.refuse(w, r, http.StatusServiceUnavailable, "TIMEOUT", "BODY_BUDGET",
			"the server is receiving as much as it may at once; try again in a few seconds")
		return
	}
	defer g.budget.give(need, anonymous)
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	g.next.ServeHTTP(w, r)
}

// TooLargeMessage says a body is over limit, and for a caller without
// credentials how to send more.
func tooLargeMessage(limit int64, anonymous bool) string {
	msg := "the request body is larger than the limit of " + strconv.FormatInt(limit, 10) + " bytes (" + sizeText(limit) + ")"
	if anonymous {
		msg += " for a caller without credentials: sign in, or send an API key"
	}
	return msg
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}

// refuse answers without reading the body, and closes the connection
// rather than read what the client still sends: /graphql as a GraphQL
// error with its code and the limit, other paths as text.
func (g *bodyGuard) refuse(w http.ResponseWriter, r *http.Request, status int, code, limit, msg string) {
	if g.log != nil {
		g.log.DebugContext(r.Context(), "request body refused", "status", status, "limit", limit, "bytes", r.ContentLength)
	}
	w.Header().Set("Connection", "close")
	if strings.HasPrefix(r.URL.Path, "/graphql") {
		b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": msg,
			"extensions": map[string]any{"code": code, "limit": limit}}}})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}
