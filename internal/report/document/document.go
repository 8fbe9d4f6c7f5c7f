// Package document turns the Markdown that report templates render into a small
// document model (for the DOCX and XLSX writers) and into a standalone HTML page.
//
// Markdown conventions for report templates:
//
//   - the first "# …" heading is the document title (Doc.Title); it is not a block;
//     a title of two lines is a setext heading whose first line ends in a backslash
//     (a hard break), so that it breaks where the words allow, not where the line
//     runs out;
//   - a further "# …" heading right after a page break ("---") is the title of
//     the document that starts on that page (a Heading of level 0: the 日程 after
//     the 议程, each 决议 of a session), set as the first title is;
//   - "## 一、…" is a level-1 heading (黑体 in GB/T 9704), "### （一）…" level 2 (楷体),
//     "#### 1. …" level 3 and "##### （1）…" level 4 (仿宋); "######" counts as level 4,
//     and any other further "# …" heading as level 1;
//   - paragraphs may use **bold** and *italic*; lists are flattened to paragraphs
//     whose Marker is "1." (ordered) or "·" (unordered);
//   - GFM tables (header row + body rows) become Table blocks of plain-text cells;
//   - "---" (a thematic break) is a page break in DOCX and in print;
//   - a paragraph fenced by "::: signature" and ":::" lines is the 落款: the
//     issuing body, then the date, one a line, placed as GB/T 9704 7.3.5
//     sets them (right, under the body); fenced by "::: left", its lines are
//     set flush left without indent (主送机关 "各村、各站所：", a salutation
//     "各位代表：", a brief's distribution); by "::: center", centred (a
//     subtitle, a brief's issue number); by "::: masthead", the 报头 of a
//     简报: its first line the brief's name, large and red, the others
//     (issue, who edits it, date) centred above a red rule.
//
// Raw HTML in the Markdown is dropped: templates are untrusted input. Text is
// read as CommonMark reads it: a backslash before ASCII punctuation (\*, \|,
// \<, as Escape writes record text) shows the character alone.
package document

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Doc is a parsed report: its title and its body blocks in order.
type Doc struct {
	Title  string
	Blocks []Block
}

// Block is one of *Heading, *Paragraph, *Table, *PageBreak.
type Block interface{ block() }

// Heading is a section heading. Level 1 is "##" (一、), 2 is "###" ((一)),
// 3 is "####" (1.), 4 is "#####" ((1)). Level 0 is the title of a document
// that starts on a new page: a "# …" right after a page break.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is a run of text. Marker is set for list items ("1.", "2.", … or "·").
// Role is "" for body text, or RoleSignature, RoleLeft or RoleCenter.
type Paragraph struct {
	Marker string
	Runs   []Run
	Role   string
}

// Roles of paragraphs written as fenced blocks ("::: signature" … ":::").
const (
	// RoleSignature is the 落款: its lines (issuing body, date) are right
	// aligned under the body as GB/T 9704 places them.
	RoleSignature = "signature"
	// RoleLeft lines are flush left without indent: 主送机关, a salutation.
	RoleLeft = "left"
	// RoleCenter lines are centred: a subtitle, an issue number.
	RoleCenter = "center"
	// RoleMasthead is a 简报's 报头: the name of the brief in large red
	// type, then its issue, editor and date, over a red rule.
	RoleMasthead = "masthead"
)

// Run is text with one formatting. Text may contain "\n" for a hard line break.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
}

// Table is a GFM table: a header row and body rows of plain-text cells.
// Every row has len(Header) cells. Align has one entry a column, from the
// delimiter row: "left" (:---), "center" (:---:), "right" (---:) or "" (---);
// a right-aligned column is a column of numbers (XLSX stores them as such).
type Table struct {
	Header []string
	Rows   [][]string
	Align  []string
}

// PageBreak comes from a thematic break ("---").
type PageBreak struct{}

func (*Heading) block()   {}
func (*Paragraph) block() {}
func (*Table) block()     {}
func (*PageBreak) block() {}

// Text returns the paragraph's text without formatting (and without the marker).
func (p *Paragraph) Text() string {
	var b strings.Builder
	for _, r := range p.Runs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// Tables returns the tables of the document in order, each with the text of the
// nearest heading before it ("" if none).
func (d *Doc) Tables() []TitledTable {
	var out []TitledTable
	heading := ""
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case *Heading:
			heading = b.Text
		case *Table:
			out = append(out, TitledTable{Heading: heading, Table: b})
		}
	}
	return out
}

// TitledTable is a table with the heading it stands under.
type TitledTable struct {
	Heading string
	Table   *Table
}

