package docx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"unicode"

	gdocx "github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"renda/internal/report/document"
)

// layout is how every table with one header is set: its font size in
// half-points and its column widths in twips.
type layout struct {
	size   uint64
	widths []int
}

// Table font sizes tried in turn: 小四, 五号, 小五, 8 pt (a roster of ten columns).
var tableSizes = []uint64{sizeTable, 21, 18, 16}

const (
	cellPad   = 2*108 + 24 // the cell margins of Table Normal, and a little room
	noWrapMax = 14         // half-characters: cells up to seven characters (or a mobile number) never wrap
	wrapMin   = 8          // half-characters a wrapping column keeps at least
	wrapMax   = 40         // half-characters a column needs at most
)

// layouts gives the tables of d their layout: tables with the same header
// share one, computed over all their rows, so a column keeps its width
// through the document (a roster's groups line up).
func layouts(d *document.Doc) map[string]layout {
	rows := map[string][][]string{}
	headers := map[string][]string{}
	for _, b := range d.Blocks {
		if t, ok := b.(*document.Table); ok && len(t.Header) > 0 {
			k := headerKey(t.Header)
			headers[k] = t.Header
			rows[k] = append(rows[k], t.Rows...)
		}
	}
	out := map[string]layout{}
	for k, h := range headers {
		out[k] = computeLayout(h, rows[k])
	}
	return out
}

func headerKey(h []string) string { return strings.Join(h, "\x00") }

// computeLayout sizes the columns from their content, CJK characters
// counting two half-characters: a column whose cells are at most six
// characters (names, 民族, 中共党员, dates) is never narrower than its widest
// cell, so it never wraps; its header may wrap onto two lines. Longer text
// shares what is left and wraps. If the short columns do not fit at 小四,
// the table is set in 五号, then 小五, then 8 pt; past that the columns are squeezed.
func computeLayout(header []string, rows [][]string) layout {
	cols := len(header)
	cell := make([]int, cols) // widest body cell, half-characters
	head := make([]int, cols) // header's width
	for i := range cols {
		head[i] = displayWidth(header[i])
		for _, r := range rows {
			if i < len(r) {
				cell[i] = max(cell[i], cellWidth(r[i]))
			}
		}
	}
	// headMin is what a header needs on at most two lines.
	headMin := func(i int) int {
		if head[i] <= 4 {
			return max(head[i], 2)
		}
		return (head[i]/2 + 1) / 2 * 2
	}
	mins := make([]int, cols)
	wants := make([]int, cols)
	short := make([]bool, cols)
	var size uint64
	for _, size = range tableSizes {
		half := int(size) * 5 // twips per half-character
		total := 0
		for i := range cols {
			short[i] = cell[i] <= noWrapMax
			if short[i] {
				mins[i] = max(cell[i], headMin(i))*half + cellPad
				wants[i] = max(cell[i], head[i])*half + cellPad
			} else {
				mins[i] = max(wrapMin, headMin(i))*half + cellPad
				wants[i] = min(max(cell[i], head[i]), wrapMax)*half + cellPad
			}
			total += mins[i]
		}
		if total <= textWidth {
			break
		}
	}
	return layout{size: size, widths: share(mins, wants, short, textWidth)}
}

// share gives each column its minimum, then what is left first to the
// short columns up to what they want (their header on one line), then to
// the wrapping ones up to what they want, in proportion to what each lacks,
// then any rest in proportion to what each wants; if the minimums do not
// fit they are scaled down. The widths add up to total.
func share(mins, wants []int, short []bool, total int) []int {
	n := len(mins)
	out := slices.Clone(mins)
	sum := func(xs []int) (s int) {
		for _, x := range xs {
			s += x
		}
		return s
	}
	// grow adds amount to out in proportion to weight.
	grow := func(weight []int, amount int) {
		if w := sum(weight); w > 0 {
			for i := range out {
				out[i] += amount * weight[i] / w
			}
		}
	}
	if left := total - sum(mins); left < 0 {
		clear(out)
		grow(mins, total)
	} else {
		for _, stage := range []bool{true, false} {
			lack := make([]int, n)
			for i := range n {
				if short[i] == stage {
					lack[i] = max(wants[i]-out[i], 0)
				}
			}
			give := min(left, sum(lack))
			grow(lack, give)
			left = total - sum(out)
		}
		grow(wants, left)
	}
	out[n-1] += total - sum(out)
	return out
}

