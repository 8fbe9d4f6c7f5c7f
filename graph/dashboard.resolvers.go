package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/analytics"
	"renda/internal/records"
	"time"
)

// Deputies is the resolver for the deputies field.
func (r *dashboardResolver) Deputies(ctx context.Context, obj *model.Dashboard) (*analytics.DeputyFigures, error) {
	return analytics.Deputies(ctx, r.Store, obj.Towns)
}

// Inspections is the resolver for the inspections field.
func (r *dashboardResolver) Inspections(ctx context.Context, obj *model.Dashboard) (*analytics.Monthly, error) {
	return analytics.Inspections(ctx, r.Store, obj.Towns, obj.Year)
}

// Activities is the resolver for the activities field.
func (r *dashboardResolver) Activities(ctx context.Context, obj *model.Dashboard) (*analytics.Monthly, error) {
	return analytics.Activities(ctx, r.Store, obj.Towns, obj.Year)
}

// Projects is the resolver for the projects field.
func (r *dashboardResolver) Projects(ctx context.Context, obj *model.Dashboard) (*analytics.ProjectFigures, error) {
	return analytics.Projects(ctx, r.Store, obj.Towns, obj.Year)
}

// Suggestions is the resolver for the suggestions field.
func (r *dashboardResolver) Suggestions(ctx context.Context, obj *model.Dashboard) (*analytics.SuggestionFigures, error) {
	return obj.Figures.Suggestions(ctx, records.Today())
}

// Valuable is the resolver for the valuable field.
func (r *dashboardResolver) Valuable(ctx context.Context, obj *model.Dashboard) (*analytics.Lacking, error) {
	return obj.Figures.Lacking(ctx, time.Now())
}

// Deputy is the resolver for the deputy field.
func (r *deputyMonthsResolver) Deputy(ctx context.Context, obj *analytics.DeputyMonths) (*records.Deputy, error) {
	return loaders(ctx).Deputy.Load(ctx, key{obj.Township, obj.Deputy})
}

// Labels is the resolver for the labels field.
func (r *deputyMonthsResolver) Labels(ctx context.Context, obj *analytics.DeputyMonths) ([]string, error) {
	out := make([]string, len(obj.Months))
	for i, m := range obj.Months {
		out[i] = records.MonthLabel(m)
	}
	return out, nil
}

// Dashboard is the resolver for the dashboard field.
func (r *queryResolver) Dashboard(ctx context.Context, asOf *records.Date, township *string, townships []string, year int) (*model.Dashboard, error) {
	towns, err := townshipsArg(township, townships)
	if err != nil {
		return nil, err
	}
	if _, err := r.Store.ResolveTownships(ctx, towns); err != nil {
		return nil, err
	}
	return r.newDashboard(towns, year)
}

// Dashboard is the resolver for the dashboard field.
func (r *townshipResolver) Dashboard(ctx context.Context, obj *records.Township, year int) (*model.Dashboard, error) {
	return r.newDashboard([]string{obj.ID}, year)
}

// Deputies is the resolver for the deputies field.
func (r *valuableFiguresResolver) Deputies(ctx context.Context, obj *analytics.Lacking, first *int) ([]*analytics.DeputyMonths, error) {
	n, err := relationFirst(first)
	if err != nil {
		return nil, err
	}
	if len(obj.Deputies) > n {
		return nil, tooMany("deputies lacking a valuable item", len(obj.Deputies), n)
	}
	out := make([]*analytics.DeputyMonths, len(obj.Deputies))
	keys := make([]key, len(obj.Deputies))
	for i := range obj.Deputies {
		out[i] = &obj.Deputies[i]
		keys[i] = key{out[i].Township, out[i].Deputy}
	}
	_, _ = loaders(ctx).Deputy.LoadAll(ctx, keys) // one batch for the page
	return out, nil
}

// Dashboard returns generated.DashboardResolver implementation.
func (r *Resolver) Dashboard() generated.DashboardResolver { return &dashboardResolver{r} }

// DeputyMonths returns generated.DeputyMonthsResolver implementation.
func (r *Resolver) DeputyMonths() generated.DeputyMonthsResolver { return &deputyMonthsResolver{r} }

// ValuableFigures returns generated.ValuableFiguresResolver implementation.
func (r *Resolver) ValuableFigures() generated.ValuableFiguresResolver {
	return &valuableFiguresResolver{r}
}

type (
	dashboardResolver       struct{ *Resolver }
	deputyMonthsResolver    struct{ *Resolver }
	valuableFiguresResolver struct{ *Resolver }
)
