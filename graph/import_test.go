package graph_test

import (
	"context"
	"encoding/base64"
	"os"
	"testing"

	"renda"
	"renda/internal/demo"
)

// TestImportRoster: the sample roster through the API: a dry run plans
// every row and writes nothing, a real run creates them, a second run
// changes nothing.
func TestImportRoster(t *testing.T) {
	c := MustClient(t)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	d.Deputies, d.Projects, d.Inspections, d.Activities, d.Suggestions = nil, nil, nil, nil, nil
	d.Receptions, d.PointRules, d.Submissions = nil, nil, nil
	d.Sessions, d.PresidiumMeetings, d.LivelihoodProjects = nil, nil, nil
	if _, err := demo.Load(context.Background(), c.s, d); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../testdata/rosters/roster-sample.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	q := `mutation($c: String!, $dry: Boolean!) { importRoster(input: {township: "qps", kind: DEPUTIES, content: $c, dryRun: $dry}) {
		created updated unchanged refused applied summary rows { line action actionLabel record problems { reason } } } }`
	type res struct {
		ImportRoster struct {
			Created, Updated, Unchanged, Refused int
			Applied                              bool
			Summary                              string
			Rows                                 []struct{ Action, ActionLabel string }
		}
	}
	content := base64.StdEncoding.EncodeToString(b)
	var dry, real, again res
	c.MustDo(q, map[string]any{"c": content, "dry": true}, &dry)
	if dry.ImportRoster.Created == 0 || dry.ImportRoster.Applied || dry.ImportRoster.Rows[0].ActionLabel != "新增" {
		t.Fatalf("dry run: %+v, want rows to create and nothing written", dry.ImportRoster)
	}
	c.MustDo(q, map[string]any{"c": content, "dry": false}, &real)
	c.MustDo(q, map[string]any{"c": content, "dry": false}, &again)
	if real.ImportRoster.Created != dry.ImportRoster.Created || !real.ImportRoster.Applied || again.ImportRoster.Unchanged != dry.ImportRoster.Created || again.ImportRoster.Created != 0 {
		t.Fatalf("real run %+v, again %+v; want the planned creates, then all unchanged", real.ImportRoster, again.ImportRoster)
	}
	var fields struct {
		ImportFields []struct{ Name, Label string }
	}
	c.MustDo(`{ importFields(kind: DEPUTIES) { name label } }`, nil, &fields)
	if len(fields.ImportFields) < 10 || fields.ImportFields[0].Label == "" {
		t.Fatalf("fields %+v", fields.ImportFields)
	}
	c.MustFail(`mutation { importRoster(input: {township: "qps", kind: DEPUTIES, content: "%%%"}) { created } }`, nil, "BAD_USER_INPUT", "input.content")
}
