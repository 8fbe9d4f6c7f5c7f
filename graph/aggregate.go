package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"renda/graph/model"
	"renda/internal/analytics"
	"renda/internal/records"
)

// townshipsArg combines a list's township and townships arguments.
func townshipsArg(township *string, townships []string) ([]string, error) {
	switch {
	case township != nil && townships != nil:
		return nil, records.Invalidf("townships", "give township or townships, not both")
	case township != nil:
		return []string{*township}, nil
	case len(townships) > records.MaxFilterValues:
		return nil, records.Invalidf("townships", "at most %d townships, got %d", records.MaxFilterValues, len(townships))
	}
	return townships, nil
}

// newAggregate answers an XAggregate field: the townships are checked at
// once (an unknown one is NOT_FOUND), the numbers its sum and average ask
// for collected, so count, sum and average are one grouping.
func (r *Resolver) newAggregate(ctx context.Context, kind records.Kind, township *string, townships []string, filter records.Expr) (*model.Aggregate, error) {
	towns, err := townshipsArg(township, townships)
	if err != nil {
		return nil, err
	}
	if _, err := r.Store.ResolveTownships(ctx, towns); err != nil {
		return nil, err
	}
	req := analytics.Request{Kind: kind, Townships: towns, Filter: filter}
	sel := selected(ctx)
	req.Numbers, req.Distinct, req.Rates = collectNumbers(ctx, sel), collectDistinct(ctx, sel), selects(sel, "rates")
	req.Today, req.On = records.Today(), records.DayAsked(ctx)
	return &model.Aggregate{Request: req, Totals: func(ctx context.Context, req analytics.Request) (*analytics.Group, error) {
		return analytics.Totals(ctx, r.Store, req)
	}}, nil
}

// selected are the fields the field being resolved selects, fragments
// expanded.
func selected(ctx context.Context) []graphql.CollectedField {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	return graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil)
}

// selects reports whether sel selects the field name.
func selects(sel []graphql.CollectedField, name string) bool {
	return slices.ContainsFunc(sel, func(f graphql.CollectedField) bool { return f.Name == name })
}

