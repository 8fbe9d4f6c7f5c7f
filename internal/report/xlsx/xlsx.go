// Package xlsx exports the tables of a document.Doc as an Excel workbook: one sheet
// per table, named after the heading the table stands under.
package xlsx

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"renda/internal/report/document"
)

// ErrNoTable is returned for a document without a table.
var ErrNoTable = errors.New("xlsx: the document has no table to export")

// ErrNilDoc is returned for a nil document.
var ErrNilDoc = errors.New("xlsx: nil document")

const (
	maxSheetName = 31 // UTF-16 code units, Excel's limit
	minColWidth  = 6
	maxColWidth  = 80
)

// Render writes every table of d as a sheet: header row bold and frozen, columns
// as wide as their text (a CJK character counts 2). Cells are text (formatted
// as text, so Excel keeps "1974.10", "0101" and ID numbers as written) except in
// the columns the Markdown marks as numbers by aligning them right ("---:"),
// where cells that read as numbers ("42", "-3.5", "1,234", "12.5%") are
// stored as numbers.
func Render(d *document.Doc) ([]byte, error) {
	if d == nil {
		return nil, ErrNilDoc
	}
	tables := d.Tables()
	if len(tables) == 0 {
		return nil, ErrNoTable
	}
	f := excelize.NewFile()
	defer f.Close()
	if d.Title != "" {
		if err := f.SetDocProps(&excelize.DocProperties{Title: d.Title, Creator: "renda", Language: "zh-CN"}); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    borders(),
	})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	body, err := f.NewStyle(&excelize.Style{Border: borders(), NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "center"}})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	number, err := f.NewStyle(&excelize.Style{Border: borders(), Alignment: &excelize.Alignment{Vertical: "center"}})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	numbers := numberStyles{f: f, ids: map[string]int{}}

	used := map[string]bool{}
	for i, tt := range tables {
		name := SheetName(tt.Heading, i+1, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, fmt.Errorf("xlsx: sheet %q: %w", name, err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("xlsx: sheet %q: %w", name, err)
		}
		if err := writeTable(f, name, tt.Table, styles{header, body, number}, &numbers); err != nil {
			return nil, fmt.Errorf("xlsx: sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "top", "right", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "000000", Style: 1})
	}
	return b
}

// numberStyles makes one cell style per number format, so a number shows as
// the document wrote it: "1974.10" keeps its trailing zero (a year and month
// in a roster, not 1974.1), "1,234" its separator, "12.5%" one decimal.
type numberStyles struct {
	f   *excelize.File
	ids map[string]int
}

// style returns the style showing s (a text Number accepted) as written.
func (n *numberStyles) style(s string) (int, error) {
	s = strings.TrimSpace(s)
	s, percent := strings.CutSuffix(s, "%")
	s = strings.TrimSpace(s)
	code := "0"
	if strings.Contains(s, ",") {
		code = "#,##0"
	}
	if _, frac, ok := strings.Cut(s, "."); ok {
		code += "." + strings.Repeat("0", len(frac))
	}
	if percent {
		code += "%"
	}
	if id, ok := n.ids[code]; ok {
		return id, nil
	}
	id, err := n.f.NewStyle(&excelize.Style{Border: borders(), CustomNumFmt: &code, Alignment: &excelize.Alignment{Vertical: "center"}})
	if err != nil {
		return 0, err
	}
	n.ids[code] = id
	return id, nil
}

// styles are the cell styles of a sheet: header, text and whole numbers;
// other numbers get a style per format (numberStyles).
type styles struct{ header, text, number int }

func writeTable(f *excelize.File, sheet string, t *document.Table, st styles, numbers *numberStyles) error {
	cols := len(t.Header)
	widths := make([]int, cols)
	for c, h := range t.Header {
		cell, err := excelize.CoordinatesToCellName(c+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
		widths[c] = DisplayWidth(h)
	}
	if cols > 0 {
		last, _ := excelize.CoordinatesToCellName(cols, 1)
		if err := f.SetCellStyle(sheet, "A1", last, st.header); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		for c := 0; c < cols && c < len(row); c++ {
			cell, err := excelize.CoordinatesToCellName(c+1, r+2)
			if err != nil {
				return err
			}
			v, isPercent, ok := Number(row[c])
			ok = ok && c < len(t.Align) && t.Align[c] == "right"
			style := st.number
			switch {
			case ok && !isPercent && v == float64(int64(v)) && !strings.ContainsAny(row[c], ".,"):
				err = f.SetCellInt(sheet, cell, int64(v))
			case ok:
				if err = f.SetCellFloat(sheet, cell, v, -1, 64); err == nil {
					style, err = numbers.style(row[c])
				}
			default:
				err = f.SetCellStr(sheet, cell, row[c])
				style = st.text
			}
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
			widths[c] = max(widths[c], DisplayWidth(row[c]))
		}
	}
	for c, w := range widths {
		col, err := excelize.ColumnNumberToName(c + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, float64(min(max(w+2, minColWidth), maxColWidth))); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

var (
	plainNumber   = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$`)
	groupedNumber = regexp.MustCompile(`^[-+]?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?$`)
)

// Number reports whether s looks like a number and its value: plain decimals
// without leading zeros (so "0101" codes and 18-digit ID numbers stay text), with
// optional thousands separators, or a percentage ("12.5%" is 0.125).
func Number(s string) (v float64, percent, ok bool) {
	s = strings.TrimSpace(s)
	if p, found := strings.CutSuffix(s, "%"); found {
		s, percent = strings.TrimSpace(p), true
	}
	if !plainNumber.MatchString(s) && !groupedNumber.MatchString(s) {
		return 0, false, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return 0, false, false
	}
	if percent {
		v /= 100
	}
	return v, percent, true
}

var enumeration = regexp.MustCompile(`^\s*(` +
	`[一二三四五六七八九十百]+、|` + // 一、
	`[（(][一二三四五六七八九十百]+[）)]|` + // （一）
	`[0-9]+[.．、]|` + // 1.
	`[（(][0-9]+[）)]` + // （1）
	`)\s*`)

// SheetName makes a valid, unique sheet name from a heading: section numbers
// ("一、", "（一）", "1.", "（1）") dropped, characters Excel forbids (: \ / ? * [ ])
// replaced, no leading or trailing apostrophe, at most 31 UTF-16 units. An empty
// result becomes "Sheet<n>". used collects the names given so far (Excel compares
// them case-insensitively).
func SheetName(heading string, n int, used map[string]bool) string {
	name := enumeration.ReplaceAllString(heading, "")
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, r):
			return '_'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), "'")
	name = truncate(name, maxSheetName)
	if name == "" || strings.EqualFold(name, "History") {
		name = fmt.Sprintf("Sheet%d", n)
	}
	base := name
	for k := 2; used[strings.ToLower(name)]; k++ {
		suffix := fmt.Sprintf(" (%d)", k)
		name = strings.TrimRight(truncate(base, maxSheetName-len(suffix)), "'") + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncate(s string, units int) string {
	n := 0
	for i, r := range s {
		n += len(utf16.Encode([]rune{r}))
		if n > units {
			return strings.TrimRight(s[:i], " '")
		}
	}
	return s
}

// DisplayWidth counts a wide (CJK) character as 2 and others as 1.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x1100 && r <= 0x115F) || // Hangul Jamo
		(r >= 0x2E80 && r <= 0xA4CF) || // CJK radicals … Yi
		(r >= 0xAC00 && r <= 0xD7A3) || // Hangul
		(r >= 0xF900 && r <= 0xFAFF) || // CJK compatibility
		(r >= 0xFE30 && r <= 0xFE4F) || // CJK compatibility forms
		(r >= 0xFF00 && r <= 0xFF60) || // full-width forms
		(r >= 0xFFE0 && r <= 0xFFE6)
}
