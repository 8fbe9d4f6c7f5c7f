package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Township is the resolver for the township field.
func (r *activityResolver) Township(ctx context.Context, obj *records.Activity) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Participants is the resolver for the participants field.
func (r *activityResolver) Participants(ctx context.Context, obj *records.Activity, first *int) ([]*records.Deputy, error) {
	return refList(obj.ParticipantIDs, first, "participants", func(ids []string) ([]*records.Deputy, error) {
		return loadMany(ctx, loaders(ctx).Deputy, obj.Township, ids)
	})
}

// ParticipantTally is the resolver for the participantTally field.
func (r *activityResolver) ParticipantTally(ctx context.Context, obj *records.Activity) (*records.DeputyTally, error) {
	return participantTally(ctx, obj.Township, obj.ParticipantIDs)
}

// Villages is the resolver for the villages field.
func (r *activityResolver) Villages(ctx context.Context, obj *records.Activity, first *int) ([]*records.Village, error) {
	return refList(obj.VillageIDs, first, "villages", func(ids []string) ([]*records.Village, error) {
		return loadMany(ctx, loaders(ctx).Village, obj.Township, ids)
	})
}

// Projects is the resolver for the projects field.
func (r *activityResolver) Projects(ctx context.Context, obj *records.Activity, first *int) ([]*records.Project, error) {
	return refList(obj.ProjectIDs, first, "projects", func(ids []string) ([]*records.Project, error) {
		return loadMany(ctx, loaders(ctx).Project, obj.Township, ids)
	})
}

// Activities is the resolver for the activities field.
func (r *deputyResolver) Activities(ctx context.Context, obj *records.Deputy, first *int) ([]*records.Activity, error) {
	xs, err := loaders(ctx).ActivitiesByDep.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "activities")
}

// CreateActivity is the resolver for the createActivity field.
func (r *mutationResolver) CreateActivity(ctx context.Context, input records.Activity, idempotencyKey *string) (*records.Activity, error) {
	return create(ctx, r.Store.Activities, &input, idempotencyKey)
}

// UpdateActivity is the resolver for the updateActivity field.
func (r *mutationResolver) UpdateActivity(ctx context.Context, id string, input records.ActivityPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Activity, error) {
	return update(ctx, r.Store.Activities, id, expectedVersion, input.Apply, add, remove)
}

// DeleteActivity is the resolver for the deleteActivity field.
func (r *mutationResolver) DeleteActivity(ctx context.Context, id string, expectedVersion *int) (*records.Activity, error) {
	return r.Store.Activities.Delete(ctx, id, expectedVersion)
}

// Activity is the resolver for the activity field.
func (r *queryResolver) Activity(ctx context.Context, asOf *records.Date, id string) (*records.Activity, error) {
	return r.Store.Activities.Get(ctx, id)
}

// Activities is the resolver for the activities field.
func (r *queryResolver) Activities(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ActivityFilter, orderBy []*records.Order, first *int, after *string) (*model.ActivityConnection, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindActivity, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Activities, q, func(c string, n *records.Activity) *model.ActivityEdge {
		return &model.ActivityEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"participants": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(a *records.Activity) []string { return a.ParticipantIDs }))
		},
		"villages": func(ctx context.Context) {
			_, _ = loaders(ctx).Village.LoadAll(ctx, ids(nodes, func(a *records.Activity) []string { return a.VillageIDs }))
		},
		"projects": func(ctx context.Context) {
			_, _ = loaders(ctx).Project.LoadAll(ctx, ids(nodes, func(a *records.Activity) []string { return a.ProjectIDs }))
		},
	})
	return &model.ActivityConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Field is the resolver for the field field.
func (r *activityOrderResolver) Field(ctx context.Context, obj *records.Order, data model.ActivityOrderField) error {
	obj.Field = string(data)
	return nil
}

// Activity returns generated.ActivityResolver implementation.
func (r *Resolver) Activity() generated.ActivityResolver { return &activityResolver{r} }

// ActivityOrder returns generated.ActivityOrderResolver implementation.
func (r *Resolver) ActivityOrder() generated.ActivityOrderResolver { return &activityOrderResolver{r} }

type (
	activityResolver      struct{ *Resolver }
	activityOrderResolver struct{ *Resolver }
)
