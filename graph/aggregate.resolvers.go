package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CountDistinct is the resolver for the countDistinct field.
func (r *activityAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.ActivityGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *activityAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ActivityGroupField, attributes []string, having *model.ActivityGroupHaving, orderBy *model.ActivityGroupOrder, first *int) ([]*model.ActivityGroup, error) {
	order, err := activityOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindActivity, obj, enumNames(fields), attributes, having, order, first, newActivityGroup)
}

// Groups is the resolver for the groups field.
func (r *activityAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.ActivityGroupField, attributes []string, having *model.ActivityGroupHaving, orderBy *model.ActivityGroupOrder, first *int, after *string) (*model.GroupPage[model.ActivityGroup], error) {
	order, err := activityOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindActivity, obj, enumNames(fields), attributes, having, order, first, after, newActivityGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *activityGroupResolver) CountDistinct(ctx context.Context, obj *model.ActivityGroup, field model.ActivityGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// SuggestionsAggregate is the resolver for the suggestionsAggregate field.
func (r *deputyResolver) SuggestionsAggregate(ctx context.Context, obj *records.Deputy, filter *records.SuggestionFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, deputySuggestions, obj.Township, obj.ID, expr)
}

// InspectionsAggregate is the resolver for the inspectionsAggregate field.
func (r *deputyResolver) InspectionsAggregate(ctx context.Context, obj *records.Deputy, filter *records.InspectionFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, deputyInspections, obj.Township, obj.ID, expr)
}

// ActivitiesAggregate is the resolver for the activitiesAggregate field.
func (r *deputyResolver) ActivitiesAggregate(ctx context.Context, obj *records.Deputy, filter *records.ActivityFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, deputyActivities, obj.Township, obj.ID, expr)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *deputyAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.DeputyGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *deputyAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.DeputyGroupField, attributes []string, having *model.DeputyGroupHaving, orderBy *model.DeputyGroupOrder, first *int) ([]*model.DeputyGroup, error) {
	order, err := deputyOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindDeputy, obj, enumNames(fields), attributes, having, order, first, newDeputyGroup)
}

// Groups is the resolver for the groups field.
func (r *deputyAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.DeputyGroupField, attributes []string, having *model.DeputyGroupHaving, orderBy *model.DeputyGroupOrder, first *int, after *string) (*model.GroupPage[model.DeputyGroup], error) {
	order, err := deputyOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindDeputy, obj, enumNames(fields), attributes, having, order, first, after, newDeputyGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *deputyGroupResolver) CountDistinct(ctx context.Context, obj *model.DeputyGroup, field model.DeputyGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// CountDistinct is the resolver for the countDistinct field.
func (r *inspectionAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.InspectionGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *inspectionAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.InspectionGroupField, attributes []string, having *model.InspectionGroupHaving, orderBy *model.InspectionGroupOrder, first *int) ([]*model.InspectionGroup, error) {
	order, err := inspectionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindInspection, obj, enumNames(fields), attributes, having, order, first, newInspectionGroup)
}

// Groups is the resolver for the groups field.
func (r *inspectionAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.InspectionGroupField, attributes []string, having *model.InspectionGroupHaving, orderBy *model.InspectionGroupOrder, first *int, after *string) (*model.GroupPage[model.InspectionGroup], error) {
	order, err := inspectionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindInspection, obj, enumNames(fields), attributes, having, order, first, after, newInspectionGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *inspectionGroupResolver) CountDistinct(ctx context.Context, obj *model.InspectionGroup, field model.InspectionGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// InspectionsAggregate is the resolver for the inspectionsAggregate field.
func (r *projectResolver) InspectionsAggregate(ctx context.Context, obj *records.Project, filter *records.InspectionFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, projectInspection, obj.Township, obj.ID, expr)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *projectAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.ProjectGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *projectAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ProjectGroupField, attributes []string, having *model.ProjectGroupHaving, orderBy *model.ProjectGroupOrder, first *int) ([]*model.ProjectGroup, error) {
	order, err := projectOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindProject, obj, enumNames(fields), attributes, having, order, first, newProjectGroup)
}

