package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CreateReception is the resolver for the createReception field.
func (r *mutationResolver) CreateReception(ctx context.Context, input records.Reception, idempotencyKey *string) (*records.Reception, error) {
	return create(ctx, r.Store.Receptions, &input, idempotencyKey)
}

// UpdateReception is the resolver for the updateReception field.
func (r *mutationResolver) UpdateReception(ctx context.Context, id string, input records.ReceptionPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Reception, error) {
	x, err := r.Store.Receptions.Modify(ctx, id, expectedVersion, func(x *records.Reception) error {
		if err := input.Apply(x); err != nil {
			return err
		}
		add.Add(x)
		remove.Remove(x)
		return nil
	})
	return x, inputError(err)
}

// DeleteReception is the resolver for the deleteReception field.
func (r *mutationResolver) DeleteReception(ctx context.Context, id string, expectedVersion *int) (*records.Reception, error) {
	return r.Store.Receptions.Delete(ctx, id, expectedVersion)
}

// SuggestFromReceptionItem is the resolver for the suggestFromReceptionItem field.
func (r *mutationResolver) SuggestFromReceptionItem(ctx context.Context, receptionID string, itemID string, input records.Suggestion) (*model.SuggestionFromReception, error) {
	s, x, err := r.Store.SuggestFromReception(ctx, receptionID, itemID, &input)
	if err != nil {
		return nil, err
	}
	return &model.SuggestionFromReception{Suggestion: s, Reception: x}, nil
}

// Reception is the resolver for the reception field.
func (r *queryResolver) Reception(ctx context.Context, asOf *records.Date, id string) (*records.Reception, error) {
	return r.Store.Receptions.Get(ctx, id)
}

// Receptions is the resolver for the receptions field.
func (r *queryResolver) Receptions(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ReceptionFilter, orderBy []*records.Order, first *int, after *string) (*model.ReceptionConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindReception, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Receptions, q, func(c string, n *records.Reception) *model.ReceptionEdge {
		return &model.ReceptionEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"deputies": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(x *records.Reception) []string { return x.DeputyIDs }))
		},
	})
	return &model.ReceptionConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// ReceptionFigures is the resolver for the receptionFigures field.
func (r *queryResolver) ReceptionFigures(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ReceptionFilter) (*records.ReceptionStats, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	towns, err := townshipsArg(township, townships)
	if err != nil {
		return nil, err
	}
	xs, err := records.FindAll(ctx, r.Store.Receptions, records.Query{Townships: towns, Filter: expr}, records.MaxFigureRecords)
	if err != nil {
		return nil, err
	}
	stats := records.CountReceptions(xs)
	return &stats, nil
}

// Township is the resolver for the township field.
func (r *receptionResolver) Township(ctx context.Context, obj *records.Reception) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Deputies is the resolver for the deputies field.
func (r *receptionResolver) Deputies(ctx context.Context, obj *records.Reception, first *int) ([]*records.Deputy, error) {
	return refList(obj.DeputyIDs, first, "deputies", func(ids []string) ([]*records.Deputy, error) {
		return loadMany(ctx, loaders(ctx).Deputy, obj.Township, ids)
	})
}

// Visitors is the resolver for the visitors field: confidential visitors
// only for the township's editors.
func (r *receptionResolver) Visitors(ctx context.Context, obj *records.Reception) ([]*records.Visitor, error) {
	vs := obj.VisibleVisitors(records.ActorFrom(ctx))
	out := make([]*records.Visitor, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out, nil
}

// Items is the resolver for the items field: confidential items only for
// the township's editors.
func (r *receptionResolver) Items(ctx context.Context, obj *records.Reception) ([]*records.ReceptionItem, error) {
	items := obj.VisibleItems(records.ActorFrom(ctx))
	out := make([]*records.ReceptionItem, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out, nil
}

// Suggestion is the resolver for the suggestion field.
func (r *receptionItemResolver) Suggestion(ctx context.Context, obj *records.ReceptionItem) (*records.Suggestion, error) {
	return loadOne(ctx, loaders(ctx).Suggestion, parentTownship(ctx), obj.SuggestionID)
}

// Phone is the resolver for the phone field: masked as a deputy's phone
// is, by the reception's township.
func (r *receptionVisitorResolver) Phone(ctx context.Context, obj *records.Visitor) (*string, error) {
	if obj.Phone == "" {
		return nil, nil
	}
	phone := records.PersonalPhone(ctx, parentTownship(ctx), obj.Phone)
	return &phone, nil
}

// Village is the resolver for the village field.
func (r *receptionVisitorResolver) Village(ctx context.Context, obj *records.Visitor) (*records.Village, error) {
	return loadOne(ctx, loaders(ctx).Village, parentTownship(ctx), obj.VillageID)
}

// Reception is the resolver for the reception field.
func (r *suggestionResolver) Reception(ctx context.Context, obj *records.Suggestion) (*records.Reception, error) {
	return loadOne(ctx, loaders(ctx).Reception, obj.Township, obj.ReceptionID)
}

// Field is the resolver for the field field.
func (r *receptionOrderResolver) Field(ctx context.Context, obj *records.Order, data model.ReceptionOrderField) error {
	obj.Field = string(data)
	return nil
}

// Reception returns generated.ReceptionResolver implementation.
func (r *Resolver) Reception() generated.ReceptionResolver { return &receptionResolver{r} }

// ReceptionItem returns generated.ReceptionItemResolver implementation.
func (r *Resolver) ReceptionItem() generated.ReceptionItemResolver { return &receptionItemResolver{r} }

// ReceptionVisitor returns generated.ReceptionVisitorResolver implementation.
func (r *Resolver) ReceptionVisitor() generated.ReceptionVisitorResolver {
	return &receptionVisitorResolver{r}
}

// ReceptionOrder returns generated.ReceptionOrderResolver implementation.
func (r *Resolver) ReceptionOrder() generated.ReceptionOrderResolver {
	return &receptionOrderResolver{r}
}

type (
	receptionResolver        struct{ *Resolver }
	receptionItemResolver    struct{ *Resolver }
	receptionVisitorResolver struct{ *Resolver }
	receptionOrderResolver   struct{ *Resolver }
)
