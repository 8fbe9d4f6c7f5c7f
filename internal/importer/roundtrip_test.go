package importer_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/graph"
	"renda/internal/importer"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

// TestRoundTrip imports the built-in deputy-roster report's own XLSX (a
// sheet per deputy group, birth months as numbers) back into the township
// it was rendered from: every deputy is there already, unchanged.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := storetest.MustDemo(t)
	log := slog.New(slog.DiscardHandler)
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	out, err := reg.Render(context.Background(), "deputy-roster", map[string]any{"township": "qps"}, report.XLSX)
	if err != nil {
		t.Fatal(err)
	}
	deputies := len(MustDeputies(t, s))

	// The 县级 and 市级 lists repeat deputies of the groups: the same
	// deputies again, unchanged.
	res := MustImport(t, s, out.Content, importer.Options{DryRun: true})
	ids := map[string]bool{}
	for _, r := range res.Rows {
		ids[r.ID] = true
	}
	if len(ids) != deputies || res.Count(importer.Unchanged) != len(res.Rows) {
		for _, r := range res.Rows {
			if r.Action != importer.Unchanged {
				t.Errorf("%s row %d %s: %s %+v %s", r.Sheet, r.Line, r.Record, r.Action, r.Changes, problems(r))
			}
		}
		t.Fatalf("%s over %d rows; want all %d deputies unchanged", res.Summary(), len(res.Rows), deputies)
	}
	sheets := map[string]bool{}
	for _, r := range res.Rows {
		sheets[r.Sheet] = true
	}
	if len(sheets) < 2 {
		t.Errorf("rows from %d sheets, want one per deputy group", len(sheets))
	}

	rows := len(res.Rows)
	t.Run("AnEditedCellIsAnUpdate", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(out.Content))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		name, _ := f.GetCellValue(sheet, "B2")
		_ = f.SetCellStr(sheet, "G2", "退休") // 职业
		buf, _ := f.WriteToBuffer()
		res := MustImport(t, s, buf.Bytes(), importer.Options{DryRun: true})
		if res.Count(importer.Update) != 1 || res.Count(importer.Unchanged) != rows-1 {
			t.Fatalf("%s; want one update", res.Summary())
		}
		r := rowAt(t, res, 2)
		if r.Sheet != sheet || r.Action != importer.Update || len(r.Changes) != 1 || r.Changes[0].Field != "occupation" || r.Changes[0].New != "退休" {
			t.Errorf("row 2 of %s (%s): %s %+v, want the occupation changed", sheet, name, r.Action, r.Changes)
		}
	})
}
