package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// nodeFields returns the fields a connection query selects on its nodes,
// through either `nodes { … }` or `edges { node { … } }`.
func nodeFields(ctx context.Context) map[string]bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	out := map[string]bool{}
	add := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, nil) {
			out[f.Name] = true
		}
	}
	for _, top := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		switch top.Name {
		case "nodes":
			add(top.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(op, top.Selections, nil) {
				if e.Name == "node" {
					add(e.Selections)
				}
			}
		}
	}
	return out
}

// prefetch loads, in one batch each, the relations a page's nodes will ask
// for, so the number of round trips does not depend on how fast the
// per-node resolvers reach the loaders. Errors surface on the fields.
// The loads run side by side, so their batch windows overlap.
func prefetch(ctx context.Context, wanted map[string]bool, loads map[string]func(context.Context)) {
	var wg sync.WaitGroup
	for field, load := range loads {
		if wanted[field] {
			wg.Go(func() { load(ctx) })
		}
	}
	wg.Wait()
}

// ids gathers the ids each node points at, for one batched load.
func ids[T any](nodes []*T, of func(*T) []string) []string {
	var out []string
	for _, n := range nodes {
		for _, id := range of(n) {
			if id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
