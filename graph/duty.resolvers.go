package graph

import (
	"context"
	"renda/graph/generated"
	"renda/internal/records"
	"time"
)

// Duty is the resolver for the duty field.
func (r *deputyResolver) Duty(ctx context.Context, obj *records.Deputy, year int) (*records.DutyRecord, error) {
	if year < 1949 || year > 2100 {
		return nil, records.Invalidf("year", "year %d is out of range", year)
	}
	rs, err := loaders(ctx).Duty.Load(ctx, dutyKey{obj.Township, obj.ID, year})
	if err != nil {
		return nil, err
	}
	ins, err := dutyItems(rs.inspections, "inspections", year)
	if err != nil {
		return nil, err
	}
	acts, err := dutyItems(rs.activities, "activities", year)
	if err != nil {
		return nil, err
	}
	sugs, err := dutyItems(rs.suggestions, "suggestions", year)
	if err != nil {
		return nil, err
	}
	return records.NewDutyRecord(obj, year, ins, acts, sugs, time.Now()), nil
}

// Suggestion is the resolver for the suggestion field.
func (r *voterContactResolver) Suggestion(ctx context.Context, obj *records.VoterContact) (*records.Suggestion, error) {
	return loadOne(ctx, loaders(ctx).Suggestion, parentTownship(ctx), obj.SuggestionID)
}

// VoterContact returns generated.VoterContactResolver implementation.
func (r *Resolver) VoterContact() generated.VoterContactResolver { return &voterContactResolver{r} }

type voterContactResolver struct{ *Resolver }
