// Package server is renda's HTTP front: /graphql, the console (/), GraphiQL (/graphiql), /reports, /export, health, readiness
// and Prometheus metrics. It is the only importer of the Prometheus client.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"renda/internal/records"
	"renda/internal/server/graphiql"
	"renda/web"
)

// Metrics are the counters renda exports.
type Metrics struct {
	registry   *prometheus.Registry
	dbCommands *prometheus.CounterVec
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
}

// NewMetrics registers renda's metrics with a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		dbCommands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renda_db_commands_total",
			Help: "Database commands sent by the driver, by command name.",
		}, []string{"command"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renda_http_requests_total",
			Help: "HTTP requests served, by path and status code.",
		}, []string{"path", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "renda_http_request_duration_seconds",
			Help:    "HTTP request latency, by path.",
			Buckets: prometheus.DefBuckets,
		}, []string{"path"}),
	}
	m.registry.MustRegister(m.dbCommands, m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// DBCommand counts one database command; give it to store.Options.OnCommand.
func (m *Metrics) DBCommand(name string) { m.dbCommands.WithLabelValues(name).Inc() }

// Config is what the server needs.
type Config struct {
	GraphQL      http.Handler
	Reports      http.Handler                // GET /reports/{id}; nil: not served
	ReportsIndex http.Handler                // GET /reports: the page to download them
	Export       http.Handler                // GET /export/{file}: lists as CSV or XLSX; nil: not served
	Ping         func(context.Context) error // readiness: the database answers
	// Starting, if set, says what the server is still doing before it is
	// ready (loading the demo township); "" once it is ready.
	Starting func() string
	Metrics  *Metrics
	Logger   *slog.Logger
	// Gate, if set, wraps every route: it puts the caller in the request's
	// context (internal/auth).
	Gate func(http.Handler) http.Handler
	// RequestTimeout bounds every request (the GraphQL operation, a
	// report's render, every database call they make); 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// AnonymousBodyBytes bounds the body of a caller without credentials
	// (0: DefaultAnonymousBodyBytes), MaxBodyBytes a signed-in caller's
	// (0: DefaultMaxBodyBytes), and BodyBudget the bodies of all requests
	// in flight together (0: DefaultBodyBudget). See bodyGuard.
	AnonymousBodyBytes int64
	MaxBodyBytes       int64
	BodyBudget         int64
}

// MaxStream is how long a stream of changes (a subscription) is held
// open; the client then opens another.
const MaxStream = time.Hour

// isStream reports a request for a stream of changes: a GraphQL
// subscription over SSE or WebSocket.
func isStream(r *http.Request) bool {
	return r.URL.Path == "/graphql" && (r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream"))
}

// DefaultRequestTimeout is how long a request may run unless configured.
const DefaultRequestTimeout = 30 * time.Second

// Handler routes renda's endpoints.
func Handler(c Config) http.Handler {
	mux := http.NewServeMux()
	// The body guard (bodies.go) bounds bodies by caller and in all; the
	// GraphQL transport bounds the request itself (graph.MaxBodyBytes) and
	// answers 413 with a GraphQL error.
	mux.Handle("/graphql", c.GraphQL)
	if c.Reports != nil {
		mux.Handle("GET /reports/{id}", noFraming(c.Reports))
	}
	if c.ReportsIndex != nil {
		mux.Handle("GET /reports", noFraming(c.ReportsIndex))
	}
	if c.Export != nil {
		mux.Handle("GET /export/{file}", c.Export)
	}
	// The console at /, its assets under /assets/ (package web); GraphiQL at
	// /graphiql, its assets under /graphiql/assets/. The page's asset links
	// are relative, so it is served at /graphiql without a trailing slash.
	console := web.Handler()
	mux.Handle("GET /{$}", console)
	mux.Handle("GET "+web.AssetPrefix, console)
	mux.Handle("GET /favicon.svg", console)
	// GraphiQL and /metrics are for signed-in callers (and everyone on a
	// server that runs open): the schema and the server's figures are not
	// for whoever reaches the port.
	ide := graphiql.Handler("/graphql")
	mux.Handle("GET /graphiql", signedIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/"
		ide.ServeHTTP(w, r2)
	})))
	mux.Handle("GET /graphiql/{$}", http.RedirectHandler("/graphiql", http.StatusMovedPermanently))
	mux.Handle("GET "+graphiql.AssetPrefix, signedIn(ide))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if c.Starting != nil {
			if what := c.Starting(); what != "" {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(what + "\n"))
				return
			}
		}
		if err := c.Ping(ctx); err != nil {
			c.Logger.WarnContext(ctx, "readiness check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", signedIn(promhttp.HandlerFor(c.Metrics.registry, promhttp.HandlerOpts{})))
	timeout := c.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	// The gate decides who calls before the guard bounds the body by it:
	// no body is read before both.
	var h http.Handler = newBodyGuard(mux, c)
	if c.Gate != nil {
		h = c.Gate(h)
	}
	return withDeadline(c.Metrics.instrument(mux, h), timeout)
}

// noFraming forbids every answer of /reports, refusals included, to be
// shown in a frame of another site's page (clickjacking the download
// form): CSP frame-ancestors, and X-Frame-Options for older browsers. A
// report's HTML sets its fuller policy over this one, frame-ancestors kept.
func noFraming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		w.Header().Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// signedIn answers a caller without credentials 401, saying how to sign in.
func signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !records.ActorFrom(r.Context()).IsAnonymous() {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="renda"`)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("sign in first (on the console, /), or send an API key as Authorization: Bearer <key>\n"))
	})
}

// withDeadline gives every request a deadline that reaches every resolver
// and database call; what runs past it ends with a TIMEOUT error.
//
// A stream of changes (a GraphQL subscription over SSE or WebSocket on
// /graphql) is held open instead: it lasts at most MaxStream, and the
// server's write timeout is lifted for it (the client reconnects after).
func withDeadline(next http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := d
		if isStream(r) {
			limit = MaxStream
			rc := http.NewResponseController(w)
			_ = rc.SetWriteDeadline(time.Time{})
			_ = rc.SetReadDeadline(time.Time{})
		}
		ctx, cancel := context.WithTimeout(r.Context(), limit)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// instrument counts and times requests by their route, not their raw path,
// so label cardinality stays bounded.
func (m *Metrics) instrument(mux *http.ServeMux, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		m.requests.WithLabelValues(pattern, strconv.Itoa(sw.code)).Inc()
		m.duration.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

// Unwrap lets http.ResponseController reach the connection (deadlines,
// hijacking for WebSocket).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Flush keeps streaming responses working through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
