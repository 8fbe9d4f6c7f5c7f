package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Suggestions is the resolver for the suggestions field.
func (r *deputyResolver) Suggestions(ctx context.Context, obj *records.Deputy, first *int) ([]*records.Suggestion, error) {
	xs, err := loaders(ctx).SuggestionsByDep.Load(ctx, key{obj.Township, obj.ID})
	return backList(xs, err, first, "suggestions")
}

// CreateSuggestion is the resolver for the createSuggestion field.
func (r *mutationResolver) CreateSuggestion(ctx context.Context, input records.Suggestion, idempotencyKey *string) (*records.Suggestion, error) {
	return create(ctx, r.Store.Suggestions, &input, idempotencyKey)
}

// UpdateSuggestion is the resolver for the updateSuggestion field.
func (r *mutationResolver) UpdateSuggestion(ctx context.Context, id string, input records.SuggestionPatch, expectedVersion *int, add *records.ListEdit, remove *records.ListEdit) (*records.Suggestion, error) {
	x, err := r.Store.Suggestions.Modify(ctx, id, expectedVersion, func(s *records.Suggestion) error {
		before := *s
		input.Apply(s)
		add.Add(s)
		remove.Remove(s)
		return s.CheckPatch(&before)
	})
	return x, inputError(err)
}

// TransitionSuggestion is the resolver for the transitionSuggestion field.
func (r *mutationResolver) TransitionSuggestion(ctx context.Context, id string, to records.SuggestionStatus, note *string, expectedVersion *int) (*records.Suggestion, error) {
	var text string
	if note != nil {
		text = *note
	}
	by := records.ActorFrom(ctx).ID
	return r.Store.Suggestions.Modify(ctx, id, expectedVersion, func(s *records.Suggestion) error {
		return s.Move(to, text, by, records.NowFor(ctx))
	})
}

// ExtendSuggestion is the resolver for the extendSuggestion field.
func (r *mutationResolver) ExtendSuggestion(ctx context.Context, id string, days int, reason string, expectedVersion *int) (*records.Suggestion, error) {
	by := records.ActorFrom(ctx).ID
	return r.Store.Suggestions.Modify(ctx, id, expectedVersion, func(s *records.Suggestion) error {
		return s.Extend(days, reason, by, records.NowFor(ctx))
	})
}

// SuperviseSuggestion is the resolver for the superviseSuggestion field.
func (r *mutationResolver) SuperviseSuggestion(ctx context.Context, id string, supervised bool, note *string, expectedVersion *int) (*records.Suggestion, error) {
	by := records.ActorFrom(ctx).ID
	return r.Store.Suggestions.Modify(ctx, id, expectedVersion, func(s *records.Suggestion) error {
		return s.Supervise(supervised, deref(note), by, records.NowFor(ctx))
	})
}

// DeleteSuggestion is the resolver for the deleteSuggestion field.
func (r *mutationResolver) DeleteSuggestion(ctx context.Context, id string, expectedVersion *int) (*records.Suggestion, error) {
	return r.Store.Suggestions.Delete(ctx, id, expectedVersion)
}

// Suggestion is the resolver for the suggestion field.
func (r *queryResolver) Suggestion(ctx context.Context, asOf *records.Date, id string) (*records.Suggestion, error) {
	return r.Store.Suggestions.Get(ctx, id)
}

// SuggestionRules is the resolver for the suggestionRules field.
func (r *queryResolver) SuggestionRules(ctx context.Context) (*model.SuggestionRules, error) {
	h := records.HandlingRules
	return &model.SuggestionRules{ReturnDays: h.ReturnDays, ReplyMonths: h.ReplyMonths, ExtensionDays: h.ExtensionDays, RedoDays: h.RedoDays}, nil
}

// Suggestions is the resolver for the suggestions field.
func (r *queryResolver) Suggestions(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.SuggestionFilter, orderBy []*records.Order, first *int, after *string) (*model.SuggestionConnection, error) {
	expr, err := records.CompileOn(filter, "filter", records.DayAsked(ctx))
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindSuggestion, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Suggestions, q, func(c string, n *records.Suggestion) *model.SuggestionEdge {
		return &model.SuggestionEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"deputy": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(s *records.Suggestion) []string { return []string{s.DeputyID} }))
		},
	})
	return &model.SuggestionConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Township is the resolver for the township field.
func (r *suggestionResolver) Township(ctx context.Context, obj *records.Suggestion) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Deputy is the resolver for the deputy field.
func (r *suggestionResolver) Deputy(ctx context.Context, obj *records.Suggestion) (*records.Deputy, error) {
	return loadOne(ctx, loaders(ctx).Deputy, obj.Township, obj.DeputyID)
}

// Field is the resolver for the field field.
func (r *suggestionOrderResolver) Field(ctx context.Context, obj *records.Order, data model.SuggestionOrderField) error {
	obj.Field = string(data)
	return nil
}

// Suggestion returns generated.SuggestionResolver implementation.
func (r *Resolver) Suggestion() generated.SuggestionResolver { return &suggestionResolver{r} }

// SuggestionOrder returns generated.SuggestionOrderResolver implementation.
func (r *Resolver) SuggestionOrder() generated.SuggestionOrderResolver {
	return &suggestionOrderResolver{r}
}

type (
	suggestionResolver      struct{ *Resolver }
	suggestionOrderResolver struct{ *Resolver }
)
