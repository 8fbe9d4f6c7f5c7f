package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/formatter"

	"renda/graph/generated"
)

// SchemaHeader opens schema.graphqls.
const SchemaHeader = `# renda's public GraphQL schema, printed whole from graph/schema/*.graphqls
# (the sources) for clients' code generators (graphql-codegen, genqlient).
# Do not edit: after changing a source, regenerate it with
#   go test ./graph -run TestSchemaFile -update
`

// SchemaSDL prints the whole public schema, every type and directive
// sorted by name, built-ins left out.
func SchemaSDL() string {
	var b strings.Builder
	b.WriteString(SchemaHeader)
	b.WriteString("\n")
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(generated.NewExecutableSchema(generated.Config{}).Schema())
	return b.String()
}
