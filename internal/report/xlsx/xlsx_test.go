package xlsx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/report/document"
	"renda/internal/report/xlsx"
)

const sample = `# 乡镇人大年度工作总结

正文。

| 无标题 | 表 |
|---|---|
| a | b |

## 附：代表名册

| 姓名 | 代表层级 | 联系选民数 | 身份证号 | 满意率 | 里程 |
|---|---|---:|---|---:|---:|
| 张三 | 县级 | 2 | 110101199001011234 | 95% | 1,234.5 |
| 李四 | 镇级 | 12 | 0101 | 87.5% | 20 |

## 三、围绕全镇重点工作，开展代表视察活动：公路/村路[2023]建设情况统计表

| 村 | 公里 |
|---|---:|
| 二十九号村 | 6.5 |

## 附：代表名册

| 姓名 |
|---|
| 王五 |
`

func MustOpen(tb testing.TB, md string) *excelize.File {
	tb.Helper()
	d, err := document.Parse([]byte(md))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	out, err := xlsx.Render(d)
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		tb.Fatalf("OpenReader: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func TestRender(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := MustOpen(t, sample)
		got := strings.Join(f.GetSheetList(), "|")
		want := "Sheet1|附：代表名册|围绕全镇重点工作，开展代表视察活动：公路_村路_2023_建设|附：代表名册 (2)"
		if got != want {
			t.Fatalf("sheets: got %q, want %q", got, want)
		}
		const s = "附：代表名册"
		for cell, want := range map[string]string{
			"A1": "姓名", "C1": "联系选民数", "A2": "张三", "D2": "110101199001011234", "D3": "0101",
		} {
			if got, _ := f.GetCellValue(s, cell); got != want {
				t.Errorf("%s: got %q, want %q", cell, got, want)
			}
		}
		for cell, want := range map[string]string{"C2": "2", "C3": "12", "E2": "0.95", "F2": "1234.5", "F3": "20"} {
			got, err := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true})
			if err != nil || got != want {
				t.Errorf("%s raw: got %q (%v), want %q", cell, got, err, want)
			}
			typ, _ := f.GetCellType(s, cell)
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s: stored as text, want a number", cell)
			}
		}
		if typ, _ := f.GetCellType(s, "D2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("D2: got type %v, want text", typ)
		}
		panes, err := f.GetPanes(s)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("panes: got %+v (%v), want header row frozen", panes, err)
		}
		style, _ := f.GetCellStyle(s, "A1")
		st, err := f.GetStyle(style)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("A1 style: got %+v (%v), want bold", st, err)
		}
		wA, _ := f.GetColWidth(s, "A")
		wD, _ := f.GetColWidth(s, "D")
		if wA != 6 || wD != 20 {
			t.Errorf("widths: got A=%v D=%v, want 6 and 20", wA, wD)
		}
		wB, _ := f.GetColWidth(s, "B")
		if wB != 10 { // 代表层级: 4 CJK characters = 8, +2
			t.Errorf("width B: got %v, want 10", wB)
		}
	})
	t.Run("NumbersShowAsWritten", func(t *testing.T) {
		// In a column marked numeric (right-aligned), a number shows as the
		// document wrote it: 1974.10 not 1974.1, 1,234 with its separator.
		f := MustOpen(t, "## 表\n\n| a | b | c | d | e | f | g |\n|---:|---:|---:|---:|---:|---:|---:|\n| 1974.10 | 1,234 | 1,234.50 | 12.5% | 95% | 0.5 | 42 |\n")
		for i, want := range []string{"1974.10", "1,234", "1,234.50", "12.5%", "95%", "0.5", "42"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 2)
			if got, _ := f.GetCellValue("表", cell); got != want {
				t.Errorf("%s shows %q, want %q as written", cell, got, want)
			}
			if typ, _ := f.GetCellType("表", cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s: stored as text, want a number", cell)
			}
		}
	})
	t.Run("ErrNoTable", func(t *testing.T) {
		d, err := document.Parse([]byte("# 标题\n\n正文。\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = xlsx.Render(d)
		if !errors.Is(err, xlsx.ErrNoTable) {
			t.Fatalf("got %v, want ErrNoTable", err)
		}
		if !strings.Contains(err.Error(), "no table") {
			t.Errorf("message %q does not say there is no table", err)
		}
	})
	t.Run("ErrNilDoc", func(t *testing.T) {
		if _, err := xlsx.Render(nil); !errors.Is(err, xlsx.ErrNilDoc) {
			t.Errorf("got %v, want ErrNilDoc", err)
		}
	})
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, c := range []struct{ heading, want string }{
		{"一、规范化建设", "规范化建设"},
		{"（二）代表名册", "代表名册"},
		{"代表名册", "代表名册 (2)"},
		{"DAIBIAO", "DAIBIAO"},
		{"daibiao", "daibiao (2)"},
		{"'引号'", "引号"},
		{"", "Sheet7"},
		{"history", "Sheet8"},
		{strings.Repeat("长", 40), strings.Repeat("长", 31)},
		{strings.Repeat("长", 40), strings.Repeat("长", 27) + " (2)"},
	} {
		n := len(used) + 1
		if got := xlsx.SheetName(c.heading, n, used); got != c.want {
			t.Errorf("SheetName(%q): got %q, want %q", c.heading, got, c.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		in      string
		v       float64
		percent bool
		ok      bool
	}{
		{"42", 42, false, true}, {"-3.5", -3.5, false, true}, {"1,234", 1234, false, true},
		{"12.5%", 0.125, true, true}, {"0", 0, false, true}, {"0.5", 0.5, false, true},
		{"0101", 0, false, false}, {"110101199001011234", 0, false, false}, {"60多", 0, false, false},
		{"1,23", 0, false, false}, {"", 0, false, false}, {"1e5", 0, false, false},
	} {
		v, p, ok := xlsx.Number(c.in)
		if v != c.v || p != c.percent || ok != c.ok {
			t.Errorf("Number(%q): got %v %v %v, want %v %v %v", c.in, v, p, ok, c.v, c.percent, c.ok)
		}
	}
}

// TestTextStaysText checks that cells which look like numbers stay text
// unless their column is marked numeric (right-aligned): a roster's
// 出生年月 "1974.10" must not become 1974.1, nor "1968.03" 1968.03.
func TestTextStaysText(t *testing.T) {
	f := MustOpen(t, "| 姓名 | 出生年月 | 序号 | 人数 |\n|---|---|:---:|---:|\n| 吴桂芝 | 1974.10 | 1 | 40 |\n| 张振华 | 1968.03 | 2 | 2.50 |\n")
	s := f.GetSheetList()[0]
	t.Run("OK", func(t *testing.T) {
		for cell, want := range map[string]string{"B2": "1974.10", "B3": "1968.03", "C2": "1"} {
			got, _ := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType(s, cell)
			if got != want || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
				t.Errorf("%s: got %q of type %v, want the text %q", cell, got, typ, want)
			}
			id, _ := f.GetCellStyle(s, cell)
			if st, err := f.GetStyle(id); err != nil || st.NumFmt != 49 {
				t.Errorf("%s: number format %v (%v), want 49 (text) so Excel keeps it as typed", cell, st.NumFmt, err)
			}
		}
		for cell, want := range map[string]string{"D2": "40", "D3": "2.5"} {
			got, _ := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true})
			if typ, _ := f.GetCellType(s, cell); got != want || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s (a right-aligned column): got %q of type %v, want the number %s", cell, got, typ, want)
			}
		}
	})
}
