package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Suggestion is the resolver for the suggestion field.
func (r *contactEventResolver) Suggestion(ctx context.Context, obj *records.ContactEvent) (*records.Suggestion, error) {
	return loadOne(ctx, loaders(ctx).Suggestion, parentTownship(ctx), obj.SuggestionID)
}

// Township is the resolver for the township field.
func (r *deputyResolver) Township(ctx context.Context, obj *records.Deputy) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Phone is the resolver for the phone field: whole for the editors and
// admins of the deputy's township, masked (138****5678) for other readers.
func (r *deputyResolver) Phone(ctx context.Context, obj *records.Deputy) (*string, error) {
	phone := records.PersonalPhone(ctx, obj.Township, obj.Phone)
	return &phone, nil
}

// Village is the resolver for the village field.
func (r *deputyResolver) Village(ctx context.Context, obj *records.Deputy) (*records.Village, error) {
	return loadOne(ctx, loaders(ctx).Village, obj.Township, obj.VillageID)
}

// Inspections is the resolver for the inspections field.
func (r *deputyResolver) Inspections(ctx context.Context, obj *records.Deputy, first *int) ([]*records.Inspection, error) {
	xs, err := loaders(ctx).InspectionsByDep.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "inspections")
}

// CreateDeputy is the resolver for the createDeputy field.
func (r *mutationResolver) CreateDeputy(ctx context.Context, input records.Deputy, idempotencyKey *string) (*records.Deputy, error) {
	return create(ctx, r.Store.Deputies, &input, idempotencyKey)
}

// UpdateDeputy is the resolver for the updateDeputy field.
func (r *mutationResolver) UpdateDeputy(ctx context.Context, id string, input records.DeputyPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Deputy, error) {
	return update(ctx, r.Store.Deputies, id, expectedVersion, input.Apply, add, remove)
}

// DeleteDeputy is the resolver for the deleteDeputy field.
func (r *mutationResolver) DeleteDeputy(ctx context.Context, id string, expectedVersion *int) (*records.Deputy, error) {
	return r.Store.Deputies.Delete(ctx, id, expectedVersion)
}

// Deputy is the resolver for the deputy field.
func (r *queryResolver) Deputy(ctx context.Context, asOf *records.Date, id string) (*records.Deputy, error) {
	return r.Store.Deputies.Get(ctx, id)
}

// Deputies is the resolver for the deputies field.
func (r *queryResolver) Deputies(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.DeputyFilter, orderBy []*records.Order, first *int, after *string) (*model.DeputyConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindDeputy, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Deputies, q, func(c string, n *records.Deputy) *model.DeputyEdge { return &model.DeputyEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	wanted := nodeFields(ctx)
	prefetch(ctx, wanted, map[string]func(context.Context){
		"duty": func(ctx context.Context) {
			var keys []dutyKey
			for _, y := range dutyYears(ctx, wanted["duty"]) {
				for _, d := range nodes {
					keys = append(keys, dutyKey{d.Township, d.ID, y})
				}
			}
			_, _ = loaders(ctx).Duty.LoadAll(ctx, keys)
		},
		"village": func(ctx context.Context) {
			_, _ = loaders(ctx).Village.LoadAll(ctx, ids(nodes, func(d *records.Deputy) []string { return []string{d.VillageID} }))
		},
		"activities": func(ctx context.Context) {
			_, _ = loaders(ctx).ActivitiesByDep.LoadAll(ctx, ids(nodes, func(d *records.Deputy) []string { return []string{d.ID} }))
		},
		"inspections": func(ctx context.Context) {
			_, _ = loaders(ctx).InspectionsByDep.LoadAll(ctx, ids(nodes, func(d *records.Deputy) []string { return []string{d.ID} }))
		},
	})
	return &model.DeputyConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Village is the resolver for the village field.
func (r *voterResolver) Village(ctx context.Context, obj *records.Voter) (*records.Village, error) {
	return loadOne(ctx, loaders(ctx).Village, parentTownship(ctx), obj.VillageID)
}

// Contact is the resolver for the contact field: masked as a deputy's
// phone is, by the township of the deputy the voter belongs to (none
// found: masked).
func (r *voterResolver) Contact(ctx context.Context, obj *records.Voter) (*string, error) {
	contact := records.PersonalPhone(ctx, parentTownship(ctx), obj.Contact)
	return &contact, nil
}

// Field is the resolver for the field field.
func (r *deputyOrderResolver) Field(ctx context.Context, obj *records.Order, data model.DeputyOrderField) error {
	obj.Field = string(data)
	return nil
}

// ContactEvent returns generated.ContactEventResolver implementation.
func (r *Resolver) ContactEvent() generated.ContactEventResolver { return &contactEventResolver{r} }

// Deputy returns generated.DeputyResolver implementation.
func (r *Resolver) Deputy() generated.DeputyResolver { return &deputyResolver{r} }

// Voter returns generated.VoterResolver implementation.
func (r *Resolver) Voter() generated.VoterResolver { return &voterResolver{r} }

// DeputyOrder returns generated.DeputyOrderResolver implementation.
func (r *Resolver) DeputyOrder() generated.DeputyOrderResolver { return &deputyOrderResolver{r} }

type (
	contactEventResolver struct{ *Resolver }
	deputyResolver       struct{ *Resolver }
	voterResolver        struct{ *Resolver }
	deputyOrderResolver  struct{ *Resolver }
)
