package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/internal/auth"
	"renda/internal/records"
)

// anonymousFields are what a caller without credentials may ask: to sign
// in and who it is. The schema (__schema, __type) is for signed-in
// callers: schema.graphqls is the public contract.
var anonymousFields = map[string]bool{"login": true, "me": true, "__typename": true}

// signInGate is a gqlgen extension that refuses, before it runs, an
// operation of a caller without credentials that asks for anything else,
// with UNAUTHENTICATED.
type signInGate struct{}

var (
	_ graphql.HandlerExtension        = signInGate{}
	_ graphql.OperationContextMutator = signInGate{}
)

func (signInGate) ExtensionName() string                   { return "SignInGate" }
func (signInGate) Validate(graphql.ExecutableSchema) error { return nil }

func (signInGate) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if !records.ActorFrom(ctx).IsAnonymous() {
		return nil
	}
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	for _, f := range graphql.CollectFields(oc, op.SelectionSet, nil) {
		if !anonymousFields[f.Name] {
			msg := "sign in first (the login mutation), or send an API key as Authorization: Bearer <key>"
			if err := auth.Refusal(ctx); err != nil {
				msg = records.ErrorMessage(err)
			}
			return &gqlerror.Error{Err: records.Errorf(records.EUNAUTHORIZED, "%s", msg), Message: msg, Path: ast.Path{ast.PathName(f.Alias)}}
		}
	}
	return nil
}
