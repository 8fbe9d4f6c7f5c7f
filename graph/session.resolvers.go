package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// CongressAttendance is the resolver for the congressAttendance field.
func (r *deputyResolver) CongressAttendance(ctx context.Context, obj *records.Deputy, year *int) (*records.DeputyAttendance, error) {
	ss, err := loaders(ctx).SessionsByDep.Load(ctx, key{obj.Township, obj.ID})
	if err != nil {
		return nil, err
	}
	a := records.AttendanceOf(obj.ID, ss, deref(year))
	if a.Entries == nil {
		a.Entries = []records.DeputySessionEntry{}
	}
	return &a, nil
}

// Deputy is the resolver for the deputy field.
func (r *electionCandidateResolver) Deputy(ctx context.Context, obj *records.Candidate) (*records.Deputy, error) {
	return loadOne(ctx, loaders(ctx).Deputy, parentTownship(ctx), obj.DeputyID)
}

// CreateSession is the resolver for the createSession field.
func (r *mutationResolver) CreateSession(ctx context.Context, input records.CongressSession, idempotencyKey *string) (*records.CongressSession, error) {
	return create(ctx, r.Store.Sessions, &input, idempotencyKey)
}

// UpdateSession is the resolver for the updateSession field.
func (r *mutationResolver) UpdateSession(ctx context.Context, id string, input records.CongressSessionPatch, expectedVersion *int) (*records.CongressSession, error) {
	return update(ctx, r.Store.Sessions, id, expectedVersion, input.Apply, nil, nil)
}

// DeleteSession is the resolver for the deleteSession field.
func (r *mutationResolver) DeleteSession(ctx context.Context, id string, expectedVersion *int) (*records.CongressSession, error) {
	return r.Store.Sessions.Delete(ctx, id, expectedVersion)
}

// Session is the resolver for the session field.
func (r *queryResolver) Session(ctx context.Context, asOf *records.Date, id string) (*records.CongressSession, error) {
	return r.Store.Sessions.Get(ctx, id)
}

// SessionPreview is the resolver for the sessionPreview field.
func (r *queryResolver) SessionPreview(ctx context.Context, input records.CongressSession) (*records.CongressSession, error) {
	if err := r.Store.CheckTownships(ctx, []string{input.Township}, "input.township"); err != nil {
		return nil, err
	}
	x := &input
	if err := x.Validate(); err != nil {
		return nil, inputError(err)
	}
	x.Derive(nil)
	return x, nil
}

// Sessions is the resolver for the sessions field.
func (r *queryResolver) Sessions(ctx context.Context, asOf *records.Date, township *string, townships []string, filter *records.CongressSessionFilter, orderBy []*records.Order, first *int, after *string) (*model.SessionConnection, error) {
	expr, err := records.Compile(filter, "filter")
	if err != nil {
		return nil, err
	}
	q, err := listQuery(ctx, records.KindCongressSession, township, townships, expr, orderBy, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Sessions, q, func(c string, n *records.CongressSession) *model.SessionEdge {
		return &model.SessionEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	prefetch(ctx, nodeFields(ctx), map[string]func(context.Context){
		"roll": func(ctx context.Context) {
			_, _ = loaders(ctx).Deputy.LoadAll(ctx, ids(nodes, func(x *records.CongressSession) []string {
				out := make([]string, len(x.Roll))
				for i, e := range x.Roll {
					out[i] = e.DeputyID
				}
				return out
			}))
		},
	})
	return &model.SessionConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// Deputy is the resolver for the deputy field.
func (r *rollEntryResolver) Deputy(ctx context.Context, obj *records.RollEntry) (*records.Deputy, error) {
	return loadOne(ctx, loaders(ctx).Deputy, parentTownship(ctx), obj.DeputyID)
}

// Township is the resolver for the township field.
func (r *sessionResolver) Township(ctx context.Context, obj *records.CongressSession) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Field is the resolver for the field field.
func (r *sessionOrderResolver) Field(ctx context.Context, obj *records.Order, data model.SessionOrderField) error {
	obj.Field = string(data)
	return nil
}

// ElectionCandidate returns generated.ElectionCandidateResolver implementation.
func (r *Resolver) ElectionCandidate() generated.ElectionCandidateResolver {
	return &electionCandidateResolver{r}
}

// RollEntry returns generated.RollEntryResolver implementation.
func (r *Resolver) RollEntry() generated.RollEntryResolver { return &rollEntryResolver{r} }

// Session returns generated.SessionResolver implementation.
func (r *Resolver) Session() generated.SessionResolver { return &sessionResolver{r} }

// SessionOrder returns generated.SessionOrderResolver implementation.
func (r *Resolver) SessionOrder() generated.SessionOrderResolver { return &sessionOrderResolver{r} }

type (
	electionCandidateResolver struct{ *Resolver }
	rollEntryResolver         struct{ *Resolver }
	sessionResolver           struct{ *Resolver }
	sessionOrderResolver      struct{ *Resolver }
)
