package points

import (
	"context"

	"renda/internal/records"
)

// Load reads what a ledger of township t for period p is computed from:
// the rules, the deputies, and the records dated within the period, as
// the caller in ctx may see them.
func Load(ctx context.Context, s *records.Store, t string, p Period) (Records, error) {
	first, last, err := p.Span()
	if err != nil {
		return Records{}, err
	}
	towns := []string{t}
	within := func(path string) records.Expr {
		return records.Expr{And: []records.Expr{
			{Cond: &records.Cond{Path: path, Op: records.OpGte, Value: first}},
			{Cond: &records.Cond{Path: path, Op: records.OpLte, Value: last}},
		}}
	}
	var in Records
	max := records.MaxFigureRecords
	if in.Rules, err = records.FindAll(ctx, s.PointRules, records.Query{Townships: towns}, max); err != nil {
		return in, err
	}
	if in.Deputies, err = records.FindAll(ctx, s.Deputies, records.Query{Townships: towns}, max); err != nil {
		return in, err
	}
	if in.Inspections, err = records.FindAll(ctx, s.Inspections, records.Query{Townships: towns, Filter: within("date.date")}, max); err != nil {
		return in, err
	}
	if in.Activities, err = records.FindAll(ctx, s.Activities, records.Query{Townships: towns, Filter: within("date.date")}, max); err != nil {
		return in, err
	}
	if in.Suggestions, err = records.FindAll(ctx, s.Suggestions, records.Query{Townships: towns, Filter: within("submitted")}, max); err != nil {
		return in, err
	}
	if in.Receptions, err = records.FindAll(ctx, s.Receptions, records.Query{Townships: towns, Filter: within("date")}, max); err != nil {
		return in, err
	}
	if in.Sessions, err = records.FindAll(ctx, s.Sessions, records.Query{Townships: towns, Filter: within("start")}, max); err != nil {
		return in, err
	}
	return in, nil
}

// Compute is the ranking of township t's deputies for period p.
func Compute(ctx context.Context, s *records.Store, t string, p Period) ([]Standing, error) {
	in, err := Load(ctx, s, t, p)
	if err != nil {
		return nil, err
	}
	return Ledger(in, p)
}
