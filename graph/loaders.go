package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"renda/internal/records"
	"renda/internal/store"
)

// Loaders batch the relation lookups of one request: however many deputies
// a page holds, their villages cost one find, their inspections another.
type Loaders struct {
	Township          *dataloadgen.Loader[string, *records.Township]
	Deputy            *dataloadgen.Loader[string, *records.Deputy]
	Village           *dataloadgen.Loader[string, *records.Village]
	Project           *dataloadgen.Loader[string, *records.Project]
	Suggestion        *dataloadgen.Loader[string, *records.Suggestion]
	DeputiesByVillage *dataloadgen.Loader[string, []*records.Deputy]
	ProjectsByVillage *dataloadgen.Loader[string, []*records.Project]
	InspectionsByDep  *dataloadgen.Loader[string, []*records.Inspection]
	InspectionsByProj *dataloadgen.Loader[string, []*records.Inspection]
	ActivitiesByDep   *dataloadgen.Loader[string, []*records.Activity]
	SuggestionsByDep  *dataloadgen.Loader[string, []*records.Suggestion]
	Duty              *dataloadgen.Loader[dutyKey, *dutyRecords]
}

// The batch holds a whole page (MaxPageSize) so a page's relations are one
// round trip; the wait lets sibling resolvers join the batch.
var loaderOptions = []dataloadgen.Option{
	dataloadgen.WithBatchCapacity(records.MaxPageSize * 2),
	dataloadgen.WithWait(2 * time.Millisecond),
}

// NewLoaders returns fresh loaders for one request; they cache what they
// load for that request only.
func NewLoaders(s *store.Store) *Loaders {
	return &Loaders{
		Township:          byID(s.Townships.GetMany),
		Deputy:            byID(s.Deputies.GetMany),
		Village:           byID(s.Villages.GetMany),
		Project:           byID(s.Projects.GetMany),
		Suggestion:        byID(s.Suggestions.GetMany),
		DeputiesByVillage: byRef(s.Deputies.FindIn, "villageId", func(d *records.Deputy) []string { return []string{d.VillageID} }),
		ProjectsByVillage: byRef(s.Projects.FindIn, "villageIds", func(p *records.Project) []string { return p.VillageIDs }),
		InspectionsByDep:  byRef(s.Inspections.FindIn, "participantIds", func(x *records.Inspection) []string { return x.ParticipantIDs }),
		InspectionsByProj: byRef(s.Inspections.FindIn, "projectIds", func(x *records.Inspection) []string { return x.ProjectIDs }),
		ActivitiesByDep:   byRef(s.Activities.FindIn, "participantIds", func(a *records.Activity) []string { return a.ParticipantIDs }),
		SuggestionsByDep:  byRef(s.Suggestions.FindIn, "deputyId", func(x *records.Suggestion) []string { return []string{x.DeputyID} }),
		Duty:              newDutyLoader(s),
	}
}

type meta interface{ GetMeta() *records.Meta }

// byID loads records by id, returning them in key order and nil for an id
// that names no record (a relation to something deleted reads as null).
func byID[T meta](getMany func(context.Context, []string) ([]T, error)) *dataloadgen.Loader[string, T] {
	return dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]T, []error) {
		found, err := getMany(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		byID := make(map[string]T, len(found))
		for _, x := range found {
			byID[x.GetMeta().ID] = x
		}
		out := make([]T, len(ids))
		for i, id := range ids {
			out[i] = byID[id]
		}
		return out, nil
	}, loaderOptions...)
}

// byRef loads, for each key, the records whose field at path points at it.
func byRef[T any](findIn func(context.Context, string, []string) ([]T, error), path string, refs func(T) []string) *dataloadgen.Loader[string, []T] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([][]T, []error) {
		found, err := findIn(ctx, path, keys)
		if err != nil {
			return nil, []error{err}
		}
		groups := make(map[string][]T, len(keys))
		for _, x := range found {
			for _, id := range refs(x) {
				groups[id] = append(groups[id], x)
			}
		}
		out := make([][]T, len(keys))
		for i, k := range keys {
			out[i] = groups[k]
			if out[i] == nil {
				out[i] = []T{}
			}
		}
		return out, nil
	}, loaderOptions...)
}

type loadersKey struct{}

// WithLoaders returns ctx carrying fresh loaders.
func WithLoaders(ctx context.Context, s *store.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, NewLoaders(s))
}

// LoaderMiddleware gives every HTTP request its own loaders.
func LoaderMiddleware(s *store.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), s)))
	})
}

func loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	panic("graph: no loaders in context; wrap the handler in LoaderMiddleware")
}

// loadMany loads ids through l, leaving out ids that name nothing.
func loadMany[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], ids []string) ([]*T, error) {
	xs, err := l.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out, nil
}

// loadOne loads an optional reference.
func loadOne[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	return l.Load(ctx, id)
}
