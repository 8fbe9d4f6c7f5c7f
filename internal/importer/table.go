package importer

import (
	"fmt"
	"regexp"
	"strings"
)

// value is one field's cell in a data row, with where it came from.
type value struct {
	cell
	column   string // E; sheetColumn when the value is the sheet's name
	header   string
	number   func() bool // whether the cell holds a number (not text); false if unknown
	date1904 bool        // the workbook counts serial dates from 1904
}

// sheetColumn is how a change or problem names a value taken from the
// worksheet's name (a roster with a sheet per deputy group).
const sheetColumn = "工作表名"

func (v value) where() string {
	if v.column == sheetColumn {
		return "工作表名"
	}
	if v.header == "" {
		return v.column + " 列"
	}
	return fmt.Sprintf("%s 列“%s”", v.column, v.header)
}

// input is one data row: its values by field.
type input struct {
	line   int
	values map[string]value
}

// table is the data of one sheet under its header row.
type table struct {
	sheet *sheet
	rows  []*input
}

// column is a column of a sheet and the field it holds.
type column struct {
	index  int
	header string
	field  string // "" not recognised, "-" ignored on purpose
}

// maxHeaderSearch is how many non-empty rows of a sheet may stand above and
// at the header row.
const maxHeaderSearch = 20

// footer starts the rows below a roster that are not data.
var footer = regexp.MustCompile(`^(填表人|填报人|制表人|制表|审核人|审核|填表日期|填报日期|制表日期|日期[:：]|注[:：]|备注[:：]|说明[:：]|合计|总计|小计)`)

// groupSheet is a sheet named after a deputy group, as the deputy-roster
// report writes them: 第一代表小组（11名）.
var groupSheet = regexp.MustCompile(`^(.*小组)\s*(?:[（(]\s*\d+\s*名?\s*[)）])?$`)

// layout finds each sheet's header row and columns and collects its data
// rows.
func layout(wb *workbook, k *kindSpec, mapping []*colMap, lim Limits) ([]table, []string, error) {
	var tables []table
	var warnings []string
	unknown := map[string]bool{}
	var unknownList []string
	dataRows := 0
	for si := range wb.sheets {
		sh := &wb.sheets[si]
		h := headerRow(sh, k, mapping)
		if h < 0 {
			if len(sh.lines) > 0 {
				warnings = append(warnings, fmt.Sprintf("%s没有找到表头（含“%s”的一行），未导入", orFile(sh.name), k.field(nameField).label))
			}
			continue
		}
		cols, err := columns(sh, h, k, mapping)
		if err != nil {
			return nil, nil, err
		}
		byField := map[string]column{}
		for _, c := range cols {
			switch c.field {
			case "":
				if c.header != "" && !unknown[c.header] {
					unknown[c.header] = true
					unknownList = append(unknownList, "“"+c.header+"”")
				}
			case "-":
			default:
				byField[c.field] = c
			}
		}
		group := ""
		if _, ok := byField["group"]; !ok && k.kind == Deputies {
			if m := groupSheet.FindStringSubmatch(strings.TrimSpace(sh.name)); m != nil {
				group = m[1]
			}
		}
		t := table{sheet: sh}
		for _, ln := range sh.lines[h+1:] {
			in, ok := dataRow(ln, byField, sh)
			if !ok {
				continue
			}
			if group != "" {
				in.values["group"] = value{cell: cell{text: group, raw: group}, column: sheetColumn, number: func() bool { return false }}
			}
			dataRows++
			if dataRows > lim.Rows {
				return nil, nil, fileError("文件超过 %d 行数据的上限；请分成几个文件导入", lim.Rows)
			}
			t.rows = append(t.rows, in)
		}
		tables = append(tables, t)
	}
	for _, m := range mapping {
		if !m.used {
			return nil, nil, invalid("mapping", "映射“%s”在文件的表头中找不到", m.source)
		}
	}
	if len(tables) == 0 {
		return nil, nil, fileError("文件中没有找到表头：前 %d 个非空行中没有一行含有“%s”和其他可识别的列名（如 %s）；请检查文件，或用映射指定各列",
			maxHeaderSearch, k.field(nameField).label, exampleHeaders(k))
	}
	if len(unknownList) > 0 {
		warnings = append(warnings, "这些列不认识，没有导入："+strings.Join(unknownList, "、")+"；需要时可用映射指定（如 备注=attributes.备注）")
	}
	return tables, warnings, nil
}

