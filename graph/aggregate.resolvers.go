package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// GroupBy is the resolver for the groupBy field.
func (r *activityAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ActivityGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ActivityGroupOrder, first *int) ([]*model.ActivityGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.ActivityGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, enumPtr(orderBy.Number), orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.ActivityGroup, len(groups))
	for i, g := range groups {
		k := &model.ActivityGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindActivity, req.Keys, g, loadRef)
		out[i] = &model.ActivityGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
}

// GroupBy is the resolver for the groupBy field.
func (r *deputyAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.DeputyGroupField, attributes []string, having *model.GroupHaving, orderBy *model.DeputyGroupOrder, first *int) ([]*model.DeputyGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.DeputyGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, nil, orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.DeputyGroup, len(groups))
	for i, g := range groups {
		k := &model.DeputyGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindDeputy, req.Keys, g, loadRef)
		out[i] = &model.DeputyGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
}

// GroupBy is the resolver for the groupBy field.
func (r *inspectionAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.InspectionGroupField, attributes []string, having *model.GroupHaving, orderBy *model.InspectionGroupOrder, first *int) ([]*model.InspectionGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.InspectionGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, enumPtr(orderBy.Number), orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.InspectionGroup, len(groups))
	for i, g := range groups {
		k := &model.InspectionGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindInspection, req.Keys, g, loadRef)
		out[i] = &model.InspectionGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
}

// GroupBy is the resolver for the groupBy field.
func (r *projectAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.ProjectGroupField, attributes []string, having *model.GroupHaving, orderBy *model.ProjectGroupOrder, first *int) ([]*model.ProjectGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.ProjectGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, enumPtr(orderBy.Number), orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.ProjectGroup, len(groups))
	for i, g := range groups {
		k := &model.ProjectGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindProject, req.Keys, g, loadRef)
		out[i] = &model.ProjectGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
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
	given := orderBy != nil
	if !given {
		orderBy = &model.SuggestionGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, enumPtr(orderBy.Number), orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.SuggestionGroup, len(groups))
	for i, g := range groups {
		k := &model.SuggestionGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindSuggestion, req.Keys, g, loadRef)
		out[i] = &model.SuggestionGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
}

// GroupBy is the resolver for the groupBy field.
func (r *townshipAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.TownshipGroupField, attributes []string, having *model.GroupHaving, orderBy *model.TownshipGroupOrder, first *int) ([]*model.TownshipGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.TownshipGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, nil, orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.TownshipGroup, len(groups))
	for i, g := range groups {
		k := &model.TownshipGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindTownship, req.Keys, g, loadRef)
		out[i] = &model.TownshipGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
}

// GroupBy is the resolver for the groupBy field.
func (r *villageAggregateResolver) GroupBy(ctx context.Context, obj *model.Aggregate, fields []model.VillageGroupField, attributes []string, having *model.GroupHaving, orderBy *model.VillageGroupOrder, first *int) ([]*model.VillageGroup, error) {
	given := orderBy != nil
	if !given {
		orderBy = &model.VillageGroupOrder{}
	}
	order, err := groupOrder(given, orderBy.By, enumPtr(orderBy.Number), orderBy.Attribute, orderBy.Direction)
	if err != nil {
		return nil, err
	}
	groups, req, err := r.groupBy(ctx, obj, enumNames(fields), attributes, having, order, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.VillageGroup, len(groups))
	for i, g := range groups {
		k := &model.VillageGroupKeys{}
		model.FillKeys(k, keysOf(k), records.KindVillage, req.Keys, g, loadRef)
		out[i] = &model.VillageGroup{Group: newGroup(req, g), Keys: k}
	}
	return out, nil
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
