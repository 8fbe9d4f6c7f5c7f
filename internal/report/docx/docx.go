// Package docx writes a document.Doc as a Word .docx in the layout of GB/T 9704-2012
// (党政机关公文格式):
//
//   - A4 (11906×16838 twips); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
//   - a document grid of 22 lines of 28 characters (linePitch 579, exact line spacing
//     of 579 twips ≈ 28.95 pt, charSpace -851 against the 16 pt Normal size);
//   - title 2号 (22 pt) 方正小标宋简体, centred, followed by one empty line;
//   - body 3号 (16 pt) 仿宋 (the font shipped with Windows; 仿宋_GB2312 is not named,
//     since it is missing on most current machines), first line indented two characters;
//   - headings, all 16 pt with the same indent: level 1 (一、) 黑体, level 2 ((一)) 楷体,
//     level 3 (1.) 仿宋 bold, level 4 ((1)) 仿宋; each carries its outline level;
//   - page numbers 4号 (14 pt) 宋体 "— 1 —" from a PAGE field: right (one character in)
//     on odd pages, left on even pages;
//   - tables as bordered Word tables, 12 pt, header row in 黑体 repeated on every page.
//
// The package is built with github.com/gomutex/godocx. What that library cannot
// express (footer parts with fields, a second footer reference, settings) is added
// as raw parts or patched into the written package. No timestamps are written, so the
// same Doc gives the same bytes.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/gomutex/godocx"
	gdocx "github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"renda/internal/report/document"
)

// Fonts named in the document (DOCX cannot give fallbacks: Word substitutes).
const (
	FontTitle  = "方正小标宋简体"
	FontBody   = "仿宋"
	FontHei    = "黑体"
	FontKai    = "楷体"
	FontFooter = "宋体"
)

// Page geometry in twips (1/20 pt; 1 mm = 56.69 twips).
const (
	PageWidth    = 11906
	PageHeight   = 16838
	MarginTop    = 2098 // 37 mm
	MarginBottom = 1984 // 35 mm
	MarginLeft   = 1588 // 28 mm
	MarginRight  = 1474 // 26 mm
	MarginHeader = 851  // 15 mm
	MarginFooter = 1400 // ≈24.7 mm: puts the page number ≈7 mm below the text block
	LinePitch    = 579  // twips per line: 22 lines in 225 mm
	CharSpace    = -851 // 1/4096 pt off 16 pt: 28 characters in 156 mm
	CharSpacing  = -5   // twips between 16 pt characters: 28 × 15.75 pt ≤ 156 mm
	textWidth    = PageWidth - MarginLeft - MarginRight

	sizeTitle  = 44 // half-points: 2号
	sizeBody   = 32 // 3号
	sizeFooter = 28 // 4号
	sizeTable  = 24 // 小四
)

const (
	relFooter  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
	ctFooter   = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
	ridOdd     = "rIdRendaFooterOdd"
	ridEven    = "rIdRendaFooterEven"
	partOdd    = "word/footer1.xml"
	partEven   = "word/footer2.xml"
	nsW        = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	docRootTag = `<w:document xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="` + nsR + `" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="` + nsW + `" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 wp14 w15">`
)

// ErrNilDoc is returned by Render for a nil document.
var ErrNilDoc = errors.New("docx: nil document")

// Render writes d as a .docx.
func Render(d *document.Doc) ([]byte, error) {
	if d == nil {
		return nil, ErrNilDoc
	}
	rd, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("docx: template: %w", err)
	}
	prepare(rd, d.Title)
	var tables [][]byte

	if d.Title != "" {
		title(rd, d.Title)
	}
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case *document.Heading:
			heading(rd, b)
		case *document.Paragraph:
			paragraph(rd, b)
		case *document.Table:
			if err := table(rd, b, &tables); err != nil {
				return nil, err
			}
		case *document.PageBreak:
			p := rd.AddEmptyParagraph().GetCT()
			p.Property = bodyPPr(false)
			p.Children = append(p.Children, ctypes.ParagraphChild{Run: &ctypes.Run{
				Children: []ctypes.RunChild{{Break: ctypes.NewBreak(stypes.BreakTypePage)}},
			}})
		}
	}

	var buf bytes.Buffer
	if _, err := rd.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("docx: write: %w", err)
	}
	return finish(buf.Bytes(), tables)
}

