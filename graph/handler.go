package graph

import (
	"context"
	"errors"
	"fmt"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"log/slog"
	"net/http"
	"renda/internal/changes"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/graph/generated"
	"renda/internal/auth"
	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/report"
)

// API is renda's GraphQL API: the /graphql endpoint, and the same schema
// run in-process for report plugins.
type API struct {
	http     http.Handler
	exec     *executor.Executor
	schema   *ast.Schema
	resolver *Resolver
	store    *records.Store
}

// New builds the API over s. Reports, if set later with SetReports, serves
// the report fields.
func New(s *records.Store, log *slog.Logger) *API {
	r := &Resolver{Store: s, Imports: importer.NewSlots(importer.DefaultConcurrency),
		Changes: changes.New(s, func(msg string, err error) { log.Warn(msg, "err", err) })}
	cfg := generated.Config{Resolvers: r}
	es := generated.NewExecutableSchema(cfg)
	presenter := func(ctx context.Context, err error) *gqlerror.Error {
		if m := meterFrom(ctx); errors.Is(err, errStopped) || (m != nil && m.tripped() != nil) {
			return nil // the operation stopped: it answers its one cause
		}
		return presentError(ctx, log, err)
	}
	recoverer := func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(v))
		return records.Errorf(records.EINTERNAL, "internal error")
	}
	srv := handler.New(es)
	// Subscriptions (the changes a dashboard listens for): SSE, WebSocket
	// (same origin only, as coder/websocket checks by default), before
	// the plain HTTP transport.
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: 15 * time.Second})
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 15 * time.Second, InitTimeout: 10 * time.Second, PayloadReadLimit: &wsReadLimit})
	srv.AddTransport(HTTP{Log: log})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(MaxQueryTokens)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	limits := newQueryLimits()
	for _, ext := range []graphql.HandlerExtension{limits, signInGate{}, costLimit{}, meterExtension{max: MaxResponseBytes}, asOfExtension{}, changesGuard{r.Changes, s, log}} {
		srv.Use(ext)
	}
	srv.SetErrorPresenter(presenter)
	srv.SetRecoverFunc(recoverer)

	exec := executor.New(es)
	exec.SetQueryCache(lru.New[*ast.QueryDocument](100))
	exec.SetParserTokenLimit(MaxQueryTokens)
	for _, ext := range []graphql.HandlerExtension{limits, costLimit{}, meterExtension{max: MaxResponseBytes}, asOfExtension{}} {
		exec.Use(ext)
	}
	exec.SetErrorPresenter(presenter)
	exec.SetRecoverFunc(recoverer)
	// The transport (HTTP, transport.go) answers application/graphql-response+json
	// to clients that ask for it and application/json otherwise (GraphQL over HTTP).
	return &API{http: LoaderMiddleware(s, srv), exec: exec, schema: es.Schema(), resolver: r, store: s}
}

// NewHandler returns the /graphql endpoint: GET for queries, POST for
// everything, per GraphQL over HTTP.
func NewHandler(s *records.Store, log *slog.Logger) http.Handler { return New(s, log) }

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.http.ServeHTTP(w, r) }

// SetAuth gives the API the accounts service its sign-in fields use, and
// open, which reports whether the server runs open.
func (a *API) SetAuth(svc *auth.Service, open func(context.Context) bool) {
	a.resolver.Auth, a.resolver.Open = svc, open
}

// Imports are the slots the API's roster imports share
// (importer.DefaultConcurrency of them).
func (a *API) Imports() *importer.Slots { return a.resolver.Imports }

// SetReports gives the API the report registry its report fields serve.
func (a *API) SetReports(r *report.Registry) { a.resolver.Reports = r }

// wsReadLimit bounds a WebSocket message from a client (a subscribe
// message is a query and its variables).
var wsReadLimit int64 = 64 << 10

// codes maps renda's error codes to GraphQL's extensions.code, once.
var codes = map[string]string{
	records.EINVALID:      "BAD_USER_INPUT",
	records.ENOTFOUND:     "NOT_FOUND",
	records.ECONFLICT:     "CONFLICT",
	records.EFORBIDDEN:    "FORBIDDEN",
	records.EUNAUTHORIZED: "UNAUTHENTICATED",
	records.ETIMEOUT:      "TIMEOUT",
	records.EBUSY:         "BUSY",
	records.EINTERNAL:     "INTERNAL",
}

// presentError gives every error a code and the path of the field at fault.
// Errors that are not renda's own are logged and returned as INTERNAL with
// no detail.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var re *records.Error
	if errors.As(err, &re) {
		gerr.Message = re.Message
		if gerr.Extensions == nil {
			gerr.Extensions = map[string]any{}
		}
		gerr.Extensions["code"] = codes[re.Code]
		if re.Field != "" {
			gerr.Extensions["field"] = re.Field
		}
		if re.Code == records.EINTERNAL {
			gerr.Message = "internal error"
		}
		return gerr
	}
	if code, ok := gerr.Extensions["code"].(string); ok {
		// gqlgen's parse, validation and complexity errors: the request is
		// at fault. Keep gqlgen's code as the reason.
		gerr.Extensions["code"] = "BAD_USER_INPUT"
		gerr.Extensions["reason"] = code
		return gerr
	}
	if gerr.Path == nil && gerr.Locations != nil {
		gerr.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
		return gerr
	}
	log.ErrorContext(ctx, "graphql error", "err", records.Redacted(err), "path", gerr.Path.String())
	return &gqlerror.Error{Message: "internal error", Path: gerr.Path, Locations: gerr.Locations,
		Extensions: map[string]any{"code": "INTERNAL"}}
}
