package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// nodeFields returns the fields a connection query selects on its nodes,
// through either `nodes { … }` or `edges { node { … } }`.
func nodeFields(ctx context.Context) map[string][]graphql.CollectedField {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	out := map[string][]graphql.CollectedField{}
	add := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, nil) {
			out[f.Name] = append(out[f.Name], f)
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
func prefetch(ctx context.Context, wanted map[string][]graphql.CollectedField, loads map[string]func(context.Context)) {
	var wg sync.WaitGroup
	for field, load := range loads {
		if len(wanted[field]) > 0 {
			wg.Go(func() { load(ctx) })
		}
	}
	wg.Wait()
}

// ids gathers the ids each node points at, with the node's township, for
// one batched load.
func ids[T any, PT interface {
	*T
	meta
}](nodes []*T, of func(*T) []string) []key {
	var out []key
	for _, n := range nodes {
		t := PT(n).GetMeta().Township
		for _, id := range of(n) {
			if id != "" {
				out = append(out, key{t, id})
			}
		}
	}
	return out
}

// dutyYears are the years the duty(year:) fields of a page's nodes ask for.
func dutyYears(ctx context.Context, fields []graphql.CollectedField) []int {
	op := graphql.GetOperationContext(ctx)
	var years []int
	for _, f := range fields {
		switch y := f.ArgumentMap(op.Variables)["year"].(type) {
		case int64:
			years = append(years, int(y))
		case int:
			years = append(years, y)
		}
	}
	return years
}
