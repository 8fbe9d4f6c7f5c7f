package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Township is the resolver for the township field.
func (r *livelihoodProjectResolver) Township(ctx context.Context, obj *records.LivelihoodProject) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Session is the resolver for the session field.
func (r *livelihoodProjectResolver) Session(ctx context.Context, obj *records.LivelihoodProject) (*records.CongressSession, error) {
	return getLinked(ctx, r.Store.Sessions, obj.Township, obj.SessionID)
}

// Session is the resolver for the session field.
func (r *livelihoodSatisfactionResolver) Session(ctx context.Context, obj *records.SatisfactionVote) (*records.CongressSession, error) {
	return getLinked(ctx, r.Store.Sessions, parentTownship(ctx), obj.SessionID)
}

// Inspections is the resolver for the inspections field.
func (r *milestoneResolver) Inspections(ctx context.Context, obj *records.Milestone) ([]*records.Inspection, error) {
	return getInOrder(ctx, r.Store.Inspections, parentTownship(ctx), obj.InspectionIDs)
}

// Projects is the resolver for the projects field.
func (r *milestoneResolver) Projects(ctx context.Context, obj *records.Milestone) ([]*records.Project, error) {
	return getInOrder(ctx, r.Store.Projects, parentTownship(ctx), obj.ProjectIDs)
}

// CreateLivelihoodProject is the resolver for the createLivelihoodProject field.
func (r *mutationResolver) CreateLivelihoodProject(ctx context.Context, input records.LivelihoodProject, idempotencyKey *string) (*records.LivelihoodProject, error) {
	return create(ctx, r.Store.LivelihoodProjects, &input, idempotencyKey)
}

// UpdateLivelihoodProject is the resolver for the updateLivelihoodProject field.
func (r *mutationResolver) UpdateLivelihoodProject(ctx context.Context, id string, input records.LivelihoodProjectPatch, expectedVersion *int) (*records.LivelihoodProject, error) {
	return update(ctx, r.Store.LivelihoodProjects, id, expectedVersion, input.Apply, nil, nil)
}

// DeleteLivelihoodProject is the resolver for the deleteLivelihoodProject field.
func (r *mutationResolver) DeleteLivelihoodProject(ctx context.Context, id string, expectedVersion *int) (*records.LivelihoodProject, error) {
	return r.Store.LivelihoodProjects.Delete(ctx, id, expectedVersion)
}

// LivelihoodProject is the resolver for the livelihoodProject field.
func (r *queryResolver) LivelihoodProject(ctx context.Context, asOf *records.Date, id string) (*records.LivelihoodProject, error) {
	return r.Store.LivelihoodProjects.Get(ctx, id)
}

// LivelihoodProjects is the resolver for the livelihoodProjects field.
func (r *queryResolver) LivelihoodProjects(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.LivelihoodProjectFilter, orderBy []*records.Order, first *int, after *string) (*model.LivelihoodProjectConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindLivelihoodProject, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.LivelihoodProjects, q, func(c string, n *records.LivelihoodProject) *model.LivelihoodProjectEdge {
		return &model.LivelihoodProjectEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	return &model.LivelihoodProjectConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Field is the resolver for the field field.
func (r *livelihoodProjectOrderResolver) Field(ctx context.Context, obj *records.Order, data model.LivelihoodProjectOrderField) error {
	obj.Field = string(data)
	return nil
}

// LivelihoodProject returns generated.LivelihoodProjectResolver implementation.
func (r *Resolver) LivelihoodProject() generated.LivelihoodProjectResolver {
	return &livelihoodProjectResolver{r}
}

// LivelihoodSatisfaction returns generated.LivelihoodSatisfactionResolver implementation.
func (r *Resolver) LivelihoodSatisfaction() generated.LivelihoodSatisfactionResolver {
	return &livelihoodSatisfactionResolver{r}
}

// Milestone returns generated.MilestoneResolver implementation.
func (r *Resolver) Milestone() generated.MilestoneResolver { return &milestoneResolver{r} }

// LivelihoodProjectOrder returns generated.LivelihoodProjectOrderResolver implementation.
func (r *Resolver) LivelihoodProjectOrder() generated.LivelihoodProjectOrderResolver {
	return &livelihoodProjectOrderResolver{r}
}

type (
	livelihoodProjectResolver      struct{ *Resolver }
	livelihoodSatisfactionResolver struct{ *Resolver }
	milestoneResolver              struct{ *Resolver }
	livelihoodProjectOrderResolver struct{ *Resolver }
)
