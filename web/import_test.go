package web_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/records"
)

const sampleRoster = "../testdata/rosters/roster-sample.xlsx"

// MustBadRoster writes a copy of the sample roster whose row 4 (包国庆)
// holds a gender no roster uses, and returns its path.
func MustBadRoster(tb testing.TB) string {
	tb.Helper()
	f, err := excelize.OpenFile(sampleRoster)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if v, _ := f.GetCellValue(sheet, "B4"); v != "包国庆" {
		tb.Fatalf("the sample roster changed: B4 is %q, want 包国庆", v)
	}
	if err := f.SetCellValue(sheet, "C4", "未知"); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(tb.TempDir(), "代表花名册（有误）.xlsx")
	if err := f.SaveAs(p); err != nil {
		tb.Fatal(err)
	}
	return p
}

func deputyCount(tb testing.TB, srv *Server) int {
	tb.Helper()
	n, err := srv.Store.Deputies.Count(context.Background(), records.Query{Townships: []string{"qps"}})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// MustNotedRoster writes a copy of the sample roster with a column no
// field claims, 备注.
func MustNotedRoster(tb testing.TB) string {
	tb.Helper()
	f, err := excelize.OpenFile(sampleRoster)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	_ = f.SetCellValue(sheet, "M2", "备注")
	for r := 3; r <= 8; r++ {
		_ = f.SetCellValue(sheet, fmt.Sprintf("M%d", r), fmt.Sprintf("备注%d", r))
	}
	p := filepath.Join(tb.TempDir(), "代表花名册（带备注）.xlsx")
	if err := f.SaveAs(p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// importFile walks the wizard with file up to the dry run's table.
func importFile(b *Browser, file string, mapping map[string]string) {
	b.tb.Helper()
	if Eval[bool](b, `!!document.querySelector('[data-test=again]')`) {
		b.Click(`[data-test=again]`, "导入另一个文件")
	} else {
		b.Go("/import")
	}
	b.WaitText(`[data-step=upload]`, "名册类型")
	b.Upload(`[data-test=upload]`, file)
	b.WaitText(`[data-test=file-name]`, filepath.Base(file))
	b.Click(`[data-test=to-mapping]`, "")
	b.WaitText(`[data-step=mapping]`, "需要指定的列")
	b.Shot("import-mapping")
	for column, field := range mapping {
		b.WaitJS(fmt.Sprintf(`!!document.querySelector('[data-test=mapping] [data-column=%q]')`, column), "the column "+column+" offered for mapping")
		b.Choose(fmt.Sprintf(`[data-test=mapping] [data-column=%q] .el-select__wrapper`, column), field)
	}
	b.Click(`[data-test=dry-run]`, "")
	b.WaitText(`[data-test=dry-summary]`, "预检结果")
}

// TestConsoleImport is done-when 2: a roster XLSX with Chinese headers
// through the wizard — the dry run lists a bad row with its reason, an
// atomic import applies nothing, the fixed file imports, and importing it
// again creates nothing new.
func TestConsoleImport(t *testing.T) {
	srv := MustServer(t, true)
	tab := MustBrowser(t, srv)
	MustLogin(t, tab, "clerk", "王秀兰")
	before := deputyCount(t, srv)

	t.Run("ErrRefusedRowAtomic", func(t *testing.T) {
		b := tab.With(t)
		importFile(b, MustBadRoster(t), nil)
		b.WaitText(`[data-test=import-rows] .el-table__row`, "包国庆")
		row := b.Text(`[data-test=import-rows] .refused-row`)
		if !strings.Contains(row, "第 4 行") || !strings.Contains(row, "拒绝") || !strings.Contains(row, "性别") || !strings.Contains(row, "未知") {
			t.Errorf("the refused row: got %q, want line 4, 拒绝, and the reason naming 性别 and the value", row)
		}
		if n := Eval[int](b, `document.querySelectorAll('[data-test=import-rows] [data-action=create]').length`); n != 5 {
			t.Errorf("%d rows to create, want the 5 good ones", n)
		}
		b.Shot("import-dry-run")
		if checked := Eval[bool](b, `document.querySelector('[data-test=atomic]').classList.contains('is-checked')`); !checked {
			b.Click(`[data-test=atomic]`, "")
		}
		b.Click(`[data-test=apply]`, "")
		b.WaitText(`[data-test=result-summary]`, "没有导入任何记录")
		b.Shot("import-atomic")
		if got := deputyCount(t, srv); got != before {
			t.Errorf("after an atomic import with a refused row: %d deputies, want %d as before", got, before)
		}
	})

	t.Run("OK", func(t *testing.T) {
		b := tab.With(t)
		importFile(b, sampleRoster, nil)
		if n := Eval[int](b, `document.querySelectorAll('[data-test=import-rows] [data-action=refused]').length`); n != 0 {
			t.Errorf("the sample roster: %d refused rows, want none", n)
		}
		b.Click(`[data-test=apply]`, "")
		b.WaitText(`[data-test=result-summary]`, "已导入")
		if s := b.Text(`[data-test=result-summary]`); !strings.Contains(s, "新增 6") {
			t.Errorf("summary %q, want 新增 6", s)
		}
		b.Shot("import-result")
		if got := deputyCount(t, srv); got != before+6 {
			t.Errorf("after the import: %d deputies, want %d", got, before+6)
		}
	})

	t.Run("OK/Again", func(t *testing.T) {
		b := tab.With(t)
		importFile(b, sampleRoster, nil)
		if n := Eval[int](b, `document.querySelectorAll('[data-test=import-rows] [data-action=unchanged]').length`); n != 6 {
			t.Errorf("the same roster again: %d rows unchanged, want 6", n)
		}
		b.Click(`[data-test=apply]`, "")
		b.WaitText(`[data-test=result-summary]`, "新增 0")
		if got := deputyCount(t, srv); got != before+6 {
			t.Errorf("after importing the same file again: %d deputies, want still %d", got, before+6)
		}
	})

	t.Run("OK/Mapping", func(t *testing.T) {
		b := tab.With(t)
		importFile(b, MustNotedRoster(t), map[string]string{"备注": "作为自定义属性：备注"})
		if n := Eval[int](b, `document.querySelectorAll('[data-test=import-rows] [data-action=update]').length`); n != 6 {
			t.Errorf("the roster with 备注 mapped to an attribute: %d rows to update, want 6", n)
		}
		b.Click(`[data-test=apply]`, "")
		b.WaitText(`[data-test=result-summary]`, "更新 6")
		ds, err := srv.Store.Deputies.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds.Items {
			if d.Name == "白雪梅" && d.Attributes["备注"] != "备注3" {
				t.Errorf("白雪梅's attributes after the import: %v, want 备注: 备注3", d.Attributes)
			}
		}
	})
}
