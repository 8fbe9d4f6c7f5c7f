package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda"
	"renda/internal/demo"
	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/storetest"
)

// storeOf is the importer's view of a store.
func storeOf(s *records.Store) importer.Store {
	return importer.Store{Townships: s.Townships, Deputies: s.Deputies, Villages: s.Villages, Projects: s.Projects, InTx: s.InTx}
}

// MustTownship returns a fresh store holding the demo township (棋盘山镇,
// qps) and its villages, without the rest of the demo: quicker to load
// than storetest.MustDemo, and enough for a roster to name its villages.
func MustTownship(tb testing.TB) *records.Store {
	tb.Helper()
	s := storetest.MustOpen(tb)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Townships.Create(ctx, &d.Township); err != nil {
		tb.Fatal(err)
	}
	for i := range d.Villages {
		d.Villages[i].Township = d.Township.ID
		if _, err := s.Villages.Create(ctx, &d.Villages[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// MustImport imports data or fails the test.
func MustImport(tb testing.TB, s *records.Store, data []byte, opts importer.Options) *importer.Result {
	tb.Helper()
	if opts.Township == "" {
		opts.Township = "qps"
	}
	if opts.Kind == "" {
		opts.Kind = importer.Deputies
	}
	res, err := importer.Import(context.Background(), storeOf(s), bytes.NewReader(data), opts)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return res
}

// importErr imports data expecting the import as a whole to be refused.
func importErr(tb testing.TB, s *records.Store, data []byte, opts importer.Options) error {
	tb.Helper()
	if opts.Township == "" {
		opts.Township = "qps"
	}
	if opts.Kind == "" {
		opts.Kind = importer.Deputies
	}
	res, err := importer.Import(context.Background(), storeOf(s), bytes.NewReader(data), opts)
	if err == nil {
		tb.Fatalf("import accepted the file (%s), want it refused", res.Summary())
	}
	return err
}

// MustFile reads a file of testdata/.
func MustFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "rosters", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// sheetRows is one worksheet to write: its name and its rows of cells
// (strings are text cells, numbers number cells, time.Time date cells).
type sheetRows struct {
	name string
	rows [][]any
}

// MustXLSX writes a workbook.
func MustXLSX(tb testing.TB, sheets ...sheetRows) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				tb.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// csvOf writes rows as UTF-8 CSV.
func csvOf(rows ...[]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

// plan sums a result up as "line:action" for each row, in order.
func plan(res *importer.Result) string {
	var parts []string
	for _, r := range res.Rows {
		parts = append(parts, fmt.Sprintf("%d:%s", r.Line, r.Action))
	}
	return strings.Join(parts, " ")
}

// rowAt returns the result's row for a line of the file.
func rowAt(tb testing.TB, res *importer.Result, line int) importer.Row {
	tb.Helper()
	for _, r := range res.Rows {
		if r.Line == line {
			return r
		}
	}
	tb.Fatalf("no row for line %d in %s", line, plan(res))
	return importer.Row{}
}

// MustDeputies returns the township's deputies by name.
func MustDeputies(tb testing.TB, s *records.Store) map[string]*records.Deputy {
	tb.Helper()
	page, err := s.Deputies.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: records.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]*records.Deputy{}
	for _, d := range page.Items {
		out[d.Name] = d
	}
	return out
}

// villageID returns the id of the demo village with name.
func villageID(tb testing.TB, s *records.Store, name string) string {
	tb.Helper()
	page, err := s.Villages.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: records.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	for _, v := range page.Items {
		if v.Name == name {
			return v.ID
		}
	}
	tb.Fatalf("no village %s", name)
	return ""
}

// problem returns a refused row's problems as "column field: reason".
func problems(r importer.Row) string {
	var parts []string
	for _, p := range r.Problems {
		parts = append(parts, fmt.Sprintf("%s %s: %s", p.Column, p.Field, p.Reason))
	}
	return strings.Join(parts, "; ")
}

// rosterHeader is the sample roster's header row.
var rosterHeader = []any{"序号", "姓名", "性别", "民族", "出生年月", "政治面貌", "文化程度", "工作单位及职务", "代表层级", "所在代表小组", "所在村", "联系电话"}
