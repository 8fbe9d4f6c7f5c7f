package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Deputies is the resolver for the deputies field.
func (r *townshipResolver) Deputies(ctx context.Context, obj *records.Township, filter *records.DeputyFilter, orderBy []*records.Order, first *int, after *string) (*model.DeputyConnection, error) {
	return r.Query().Deputies(ctx, nil, &obj.ID, nil, filter, orderBy, first, after)
}

// Villages is the resolver for the villages field.
func (r *townshipResolver) Villages(ctx context.Context, obj *records.Township, filter *records.VillageFilter, orderBy []*records.Order, first *int, after *string) (*model.VillageConnection, error) {
	return r.Query().Villages(ctx, nil, &obj.ID, nil, filter, orderBy, first, after)
}

// Field is the resolver for the field field.
func (r *townshipOrderResolver) Field(ctx context.Context, obj *records.Order, data *model.TownshipOrderField) error {
	if data != nil {
		obj.Field = string(*data)
	}
	return nil
}

// Township returns generated.TownshipResolver implementation.
func (r *Resolver) Township() generated.TownshipResolver { return &townshipResolver{r} }

// TownshipOrder returns generated.TownshipOrderResolver implementation.
func (r *Resolver) TownshipOrder() generated.TownshipOrderResolver { return &townshipOrderResolver{r} }

type (
	townshipResolver      struct{ *Resolver }
	townshipOrderResolver struct{ *Resolver }
)
