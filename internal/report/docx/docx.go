// Package docx writes a document.Doc as a Word .docx in the layout of GB/T 9704-2012
// (党政机关公文格式):
//
//   - A4 (11906×16838 twips); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
//   - 22 lines of 28 characters: a line grid (linePitch 579, exact line spacing of
//     579 twips ≈ 28.95 pt) and body characters 0.4 pt closer (CharSpacing); a
//     punctuation mark after a full line's 28th character hangs in the margin;
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
	CharSpacing  = -8   // twentieths of a point between 16 pt characters: 28 × 15.6 pt in 156 mm (at -5 LibreOffice sets 27)
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
	lays := layouts(d)

	if d.Title != "" {
		title(rd, d.Title)
	}
	for i, b := range d.Blocks {
		switch b := b.(type) {
		case *document.Heading:
			if b.Level == 0 {
				title(rd, b.Text) // a document that starts on this page
			} else {
				heading(rd, b)
			}
		case *document.Paragraph:
			if i > 0 && (b.Role == document.RoleLeft || b.Role == document.RoleCenter) && !isTitle(d.Blocks[i-1]) {
				// set apart from what comes before (a masthead from its headline, a distribution from the body)
				blank := rd.AddEmptyParagraph().GetCT()
				blank.Property = bodyPPr(false)
			}
			paragraph(rd, b, i+1 < len(d.Blocks) && isSignature(d.Blocks[i+1]))
		case *document.Table:
			if err := table(rd, b, lays[headerKey(b.Header)], &tables); err != nil {
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
		// a grid of lines only: the 28 characters come from CharSpacing, since
		// LibreOffice, given a character grid as well, drops the punctuation a
		// full line hangs past the margin (a 、 after the 28th character)
		DocGrid: &ctypes.DocGrid{Type: stypes.DocGridLines, LinePitch: ptr(LinePitch)},
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

// isTitle says whether b is the title of a document starting on a new page
// (which, like the first title, is followed by an empty line).
func isTitle(b document.Block) bool {
	h, ok := b.(*document.Heading)
	return ok && h.Level == 0
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

// isSignature says whether b is a 落款.
func isSignature(b document.Block) bool {
	p, ok := b.(*document.Paragraph)
	return ok && p.Role == document.RoleSignature
}

// paragraph writes para; keep holds its last line on the page of what follows
// (the body's last paragraph with the 落款, which is never left alone on a page).
func paragraph(rd *gdocx.RootDoc, para *document.Paragraph, keep bool) {
	switch para.Role {
	case document.RoleSignature:
		signature(rd, strings.Split(para.Text(), "\n"))
		return
	case document.RoleMasthead:
		masthead(rd, lines(para.Runs))
		return
	case document.RoleLeft, document.RoleCenter:
		lines := lines(para.Runs)
		for i, line := range lines {
			p := rd.AddEmptyParagraph().GetCT()
			p.Property = bodyPPr(false)
			if para.Role == document.RoleCenter {
				p.Property.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationCenter)
			} else {
				p.Property.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationLeft)
			}
			if i < len(lines)-1 || keep {
				p.Property.KeepNext = &ctypes.OnOff{} // a block's lines stay on one page
			}
			addText(p, line.Text, runPr(FontBody, sizeBody, line.Bold, false))
		}
		return
	}
	p := rd.AddEmptyParagraph().GetCT()
	p.Property = bodyPPr(true)
	if keep {
		p.Property.KeepNext = &ctypes.OnOff{}
	}
	if para.Marker != "" {
		// GB/T 9704 7.3.3 numbers the third level "1．", the full-width
		// stop: "1.9月11日" would read as 1.9.
		addText(p, strings.Replace(para.Marker, ".", "．", 1), runPr(FontBody, sizeBody, false, false))
	}
	for _, r := range para.Runs {
		addText(p, r.Text, runPr(FontBody, sizeBody, r.Bold, r.Italic))
	}
}

// red is the 报头's red (GB/T 9704 uses red for the 版头 and its rule).
const red = "C00000"

// sizeMasthead is the 简报's name in the 报头: 小初, 36 pt.
const sizeMasthead = 72

// masthead writes a 简报's 报头: the first line (the brief's name) centred
// in the title face, large and red; the rest (issue, editor, date)
// centred in the body face; a red rule under the last.
func masthead(rd *gdocx.RootDoc, ls []document.Run) {
	for i, line := range ls {
		p := rd.AddEmptyParagraph().GetCT()
		p.Property = bodyPPr(false)
		p.Property.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationCenter)
		p.Property.KeepNext = &ctypes.OnOff{}
		rp := runPr(FontBody, sizeBody, line.Bold, false)
		if i == 0 {
			rp = runPr(FontTitle, sizeMasthead, false, false)
			rp.Color = &ctypes.Color{Val: red}
		}
		if i == len(ls)-1 {
			space, color := "6", red
			p.Property.Border = &ctypes.ParaBorder{Bottom: &ctypes.Border{Val: stypes.BorderStyleThick, Color: &color, Space: &space}}
		}
		addText(p, line.Text, rp)
	}
}

// lines splits runs at their line breaks: one run a line.
func lines(runs []document.Run) []document.Run {
	out := []document.Run{{}}
	for _, r := range runs {
		for i, part := range strings.Split(r.Text, "\n") {
			if i > 0 {
				out = append(out, document.Run{})
			}
			k := len(out) - 1
			out[k].Text += part
			out[k].Bold = out[k].Bold || (r.Bold && part != "")
		}
	}
	return out
}

// signature writes the 落款 as GB/T 9704-2012 7.3.5.2 places it without a
// seal: one blank line under the body, the issuing body two characters in
// from the right, the date (the last line) on the next line starting two
// characters right of the issuer's first character; when the date is the
// longer, it is the date that stands two characters in and the issuer
// moves left so the date still starts two characters right of it.
func signature(rd *gdocx.RootDoc, lines []string) {
	if len(lines) == 0 {
		return
	}
	issuers, date := lines[:len(lines)-1], lines[len(lines)-1]
	issuer := 0.0
	for _, l := range issuers {
		issuer = max(issuer, charWidth(l))
	}
	dateW := charWidth(date)
	issuerRight, dateRight := 2.0, 2.0
	if len(issuers) > 0 {
		if dateW+2 <= issuer {
			dateRight = issuer - dateW
		} else {
			issuerRight = dateW + 4 - issuer
		}
	}
	blank := rd.AddEmptyParagraph().GetCT()
	blank.Property = bodyPPr(false)
	blank.Property.KeepNext = &ctypes.OnOff{}
	line := func(text string, right float64, keep bool) {
		p := rd.AddEmptyParagraph().GetCT()
		p.Property = bodyPPr(false)
		p.Property.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationRight)
		p.Property.Indent = &ctypes.Indent{Right: ptr(int(right * charTwips)), RightChars: ptr(int(right * 100))}
		if keep {
			p.Property.KeepNext = &ctypes.OnOff{}
		}
		addText(p, text, runPr(FontBody, sizeBody, false, false))
	}
	for _, l := range issuers {
		line(l, issuerRight, true)
	}
	line(date, dateRight, false)
}

// charTwips is one character of body text on the grid: 28 in the text width.
const charTwips = float64(textWidth) / 28

// charWidth is the width of body text in characters: Chinese characters
// and full-width forms count one, digits and Latin letters half.
func charWidth(s string) float64 {
	return float64(displayWidth(s)) / 2
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

func ptr[T any](v T) *T { return &v }
