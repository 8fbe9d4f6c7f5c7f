package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/graph/generated"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/store"
)

// MaxComplexity bounds how much work one query may ask for; a page of 500
// with a few nested lists fits, a query nesting lists without end does not.
const MaxComplexity = 200_000

// RenderComplexity is what one renderReport costs: four per request.
const RenderComplexity = MaxComplexity / 4

// API is renda's GraphQL API: the /graphql endpoint, and the same schema
// run in-process for report plugins.
type API struct {
	http     http.Handler
	exec     *executor.Executor
	schema   *ast.Schema
	resolver *Resolver
	store    *store.Store
}

// New builds the API over s. Reports, if set later with SetReports, serves
// the report fields.
func New(s *store.Store, log *slog.Logger) *API {
	r := &Resolver{Store: s}
	cfg := generated.Config{Resolvers: r}
	// A render runs a whole query of its own: count it as a large part of
	// the budget, so one request cannot ask for many.
	cfg.Complexity.Query.RenderReport = func(int, string, map[string]any, *report.Format) int { return RenderComplexity }
	setPageComplexity(&cfg)
	es := generated.NewExecutableSchema(cfg)
	presenter := func(ctx context.Context, err error) *gqlerror.Error { return presentError(ctx, log, err) }
	recoverer := func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(v))
		return records.Errorf(records.EINTERNAL, "internal error")
	}
	srv := handler.New(es)
	srv.AddTransport(HTTP{Log: log})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.SetErrorPresenter(presenter)
	srv.SetRecoverFunc(recoverer)

	exec := executor.New(es)
	exec.SetQueryCache(lru.New[*ast.QueryDocument](100))
	exec.Use(extension.FixedComplexityLimit(MaxComplexity))
	exec.SetErrorPresenter(presenter)
	exec.SetRecoverFunc(recoverer)
	// gqlgen answers application/graphql-response+json to clients that
	// accept it and application/json otherwise (GraphQL over HTTP).
	return &API{http: LoaderMiddleware(s, srv), exec: exec, schema: es.Schema(), resolver: r, store: s}
}

// NewHandler returns the /graphql endpoint: GET for queries, POST for
// everything, per GraphQL over HTTP.
func NewHandler(s *store.Store, log *slog.Logger) http.Handler { return New(s, log) }

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.http.ServeHTTP(w, r) }

// SetReports gives the API the report registry its report fields serve.
func (a *API) SetReports(r *report.Registry) { a.resolver.Reports = r }

// pageCost is a connection's cost: what one node asks for, times the
// nodes a page can hold. Nested connections multiply, so a query asking
// for 500 townships × 500 deputies is refused before it runs.
func pageCost(child int, first *int) int {
	n := records.DefaultPageSize
	if first != nil && *first > 0 {
		n = min(*first, records.MaxPageSize)
	}
	return 1 + child*n
}

func setPageComplexity(cfg *generated.Config) {
	q := &cfg.Complexity.Query
	q.Townships = func(c int, _ *records.TownshipFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Deputies = func(c int, _ *string, _ *records.DeputyFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Villages = func(c int, _ *string, _ *records.VillageFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Projects = func(c int, _ *string, _ *records.ProjectFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Inspections = func(c int, _ *string, _ *records.InspectionFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Activities = func(c int, _ *string, _ *records.ActivityFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	q.Suggestions = func(c int, _ *string, _ *records.SuggestionFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	t := &cfg.Complexity.Township
	t.Deputies = func(c int, _ *records.DeputyFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
	t.Villages = func(c int, _ *records.VillageFilter, _ []*records.Order, first *int, _ *string) int {
		return pageCost(c, first)
	}
}

// codes maps renda's error codes to GraphQL's extensions.code, once.
var codes = map[string]string{
	records.EINVALID:      "BAD_USER_INPUT",
	records.ENOTFOUND:     "NOT_FOUND",
	records.ECONFLICT:     "CONFLICT",
	records.EFORBIDDEN:    "FORBIDDEN",
	records.EUNAUTHORIZED: "UNAUTHENTICATED",
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
	log.ErrorContext(ctx, "graphql error", "err", err, "path", gerr.Path.String())
	return &gqlerror.Error{Message: "internal error", Path: gerr.Path, Locations: gerr.Locations,
		Extensions: map[string]any{"code": "INTERNAL"}}
}
