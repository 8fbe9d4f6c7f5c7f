package graph

import (
	"renda/graph/model"
	"renda/internal/records"
)

// The kinds of the work between sessions (reception.graphqls,
// points.graphqls) for the API's RecordKind, as attribute definitions
// read it.
func init() {
	recordKinds[model.RecordKindReception] = records.KindReception
	recordKinds[model.RecordKindPointRules] = records.KindPointRules
}
