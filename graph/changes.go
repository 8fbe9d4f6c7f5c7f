package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/graph/model"
	"renda/internal/changes"
	"renda/internal/records"
)

// The subscription to changes (changes.graphqls). gqlgen sends a
// subscription's resolver error as an event and then asks for the next
// one, forever; so the checks that can refuse one — the townships the
// caller may see, the limits of listeners — run before the operation, in
// changesGuard, which answers a refusal once (graphql.OneShot) and hands
// the listening channel to the resolver through the context.

type listenKey struct{}

type changesGuard struct {
	feed  *changes.Feed
	store *records.Store
	log   *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = changesGuard{}

func (changesGuard) ExtensionName() string                          { return "ChangesGuard" }
func (changesGuard) Validate(schema graphql.ExecutableSchema) error { return nil }

func (g changesGuard) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || f.Name != "changes" {
			continue
		}
		ch, err := g.listen(ctx, f.ArgumentMap(oc.Variables))
		if err != nil {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, g.log, err)}})
		}
		ctx = context.WithValue(ctx, listenKey{}, ch)
	}
	return next(ctx)
}

// listen checks a subscription's arguments and starts listening.
func (g changesGuard) listen(ctx context.Context, args map[string]any) (<-chan []changes.Change, error) {
	if g.feed == nil {
		return nil, records.Errorf(records.EINTERNAL, "no feed of changes")
	}
	townships := stringList(args["townships"])
	if err := g.store.CheckTownships(ctx, townships, "townships"); err != nil {
		return nil, err
	}
	var ks []records.Kind
	for _, k := range stringList(args["kinds"]) {
		sk, ok := kinds[model.RecordKind(k)]
		if !ok {
			return nil, records.Invalidf("kinds", "no changes are told of %s", k)
		}
		ks = append(ks, sk)
	}
	return g.feed.Listen(ctx, townships, ks)
}

// stringList reads a list argument of strings (IDs, enum values).
func stringList(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// apiKindOf is the API's RecordKind of a store kind.
func apiKindOf(k records.Kind) (model.RecordKind, bool) {
	for a, s := range kinds {
		if s == k {
			return a, true
		}
	}
	return "", false
}