func orFile(sheetName string) string {
	if sheetName == "" {
		return "文件中"
	}
	return "工作表“" + sheetName + "”"
}

func exampleHeaders(k *kindSpec) string {
	var hs []string
	for _, f := range k.fields[:min(4, len(k.fields))] {
		hs = append(hs, "“"+f.label+"”")
	}
	return strings.Join(hs, "、")
}

// fieldOf is the field a header cell at column i names: a mapping by the
// header's text first, then one by column letter, then the defaults.
func fieldOf(k *kindSpec, mapping []*colMap, i int, header string, mark bool) string {
	h := normHeader(header)
	pick := func(m *colMap) string {
		if mark {
			m.used = true
		}
		return m.field
	}
	if h != "" {
		for _, m := range mapping {
			if m.header == h {
				return pick(m)
			}
		}
	}
	for _, m := range mapping {
		if m.letter == i {
			return pick(m)
		}
	}
	return k.byHeader(header)
}

// headerRow is the index of a sheet's header line: the first of the top
// lines with at least two recognised headers, one of them the name column
// (or the name column mapped by letter). Title rows, blank rows and notes
// above it are skipped. -1 if there is none.
func headerRow(sh *sheet, k *kindSpec, mapping []*colMap) int {
	for i, ln := range sh.lines {
		if i >= maxHeaderSearch {
			break
		}
		known, name := 0, false
		for c, x := range ln.cells {
			f := fieldOf(k, mapping, c, x.text, false)
			if f == "" || x.empty() {
				continue
			}
			known++
			name = name || f == nameField
		}
		if known >= 2 && name {
			return i
		}
	}
	return -1
}

// columns names the fields of a sheet's columns; two columns for one field
// are an error, since the importer cannot tell which one the clerk means.
func columns(sh *sheet, h int, k *kindSpec, mapping []*colMap) ([]column, error) {
	header := sh.lines[h].cells
	n := len(header)
	for _, m := range mapping {
		if m.letter >= n {
			n = m.letter + 1
		}
	}
	var cols []column
	seen := map[string]column{}
	for i := 0; i < n; i++ {
		text := ""
		if i < len(header) {
			text = header[i].text
		}
		f := fieldOf(k, mapping, i, text, true)
		c := column{index: i, header: text, field: f}
		if f != "" && f != "-" {
			if prev, dup := seen[f]; dup {
				spec := k.field(f)
				return nil, fileError("%s的 %s 列“%s”和 %s 列“%s”都对应“%s”（%s）；请用映射指定其中一列不导入（如 %s=-）",
					orFile(sh.name), columnLetter(prev.index), prev.header, columnLetter(i), text, spec.label, f, text)
			}
			seen[f] = c
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// dataRow turns a line below the header into a row of values; ok is false
// for lines that hold no data: blank in the mapped columns, a footer
// (填表人 …, 合计), or the header repeated (a roster printed over pages).
func dataRow(ln line, byField map[string]column, sh *sheet) (*input, bool) {
	for _, x := range ln.cells {
		if !x.empty() {
			if footer.MatchString(x.text) {
				return nil, false
			}
			break
		}
	}
	in := &input{line: ln.n, values: map[string]value{}}
	repeated := 0
	for f, c := range byField {
		if c.index >= len(ln.cells) || ln.cells[c.index].empty() {
			continue
		}
		x := ln.cells[c.index]
		if c.header != "" && normHeader(x.text) == normHeader(c.header) {
			repeated++
		}
		col, n := c.index, ln.n
		in.values[f] = value{cell: x, column: columnLetter(c.index), header: c.header, date1904: sh.date1904, number: func() bool {
			return sh.isNumber != nil && sh.isNumber(col, n)
		}}
	}
	if len(in.values) == 0 || (repeated == len(in.values) && repeated >= 2) {
		return nil, false
	}
	return in, true
}
