package graph

import (
	"context"
	"encoding/json"

	"github.com/vikstrous/dataloadgen"

	"renda/graph/model"
	"renda/internal/analytics"
	"renda/internal/records"
)

// Aggregates under a record (Deputy.suggestionsAggregate, …): the kind's
// aggregate of the records linked to it (a suggestion's deputyId, an
// inspection's participantIds …) that match filter. Their totals (count,
// sum, average, min, max, countDistinct, rates) are batched: the records
// of a page asking the same figures cost one grouping of the linked kind,
// by the link, over all of them. A groupBy or groups under one record is
// its own grouping.

// link is how records of a kind point at the record an aggregate is under:
// the group field (in analytics.Specs) whose values are its id.
type link struct {
	kind  records.Kind
	field string
	path  string
}

var (
	deputySuggestions = link{records.KindSuggestion, "DEPUTY", "deputyId"}
	deputyInspections = link{records.KindInspection, "PARTICIPANT", "participantIds"}
	deputyActivities  = link{records.KindActivity, "PARTICIPANT", "participantIds"}
	villageDeputies   = link{records.KindDeputy, "VILLAGE", "villageId"}
	villageProjects   = link{records.KindProject, "VILLAGE", "villageIds"}
	projectInspection = link{records.KindInspection, "PROJECT", "projectIds"}
)

// nestedAggregate is the aggregate of the records of l.kind linked to the
// record (township t, id) that match filter.
func (r *Resolver) nestedAggregate(ctx context.Context, l link, t, id string, filter records.Expr) (*model.Aggregate, error) {
	sel := selected(ctx)
	base := analytics.Request{Kind: l.kind, Townships: []string{t}, Filter: filter, Today: records.Today(), On: records.DayAsked(ctx)}
	base.Numbers, base.Distinct, base.Rates = collectNumbers(ctx, sel), collectDistinct(ctx, sel), selects(sel, "rates")
	req := base
	linked := records.Expr{Cond: &records.Cond{Path: l.path, Op: records.OpEq, Value: id}}
	req.Filter = linked
	if !filter.IsZero() {
		req.Filter = records.Expr{And: []records.Expr{filter, linked}}
	}
	return &model.Aggregate{Request: req, Totals: func(ctx context.Context, _ analytics.Request) (*analytics.Group, error) {
		return r.aggregateLoader(ctx, l, base).Load(ctx, key{t, id})
	}}, nil
}

// aggregateLoader is the request's loader of base's figures by linked
// record: one grouping a batch, by the link, over the batch's records.
func (r *Resolver) aggregateLoader(ctx context.Context, l link, base analytics.Request) *dataloadgen.Loader[key, *analytics.Group] {
	sig, _ := json.Marshal(struct {
		Kind     records.Kind
		Field    string
		Path     string
		Filter   string
		Numbers  []analytics.NumberRef
		Distinct []analytics.Key
		Rates    bool
	}{l.kind, l.field, l.path, base.Filter.String(), base.Numbers, base.Distinct, base.Rates})
	ls := loaders(ctx)
	if x, ok := ls.Aggregates.Load(string(sig)); ok {
		return x.(*dataloadgen.Loader[key, *analytics.Group])
	}
	x, _ := ls.Aggregates.LoadOrStore(string(sig), dataloadgen.NewLoader(func(ctx context.Context, keys []key) ([]*analytics.Group, []error) {
		return r.loadAggregates(ctx, l, base, keys)
	}, loaderOptions...))
	return x.(*dataloadgen.Loader[key, *analytics.Group])
}

// loadAggregates runs one grouping of base by l's link for the records
// keys name, and answers each its group (an empty one for none linked).
func (r *Resolver) loadAggregates(ctx context.Context, l link, base analytics.Request, keys []key) ([]*analytics.Group, []error) {
	order, ids := byTownship(keys)
	var all []string
	asked := map[string]bool{}
	for _, t := range order {
		all = append(all, ids[t]...)
		for _, id := range ids[t] {
			asked[id] = true
		}
	}
	req := base
	req.Townships = order
	in := records.Expr{Cond: &records.Cond{Path: l.path, Op: records.OpIn, Value: all}}
	req.Filter = in
	if !base.Filter.IsZero() {
		req.Filter = records.Expr{And: []records.Expr{base.Filter, in}}
	}
	req.Keys = []analytics.Key{{Field: l.field}}
	groups, err := analytics.Groups(ctx, r.Store, req)
	if err != nil {
		return nil, []error{err}
	}
	byID := map[string]*analytics.Group{}
	for _, g := range groups {
		if id, ok := g.Keys[0].(string); ok && asked[id] {
			byID[id] = g
		}
	}
	out := make([]*analytics.Group, len(keys))
	for i, k := range keys {
		if out[i] = byID[k.id]; out[i] == nil {
			out[i] = analytics.Empty(base)
		}
	}
	return out, nil
}
