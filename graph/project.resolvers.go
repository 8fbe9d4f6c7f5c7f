package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CreateProject is the resolver for the createProject field.
func (r *mutationResolver) CreateProject(ctx context.Context, input records.Project, idempotencyKey *string) (*records.Project, error) {
	return create(ctx, r.Store.Projects, &input, idempotencyKey)
}

// UpdateProject is the resolver for the updateProject field.
func (r *mutationResolver) UpdateProject(ctx context.Context, id string, input records.ProjectPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Project, error) {
	return update(ctx, r.Store.Projects, id, expectedVersion, input.Apply, add, remove)
}

// DeleteProject is the resolver for the deleteProject field.
func (r *mutationResolver) DeleteProject(ctx context.Context, id string, expectedVersion *int) (*records.Project, error) {
	return r.Store.Projects.Delete(ctx, id, expectedVersion)
}

// Township is the resolver for the township field.
func (r *projectResolver) Township(ctx context.Context, obj *records.Project) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Villages is the resolver for the villages field.
func (r *projectResolver) Villages(ctx context.Context, obj *records.Project, first *int) ([]*records.Village, error) {
	return refList(obj.VillageIDs, first, "villages", func(ids []string) ([]*records.Village, error) {
		return loadMany(ctx, loaders(ctx).Village, obj.Township, ids)
	})
}

// Inspections is the resolver for the inspections field.
func (r *projectResolver) Inspections(ctx context.Context, obj *records.Project, first *int) ([]*records.Inspection, error) {
	xs, err := loaders(ctx).InspectionsByProj.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "inspections")
}

// Project is the resolver for the project field.
func (r *queryResolver) Project(ctx context.Context, asOf *records.Date, id string) (*records.Project, error) {
	return r.Store.Projects.Get(ctx, id)
}

// Projects is the resolver for the projects field.
func (r *queryResolver) Projects(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ProjectFilter, orderBy []*records.Order, first *int, after *string) (*model.ProjectConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindProject, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Projects, q, func(c string, n *records.Project) *model.ProjectEdge { return &model.ProjectEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"villages": func(ctx context.Context) {
			_, _ = loaders(ctx).Village.LoadAll(ctx, ids(nodes, func(p *records.Project) []string { return p.VillageIDs }))
		},
		"inspections": func(ctx context.Context) {
			_, _ = loaders(ctx).InspectionsByProj.LoadAll(ctx, ids(nodes, func(p *records.Project) []string { return []string{p.ID} }))
		},
	})
	return &model.ProjectConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Field is the resolver for the field field.
func (r *projectOrderResolver) Field(ctx context.Context, obj *records.Order, data model.ProjectOrderField) error {
	obj.Field = string(data)
	return nil
}

// Project returns generated.ProjectResolver implementation.
func (r *Resolver) Project() generated.ProjectResolver { return &projectResolver{r} }

// ProjectOrder returns generated.ProjectOrderResolver implementation.
func (r *Resolver) ProjectOrder() generated.ProjectOrderResolver { return &projectOrderResolver{r} }

type (
	projectResolver      struct{ *Resolver }
	projectOrderResolver struct{ *Resolver }
)
