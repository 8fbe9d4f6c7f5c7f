package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Assigned is the resolver for the assigned field.
func (r *departmentHandlingResolver) Assigned(ctx context.Context, obj *records.DepartmentHandling) (int, error) {
	return obj.Assigned(), nil
}

// Rates is the resolver for the rates field.
func (r *departmentHandlingResolver) Rates(ctx context.Context, obj *records.DepartmentHandling) (*model.Rates, error) {
	return &model.Rates{H: &obj.Handling}, nil
}

// SuggestionHandling is the resolver for the suggestionHandling field.
func (r *queryResolver) SuggestionHandling(ctx context.Context, township string, year int, period *string, day *records.Date) (*records.HandlingReport, error) {
	return r.suggestionHandling(ctx, township, year, period, day)
}

// Assigned is the resolver for the assigned field.
func (r *suggestionHandlingResolver) Assigned(ctx context.Context, obj *records.HandlingReport) (int, error) {
	return obj.Assigned(), nil
}

// Rates is the resolver for the rates field.
func (r *suggestionHandlingResolver) Rates(ctx context.Context, obj *records.HandlingReport) (*model.Rates, error) {
	return &model.Rates{H: &obj.Handling}, nil
}

// DepartmentHandling returns generated.DepartmentHandlingResolver implementation.
func (r *Resolver) DepartmentHandling() generated.DepartmentHandlingResolver {
	return &departmentHandlingResolver{r}
}

// SuggestionHandling returns generated.SuggestionHandlingResolver implementation.
func (r *Resolver) SuggestionHandling() generated.SuggestionHandlingResolver {
	return &suggestionHandlingResolver{r}
}

type (
	departmentHandlingResolver struct{ *Resolver }
	suggestionHandlingResolver struct{ *Resolver }
)