// Groups is the resolver for the groups field.
func (r *projectAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.ProjectGroupField, attributes []string, having *model.ProjectGroupHaving, orderBy *model.ProjectGroupOrder, first *int, after *string) (*model.GroupPage[model.ProjectGroup], error) {
	order, err := projectOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindProject, obj, enumNames(fields), attributes, having, order, first, after, newProjectGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *projectGroupResolver) CountDistinct(ctx context.Context, obj *model.ProjectGroup, field model.ProjectGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// TownshipsAggregate is the resolver for the townshipsAggregate field.
func (r *queryResolver) TownshipsAggregate(ctx context.Context, asOf *records.Date, filter *records.TownshipFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindTownship, nil, nil, expr)
}

// DeputiesAggregate is the resolver for the deputiesAggregate field.
func (r *queryResolver) DeputiesAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.DeputyFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindDeputy, township, townships, expr)
}

// VillagesAggregate is the resolver for the villagesAggregate field.
func (r *queryResolver) VillagesAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.VillageFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindVillage, township, townships, expr)
}

// ProjectsAggregate is the resolver for the projectsAggregate field.
func (r *queryResolver) ProjectsAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ProjectFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindProject, township, townships, expr)
}

// InspectionsAggregate is the resolver for the inspectionsAggregate field.
func (r *queryResolver) InspectionsAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.InspectionFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindInspection, township, townships, expr)
}

// ActivitiesAggregate is the resolver for the activitiesAggregate field.
func (r *queryResolver) ActivitiesAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.ActivityFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindActivity, township, townships, expr)
}

// SuggestionsAggregate is the resolver for the suggestionsAggregate field.
func (r *queryResolver) SuggestionsAggregate(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.SuggestionFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.newAggregate(ctx, records.KindSuggestion, township, townships, expr)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *suggestionAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.SuggestionGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *suggestionAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.SuggestionGroupField, attributes []string, having *model.SuggestionGroupHaving, orderBy *model.SuggestionGroupOrder, first *int) ([]*model.SuggestionGroup, error) {
	order, err := suggestionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindSuggestion, obj, enumNames(fields), attributes, having, order, first, newSuggestionGroup)
}

// Groups is the resolver for the groups field.
func (r *suggestionAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.SuggestionGroupField, attributes []string, having *model.SuggestionGroupHaving, orderBy *model.SuggestionGroupOrder, first *int, after *string) (*model.GroupPage[model.SuggestionGroup], error) {
	order, err := suggestionOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindSuggestion, obj, enumNames(fields), attributes, having, order, first, after, newSuggestionGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *suggestionGroupResolver) CountDistinct(ctx context.Context, obj *model.SuggestionGroup, field model.SuggestionGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// CountDistinct is the resolver for the countDistinct field.
func (r *townshipAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.TownshipGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *townshipAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.TownshipGroupField, attributes []string, having *model.TownshipGroupHaving, orderBy *model.TownshipGroupOrder, first *int) ([]*model.TownshipGroup, error) {
	order, err := townshipOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindTownship, obj, enumNames(fields), attributes, having, order, first, newTownshipGroup)
}

// Groups is the resolver for the groups field.
func (r *townshipAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.TownshipGroupField, attributes []string, having *model.TownshipGroupHaving, orderBy *model.TownshipGroupOrder, first *int, after *string) (*model.GroupPage[model.TownshipGroup], error) {
	order, err := townshipOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindTownship, obj, enumNames(fields), attributes, having, order, first, after, newTownshipGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *townshipGroupResolver) CountDistinct(ctx context.Context, obj *model.TownshipGroup, field model.TownshipGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// DeputiesAggregate is the resolver for the deputiesAggregate field.
func (r *villageResolver) DeputiesAggregate(ctx context.Context, obj *records.Village, filter *records.DeputyFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, villageDeputies, obj.Township, obj.ID, expr)
}

// ProjectsAggregate is the resolver for the projectsAggregate field.
func (r *villageResolver) ProjectsAggregate(ctx context.Context, obj *records.Village, filter *records.ProjectFilter) (*model.Aggregate, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	return r.nestedAggregate(ctx, villageProjects, obj.Township, obj.ID, expr)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *villageAggregateResolver) CountDistinct(ctx context.Context, obj *model.Aggregate, field model.VillageGroupField) (int, error) {
	return obj.CountDistinct(ctx, string(field))
}

// GroupBy is the resolver for the groupBy field.
func (r *villageAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.VillageGroupField, attributes []string, having *model.VillageGroupHaving, orderBy *model.VillageGroupOrder, first *int) ([]*model.VillageGroup, error) {
	order, err := villageOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupBy(ctx, r.Resolver, records.KindVillage, obj, enumNames(fields), attributes, having, order, first, newVillageGroup)
}

