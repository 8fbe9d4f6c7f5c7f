package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// GroupBy is the resolver for the groupBy field.
func (r *activityAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ActivityGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ActivityGroupOrder, first *int) ([]*model.ActivityGroup, error) {
	order, err := activityOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindActivity, obj, enumNames(fields), attributes, having, order, first, newActivityGroup)
}

// Groups is the resolver for the groups field.
func (r *activityAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.ActivityGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ActivityGroupOrder, first *int, after *string) (*model.GroupPage[model.ActivityGroup], error) {
	order, err := activityOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindActivity, obj, enumNames(fields), attributes, having, order, first, after, newActivityGroup)
}

// GroupBy is the resolver for the groupBy field.
func (r *deputyAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.DeputyGroupField, attributes []string, having *model.GroupHaving, orderBy *model.DeputyGroupOrder, first *int) ([]*model.DeputyGroup, error) {
	order, err := deputyOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindDeputy, obj, enumNames(fields), attributes, having, order, first, newDeputyGroup)
}

// Groups is the resolver for the groups field.
func (r *deputyAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.DeputyGroupField, attributes []string, having *model.GroupHaving, orderBy *model.DeputyGroupOrder, first *int, after *string) (*model.GroupPage[model.DeputyGroup], error) {
	order, err := deputyOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindDeputy, obj, enumNames(fields), attributes, having, order, first, after, newDeputyGroup)
}

// GroupBy is the resolver for the groupBy field.
func (r *inspectionAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.InspectionGroupField, attributes []string, having *model.GroupHaving, orderBy *model.InspectionGroupOrder, first *int) ([]*model.InspectionGroup, error) {
	order, err := inspectionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindInspection, obj, enumNames(fields), attributes, having, order, first, newInspectionGroup)
}

// Groups is the resolver for the groups field.
func (r *inspectionAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.InspectionGroupField, attributes []string, having *model.GroupHaving, orderBy *model.InspectionGroupOrder, first *int, after *string) (*model.GroupPage[model.InspectionGroup], error) {
	order, err := inspectionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindInspection, obj, enumNames(fields), attributes, having, order, first, after, newInspectionGroup)
}

// GroupBy is the resolver for the groupBy field.
func (r *projectAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ProjectGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ProjectGroupOrder, first *int) ([]*model.ProjectGroup, error) {
	order, err := projectOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindProject, obj, enumNames(fields), attributes, having, order, first, newProjectGroup)
}

// Groups is the resolver for the groups field.
func (r *projectAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.ProjectGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ProjectGroupOrder, first *int, after *string) (*model.GroupPage[model.ProjectGroup], error) {
	order, err := projectOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindProject, obj, enumNames(fields), attributes, having, order, first, after, newProjectGroup)
}

// TownshipsAggregate is the resolver for the townshipsAggregate field.
func (r *queryResolver) TownshipsAggregate(ctx context.Context, filter *records.TownshipFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindTownship, nil, nil, expr)
}

// DeputiesAggregate is the resolver for the deputiesAggregate field.
func (r *queryResolver) DeputiesAggregate(ctx context.Context, township *string, townships []string, filter *records.DeputyFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindDeputy, township, townships, expr)
}

// VillagesAggregate is the resolver for the villagesAggregate field.
func (r *queryResolver) VillagesAggregate(ctx context.Context, township *string, townships []string, filter *records.VillageFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindVillage, township, townships, expr)
}

// ProjectsAggregate is the resolver for the projectsAggregate field.
func (r *queryResolver) ProjectsAggregate(ctx context.Context, township *string, townships []string, filter *records.ProjectFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindProject, township, townships, expr)
}

// InspectionsAggregate is the resolver for the inspectionsAggregate field.
func (r *queryResolver) InspectionsAggregate(ctx context.Context, township *string, townships []string, filter *records.InspectionFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindInspection, township, townships, expr)
}

// ActivitiesAggregate is the resolver for the activitiesAggregate field.
func (r *queryResolver) ActivitiesAggregate(ctx context.Context, township *string, townships []string, filter *records.ActivityFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindActivity, township, townships, expr)
}

// SuggestionsAggregate is the resolver for the suggestionsAggregate field.
func (r *queryResolver) SuggestionsAggregate(ctx context.Context, township *string, townships []string, filter *records.SuggestionFilter) (*model.Aggregate, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindSuggestion, township, townships, expr)
}

