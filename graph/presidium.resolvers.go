package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CreatePresidiumMeeting is the resolver for the createPresidiumMeeting field.
func (r *mutationResolver) CreatePresidiumMeeting(ctx context.Context, input records.PresidiumMeeting, idempotencyKey *string) (*records.PresidiumMeeting, error) {
	return create(ctx, r.Store.PresidiumMeetings, &input, idempotencyKey)
}

// UpdatePresidiumMeeting is the resolver for the updatePresidiumMeeting field.
func (r *mutationResolver) UpdatePresidiumMeeting(ctx context.Context, id string, input records.PresidiumMeetingPatch, expectedVersion *int) (*records.PresidiumMeeting, error) {
	return update(ctx, r.Store.PresidiumMeetings, id, expectedVersion, input.Apply, nil, nil)
}

// DeletePresidiumMeeting is the resolver for the deletePresidiumMeeting field.
func (r *mutationResolver) DeletePresidiumMeeting(ctx context.Context, id string, expectedVersion *int) (*records.PresidiumMeeting, error) {
	return r.Store.PresidiumMeetings.Delete(ctx, id, expectedVersion)
}

// Township is the resolver for the township field.
func (r *presidiumMeetingResolver) Township(ctx context.Context, obj *records.PresidiumMeeting) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Attendees is the resolver for the attendees field.
func (r *presidiumMeetingResolver) Attendees(ctx context.Context, obj *records.PresidiumMeeting, first *int) ([]*records.Deputy, error) {
	return refList(obj.AttendeeIDs, first, "attendees", func(ids []string) ([]*records.Deputy, error) {
		return loadMany(ctx, loaders(ctx).Deputy, obj.Township, ids)
	})
}

// Session is the resolver for the session field.
func (r *presidiumMeetingResolver) Session(ctx context.Context, obj *records.PresidiumMeeting) (*records.CongressSession, error) {
	return getLinked(ctx, r.Store.Sessions, obj.Township, obj.SessionID)
}

// Inspections is the resolver for the inspections field.
func (r *presidiumMeetingResolver) Inspections(ctx context.Context, obj *records.PresidiumMeeting, first *int) ([]*records.Inspection, error) {
	return refList(obj.InspectionIDs, first, "inspections", func(ids []string) ([]*records.Inspection, error) {
		return getInOrder(ctx, r.Store.Inspections, obj.Township, ids)
	})
}

// PresidiumMeeting is the resolver for the presidiumMeeting field.
func (r *queryResolver) PresidiumMeeting(ctx context.Context, asOf *records.Date, id string) (*records.PresidiumMeeting, error) {
	return r.Store.PresidiumMeetings.Get(ctx, id)
}

// PresidiumMeetings is the resolver for the presidiumMeetings field.
func (r *queryResolver) PresidiumMeetings(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.PresidiumMeetingFilter, orderBy []*records.Order, first *int, after *string) (*model.PresidiumMeetingConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindPresidiumMeeting, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.PresidiumMeetings, q, func(c string, n *records.PresidiumMeeting) *model.PresidiumMeetingEdge {
		return &model.PresidiumMeetingEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"attendees": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(x *records.PresidiumMeeting) []string { return x.AttendeeIDs }))
		},
	})
	return &model.PresidiumMeetingConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Field is the resolver for the field field.
func (r *presidiumMeetingOrderResolver) Field(ctx context.Context, obj *records.Order, data model.PresidiumMeetingOrderField) error {
	obj.Field = string(data)
	return nil
}

// PresidiumMeeting returns generated.PresidiumMeetingResolver implementation.
func (r *Resolver) PresidiumMeeting() generated.PresidiumMeetingResolver {
	return &presidiumMeetingResolver{r}
}

// PresidiumMeetingOrder returns generated.PresidiumMeetingOrderResolver implementation.
func (r *Resolver) PresidiumMeetingOrder() generated.PresidiumMeetingOrderResolver {
	return &presidiumMeetingOrderResolver{r}
}

type (
	presidiumMeetingResolver      struct{ *Resolver }
	presidiumMeetingOrderResolver struct{ *Resolver }
)
