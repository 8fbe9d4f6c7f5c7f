// Package graph is renda's GraphQL API: thin resolvers that check rights,
// call a store collection and map the result. It is the only importer of
// gqlgen.
package graph

import (
	"context"
	"renda/internal/changes"

	"renda/internal/records"

	"renda/internal/auth"
	"renda/internal/importer"
	"renda/internal/report"
)

// Resolver holds what resolvers need. Per-request state (dataloaders, the
// caller) lives in the context.
type Resolver struct {
	Store   *records.Store
	Reports *report.Registry // nil: no report plugins
	Auth    *auth.Service    // nil: no accounts (tests of other parts)
	// Open reports whether the server runs open (no credentials, loopback).
	Open func(context.Context) bool
	// Imports bounds the roster imports that run at once.
	Imports *importer.Slots
	// Changes tells subscribers what changed (internal/changes).
	Changes *changes.Feed
}
