package graph

import (
	"context"

	"renda/graph/model"
	"renda/internal/records"
)

// The congress's kinds (session.graphqls …) in the maps of the API's
// RecordKind, kept here so the shared maps stay as they are.
func init() {
	for api, k := range map[model.RecordKind]records.Kind{
		model.RecordKindSession:           records.KindCongressSession,
		model.RecordKindPresidiumMeeting:  records.KindPresidiumMeeting,
		model.RecordKindLivelihoodProject: records.KindLivelihoodProject,
	} {
		kinds[api] = k
		recordKinds[api] = k
	}
	for _, t := range []string{"Session", "PresidiumMeeting", "LivelihoodProject"} {
		recordTypes[t] = true
	}
	// Lists held inside the congress's records, bounded by their validation.
	for list, n := range map[string]int{
		"Session.roll":                 records.MaxRefs,
		"Session.elections":            50,
		"SessionElection.candidates":   50,
		"LivelihoodProject.milestones": records.MaxMilestones,
		"Milestone.inspections":        records.MaxMilestoneLinks,
		"Milestone.projects":           records.MaxMilestoneLinks,
	} {
		heldLists[list] = n
	}
}

// congressOps are the history operations of the congress's kinds.
func (r *Resolver) congressOps(k records.Kind) (recordOps, error) {
	switch k {
	case records.KindCongressSession:
		return opsOf(r.Store.Sessions), nil
	case records.KindPresidiumMeeting:
		return opsOf(r.Store.PresidiumMeetings), nil
	case records.KindLivelihoodProject:
		return opsOf(r.Store.LivelihoodProjects), nil
	}
	return recordOps{}, records.Invalidf("kind", "unknown kind")
}

// getLinked reads the record of township t a link names ("" or one gone:
// nil, as a relation to something deleted reads).
func getLinked[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], t, id string) (PT, error) {
	if id == "" {
		return nil, nil
	}
	xs, err := c.GetIn(ctx, t, []string{id})
	if err != nil || len(xs) == 0 {
		return nil, err
	}
	return xs[0], nil
}

// getInOrder reads the records of township t with ids, in the ids' order
// (those gone left out).
func getInOrder[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], t string, ids []string) ([]PT, error) {
	if len(ids) == 0 {
		return []PT{}, nil
	}
	xs, err := c.GetIn(ctx, t, ids)
	if err != nil {
		return nil, err
	}
	by := make(map[string]PT, len(xs))
	for _, x := range xs {
		by[x.GetMeta().ID] = x
	}
	out := make([]PT, 0, len(ids))
	for _, id := range ids {
		if x, ok := by[id]; ok {
			out = append(out, x)
		}
	}
	return out, nil
}

// rollIDs are the deputies on a session's roll call.
func rollIDs(x *records.CongressSession) []string {
	out := make([]string, len(x.Roll))
	for i, r := range x.Roll {
		out[i] = r.DeputyID
	}
	return out
}
