package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Township is the resolver for the township field.
func (r *dutySubmissionResolver) Township(ctx context.Context, obj *records.DutySubmission) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Deputy is the resolver for the deputy field.
func (r *dutySubmissionResolver) Deputy(ctx context.Context, obj *records.DutySubmission) (*records.Deputy, error) {
	return loadOne(ctx, loaders(ctx).Deputy, obj.Township, obj.DeputyID)
}

// Village is the resolver for the village field.
func (r *dutySubmissionResolver) Village(ctx context.Context, obj *records.DutySubmission) (*records.Village, error) {
	return loadOne(ctx, loaders(ctx).Village, obj.Township, obj.VillageID)
}

// Suggestion is the resolver for the suggestion field.
func (r *dutySubmissionResolver) Suggestion(ctx context.Context, obj *records.DutySubmission) (*records.Suggestion, error) {
	return loadOne(ctx, loaders(ctx).Suggestion, obj.Township, obj.SuggestionID)
}

// SubmitDuty is the resolver for the submitDuty field.
func (r *mutationResolver) SubmitDuty(ctx context.Context, input model.SubmitDutyInput) (*records.DutySubmission, error) {
	x := &records.DutySubmission{Kind: input.Kind, Date: input.Date, VoterName: deref(input.VoterName), VillageID: deref(input.VillageID),
		Channel: deref(input.Channel), Title: deref(input.Title), Summary: input.Summary}
	x.Township, x.DeputyID = deref(input.Township), deref(input.DeputyID)
	if a := records.ActorFrom(ctx); a.Role == records.DeputyRole {
		// A deputy's own: their deputy, their township.
		if x.DeputyID != "" && x.DeputyID != a.DeputyID {
			return nil, &records.Error{Code: records.EFORBIDDEN, Field: "input.deputyId", Message: "a deputy submits only their own duty records"}
		}
		x.DeputyID, x.Township = a.DeputyID, a.Townships[0]
	}
	if x.Township == "" {
		return nil, records.Invalidf("input.township", "township is required")
	}
	x, err := r.Store.Submissions.Create(ctx, x)
	return x, records.Prefix("input", err)
}

// UpdateDutySubmission is the resolver for the updateDutySubmission field.
func (r *mutationResolver) UpdateDutySubmission(ctx context.Context, id string, input model.UpdateDutySubmissionInput, expectedVersion *int) (*records.DutySubmission, error) {
	x, err := r.Store.Submissions.Modify(ctx, id, expectedVersion, func(x *records.DutySubmission) error {
		if x.Status == records.SUB_APPROVED {
			return &records.Error{Code: records.ECONFLICT, Field: "id", Message: "an approved submission is the office's record now; ask the office to change it"}
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		if input.Date != nil {
			x.Date = *input.Date
		}
		set(&x.VoterName, input.VoterName)
		set(&x.VillageID, input.VillageID)
		set(&x.Channel, input.Channel)
		set(&x.Title, input.Title)
		set(&x.Summary, input.Summary)
		x.Resubmit()
		return nil
	})
	return x, inputError(err)
}

// ReviewDutySubmission is the resolver for the reviewDutySubmission field.
func (r *mutationResolver) ReviewDutySubmission(ctx context.Context, id string, approve bool, reason *string, expectedVersion *int) (*records.DutySubmission, error) {
	return r.Store.ReviewSubmission(ctx, id, approve, deref(reason), expectedVersion)
}

// DutySubmissions is the resolver for the dutySubmissions field.
func (r *queryResolver) DutySubmissions(ctx context.Context, township string, status *records.SubmissionStatus, deputyID *string, first *int, after *string) (*model.DutySubmissionConnection, error) {
	f := records.Expr{}
	var conds []records.Expr
	if a := records.ActorFrom(ctx); a.Role == records.DeputyRole {
		deputyID = &a.DeputyID // a deputy sees their own only
	}
	if deputyID != nil {
		conds = append(conds, records.Expr{Cond: &records.Cond{Path: "deputyId", Op: records.OpEq, Value: *deputyID}})
	}
	if status != nil {
		conds = append(conds, records.Expr{Cond: &records.Cond{Path: "status", Op: records.OpEq, Value: string(*status)}})
	}
	if len(conds) > 0 {
		f = records.Expr{And: conds}
	}
	desc := records.DESC
	q, err := listQuery(ctx, records.KindSubmission, &township, nil, f, []*records.Order{{Field: "CREATED_AT", Direction: desc}}, first, after)
	if err != nil {
		return nil, err
	}
	edges, nodes, info, count, err := page(ctx, r.Store.Submissions, q, func(c string, n *records.DutySubmission) *model.DutySubmissionEdge {
		return &model.DutySubmissionEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	return &model.DutySubmissionConnection{Edges: edges, Nodes: nodes, PageInfo: info, Counter: count}, nil
}

// DutySubmission is the resolver for the dutySubmission field.
func (r *queryResolver) DutySubmission(ctx context.Context, id string) (*records.DutySubmission, error) {
	x, err := r.Store.Submissions.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a := records.ActorFrom(ctx); a.Role == records.DeputyRole && x.DeputyID != a.DeputyID {
		return nil, records.Errorf(records.ENOTFOUND, "duty submission %q not found", id)
	}
	return x, nil
}

// DutySubmission returns generated.DutySubmissionResolver implementation.
func (r *Resolver) DutySubmission() generated.DutySubmissionResolver {
	return &dutySubmissionResolver{r}
}

type dutySubmissionResolver struct{ *Resolver }
