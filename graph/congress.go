package graph

import (
	"renda/graph/model"
	"renda/internal/records"
)

// The congress's kinds (session.graphqls …) in the maps of the API's
// RecordKind, kept here so the shared maps stay as they are.
func init() {
	for api, k := range map[model.RecordKind]records.Kind{
		model.RecordKindSession: records.KindCongressSession,
	} {
		kinds[api] = k
		recordKinds[api] = k
	}
}

// congressOps are the history operations of the congress's kinds.
func (r *Resolver) congressOps(k records.Kind) (recordOps, error) {
	switch k {
	case records.KindCongressSession:
		return opsOf(r.Store.Sessions), nil
	}
	return recordOps{}, records.Invalidf("kind", "unknown kind")
}
