// Package graph is renda's GraphQL API: thin resolvers that check rights,
// call a store collection and map the result. It is the only importer of
// gqlgen.
package graph

import (
	"renda/internal/report"
	"renda/internal/store"
)

// Resolver holds what resolvers need. Per-request state (dataloaders, the
// caller) lives in the context.
type Resolver struct {
	Store   *store.Store
	Reports *report.Registry // nil: no report plugins
}
