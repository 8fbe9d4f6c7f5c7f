package graph

import (
	"context"

	"github.com/vikstrous/dataloadgen"

	"renda/internal/records"
)

// dutyKey asks for one deputy's records of one year.
type dutyKey struct {
	township, deputy string
	year             int
}

// dutyRecords are a deputy's inspections, activities and suggestions of a
// year, in the kinds' default order.
type dutyRecords struct {
	inspections []*records.Inspection
	activities  []*records.Activity
	suggestions []*records.Suggestion
}

// newDutyLoader batches duty(year) across a page of deputies: one find per
// kind for every year asked for, however many deputies the page holds.
func newDutyLoader(s *records.Store) *dataloadgen.Loader[dutyKey, *dutyRecords] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []dutyKey) ([]*dutyRecords, []error) {
		type batch struct {
			township string
			year     int
		}
		byYear := map[batch][]string{}
		for _, k := range keys {
			b := batch{k.township, k.year}
			byYear[b] = append(byYear[b], k.deputy)
		}
		found := map[dutyKey]*dutyRecords{}
		get := func(k dutyKey) *dutyRecords {
			if found[k] == nil {
				found[k] = &dutyRecords{}
			}
			return found[k]
		}
		for b, ids := range byYear {
			t, year := b.township, b.year
			in := func(path string) records.Expr {
				return records.Expr{Cond: &records.Cond{Path: path, Op: records.OpEq, Value: year}}
			}
			ins, err := s.Inspections.FindInWhere(ctx, t, "participantIds", ids, in("date.year"))
			if err != nil {
				return nil, []error{err}
			}
			acts, err := s.Activities.FindInWhere(ctx, t, "participantIds", ids, in("date.year"))
			if err != nil {
				return nil, []error{err}
			}
			sugs, err := s.Suggestions.FindInWhere(ctx, t, "deputyId", ids, in("year"))
			if err != nil {
				return nil, []error{err}
			}
			wanted := map[string]bool{}
			for _, id := range ids {
				wanted[id] = true
			}
			for _, x := range ins {
				for _, id := range x.ParticipantIDs {
					if wanted[id] {
						get(dutyKey{t, id, year}).inspections = append(get(dutyKey{t, id, year}).inspections, x)
					}
				}
			}
			for _, a := range acts {
				for _, id := range a.ParticipantIDs {
					if wanted[id] {
						get(dutyKey{t, id, year}).activities = append(get(dutyKey{t, id, year}).activities, a)
					}
				}
			}
			for _, x := range sugs {
				get(dutyKey{t, x.DeputyID, year}).suggestions = append(get(dutyKey{t, x.DeputyID, year}).suggestions, x)
			}
		}
		out := make([]*dutyRecords, len(keys))
		for i, k := range keys {
			out[i] = get(k)
		}
		return out, nil
	}, loaderOptions...)
}