// GroupBy is the resolver for the groupBy field.
func (r *suggestionAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.SuggestionGroupField, attributes []string, having *model.GroupHaving, orderBy *model.SuggestionGroupOrder, first *int) ([]*model.SuggestionGroup, error) {
	order, err := suggestionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindSuggestion, obj, enumNames(fields), attributes, having, order, first, newSuggestionGroup)
}

// Groups is the resolver for the groups field.
func (r *suggestionAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.SuggestionGroupField, attributes []string, having *model.GroupHaving, orderBy *model.SuggestionGroupOrder, first *int, after *string) (*model.GroupPage[model.SuggestionGroup], error) {
	order, err := suggestionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindSuggestion, obj, enumNames(fields), attributes, having, order, first, after, newSuggestionGroup)
}

// GroupBy is the resolver for the groupBy field.
func (r *townshipAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.TownshipGroupField, attributes []string, having *model.GroupHaving, orderBy *model.TownshipGroupOrder, first *int) ([]*model.TownshipGroup, error) {
	order, err := townshipOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindTownship, obj, enumNames(fields), attributes, having, order, first, newTownshipGroup)
}

// Groups is the resolver for the groups field.
func (r *townshipAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.TownshipGroupField, attributes []string, having *model.GroupHaving, orderBy *model.TownshipGroupOrder, first *int, after *string) (*model.GroupPage[model.TownshipGroup], error) {
	order, err := townshipOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindTownship, obj, enumNames(fields), attributes, having, order, first, after, newTownshipGroup)
}

// GroupBy is the resolver for the groupBy field.
func (r *villageAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.VillageGroupField, attributes []string, having *model.GroupHaving, orderBy *model.VillageGroupOrder, first *int) ([]*model.VillageGroup, error) {
	order, err := villageOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindVillage, obj, enumNames(fields), attributes, having, order, first, newVillageGroup)
}

// Groups is the resolver for the groups field.
func (r *villageAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.VillageGroupField, attributes []string, having *model.GroupHaving, orderBy *model.VillageGroupOrder, first *int, after *string) (*model.GroupPage[model.VillageGroup], error) {
	order, err := villageOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindVillage, obj, enumNames(fields), attributes, having, order, first, after, newVillageGroup)
}

// ActivityAggregate returns generated.ActivityAggregateResolver implementation.
func (r *Resolver) ActivityAggregate() generated.ActivityAggregateResolver {
	return &activityAggregateResolver{r}
}

// DeputyAggregate returns generated.DeputyAggregateResolver implementation.
func (r *Resolver) DeputyAggregate() generated.DeputyAggregateResolver {
	return &deputyAggregateResolver{r}
}

// InspectionAggregate returns generated.InspectionAggregateResolver implementation.
func (r *Resolver) InspectionAggregate() generated.InspectionAggregateResolver {
	return &inspectionAggregateResolver{r}
}

// ProjectAggregate returns generated.ProjectAggregateResolver implementation.
func (r *Resolver) ProjectAggregate() generated.ProjectAggregateResolver {
	return &projectAggregateResolver{r}
}

// SuggestionAggregate returns generated.SuggestionAggregateResolver implementation.
func (r *Resolver) SuggestionAggregate() generated.SuggestionAggregateResolver {
	return &suggestionAggregateResolver{r}
}

// TownshipAggregate returns generated.TownshipAggregateResolver implementation.
func (r *Resolver) TownshipAggregate() generated.TownshipAggregateResolver {
	return &townshipAggregateResolver{r}
}

// VillageAggregate returns generated.VillageAggregateResolver implementation.
func (r *Resolver) VillageAggregate() generated.VillageAggregateResolver {
	return &villageAggregateResolver{r}
}

type (
	activityAggregateResolver   struct{ *Resolver }
	deputyAggregateResolver     struct{ *Resolver }
	inspectionAggregateResolver struct{ *Resolver }
	projectAggregateResolver    struct{ *Resolver }
	suggestionAggregateResolver struct{ *Resolver }
	townshipAggregateResolver   struct{ *Resolver }
	villageAggregateResolver    struct{ *Resolver }
)