// ErrEmpty is returned by Parse for Markdown with neither title nor blocks.
var ErrEmpty = errors.New("document: empty Markdown")

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	)
}

// Parse turns Markdown into a Doc. Markdown over the limits (see Check) is
// refused with a *LimitError before it is parsed.
func Parse(md []byte) (*Doc, error) {
	if err := Check(md); err != nil {
		return nil, err
	}
	root := newMarkdown().Parser().Parse(text.NewReader(md))
	p := &parser{src: md, doc: &Doc{}}
	if err := p.blocks(root); err != nil {
		return nil, err
	}
	if p.doc.Title == "" && len(p.doc.Blocks) == 0 {
		return nil, ErrEmpty
	}
	return p.doc, nil
}

type parser struct {
	src      []byte
	doc      *Doc
	titleSet bool
}

func (p *parser) add(b Block) { p.doc.Blocks = append(p.doc.Blocks, b) }

// afterBreak says whether the last block is a page break.
func (p *parser) afterBreak() bool {
	if n := len(p.doc.Blocks); n > 0 {
		_, ok := p.doc.Blocks[n-1].(*PageBreak)
		return ok
	}
	return false
}

func (p *parser) blocks(parent ast.Node) error {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if err := p.block(n); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) block(n ast.Node) error {
	switch n := n.(type) {
	case *ast.Heading:
		t := plain(inlineRuns(n, p.src))
		if n.Level == 1 && !p.titleSet {
			p.doc.Title = t
			p.titleSet = true
			return nil
		}
		if n.Level == 1 && p.afterBreak() {
			p.add(&Heading{Level: 0, Text: t})
			return nil
		}
		level := max(n.Level-1, 1)
		level = min(level, 4)
		p.add(&Heading{Level: level, Text: t})
	case *ast.Paragraph, *ast.TextBlock:
		if role, lines, ok := fenced(n, p.src); ok {
			if len(lines) > 0 {
				p.add(&Paragraph{Role: role, Runs: lineRuns(lines)})
			}
			return nil
		}
		if runs := inlineRuns(n, p.src); len(runs) > 0 {
			p.add(&Paragraph{Runs: runs})
		}
	case *ast.List:
		return p.list(n)
	case *ast.Blockquote:
		return p.blocks(n)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(p.src))
		}
		if s := strings.TrimRight(b.String(), "\n"); s != "" {
			p.add(&Paragraph{Runs: []Run{{Text: s}}})
		}
	case *ast.ThematicBreak:
		p.add(&PageBreak{})
	case *east.Table:
		p.add(p.table(n))
	case *ast.HTMLBlock:
		// untrusted raw HTML: dropped
	default:
		if n.HasChildren() {
			return p.blocks(n)
		}
	}
	return nil
}

// fenced reads a paragraph written as "::: ROLE", its lines, ":::" (no blank
// line inside): the role and the lines, trimmed, empty ones dropped.
func fenced(n ast.Node, src []byte) (role string, lines []string, ok bool) {
	segs := n.Lines()
	if segs.Len() < 2 {
		return "", nil, false
	}
	line := func(i int) string {
		seg := segs.At(i)
		return strings.TrimSpace(string(seg.Value(src)))
	}
	head, found := strings.CutPrefix(line(0), ":::")
	role = strings.TrimSpace(head)
	if !found || line(segs.Len()-1) != ":::" || (role != RoleSignature && role != RoleLeft && role != RoleCenter && role != RoleMasthead) {
		return "", nil, false
	}
	for i := 1; i < segs.Len()-1; i++ {
		if l := line(i); l != "" {
			lines = append(lines, l)
		}
	}
	return role, lines, true
}

// lineRuns makes the runs of a fenced block's lines, "\n" between them; a
// line written as **text** is bold.
func lineRuns(lines []string) []Run {
	var runs []Run
	for i, l := range lines {
		text, bold := boldLine(l)
		text = Unescape(text) // the lines are source: \* is *
		if i > 0 {
			text = "\n" + text
		}
		if k := len(runs) - 1; k >= 0 && runs[k].Bold == bold {
			runs[k].Text += text
			continue
		}
		runs = append(runs, Run{Text: text, Bold: bold})
	}
	return runs
}

// boldLine reads a line written as **text**: the text and true.
func boldLine(l string) (string, bool) {
	if len(l) > 4 && strings.HasPrefix(l, "**") && strings.HasSuffix(l, "**") {
		return l[2 : len(l)-2], true
	}
	return l, false
}