// table adds t as a bordered table, set as lay says. godocx keeps a table's
// properties unexported and its parser drops attributes, so the table is built
// from godocx's ctypes, marshalled by them, kept in tables and put in place of a
// placeholder paragraph by finish.
func table(rd *gdocx.RootDoc, t *document.Table, lay layout, tables *[][]byte) error {
	cols := len(t.Header)
	if cols == 0 {
		return nil
	}
	widths := lay.widths
	line := int(lay.size) * 50 / 3 // 1.25 lines: 400 twips at 小四
	ct := ctypes.Table{
		TableProp: ctypes.TableProp{
			Width: ctypes.NewTableWidth(textWidth, stypes.TableWidthDxa),
			// the template's "Table Grid": single ½ pt borders all round (godocx's
			// border type has no width, so borders are not set directly)
			Style:         ctypes.NewCTString("TableGrid"),
			Justification: ctypes.NewGenSingleStrVal(stypes.JustificationCenter),
			Layout:        ctypes.NewTableLayout(stypes.TableLayoutFixed),
		},
	}
	for _, w := range widths {
		ct.Grid.Col = append(ct.Grid.Col, ctypes.Column{Width: ptr(uint64(w))})
	}
	// A header wider than its column breaks in the middle (出生/年月), not
	// wherever the line runs out (出生年/月).
	header := slices.Clone(t.Header)
	for i, h := range header {
		rs := []rune(h)
		if room := (widths[i] - cellPad) / (int(lay.size) * 5); displayWidth(h) > room && len(rs) >= 4 && !strings.Contains(h, "\n") {
			header[i] = string(rs[:(len(rs)+1)/2]) + "\n" + string(rs[(len(rs)+1)/2:])
		}
	}
	addRow := func(cells []string, header bool) {
		row := &ctypes.Row{Property: &ctypes.RowProperty{CantSplit: &ctypes.OnOff{}}}
		if header {
			row.Property.Header = &ctypes.OnOff{}
		}
		for i := 0; i < cols; i++ {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			p := &ctypes.Paragraph{Property: &ctypes.ParagraphProp{
				SnapToGrid:    ctypes.OnOffFromBool(false),
				Spacing:       exact(line),
				Justification: ctypes.NewGenSingleStrVal(stypes.JustificationCenter),
			}}
			font := FontBody
			if header {
				font = FontHei
			}
			addText(p, text, runPr(font, lay.size, false, false))
			row.Contents = append(row.Contents, ctypes.TRCellContent{Cell: &ctypes.Cell{
				Property: &ctypes.CellProperty{
					Width:  ctypes.NewTableWidth(widths[i], stypes.TableWidthDxa),
					VAlign: ctypes.NewGenSingleStrVal(stypes.VerticalJcCenter),
				},
				Contents: []ctypes.TCBlockContent{{Paragraph: p}},
			}})
		}
		ct.RowContents = append(ct.RowContents, ctypes.RowContent{Row: row})
	}
	addRow(header, true)
	for _, r := range t.Rows {
		addRow(r, false)
	}

	var x bytes.Buffer
	enc := xml.NewEncoder(&x)
	if err := ct.MarshalXML(enc, xml.StartElement{}); err != nil {
		return fmt.Errorf("docx: table: %w", err)
	}
	if err := enc.Flush(); err != nil {
		return fmt.Errorf("docx: table: %w", err)
	}
	// a placeholder paragraph that finish replaces with the table: its style ID
	// cannot come from Markdown
	id := fmt.Sprintf("RendaTable%d", len(*tables))
	*tables = append(*tables, x.Bytes())
	ph := rd.AddEmptyParagraph().GetCT()
	ph.Property = &ctypes.ParagraphProp{Style: ctypes.NewCTString(id)}
	// a table must not end the body next to sectPr, and a following table would merge
	blank := rd.AddEmptyParagraph().GetCT()
	blank.Property = bodyPPr(false)
	return nil
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || r >= 0x2E80) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// cellWidth is what a table cell holding s needs, in half-characters.
// Latin letters and digits are set in the body font's fallback, a little
// wider than half a Chinese character: one half-character more is allowed
// for every eight of them (an 11-digit mobile number wraps in LibreOffice
// in a column of exactly 11).
func cellWidth(s string) int {
	latin := 0
	for _, r := range s {
		if r < 0x80 {
			latin++
		}
	}
	return displayWidth(s) + (latin+7)/8
}