// prepare sets page, styles, settings and footers, and drops template leftovers.
func prepare(rd *gdocx.RootDoc, title string) {
	// section: A4, margins, grid, odd footer (the even one is patched in by finish)
	rd.Document.Body.SectPr = &ctypes.SectionProp{
		FooterReference: &ctypes.FooterReference{Type: stypes.HdrFtrDefault, ID: ridOdd},
		PageSize:        &ctypes.PageSize{Width: ptr(uint64(PageWidth)), Height: ptr(uint64(PageHeight))},
		PageMargin: &ctypes.PageMargin{
			Top: ptr(MarginTop), Bottom: ptr(MarginBottom), Left: ptr(MarginLeft), Right: ptr(MarginRight),
			Header: ptr(MarginHeader), Footer: ptr(MarginFooter), Gutter: ptr(0),
		},
		DocGrid: &ctypes.DocGrid{Type: stypes.DocGridLinesAndChars, LinePitch: ptr(LinePitch), CharSpace: ptr(CharSpace)},
	}

	// styles: godocx's styles round trip loses attributes (w:line, border w:sz), so
	// the part is replaced whole by finish
	rd.FileMap.Store("word/fontTable.xml", []byte(fontTableXML))

	// footers and their relationships
	rd.FileMap.Store(partOdd, footerXML(stypes.JustificationRight))
	rd.FileMap.Store(partEven, footerXML(stypes.JustificationLeft))
	rd.Document.DocRels.Relationships = append(rd.Document.DocRels.Relationships,
		&gdocx.Relationship{ID: ridOdd, Type: relFooter, Target: "footer1.xml"},
		&gdocx.Relationship{ID: ridEven, Type: relFooter, Target: "footer2.xml"},
	)
	_ = rd.ContentType.AddOverride("/"+partOdd, ctFooter)
	_ = rd.ContentType.AddOverride("/"+partEven, ctFooter)

	rd.FileMap.Store("word/settings.xml", []byte(settingsXML))
	rd.FileMap.Store("docProps/core.xml", coreXML(title))

	// template leftovers: another document's thumbnail; Word 2010's duplicate styles
	rd.FileMap.Delete("docProps/thumbnail.jpeg")
	rd.FileMap.Delete("word/stylesWithEffects.xml")
	rd.RootRels.Relationships = dropRels(rd.RootRels.Relationships, "thumbnail")
	rd.Document.DocRels.Relationships = dropRels(rd.Document.DocRels.Relationships, "stylesWithEffects")
	var keep []gdocx.Override
	for _, o := range rd.ContentType.Override {
		if !strings.Contains(o.PartName, "stylesWithEffects") {
			keep = append(keep, o)
		}
	}
	rd.ContentType.Override = keep
}

func dropRels(rels []*gdocx.Relationship, typeSuffix string) []*gdocx.Relationship {
	var out []*gdocx.Relationship
	for _, r := range rels {
		if !strings.HasSuffix(r.Type, "/"+typeSuffix) {
			out = append(out, r)
		}
	}
	return out
}

func title(rd *gdocx.RootDoc, text string) {
	p := rd.AddEmptyParagraph().GetCT()
	p.Property = &ctypes.ParagraphProp{
		KeepNext:      &ctypes.OnOff{},
		SnapToGrid:    ctypes.OnOffFromBool(false),
		Spacing:       exact(LinePitch),
		Justification: ctypes.NewGenSingleStrVal(stypes.JustificationCenter),
		OutlineLvl:    ctypes.NewDecimalNum(0),
	}
	addText(p, text, runPr(FontTitle, sizeTitle, false, false))
	// one empty line between title and body
	blank := rd.AddEmptyParagraph().GetCT()
	blank.Property = bodyPPr(false)
}

func heading(rd *gdocx.RootDoc, h *document.Heading) {
	font, bold := FontBody, false
	switch h.Level {
	case 1:
		font = FontHei
	case 2:
		font = FontKai
	case 3:
		bold = true
	}
	p := rd.AddEmptyParagraph().GetCT()
	p.Property = bodyPPr(true)
	p.Property.KeepNext = &ctypes.OnOff{}
	p.Property.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationLeft)
	p.Property.OutlineLvl = ctypes.NewDecimalNum(h.Level) // the title is level 0
	addText(p, h.Text, runPr(font, sizeBody, bold, false))
}

func paragraph(rd *gdocx.RootDoc, para *document.Paragraph) {
	p := rd.AddEmptyParagraph().GetCT()
	p.Property = bodyPPr(true)
	if para.Marker != "" {
		addText(p, para.Marker, runPr(FontBody, sizeBody, false, false))
	}
	for _, r := range para.Runs {
		addText(p, r.Text, runPr(FontBody, sizeBody, r.Bold, r.Italic))
	}
}

