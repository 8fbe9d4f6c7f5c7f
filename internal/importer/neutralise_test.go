package importer_test

import (
	"testing"

	"renda/internal/importer"
)

// TestNeutralisedCells: a cell an export neutralised (an apostrophe before
// text that starts as a formula) imports as the text it was; an
// apostrophe before anything else stays.
func TestNeutralisedCells(t *testing.T) {
	t.Parallel()
	s := MustTownship(t)
	const formula = `=HYPERLINK("http://x","点此")`
	for _, tc := range []struct {
		name  string
		data  []byte
		names []string // the deputies' names, as stored
	}{
		{"CSV", csvOf([]string{"姓名", "代表层级"}, []string{`'` + formula, "镇级"}, []string{"''-甲", "镇级"}, []string{"'乙'", "镇级"}),
			[]string{formula, "'-甲", "'乙'"}},
		{"XLSX", MustXLSX(t, sheetRows{"代表", [][]any{{"姓名", "代表层级"}, {formula, "镇级"}, {"''-丙", "镇级"}, {"'丁", "镇级"}}}),
			[]string{formula, "'-丙", "'丁"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := MustImport(t, s, tc.data, importer.Options{DryRun: true})
			if len(res.Rows) != len(tc.names) || res.Count(importer.Create) != len(tc.names) {
				t.Fatalf("%s: want %d deputies created", res.Summary(), len(tc.names))
			}
			for i, r := range res.Rows {
				if r.Record != tc.names[i] {
					t.Errorf("row %d creates %q, want %q", r.Line, r.Record, tc.names[i])
				}
			}
		})
	}
}
