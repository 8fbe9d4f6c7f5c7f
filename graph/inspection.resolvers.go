package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Township is the resolver for the township field.
func (r *inspectionResolver) Township(ctx context.Context, obj *records.Inspection) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Participants is the resolver for the participants field.
func (r *inspectionResolver) Participants(ctx context.Context, obj *records.Inspection, first *int) ([]*records.Deputy, error) {
	return refList(obj.ParticipantIDs, first, "participants", func(ids []string) ([]*records.Deputy, error) {
		return loadMany(ctx, loaders(ctx).Deputy, obj.Township, ids)
	})
}

// ParticipantTally is the resolver for the participantTally field.
func (r *inspectionResolver) ParticipantTally(ctx context.Context, obj *records.Inspection) (*records.DeputyTally, error) {
	return participantTally(ctx, obj.Township, obj.ParticipantIDs)
}

// Villages is the resolver for the villages field.
func (r *inspectionResolver) Villages(ctx context.Context, obj *records.Inspection, first *int) ([]*records.Village, error) {
	return refList(obj.VillageIDs, first, "villages", func(ids []string) ([]*records.Village, error) {
		return loadMany(ctx, loaders(ctx).Village, obj.Township, ids)
	})
}

// Projects is the resolver for the projects field.
func (r *inspectionResolver) Projects(ctx context.Context, obj *records.Inspection, first *int) ([]*records.Project, error) {
	return refList(obj.ProjectIDs, first, "projects", func(ids []string) ([]*records.Project, error) {
		return loadMany(ctx, loaders(ctx).Project, obj.Township, ids)
	})
}

// CreateInspection is the resolver for the createInspection field.
func (r *mutationResolver) CreateInspection(ctx context.Context, input records.Inspection, idempotencyKey *string) (*records.Inspection, error) {
	return create(ctx, r.Store.Inspections, &input, idempotencyKey)
}

// UpdateInspection is the resolver for the updateInspection field.
func (r *mutationResolver) UpdateInspection(ctx context.Context, id string, input records.InspectionPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Inspection, error) {
	return update(ctx, r.Store.Inspections, id, expectedVersion, input.Apply, add, remove)
}

// DeleteInspection is the resolver for the deleteInspection field.
func (r *mutationResolver) DeleteInspection(ctx context.Context, id string, expectedVersion *int) (*records.Inspection, error) {
	return r.Store.Inspections.Delete(ctx, id, expectedVersion)
}

// Inspection is the resolver for the inspection field.
func (r *queryResolver) Inspection(ctx context.Context, asOf *records.Date, id string) (*records.Inspection, error) {
	return r.Store.Inspections.Get(ctx, id)
}

// Inspections is the resolver for the inspections field.
func (r *queryResolver) Inspections(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.InspectionFilter, orderBy []*records.Order, first *int, after *string) (*model.InspectionConnection, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindInspection, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Inspections, q, func(c string, n *records.Inspection) *model.InspectionEdge {
		return &model.InspectionEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"participants": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(x *records.Inspection) []string { return x.ParticipantIDs }))
		},
		"villages": func(ctx context.Context) {
			_, _ = loaders(ctx).Village.LoadAll(ctx, ids(nodes, func(x *records.Inspection) []string { return x.VillageIDs }))
		},
		"projects": func(ctx context.Context) {
			_, _ = loaders(ctx).Project.LoadAll(ctx, ids(nodes, func(x *records.Inspection) []string { return x.ProjectIDs }))
		},
	})
	return &model.InspectionConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Field is the resolver for the field field.
func (r *inspectionOrderResolver) Field(ctx context.Context, obj *records.Order, data model.InspectionOrderField) error {
	obj.Field = string(data)
	return nil
}

// Inspection returns generated.InspectionResolver implementation.
func (r *Resolver) Inspection() generated.InspectionResolver { return &inspectionResolver{r} }

// InspectionOrder returns generated.InspectionOrderResolver implementation.
func (r *Resolver) InspectionOrder() generated.InspectionOrderResolver {
	return &inspectionOrderResolver{r}
}

type (
	inspectionResolver      struct{ *Resolver }
	inspectionOrderResolver struct{ *Resolver }
)
