package graph

import (
	"context"
	"renda/graph/generated"
	"renda/internal/records"
)

// ServingOn is the resolver for the servingOn field.
func (r *deputyResolver) ServingOn(ctx context.Context, obj *records.Deputy, date records.Date) (bool, error) {
	if !date.Valid() {
		return false, records.Invalidf("date", "%q is not a date in YYYY-MM-DD form", date)
	}
	return obj.ServingOn(date), nil
}

// TermOn is the resolver for the termOn field.
func (r *deputyResolver) TermOn(ctx context.Context, obj *records.Deputy, level records.Level, date *records.Date) (*records.Term, error) {
	d := records.Today()
	if date != nil {
		if !date.Valid() {
			return nil, records.Invalidf("date", "%q is not a date in YYYY-MM-DD form", *date)
		}
		d = *date
	}
	return obj.TermOn(level, d), nil
}

// Deputy is the resolver for the deputy field.
func (r *reviewResultResolver) Deputy(ctx context.Context, obj *records.ReviewResult) (*records.Deputy, error) {
	return loadOne(ctx, loaders(ctx).Deputy, parentTownship(ctx), obj.DeputyID)
}

// ReviewResult returns generated.ReviewResultResolver implementation.
func (r *Resolver) ReviewResult() generated.ReviewResultResolver { return &reviewResultResolver{r} }

type reviewResultResolver struct{ *Resolver }
