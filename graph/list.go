package graph

import (
	"context"

	"renda/graph/model"
	"renda/internal/records"
	"renda/internal/report"
)

// listQuery turns list arguments into a store query, its page within the
// page limit of ctx; the filters of counts it is ordered by are on the
// day ctx asks about.
func listQuery(ctx context.Context, kind records.Kind, township *string, townships []string, filter records.Expr, orderBy []*records.Order, first *int, after *string) (records.Query, error) {
	towns, err := townshipsArg(township, townships)
	if err != nil {
		return records.Query{}, err
	}
	orders := make([]records.Order, len(orderBy))
	for i, o := range orderBy {
		orders[i] = *o
	}
	sorts, err := records.SortsOn(kind, orders, records.DayAsked(ctx))
	if err != nil {
		return records.Query{}, err
	}
	q := records.Query{Townships: towns, Filter: filter, Sort: sorts, First: records.DefaultPageSize}
	if first != nil {
		q.First = *first
	}
	if after != nil {
		q.After = *after
	}
	return q, q.ValidateIn(ctx)
}

// page runs a list query and shapes it as a connection's parts.
func page[T any, PT records.Record[T], E any](ctx context.Context, c records.Collection[T, PT], q records.Query,
	edge func(cursor string, node *T) E) ([]E, []*T, *model.PageInfo, model.Counter, error) {
	p, err := c.Find(ctx, q)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	edges, nodes, info := model.Page(p, edge)
	prime(ctx, nodes)
	return edges, nodes, info, func(ctx context.Context) (int, error) { return c.Count(ctx, q) }, nil
}

// inputError places a validation error under the input argument.
func inputError(err error) error { return records.Prefix("input", err) }

// reports returns the report registry, or says there is none.
func (r *Resolver) reports() (*report.Registry, error) {
	if r.Reports == nil {
		return nil, records.Errorf(records.ENOTFOUND, "this server has no report plugins")
	}
	return r.Reports, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// create stores a new record, once for an idempotency key.
func create[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], x PT, key *string) (PT, error) {
	got, err := c.CreateOnce(ctx, deref(key), x)
	if records.ErrorField(err) == "idempotencyKey" {
		return nil, err
	}
	return got, inputError(err)
}

// update applies a patch and list edits to a record in one write.
func update[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], id string, expectedVersion *int,
	patch func(PT), add, remove *records.ListEdit) (PT, error) {
	x, err := c.Update(ctx, id, expectedVersion, func(x PT) {
		patch(x)
		add.Add(x)
		remove.Remove(x)
	})
	return x, inputError(err)
}
