package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CreateVillage is the resolver for the createVillage field.
func (r *mutationResolver) CreateVillage(ctx context.Context, input records.Village, idempotencyKey *string) (*records.Village, error) {
	return create(ctx, r.Store.Villages, &input, idempotencyKey)
}

// UpdateVillage is the resolver for the updateVillage field.
func (r *mutationResolver) UpdateVillage(ctx context.Context, id string, input records.VillagePatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Village, error) {
	return update(ctx, r.Store.Villages, id, expectedVersion, input.Apply, add, remove)
}

// DeleteVillage is the resolver for the deleteVillage field.
func (r *mutationResolver) DeleteVillage(ctx context.Context, id string, expectedVersion *int) (*records.Village, error) {
	return r.Store.Villages.Delete(ctx, id, expectedVersion)
}

// Village is the resolver for the village field.
func (r *queryResolver) Village(ctx context.Context, asOf *records.Date, id string) (*records.Village, error) {
	return r.Store.Villages.Get(ctx, id)
}

// Villages is the resolver for the villages field.
func (r *queryResolver) Villages(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.VillageFilter, orderBy []*records.Order, first *int, after *string) (*model.VillageConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindVillage, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Villages, q, func(c string, n *records.Village) *model.VillageEdge { return &model.VillageEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"deputies": func(ctx context.Context) {
			_, _ = loaders(ctx).DeputiesByVillage.LoadAll(ctx, ids(nodes, func(v *records.Village) []string { return []string{v.ID} }))
		},
		"projects": func(ctx context.Context) {
			_, _ = loaders(ctx).ProjectsByVillage.LoadAll(ctx, ids(nodes, func(v *records.Village) []string { return []string{v.ID} }))
		},
	})
	return &model.VillageConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Township is the resolver for the township field.
func (r *villageResolver) Township(ctx context.Context, obj *records.Village) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Deputies is the resolver for the deputies field.
func (r *villageResolver) Deputies(ctx context.Context, obj *records.Village, first *int) ([]*records.Deputy, error) {
	xs, err := loaders(ctx).DeputiesByVillage.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "deputies")
}

// Projects is the resolver for the projects field.
func (r *villageResolver) Projects(ctx context.Context, obj *records.Village, first *int) ([]*records.Project, error) {
	xs, err := loaders(ctx).ProjectsByVillage.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "projects")
}

// Field is the resolver for the field field.
func (r *villageOrderResolver) Field(ctx context.Context, obj *records.Order, data model.VillageOrderField) error {
	obj.Field = string(data)
	return nil
}

// Village returns generated.VillageResolver implementation.
func (r *Resolver) Village() generated.VillageResolver { return &villageResolver{r} }

// VillageOrder returns generated.VillageOrderResolver implementation.
func (r *Resolver) VillageOrder() generated.VillageOrderResolver { return &villageOrderResolver{r} }

type (
	villageResolver      struct{ *Resolver }
	villageOrderResolver struct{ *Resolver }
)