// bodyPPr is the paragraph format of body text: exact line, first line indented two
// characters when indent is set.
func bodyPPr(indent bool) *ctypes.ParagraphProp {
	pp := &ctypes.ParagraphProp{SnapToGrid: ctypes.OnOffFromBool(false), Spacing: exact(LinePitch)}
	if indent {
		pp.Indent = &ctypes.Indent{FirstLineChars: ptr(200), FirstLine: ptr(uint64(2 * sizeBody * 10))}
	}
	return pp
}

func exact(line int) *ctypes.Spacing {
	return &ctypes.Spacing{
		Before: ptr(uint64(0)), After: ptr(uint64(0)),
		Line: ptr(line), LineRule: ptr(stypes.LineSpacingRuleExact),
	}
}

func fonts(name string) *ctypes.RunFonts {
	return &ctypes.RunFonts{Ascii: name, HAnsi: name, EastAsia: name, CS: name}
}

func runPr(font string, size uint64, bold, italic bool) *ctypes.RunProperty {
	rp := &ctypes.RunProperty{
		Fonts:  fonts(font),
		Size:   ctypes.NewFontSize(size),
		SizeCs: ctypes.NewFontSizeCS(size),
	}
	if size == sizeBody {
		rp.Spacing = ctypes.NewDecimalNum(CharSpacing)
	}
	if bold {
		rp.Bold, rp.BoldCS = &ctypes.OnOff{}, &ctypes.OnOff{}
	}
	if italic {
		rp.Italic, rp.ItalicCS = &ctypes.OnOff{}, &ctypes.OnOff{}
	}
	return rp
}

// addText appends a run; "\n" in text becomes a line break.
func addText(p *ctypes.Paragraph, text string, rp *ctypes.RunProperty) {
	if text == "" {
		return
	}
	r := &ctypes.Run{Property: rp}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			r.Children = append(r.Children, ctypes.RunChild{Break: &ctypes.Break{}})
		}
		if line != "" {
			r.Children = append(r.Children, ctypes.RunChild{Text: ctypes.TextFromString(sanitize(line))})
		}
	}
	p.Children = append(p.Children, ctypes.ParagraphChild{Run: r})
}

// sanitize drops characters XML 1.0 cannot carry (control characters from templates).
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF && r != unicode.ReplacementChar) {
			return r
		}
		if r == unicode.ReplacementChar {
			return r
		}
		return -1
	}, s)
}

// table adds t as a bordered table. godocx keeps a table's properties unexported and
// its parser drops attributes, so the table is built from godocx's ctypes, marshalled
// by them, kept in tables and put in place of a placeholder paragraph by finish.
func table(rd *gdocx.RootDoc, t *document.Table, tables *[][]byte) error {
	cols := len(t.Header)
	if cols == 0 {
		return nil
	}
	widths := columnWidths(t)
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
				Spacing:       exact(400),
				Justification: ctypes.NewGenSingleStrVal(stypes.JustificationCenter),
			}}
			font := FontBody
			if header {
				font = FontHei
			}
			addText(p, text, runPr(font, sizeTable, false, false))
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
	addRow(t.Header, true)
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

