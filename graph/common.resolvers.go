package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CreateTownship is the resolver for the createTownship field.
func (r *mutationResolver) CreateTownship(ctx context.Context, input records.Township, idempotencyKey *string) (*records.Township, error) {
	return create(ctx, r.Store.Townships, &input, idempotencyKey)
}

// UpdateTownship is the resolver for the updateTownship field.
func (r *mutationResolver) UpdateTownship(ctx context.Context, id string, input records.TownshipPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Township, error) {
	return update(ctx, r.Store.Townships, id, expectedVersion, input.Apply, add, remove)
}

// DeleteTownship is the resolver for the deleteTownship field.
func (r *mutationResolver) DeleteTownship(ctx context.Context, id string, expectedVersion *int) (*records.Township, error) {
	return r.Store.Townships.Delete(ctx, id, expectedVersion)
}

// Township is the resolver for the township field.
func (r *queryResolver) Township(ctx context.Context, asOf *records.Date, id string) (*records.Township, error) {
	return r.Store.Townships.Get(ctx, id)
}

// Townships is the resolver for the townships field.
func (r *queryResolver) Townships(ctx context.Context, asOf *records.Date, filter *records.TownshipFilter, orderBy []*records.Order, first *int, after *string) (*model.TownshipConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindTownship, nil, nil, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Townships, q, func(c string, n *records.Township) *model.TownshipEdge {
		return &model.TownshipEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	return &model.TownshipConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Mutation returns generated.MutationResolver implementation.
func (r *Resolver) Mutation() generated.MutationResolver { return &mutationResolver{r} }

// Query returns generated.QueryResolver implementation.
func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }

type (
	mutationResolver struct{ *Resolver }
	queryResolver    struct{ *Resolver }
)