// Groups is the resolver for the groups field.
func (r *villageAggregateResolver) Groups(ctx context.Context, obj *model.Aggregate, fields []model.VillageGroupField, attributes []string, having *model.VillageGroupHaving, orderBy *model.VillageGroupOrder, first *int, after *string) (*model.GroupPage[model.VillageGroup], error) {
	order, err := villageOrder(orderBy)
	if err != nil {
		return nil, err
	}
	return groupPage(ctx, r.Resolver, records.KindVillage, obj, enumNames(fields), attributes, having, order, first, after, newVillageGroup)
}

// CountDistinct is the resolver for the countDistinct field.
func (r *villageGroupResolver) CountDistinct(ctx context.Context, obj *model.VillageGroup, field model.VillageGroupField) (int, error) {
	return obj.Group.CountDistinct(string(field))
}

// ActivityAggregate returns generated.ActivityAggregateResolver implementation.
func (r *Resolver) ActivityAggregate() generated.ActivityAggregateResolver {
	return &activityAggregateResolver{r}
}

// ActivityGroup returns generated.ActivityGroupResolver implementation.
func (r *Resolver) ActivityGroup() generated.ActivityGroupResolver { return &activityGroupResolver{r} }

// DeputyAggregate returns generated.DeputyAggregateResolver implementation.
func (r *Resolver) DeputyAggregate() generated.DeputyAggregateResolver {
	return &deputyAggregateResolver{r}
}

// DeputyGroup returns generated.DeputyGroupResolver implementation.
func (r *Resolver) DeputyGroup() generated.DeputyGroupResolver { return &deputyGroupResolver{r} }

// InspectionAggregate returns generated.InspectionAggregateResolver implementation.
func (r *Resolver) InspectionAggregate() generated.InspectionAggregateResolver {
	return &inspectionAggregateResolver{r}
}

// InspectionGroup returns generated.InspectionGroupResolver implementation.
func (r *Resolver) InspectionGroup() generated.InspectionGroupResolver {
	return &inspectionGroupResolver{r}
}

// ProjectAggregate returns generated.ProjectAggregateResolver implementation.
func (r *Resolver) ProjectAggregate() generated.ProjectAggregateResolver {
	return &projectAggregateResolver{r}
}

// ProjectGroup returns generated.ProjectGroupResolver implementation.
func (r *Resolver) ProjectGroup() generated.ProjectGroupResolver { return &projectGroupResolver{r} }

// SuggestionAggregate returns generated.SuggestionAggregateResolver implementation.
func (r *Resolver) SuggestionAggregate() generated.SuggestionAggregateResolver {
	return &suggestionAggregateResolver{r}
}

// SuggestionGroup returns generated.SuggestionGroupResolver implementation.
func (r *Resolver) SuggestionGroup() generated.SuggestionGroupResolver {
	return &suggestionGroupResolver{r}
}

// TownshipAggregate returns generated.TownshipAggregateResolver implementation.
func (r *Resolver) TownshipAggregate() generated.TownshipAggregateResolver {
	return &townshipAggregateResolver{r}
}

// TownshipGroup returns generated.TownshipGroupResolver implementation.
func (r *Resolver) TownshipGroup() generated.TownshipGroupResolver { return &townshipGroupResolver{r} }

// VillageAggregate returns generated.VillageAggregateResolver implementation.
func (r *Resolver) VillageAggregate() generated.VillageAggregateResolver {
	return &villageAggregateResolver{r}
}

// VillageGroup returns generated.VillageGroupResolver implementation.
func (r *Resolver) VillageGroup() generated.VillageGroupResolver { return &villageGroupResolver{r} }

type (
	activityAggregateResolver   struct{ *Resolver }
	activityGroupResolver       struct{ *Resolver }
	deputyAggregateResolver     struct{ *Resolver }
	deputyGroupResolver         struct{ *Resolver }
	inspectionAggregateResolver struct{ *Resolver }
	inspectionGroupResolver     struct{ *Resolver }
	projectAggregateResolver    struct{ *Resolver }
	projectGroupResolver        struct{ *Resolver }
	suggestionAggregateResolver struct{ *Resolver }
	suggestionGroupResolver     struct{ *Resolver }
	townshipAggregateResolver   struct{ *Resolver }
	townshipGroupResolver       struct{ *Resolver }
	villageAggregateResolver    struct{ *Resolver }
	villageGroupResolver        struct{ *Resolver }
)