// columnWidths shares the text width among columns by the display width of their
// longest cell (a CJK character counts 2), at least 4 half-characters each.
func columnWidths(t *document.Table) []int {
	cols := len(t.Header)
	weights := make([]int, cols)
	total := 0
	for i := range cols {
		w := displayWidth(t.Header[i])
		for _, r := range t.Rows {
			if i < len(r) {
				w = max(w, displayWidth(r[i]))
			}
		}
		w = min(max(w, 4), 40) + 2
		weights[i] = w
		total += w
	}
	out := make([]int, cols)
	used := 0
	for i, w := range weights {
		out[i] = textWidth * w / total
		used += out[i]
	}
	out[cols-1] += textWidth - used
	return out
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

// finish patches what godocx cannot write: the tables, the even-page footer
// reference, a fixed root tag (godocx writes its namespace attributes in map order)
// and the styles part.
func finish(pkg []byte, tables [][]byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, fmt.Errorf("docx: reread: %w", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("docx: reread %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("docx: reread %s: %w", f.Name, err)
		}
		if f.Name == "word/document.xml" {
			if data, err = patchDocument(data, tables); err != nil {
				return nil, err
			}
		}
		if f.Name == "word/styles.xml" {
			data = []byte(stylesXML)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func patchDocument(data []byte, tables [][]byte) ([]byte, error) {
	for i, t := range tables {
		ph := []byte(fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="RendaTable%d"></w:pStyle></w:pPr></w:p>`, i))
		if bytes.Count(data, ph) != 1 {
			return nil, fmt.Errorf("docx: table %d: placeholder not found once in document.xml", i)
		}
		data = bytes.Replace(data, ph, t, 1)
	}
	i := bytes.Index(data, []byte("<w:document "))
	j := -1
	if i >= 0 {
		j = bytes.IndexByte(data[i:], '>')
	}
	if j < 0 {
		return nil, errors.New("docx: document.xml has no root element")
	}
	data = append(append(append([]byte{}, data[:i]...), docRootTag...), data[i+j+1:]...)

	odd := []byte(`r:id="` + ridOdd + `">`)
	k := bytes.Index(data, odd)
	if k < 0 {
		return nil, errors.New("docx: footer reference missing from document.xml")
	}
	end := bytes.Index(data[k:], []byte("</w:footerReference>"))
	if end < 0 {
		return nil, errors.New("docx: footer reference not closed in document.xml")
	}
	at := k + end + len("</w:footerReference>")
	even := []byte(`<w:footerReference w:type="even" r:id="` + ridEven + `"></w:footerReference>`)
	return append(append(append([]byte{}, data[:at]...), even...), data[at:]...), nil
}

// footerXML is a footer with "— PAGE —" in 4号宋体, one character in from the side.
func footerXML(jc stypes.Justification) []byte {
	ind := `w:right="280"`
	if jc == stypes.JustificationLeft {
		ind = `w:left="280"`
	}
	rpr := `<w:rPr><w:rFonts w:ascii="` + FontFooter + `" w:hAnsi="` + FontFooter + `" w:eastAsia="` + FontFooter + `" w:cs="` + FontFooter + `"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>`
	run := func(inner string) string { return `<w:r>` + rpr + inner + `</w:r>` }
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
		`<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>` +
		`<w:ind ` + ind + `/><w:jc w:val="` + string(jc) + `"/>` + rpr + `</w:pPr>` +
		run(`<w:t xml:space="preserve">— </w:t>`) +
		run(`<w:fldChar w:fldCharType="begin"/>`) +
		run(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		run(`<w:fldChar w:fldCharType="separate"/>`) +
		run(`<w:t>1</w:t>`) +
		run(`<w:fldChar w:fldCharType="end"/>`) +
		run(`<w:t xml:space="preserve"> —</w:t>`) +
		`</w:p></w:ftr>`)
}

// settingsXML: odd and even footers differ; Chinese theme language; punctuation
// compressed the way Chinese documents set it.
const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="420"/>` +
	`<w:evenAndOddHeaders/>` +
	`<w:drawingGridVerticalSpacing w:val="579"/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>` +
	`<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>` +
	`</w:settings>`

func coreXML(title string) []byte {
	var t bytes.Buffer
	_ = xml.EscapeText(&t, []byte(sanitize(title)))
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + t.String() + `</dc:title><dc:creator>renda</dc:creator><dc:language>zh-CN</dc:language>` +
		`</cp:coreProperties>`)
}

func ptr[T any](v T) *T { return &v }

// fontTableXML names the fonts with the GB2312 charset and a fallback Word uses when
// a font is missing (方正小标宋简体 is often not installed).
const fontTableXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="` + nsW + `">` +
	`<w:font w:name="` + FontBody + `"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + FontHei + `"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + FontKai + `"><w:altName w:val="KaiTi"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + FontFooter + `"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + FontTitle + `"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

// stylesXML: document defaults 3号仿宋 with exact 28.95 pt lines; "Table Grid" with
// ½ pt black borders; "footer".
const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="` + FontBody + `" w:hAnsi="` + FontBody + `" w:eastAsia="` + FontBody + `" w:cs="` + FontBody + `"/>` +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>` +
	`<w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/>` +
	`</w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	// the grid's character pitch is counted from Normal's size (LibreOffice reads it
	// only from the style, not from the defaults)
	`<w:pPr><w:widowControl w:val="0"/><w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>` +
	`<w:rPr><w:rFonts w:ascii="` + FontBody + `" w:hAnsi="` + FontBody + `" w:eastAsia="` + FontBody + `" w:cs="` + FontBody + `"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>` +
	`<w:tblPr><w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`</w:tblBorders></w:tblPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`</w:styles>`