func (p *parser) list(l *ast.List) error {
	num := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "·"
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + "."
			num++
		}
		first := true
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				runs := inlineRuns(c, p.src)
				if len(runs) == 0 {
					continue
				}
				para := &Paragraph{Runs: runs}
				if first {
					para.Marker = marker
					first = false
				}
				p.add(para)
			default:
				if err := p.block(c); err != nil {
					return err
				}
			}
		}
		if first { // empty item
			p.add(&Paragraph{Marker: marker})
		}
	}
	return nil
}

func (p *parser) table(t *east.Table) *Table {
	out := &Table{}
	for _, a := range t.Alignments {
		switch a {
		case east.AlignLeft:
			out.Align = append(out.Align, "left")
		case east.AlignCenter:
			out.Align = append(out.Align, "center")
		case east.AlignRight:
			out.Align = append(out.Align, "right")
		default:
			out.Align = append(out.Align, "")
		}
	}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(plain(inlineRuns(c, p.src))))
		}
		if _, ok := r.(*east.TableHeader); ok {
			out.Header = cells
			continue
		}
		for len(cells) < len(out.Header) {
			cells = append(cells, "")
		}
		out.Rows = append(out.Rows, cells[:len(out.Header)])
	}
	for len(out.Align) < len(out.Header) {
		out.Align = append(out.Align, "")
	}
	out.Align = out.Align[:len(out.Header)]
	return out
}

func plain(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.Text)
	}
	return strings.TrimSpace(b.String())
}

// inlineRuns flattens the inline children of n into runs, merging neighbours
// with the same formatting.
func inlineRuns(n ast.Node, src []byte) []Run {
	var runs []Run
	var texts []*strings.Builder // each run's text: a paragraph of many lines is many emits, and += would copy it for each
	emit := func(s string, bold, italic bool) {
		if s == "" {
			return
		}
		if k := len(runs) - 1; k >= 0 && runs[k].Bold == bold && runs[k].Italic == italic {
			texts[k].WriteString(s)
			return
		}
		runs = append(runs, Run{Bold: bold, Italic: italic})
		texts = append(texts, &strings.Builder{})
		texts[len(texts)-1].WriteString(s)
	}
	var walk func(n ast.Node, bold, italic, code bool)
	walk = func(n ast.Node, bold, italic, code bool) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				// Text keeps the source's backslash escapes (\* for *);
				// code shows them as written.
				if code {
					emit(string(c.Value(src)), bold, italic)
				} else {
					emit(Unescape(string(c.Value(src))), bold, italic)
				}
				switch {
				case c.HardLineBreak():
					emit("\n", bold, italic)
				case c.SoftLineBreak():
					if softBreakSpace(c, src) {
						emit(" ", bold, italic)
					}
				}
			case *ast.String:
				emit(string(c.Value), bold, italic)
			case *ast.CodeSpan:
				walk(c, bold, italic, true)
			case *ast.Emphasis:
				if c.Level >= 2 {
					walk(c, true, italic, code)
				} else {
					walk(c, bold, true, code)
				}
			case *ast.AutoLink:
				emit(string(c.Label(src)), bold, italic)
			case *ast.RawHTML:
				// untrusted raw HTML: dropped
			default: // links, images (alt text), strikethrough, …
				walk(c, bold, italic, code)
			}
		}
	}
	walk(n, false, false, false)
	for i := range runs {
		runs[i].Text = texts[i].String()
	}
	// trim trailing line breaks and spaces
	for len(runs) > 0 {
		k := len(runs) - 1
		runs[k].Text = strings.TrimRight(runs[k].Text, " \n")
		if runs[k].Text != "" {
			break
		}
		runs = runs[:k]
	}
	return runs
}

// softBreakSpace says whether a soft line break after t becomes a space: not next
// to an East Asian wide character (as goldmark's CSS3 draft style in HTML).
func softBreakSpace(t *ast.Text, src []byte) bool {
	before, _ := utf8.DecodeLastRune(t.Value(src))
	next := t.NextSibling()
	if next == nil {
		return false
	}
	var after rune
	if nt, ok := next.(*ast.Text); ok {
		after, _ = utf8.DecodeRune(nt.Value(src))
	} else {
		// look at the source right after the break
		rest := bytes.TrimLeft(src[t.Segment.Stop:], " \t\r\n")
		after, _ = utf8.DecodeRune(rest)
	}
	return !isWide(before) && !isWide(after)
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK punctuation
		(r >= 0xFF00 && r <= 0xFFEF) || // full-width forms
		(r >= 0x2014 && r <= 0x201F) || r == 0x2026 // —, quotes, …
}
