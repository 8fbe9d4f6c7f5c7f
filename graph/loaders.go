package graph

import (
	"context"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"renda/internal/records"
)

// key names a record (or the records pointing at one) of a township. A
// relation always stays within its township, so loaders batch by township:
// under a layout with a database per township, each batch reads one.
type key struct{ township, id string }

// Loaders batch the relation lookups of one request: however many deputies
// a page holds, their villages cost one find, their inspections another.
type Loaders struct {
	Township          *dataloadgen.Loader[key, *records.Township]
	Deputy            *dataloadgen.Loader[key, *records.Deputy]
	Village           *dataloadgen.Loader[key, *records.Village]
	Project           *dataloadgen.Loader[key, *records.Project]
	Suggestion        *dataloadgen.Loader[key, *records.Suggestion]
	Reception         *dataloadgen.Loader[key, *records.Reception]
	DeputiesByVillage *dataloadgen.Loader[key, []*records.Deputy]
	ProjectsByVillage *dataloadgen.Loader[key, []*records.Project]
	InspectionsByDep  *dataloadgen.Loader[key, []*records.Inspection]
	InspectionsByProj *dataloadgen.Loader[key, []*records.Inspection]
	ActivitiesByDep   *dataloadgen.Loader[key, []*records.Activity]
	SuggestionsByDep  *dataloadgen.Loader[key, []*records.Suggestion]
	Duty              *dataloadgen.Loader[dutyKey, *dutyRecords]
	// Aggregates batch the aggregates under records (a deputy's
	// suggestionsAggregate …): one loader per request shape, its keys the
	// records, one grouping a batch (see nested.go).
	Aggregates sync.Map // string → *dataloadgen.Loader[key, *analytics.Group]

	SessionsByDep *dataloadgen.Loader[key, []*records.CongressSession]

	// The loaders of the reads as of a past instant (asof.go), one set per
	// instant.
	store *records.Store
	mu    sync.Mutex
	past  map[time.Time]*Loaders
}

// at is the set of loaders reading as of t.
func (l *Loaders) at(t time.Time) *Loaders {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.past[t]; ok {
		return p
	}
	if l.past == nil {
		l.past = map[time.Time]*Loaders{}
	}
	p := NewLoaders(l.store)
	l.past[t] = p
	return p
}

// The batch holds a whole page (MaxPageSize) so a page's relations are one
// round trip; the wait lets sibling resolvers join the batch.
var loaderOptions = []dataloadgen.Option{
	dataloadgen.WithBatchCapacity(records.MaxPageSize * 2),
	dataloadgen.WithWait(2 * time.Millisecond),
}

// NewLoaders returns fresh loaders for one request; they cache what they
// load for that request only.
func NewLoaders(s *records.Store) *Loaders {
	return &Loaders{
		store:             s,
		Township:          byID(s.Townships.GetIn),
		Deputy:            byID(s.Deputies.GetIn),
		Village:           byID(s.Villages.GetIn),
		Project:           byID(s.Projects.GetIn),
		Suggestion:        byID(s.Suggestions.GetIn),
		Reception:         byID(s.Receptions.GetIn),
		DeputiesByVillage: byRef(s.Deputies.FindIn, "villageId", func(d *records.Deputy) []string { return []string{d.VillageID} }),
		ProjectsByVillage: byRef(s.Projects.FindIn, "villageIds", func(p *records.Project) []string { return p.VillageIDs }),
		InspectionsByDep:  byRef(s.Inspections.FindIn, "participantIds", func(x *records.Inspection) []string { return x.ParticipantIDs }),
		InspectionsByProj: byRef(s.Inspections.FindIn, "projectIds", func(x *records.Inspection) []string { return x.ProjectIDs }),
		ActivitiesByDep:   byRef(s.Activities.FindIn, "participantIds", func(a *records.Activity) []string { return a.ParticipantIDs }),
		SuggestionsByDep:  byRef(s.Suggestions.FindIn, "deputyId", func(x *records.Suggestion) []string { return []string{x.DeputyID} }),
		Duty:              newDutyLoader(s),

		SessionsByDep: byRef(s.Sessions.FindIn, "roll.deputyId", rollIDs),
	}
}

type meta interface{ GetMeta() *records.Meta }

// byTownship groups keys by township, in the order townships first appear.
func byTownship(keys []key) (order []string, ids map[string][]string) {
	ids = map[string][]string{}
	for _, k := range keys {
		if _, ok := ids[k.township]; !ok {
			order = append(order, k.township)
		}
		ids[k.township] = append(ids[k.township], k.id)
	}
	return order, ids
}

