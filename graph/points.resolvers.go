package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/points"
	"renda/internal/records"
)

// Kind is the resolver for the kind field.
func (r *dutyPointSourceResolver) Kind(ctx context.Context, obj *points.Source) (model.RecordKind, error) {
	if k, ok := apiKindOf(obj.Kind); ok {
		return k, nil
	}
	return "", records.Errorf(records.EINTERNAL, "a ledger line names no known kind")
}

// CreatePointRules is the resolver for the createPointRules field.
func (r *mutationResolver) CreatePointRules(ctx context.Context, input records.PointRules, idempotencyKey *string) (*records.PointRules, error) {
	return create(ctx, r.Store.PointRules, &input, idempotencyKey)
}

// UpdatePointRules is the resolver for the updatePointRules field.
func (r *mutationResolver) UpdatePointRules(ctx context.Context, id string, input records.PointRulesPatch, expectedVersion *int) (*records.PointRules, error) {
	return update(ctx, r.Store.PointRules, id, expectedVersion, input.Apply, nil, nil)
}

// DeletePointRules is the resolver for the deletePointRules field.
func (r *mutationResolver) DeletePointRules(ctx context.Context, id string, expectedVersion *int) (*records.PointRules, error) {
	return r.Store.PointRules.Delete(ctx, id, expectedVersion)
}

// Township is the resolver for the township field.
func (r *pointRulesResolver) Township(ctx context.Context, obj *records.PointRules) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// PointRules is the resolver for the pointRules field.
func (r *queryResolver) PointRules(ctx context.Context, asOf *records.Date, township string) ([]*records.PointRules, error) {
	if err := r.Store.CheckTownships(ctx, []string{township}, "township"); err != nil {
		return nil, err
	}
	sorts, _ := records.Sorts(records.KindPointRules, nil)
	return records.FindAll(ctx, r.Store.PointRules, records.Query{Townships: []string{township}, Sort: sorts}, records.MaxFigureRecords)
}

// DutyPoints is the resolver for the dutyPoints field.
func (r *queryResolver) DutyPoints(ctx context.Context, township string, year int, quarter *int, asOf *records.Date, first *int) (*model.DutyPoints, error) {
	n := deref(first)
	if n < 1 || n > records.MaxPageSize {
		return nil, records.Invalidf("first", "first is 1 to %d", records.MaxPageSize)
	}
	if err := r.Store.CheckTownships(ctx, []string{township}, "township"); err != nil {
		return nil, err
	}
	p := points.Period{Year: year, Quarter: deref(quarter), AsOf: deref(asOf)}
	from, to, err := p.Span()
	if err != nil {
		return nil, err
	}
	ranked, err := points.Compute(ctx, r.Store, township, p)
	if err != nil {
		return nil, err
	}
	out := &model.DutyPoints{From: from, To: to, TotalCount: len(ranked), Nodes: []*points.Standing{}}
	for i := range ranked[:min(n, len(ranked))] {
		out.Nodes = append(out.Nodes, &ranked[i])
	}
	return out, nil
}

// DutyPointSource returns generated.DutyPointSourceResolver implementation.
func (r *Resolver) DutyPointSource() generated.DutyPointSourceResolver {
	return &dutyPointSourceResolver{r}
}

// PointRules returns generated.PointRulesResolver implementation.
func (r *Resolver) PointRules() generated.PointRulesResolver { return &pointRulesResolver{r} }

type (
	dutyPointSourceResolver struct{ *Resolver }
	pointRulesResolver      struct{ *Resolver }
)