// collectDistinct finds the fields the countDistinct fields of a
// selection ask for, under any alias.
func collectDistinct(ctx context.Context, sel []graphql.CollectedField) []analytics.Key {
	op := graphql.GetOperationContext(ctx)
	var out []analytics.Key
	for _, f := range sel {
		if f.Name != "countDistinct" {
			continue
		}
		name, ok := f.ArgumentMap(op.Variables)["field"]
		k := analytics.Key{Field: fmt.Sprint(name)}
		if ok && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// collectNumbers finds the numbers the sum, average, min and max fields of
// a selection ask for: fields (lengthKm, submitted) and attribute(path:)
// under any alias.
func collectNumbers(ctx context.Context, sel []graphql.CollectedField) []analytics.NumberRef {
	op := graphql.GetOperationContext(ctx)
	var out []analytics.NumberRef
	add := func(n analytics.NumberRef) {
		for _, x := range out {
			if x == n {
				return
			}
		}
		out = append(out, n)
	}
	for _, f := range sel {
		if f.Name != "sum" && f.Name != "average" && f.Name != "min" && f.Name != "max" {
			continue
		}
		for _, n := range graphql.CollectFields(op, f.Selections, nil) {
			switch n.Name {
			case "__typename":
			case "attribute":
				if p, ok := n.ArgumentMap(op.Variables)["path"].(string); ok {
					add(analytics.NumberRef{Attribute: p})
				}
			default:
				add(analytics.NumberRef{Number: upperSnake(n.Name)})
			}
		}
	}
	return out
}

// upperSnake turns a GraphQL field name into an enumeration value:
// lengthKm → LENGTH_KM.
func upperSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// groupOrder turns an XGroupOrder into analytics' order.
func groupOrder(given bool, by analytics.OrderBy, number *string, attribute *string, dir records.Direction) (analytics.Order, error) {
	if !given {
		return analytics.Order{By: analytics.ByKey}, nil
	}
	o := analytics.Order{By: by, Desc: dir == records.DESC}
	hasNumber := number != nil || attribute != nil
	switch {
	case byNumber(by) && !hasNumber:
		return o, records.Invalidf("orderBy", "ordering by %s needs a number or an attribute", by)
	case !byNumber(by) && hasNumber:
		return o, records.Invalidf("orderBy", "a number or attribute orders by SUM, AVERAGE, MIN or MAX, not %s", by)
	case number != nil && attribute != nil:
		return o, records.Invalidf("orderBy", "give a number or an attribute, not both")
	case number != nil:
		o.Number = analytics.NumberRef{Number: *number}
	case attribute != nil:
		o.Number = analytics.NumberRef{Attribute: *attribute}
	}
	return o, nil
}

func enumNames[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// groupRequest is a groupBy's or groups' request: the aggregate's records
// grouped by fields then attributes, with the numbers sel (a group's
// selection) asks for; wantRefs when sel asks for keys or labels, whose
// records are then loaded in one batch per kind.
func groupRequest(ctx context.Context, a *model.Aggregate, fields, attributes []string, having *analytics.Having, order analytics.Order, sel []graphql.CollectedField) (req analytics.Request, wantRefs bool, err error) {
	if err := checkKeys(ctx, a.Request.Kind, fields, sel); err != nil {
		return req, false, err
	}
	req = a.Request
	req.Keys = nil
	for _, f := range fields {
		req.Keys = append(req.Keys, analytics.Key{Field: f})
	}
	for _, p := range attributes {
		req.Keys = append(req.Keys, analytics.Key{Attribute: p})
	}
	req.Having = having
	req.Order = order
	req.Numbers, req.Distinct, req.Rates = collectNumbers(ctx, sel), collectDistinct(ctx, sel), selects(sel, "rates")
	if byNumber(order.By) && !slices.Contains(req.Numbers, order.Number) {
		req.Numbers = append(req.Numbers, order.Number)
	}
	for _, f := range sel {
		wantRefs = wantRefs || f.Name == "keys" || f.Name == "labels" || f.Name == "label"
	}
	return req, wantRefs, nil
}

// checkKeys refuses keys sel (a group's selection) asks for that every
// record holds — non-null in the schema, so that clients' types need no
// null check — unless the groups are grouped by them: such a key is set
// in every group then, and in none otherwise.
func checkKeys(ctx context.Context, kind records.Kind, fields []string, sel []graphql.CollectedField) error {
	op := graphql.GetOperationContext(ctx)
	spec := analytics.Specs[kind]
	for _, f := range sel {
		if f.Name != "keys" {
			continue
		}
		for _, k := range graphql.CollectFields(op, f.Selections, nil) {
			name := upperSnake(k.Name)
			if x, ok := spec.Field(name); ok && x.Always && !slices.Contains(fields, name) {
				return records.Invalidf("fields", "keys.%s is set only in groups by %s: add %s to fields, or leave keys.%s out", k.Name, name, name, k.Name)
			}
		}
	}
	return nil
}

// keysPtr is a pointer to a kind's XGroupKeys.
type keysPtr[K any] interface {
	*K
	Base() *model.Keys
}

// shapeGroups turns analytics' groups into a kind's XGroups.
func shapeGroups[K any, PK keysPtr[K], G any](kind records.Kind, req analytics.Request, groups []*analytics.Group, mk func(model.Group, PK) *G) []*G {
	out := make([]*G, len(groups))
	for i, g := range groups {
		k := PK(new(K))
		model.FillKeys(k, k.Base(), kind, req.Keys, g, loadRef)
		out[i] = mk(newGroup(req, g), k)
	}
	return out
}

// groupBy answers an XAggregate's groupBy: every group, or an error naming
// how many there are.
func groupBy[K any, PK keysPtr[K], G any](ctx context.Context, r *Resolver, kind records.Kind, a *model.Aggregate, fields, attributes []string, having any, order analytics.Order, first *int, mk func(model.Group, PK) *G) ([]*G, error) {
	h, err := havingOf(having)
	if err != nil {
		return nil, err
	}
	req, wantRefs, err := groupRequest(ctx, a, fields, attributes, h, order, selected(ctx))
	if err != nil {
		return nil, err
	}
	req.First = first
	groups, err := analytics.Aggregate(ctx, r.Store, req)
	if err != nil {
		return nil, err
	}
	if wantRefs {
		prefetchRefs(ctx, req, groups)
	}
	return shapeGroups(kind, req, groups, mk), nil
}

// groupPage answers an XAggregate's groups: a page of them.
func groupPage[K any, PK keysPtr[K], G any](ctx context.Context, r *Resolver, kind records.Kind, a *model.Aggregate, fields, attributes []string, having any, order analytics.Order, first *int, after *string, mk func(model.Group, PK) *G) (*model.GroupPage[G], error) {
	var nodes []graphql.CollectedField
	op := graphql.GetOperationContext(ctx)
	for _, f := range selected(ctx) {
		if f.Name == "nodes" {
			nodes = append(nodes, graphql.CollectFields(op, f.Selections, nil)...)
		}
	}
	h, err := havingOf(having)
	if err != nil {
		return nil, err
	}
	req, wantRefs, err := groupRequest(ctx, a, fields, attributes, h, order, nodes)
	if err != nil {
		return nil, err
	}
	n := records.DefaultPageSize
	if first != nil {
		n = *first
	}
	cursor := ""
	if after != nil {
		cursor = *after
	}
	p, err := analytics.PageGroups(ctx, r.Store, req, n, cursor)
	if err != nil {
		return nil, err
	}
	if wantRefs {
		prefetchRefs(ctx, req, p.Groups)
	}
	info := &model.PageInfo{HasNextPage: p.HasNextPage}
	if len(p.Cursors) > 0 {
		info.EndCursor = &p.Cursors[len(p.Cursors)-1]
	}
	return &model.GroupPage[G]{TotalCount: p.TotalCount, PageInfo: info, Nodes: shapeGroups(kind, req, p.Groups, mk)}, nil
}

// newGroup shapes one group: its sums and averages, its labels.
func newGroup(req analytics.Request, g *analytics.Group) model.Group {
	return model.NewGroup(g, req, func(ctx context.Context) ([]string, error) {
		return labels(ctx, req, g)
	})
}

// labels are a group's keys in Chinese: references by their record's name.
func labels(ctx context.Context, req analytics.Request, g *analytics.Group) ([]string, error) {
	out := make([]string, len(req.Keys))
	spec := analytics.Specs[req.Kind]
	for i, k := range req.Keys {
		out[i] = analytics.Label(req.Kind, k, g.Keys[i])
		f, ok := spec.Field(k.Field)
		id, isID := g.Keys[i].(string)
		if k.Attribute != "" || !ok || f.Ref == "" || !isID {
			continue
		}
		x, err := loadRef(ctx, f.Ref, g.Towns[i], id)
		if err != nil {
			return nil, err
		}
		if name := refName(x); name != "" {
			out[i] = name
		}
	}
	return out, nil
}

// loadRef loads the record of kind with id in township t through the
// request's loaders; nil if none.
func loadRef(ctx context.Context, kind records.Kind, t, id string) (any, error) {
	var x any
	var err error
	switch kind {
	case records.KindTownship:
		x, err = loadTownship(ctx, id)
	case records.KindVillage:
		x, err = loaders(ctx).Village.Load(ctx, key{t, id})
	case records.KindDeputy:
		x, err = loaders(ctx).Deputy.Load(ctx, key{t, id})
	case records.KindProject:
		x, err = loaders(ctx).Project.Load(ctx, key{t, id})
	}
	return x, err
}

func refName(x any) string {
	switch r := x.(type) {
	case *records.Township:
		if r != nil {
			return r.Name
		}
	case *records.Village:
		if r != nil {
			return r.Name
		}
	case *records.Deputy:
		if r != nil {
			return r.Name
		}
	case *records.Project:
		if r != nil {
			return r.Name
		}
	}
	return ""
}

// prefetchRefs loads every record the groups' keys name, one batch per
// kind, side by side.
func prefetchRefs(ctx context.Context, req analytics.Request, groups []*analytics.Group) {
	byKind := map[records.Kind][]key{}
	spec := analytics.Specs[req.Kind]
	for i, k := range req.Keys {
		f, ok := spec.Field(k.Field)
		if k.Attribute != "" || !ok || f.Ref == "" {
			continue
		}
		for _, g := range groups {
			if id, ok := g.Keys[i].(string); ok {
				byKind[f.Ref] = append(byKind[f.Ref], key{g.Towns[i], id})
			}
		}
	}
	var wg sync.WaitGroup
	for kind, keys := range byKind {
		wg.Go(func() {
			switch kind {
			case records.KindTownship:
				_, _ = loaders(ctx).Township.LoadAll(ctx, keys)
			case records.KindVillage:
				_, _ = loaders(ctx).Village.LoadAll(ctx, keys)
			case records.KindDeputy:
				_, _ = loaders(ctx).Deputy.LoadAll(ctx, keys)
			case records.KindProject:
				_, _ = loaders(ctx).Project.LoadAll(ctx, keys)
			}
		})
	}
	wg.Wait()
}

// recordKinds maps the API's RecordKind to the store's.
var recordKinds = map[model.RecordKind]records.Kind{
	model.RecordKindTownship: records.KindTownship, model.RecordKindDeputy: records.KindDeputy,
	model.RecordKindVillage: records.KindVillage, model.RecordKindProject: records.KindProject,
	model.RecordKindInspection: records.KindInspection, model.RecordKindActivity: records.KindActivity,
	model.RecordKindSuggestion: records.KindSuggestion,
}

// enumPtr is an optional enumeration value as text.
func enumPtr[T ~string](v *T) *string {
	if v == nil {
		return nil
	}
	s := string(*v)
	return &s
}

// keysOf is the part of a kind's keys FillKeys fills besides its tagged
// fields.
func keysOf(k interface{ Base() *model.Keys }) *model.Keys { return k.Base() }

// newDashboard is a dashboard of the townships (nil: all the caller may
// see) for a year.
func (r *Resolver) newDashboard(towns []string, year int) (*model.Dashboard, error) {
	if year < 1949 || year > 2100 {
		return nil, records.Invalidf("year", "year %d is out of range", year)
	}
	return &model.Dashboard{Year: year, Towns: towns, Figures: analytics.NewYear(r.Store, towns, year)}, nil
}