// byID loads records by id, returning them in key order and nil for an id
// that names no record (a relation to something deleted reads as null).
func byID[T meta](getIn func(context.Context, string, []string) ([]T, error)) *dataloadgen.Loader[key, T] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []key) ([]T, []error) {
		order, ids := byTownship(keys)
		found := map[key]T{}
		for _, t := range order {
			xs, err := getIn(ctx, t, ids[t])
			if err != nil {
				return nil, []error{err}
			}
			for _, x := range xs {
				found[key{t, x.GetMeta().ID}] = x
			}
		}
		out := make([]T, len(keys))
		for i, k := range keys {
			out[i] = found[k]
		}
		return out, nil
	}, loaderOptions...)
}

// byRef loads, for each key, the records of its township whose field at
// path points at it.
func byRef[T any](findIn func(context.Context, string, string, []string) ([]T, error), path string, refs func(T) []string) *dataloadgen.Loader[key, []T] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []key) ([][]T, []error) {
		order, ids := byTownship(keys)
		groups := map[key][]T{}
		for _, t := range order {
			found, err := findIn(ctx, t, path, ids[t])
			if err != nil {
				return nil, []error{err}
			}
			for _, x := range found {
				for _, id := range refs(x) {
					groups[key{t, id}] = append(groups[key{t, id}], x)
				}
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
func WithLoaders(ctx context.Context, s *records.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, NewLoaders(s))
}

// LoaderMiddleware gives every HTTP request its own loaders.
func LoaderMiddleware(s *records.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), s)))
	})
}

func loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		if t, ok := records.AsOfFrom(ctx); ok {
			return l.at(t)
		}
		return l
	}
	panic("graph: no loaders in context; wrap the handler in LoaderMiddleware")
}

// loadMany loads the records of township t with ids through l, leaving out
// ids that name nothing.
func loadMany[T any](ctx context.Context, l *dataloadgen.Loader[key, *T], t string, ids []string) ([]*T, error) {
	keys := make([]key, len(ids))
	for i, id := range ids {
		keys[i] = key{t, id}
	}
	xs, err := l.LoadAll(ctx, keys)
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

// loadOne loads an optional reference to a record of township t.
func loadOne[T any](ctx context.Context, l *dataloadgen.Loader[key, *T], t, id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	return l.Load(ctx, key{t, id})
}

// loadTownship loads the township a record belongs to.
func loadTownship(ctx context.Context, id string) (*records.Township, error) {
	return loaders(ctx).Township.Load(ctx, key{"", id})
}

// parentTownship finds the township of the nearest record above the field
// being resolved: a voter's or a contact's, which are held inside a deputy.
func parentTownship(ctx context.Context) string {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if m := asMeta(fc.Result); m != nil {
			return m.GetMeta().Township
		}
	}
	return ""
}

// asMeta finds a record in a resolved value (gqlgen keeps list items as
// pointers to their elements, so *T and **T both occur).
func asMeta(v any) meta {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && !rv.IsNil() {
		if m, ok := rv.Interface().(meta); ok {
			return m
		}
		rv = rv.Elem()
	}
	return nil
}

// prime gives the request's loaders the records a list has read, so that a
// relation to one of them later in the request (an inspection's
// participants among the deputies listed, a project's villages) is served
// from what was read rather than read and decoded again. The records are
// whole (lists never project), read as the same caller and as of the same
// instant as the loader would read them.
func prime[T any](ctx context.Context, nodes []*T) {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok || len(nodes) == 0 {
		return
	}
	if t, ok := records.AsOfFrom(ctx); ok {
		l = l.at(t)
	}
	switch xs := any(nodes).(type) {
	case []*records.Deputy:
		primeIn(l.Deputy, xs, false)
	case []*records.Village:
		primeIn(l.Village, xs, false)
	case []*records.Project:
		primeIn(l.Project, xs, false)
	case []*records.Suggestion:
		primeIn(l.Suggestion, xs, false)
	case []*records.Reception:
		primeIn(l.Reception, xs, false)
	case []*records.Township:
		primeIn(l.Township, xs, true)
	}
}

// primeIn primes l with xs, keyed as byID keys them (townships by id
// alone).
func primeIn[T meta](l *dataloadgen.Loader[key, T], xs []T, township bool) {
	for _, x := range xs {
		m := x.GetMeta()
		k := key{m.Township, m.ID}
		if township {
			k.township = ""
		}
		l.Prime(k, x)
	}
}
