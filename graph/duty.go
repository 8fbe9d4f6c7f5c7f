package graph

import (
	"context"

	"github.com/vikstrous/dataloadgen"

	"renda/internal/records"
	"renda/internal/store"
)

// dutyKey asks for one deputy's records of one year.
type dutyKey struct {
	deputy string
	year   int
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
func newDutyLoader(s *store.Store) *dataloadgen.Loader[dutyKey, *dutyRecords] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []dutyKey) ([]*dutyRecords, []error) {
		byYear := map[int][]string{}
		for _, k := range keys {
			byYear[k.year] = append(byYear[k.year], k.deputy)
		}
		found := map[dutyKey]*dutyRecords{}
		get := func(k dutyKey) *dutyRecords {
			if found[k] == nil {
				found[k] = &dutyRecords{}
			}
			return found[k]
		}
		for year, ids := range byYear {
			in := func(path string) records.Expr {
				return records.Expr{Cond: &records.Cond{Path: path, Op: records.OpEq, Value: year}}
			}
			ins, err := s.Inspections.FindInWhere(ctx, "participantIds", ids, in("date.year"))
			if err != nil {
				return nil, []error{err}
			}
			acts, err := s.Activities.FindInWhere(ctx, "participantIds", ids, in("date.year"))
			if err != nil {
				return nil, []error{err}
			}
			sugs, err := s.Suggestions.FindInWhere(ctx, "deputyId", ids, in("year"))
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
						get(dutyKey{id, year}).inspections = append(get(dutyKey{id, year}).inspections, x)
					}
				}
			}
			for _, a := range acts {
				for _, id := range a.ParticipantIDs {
					if wanted[id] {
						get(dutyKey{id, year}).activities = append(get(dutyKey{id, year}).activities, a)
					}
				}
			}
			for _, x := range sugs {
				get(dutyKey{x.DeputyID, year}).suggestions = append(get(dutyKey{x.DeputyID, year}).suggestions, x)
			}
		}
		out := make([]*dutyRecords, len(keys))
		for i, k := range keys {
			out[i] = get(k)
		}
		return out, nil
	}, loaderOptions...)
}
