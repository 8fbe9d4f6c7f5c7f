package graph_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"renda/internal/analytics"
	"renda/internal/records"
)

// Clients' types: docs/codegen.yml generates TypeScript for renda's
// schema.graphqls, and the group keys every record holds are non-null in
// it, so a client's generated types need no null check for them.

func mustPublicSchema(t *testing.T) *ast.Schema {
	t.Helper()
	b, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
	if err != nil {
		t.Fatalf("schema.graphqls: %v", err)
	}
	return s
}

// TestCodegenConfig: every scalar schema.graphqls declares (renda's own,
// and ID and Int, which renda reads in its own way) is mapped to a
// TypeScript type by every output of docs/codegen.yml, which fails on a
// scalar it does not know (strictScalars); and it maps no scalar the
// schema does not have.
func TestCodegenConfig(t *testing.T) {
	b, err := os.ReadFile("../docs/codegen.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Schema    string `yaml:"schema"`
		Generates map[string]struct {
			Preset string `yaml:"preset"`
			Config struct {
				StrictScalars bool           `yaml:"strictScalars"`
				Scalars       map[string]any `yaml:"scalars"`
			} `yaml:"config"`
		} `yaml:"generates"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("docs/codegen.yml: %v", err)
	}
	if cfg.Schema != "schema.graphqls" || len(cfg.Generates) == 0 {
		t.Fatalf("docs/codegen.yml reads schema %q and generates %d outputs: want schema.graphqls and at least one", cfg.Schema, len(cfg.Generates))
	}
	schema := mustPublicSchema(t)
	var scalars []string
	for name, def := range schema.Types {
		if def.Kind == ast.Scalar && (!def.BuiltIn || name == "ID" || name == "Int") {
			scalars = append(scalars, name)
		}
	}
	slices.Sort(scalars)
	for _, want := range []string{"AttributeValue", "Date", "ID", "Int", "JSON", "Time"} {
		if !slices.Contains(scalars, want) {
			t.Errorf("schema.graphqls has no scalar %s: the test's list of known ones is stale", want)
		}
	}
	for out, g := range cfg.Generates {
		if !g.Config.StrictScalars {
			t.Errorf("%s: strictScalars is off: a scalar left out would become any", out)
		}
		for _, name := range scalars {
			m, ok := g.Config.Scalars[name]
			if !ok {
				t.Errorf("%s: scalar %s is not mapped", out, name)
				continue
			}
			switch x := m.(type) {
			case string:
				if strings.TrimSpace(x) == "" {
					t.Errorf("%s: scalar %s maps to nothing", out, name)
				}
			case map[string]any:
				in, _ := x["input"].(string)
				outType, _ := x["output"].(string)
				if strings.TrimSpace(in) == "" || strings.TrimSpace(outType) == "" || len(x) != 2 {
					t.Errorf("%s: scalar %s maps to %v: want a type, or input and output types", out, name, x)
				}
			default:
				t.Errorf("%s: scalar %s maps to %v (%T)", out, name, m, m)
			}
		}
		for name := range g.Config.Scalars {
			if def := schema.Types[name]; def == nil || def.Kind != ast.Scalar {
				t.Errorf("%s: maps scalar %s, which schema.graphqls does not have", out, name)
			}
		}
	}
}

// TestGroupKeysNonNull: in each kind's XGroupKeys, a key is non-null
// exactly when every record holds it (analytics' Field.Always), which is
// what lets the API refuse it when not grouped by (TestDeputyFields'
// ErrKeyNotGroupedBy).
func TestGroupKeysNonNull(t *testing.T) {
	schema := mustPublicSchema(t)
	for kind, spec := range analytics.Specs {
		name := kindTypeName(kind) + "GroupKeys"
		def := schema.Types[name]
		if def == nil {
			t.Errorf("no type %s", name)
			continue
		}
		for _, f := range def.Fields {
			if f.Name == "attribute" {
				continue
			}
			key := snake(f.Name)
			x, ok := spec.Field(key)
			if !ok {
				t.Errorf("%s.%s is no key of %s", name, f.Name, kind)
				continue
			}
			if f.Type.NonNull != x.Always {
				t.Errorf("%s.%s: non-null is %v, every record holding it is %v", name, f.Name, f.Type.NonNull, x.Always)
			}
		}
		for _, x := range spec.Fields {
			if x.Always && !slices.ContainsFunc(def.Fields, func(f *ast.FieldDefinition) bool { return snake(f.Name) == x.Name }) {
				t.Errorf("%s has no field for %s", name, x.Name)
			}
		}
	}
}

func kindTypeName(k records.Kind) string {
	return map[records.Kind]string{records.KindTownship: "Township", records.KindDeputy: "Deputy", records.KindVillage: "Village",
		records.KindProject: "Project", records.KindInspection: "Inspection", records.KindActivity: "Activity", records.KindSuggestion: "Suggestion"}[k]
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}
