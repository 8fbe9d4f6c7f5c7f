package analytics

import (
	"context"
	"slices"

	"renda/internal/records"
)

// run groups the records in the database and rolls the groups up.
func run(ctx context.Context, s *records.Store, req *Request) ([]*Group, error) {
	p, err := resolve(req)
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(p.keys)+len(p.numbers))
	attrs := false
	for _, k := range p.keys {
		paths = append(paths, k.path)
		attrs = attrs || k.field == nil
	}
	for _, n := range p.numbers {
		paths = append(paths, n.path)
		attrs = attrs || n.attr != ""
	}
	for _, k := range p.distinct {
		paths = append(paths, k.path)
		attrs = attrs || k.field == nil
	}
	if p.rates {
		paths = append(paths, records.HandlingPaths...)
	}
	if attrs {
		if p.defs, err = s.AttributeTypes(ctx, req.Kind, req.Townships); err != nil {
			return nil, err
		}
	}
	if err := p.readVias(ctx, s, req.Townships); err != nil {
		return nil, err
	}
	raw, err := GroupRaw(ctx, s, req.Kind, records.Grouping{Townships: req.Townships, Filter: req.Filter, Paths: paths})
	if err != nil {
		return nil, err
	}
	return p.rollUp(raw)
}

// readVias reads, for each related record's field a key names, its value
// by the related record's id: one grouping of the related kind by id and
// the field.
func (p *plan) readVias(ctx context.Context, s *records.Store, towns []string) error {
	for _, k := range append(slices.Clone(p.keys), p.distinct...) {
		if k.field == nil || k.field.Via == nil {
			continue
		}
		via := *k.field.Via
		if _, ok := p.vias[via]; ok {
			continue
		}
		raw, err := GroupRaw(ctx, s, via.Kind, records.Grouping{Townships: towns, Paths: []string{"_id", via.Path}})
		if err != nil {
			return err
		}
		m := make(map[string]any, len(raw))
		for _, r := range raw {
			if id, ok := r.Values[0].(string); ok {
				m[id] = r.Values[1]
			}
		}
		if p.vias == nil {
			p.vias = map[Via]map[string]any{}
		}
		p.vias[via] = m
	}
	return nil
}

// GroupRaw runs a grouping on kind's collection.
func GroupRaw(ctx context.Context, s *records.Store, kind records.Kind, g records.Grouping) ([]records.RawGroup, error) {
	switch kind {
	case records.KindTownship:
		return s.Townships.Group(ctx, g)
	case records.KindDeputy:
		return s.Deputies.Group(ctx, g)
	case records.KindVillage:
		return s.Villages.Group(ctx, g)
	case records.KindProject:
		return s.Projects.Group(ctx, g)
	case records.KindInspection:
		return s.Inspections.Group(ctx, g)
	case records.KindActivity:
		return s.Activities.Group(ctx, g)
	case records.KindSuggestion:
		return s.Suggestions.Group(ctx, g)
	}
	return nil, records.Errorf(records.EINVALID, "%s cannot be aggregated", kind)
}

// maxExpanded bounds the groups a roll-up may expand lists into, so lists
// held by many records cannot multiply without bound.
const maxExpanded = 200_000

// rollUp expands the database's groups into the request's: each list into
// its items (once per record), numbers into sums, townships merged.
func (p *plan) rollUp(raw []records.RawGroup) ([]*Group, error) {
	byKey := map[string]*Group{}
	var order []*Group
	expanded := 0
	for _, r := range raw {
		items := make([][]any, len(p.keys))
		combos := 1
		for i, k := range p.keys {
			items[i] = p.itemsOf(k, r.Township, r.Values[i])
			combos *= len(items[i])
		}
		if expanded += combos; expanded > maxExpanded {
			return nil, records.Errorf(records.EINVALID, "the lists grouped by hold too many combinations of items (more than %d): group by fewer list fields", maxExpanded)
		}
		nums := make([]float64, len(p.numbers))
		vals := make([]any, len(p.numbers))
		has := make([]bool, len(p.numbers))
		for i, n := range p.numbers {
			nums[i], vals[i], has[i] = p.numberOf(n, r.Township, r.Values[len(p.keys)+i])
		}
		distinct := make([][]any, len(p.distinct))
		for i, k := range p.distinct {
			distinct[i] = p.itemsOf(k, r.Township, r.Values[len(p.keys)+len(p.numbers)+i])
		}
		var handling records.Handling
		if p.rates {
			handling.Add(r.Values[len(p.keys)+len(p.numbers)+len(p.distinct):], r.Count, p.today)
		}
		for combo := range product(items) {
			id := keyID(combo)
			g := byKey[id]
			if g == nil {
				g = newGroup(slices.Clone(combo), len(p.keys), len(p.numbers), len(p.distinct))
				for i, k := range p.keys {
					if k.field != nil && k.field.Ref != "" && combo[i] != nil {
						g.Towns[i] = r.Township
						if k.field.Ref == records.KindTownship {
							g.Towns[i] = ""
						}
					}
				}
				byKey[id] = g
				order = append(order, g)
			}
			g.Count += r.Count
			for i := range p.numbers {
				if has[i] {
					g.add(i, nums[i], vals[i], r.Count)
				}
			}
			g.handling.Merge(&handling)
			for i, xs := range distinct {
				for _, x := range xs {
					if x != nil {
						g.distinct[i][valueID(x)] = true
					}
				}
			}
		}
	}
	return order, nil
}

// itemsOf is what a record's value at key k contributes: its distinct
// items for a list (or nil for none), the value itself otherwise.
func (p *plan) itemsOf(k keyPlan, town string, v any) []any {
	if k.field == nil {
		def := p.defs[town][k.attr]
		coerce := func(x any) any {
			if def != nil {
				if c, err := def.Coerce(x); err == nil {
					return normalize(c)
				}
			}
			return normalize(x)
		}
		if xs, ok := v.([]any); ok {
			return distinct(xs, coerce)
		}
		return []any{coerce(v)}
	}
	if k.field.Via != nil { // the related record's value
		id, _ := v.(string)
		v = p.vias[*k.field.Via][id]
	}
	if k.field.Age { // the band of the age on the date asked
		birth, _ := v.(string)
		if band, ok := records.AgeBandOf(records.Date(birth), p.on); ok {
			return []any{string(band)}
		}
		return []any{nil}
	}
	if k.list {
		xs, _ := v.([]any)
		if k.field.Item != "" {
			items := make([]any, len(xs))
			for i, x := range xs {
				items[i] = records.AsMap(x)[k.field.Item]
			}
			xs = items
		}
		return distinct(xs, normalize)
	}
	return []any{normalize(v)}
}

// numberOf reads a number: a NUMBER attribute's text that reads as a
// number counts as that number; any other non-number counts as none. A
// date is read as a records.Date (v), a valid one only.
func (p *plan) numberOf(n numPlan, town string, v any) (float64, any, bool) {
	if n.date {
		s, _ := v.(string)
		d := records.Date(s)
		return 0, d, s != "" && d.Valid()
	}
	if n.attr != "" {
		if def := p.defs[town][n.attr]; def != nil && def.Type == records.AttrNumber {
			if c, err := def.Coerce(v); err == nil {
				v = c
			}
		}
	}
	f, ok := records.Number(v)
	return f, f, ok
}
