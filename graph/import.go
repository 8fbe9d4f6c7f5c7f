package graph

import (
	"renda/graph/model"
	"renda/internal/importer"
)

var importKinds = map[model.ImportKind]importer.Kind{model.ImportKindDeputies: importer.Deputies, model.ImportKindVillages: importer.Villages, model.ImportKindProjects: importer.Projects}
