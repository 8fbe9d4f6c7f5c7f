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
	ins, err := r.Store.Inspections.Find(ctx, dutyQuery(records.KindInspection, obj, "participantIds", "date.year", year))
	if err != nil {
		return nil, err
	}
	acts, err := r.Store.Activities.Find(ctx, dutyQuery(records.KindActivity, obj, "participantIds", "date.year", year))
	if err != nil {
		return nil, err
	}
	sugs, err := r.Store.Suggestions.Find(ctx, dutyQuery(records.KindSuggestion, obj, "deputyId", "year", year))
	if err != nil {
		return nil, err
	}
	return records.NewDutyRecord(obj, year, ins.Items, acts.Items, sugs.Items, time.Now()), nil
}

// Suggestion is the resolver for the suggestion field.
func (r *voterContactResolver) Suggestion(ctx context.Context, obj *records.VoterContact) (*records.Suggestion, error) {
	return loadOne(ctx, loaders(ctx).Suggestion, obj.SuggestionID)
}

// VoterContact returns generated.VoterContactResolver implementation.
func (r *Resolver) VoterContact() generated.VoterContactResolver { return &voterContactResolver{r} }

type voterContactResolver struct{ *Resolver }
