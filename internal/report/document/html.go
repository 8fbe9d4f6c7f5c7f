package document

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Stylesheet is the CSS embedded in every page HTML renders: GB/T 9704 layout in
// print (A4, margins 37/26/35/28 mm, title 22pt 小标宋, body 16pt 仿宋 at 22 lines a
// page, headings 黑体/楷体/仿宋, page numbers "— 1 —") and a centred A4-wide sheet on
// screen. Fonts are named, never downloaded: the product runs on closed networks.
const Stylesheet = `@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "SimSun", "宋体", "Songti SC", serif; font-size: 14pt; }
}
:root {
  --fangsong: "FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", serif;
  --xiaobiaosong: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "SimSun", serif;
  --heiti: "SimHei", "黑体", "Heiti SC", sans-serif;
  --kaiti: "KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "STKaiti", serif;
}
html { background: #e8e8e8; }
body {
  box-sizing: border-box;
  width: 210mm;
  min-height: 297mm;
  margin: 1em auto;
  padding: 37mm 26mm 35mm 28mm;
  background: #fff;
  box-shadow: 0 0 6px rgba(0, 0, 0, .3);
  color: #000;
  font-family: var(--fangsong);
  font-size: 16pt;
  line-height: 28.95pt; /* 225 mm of text height / 22 lines */
  text-align: justify;
}
h1 {
  margin: 0 0 28.95pt;
  font-family: var(--xiaobiaosong);
  font-size: 22pt;
  font-weight: normal;
  line-height: 1.5;
  text-align: center;
}
h2, h3, h4, h5, h6 {
  margin: 0;
  font-size: 16pt;
  font-weight: normal;
  line-height: 28.95pt;
  text-indent: 2em;
  break-after: avoid;
}
h2 { font-family: var(--heiti); }
h3 { font-family: var(--kaiti); }
h4, h5, h6 { font-family: var(--fangsong); }
h4 { font-weight: bold; }
p { margin: 0; text-indent: 2em; }
ul, ol { margin: 0; padding-left: 2em; }
li > p { text-indent: 0; }
blockquote { margin: 0 2em; }
strong { font-weight: bold; }
table {
  width: 100%;
  margin: 0.5em 0;
  border-collapse: collapse;
  font-size: 12pt;
  line-height: 1.5;
  text-indent: 0;
  break-inside: auto;
}
th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: center; vertical-align: middle; }
th { font-family: var(--heiti); font-weight: normal; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
hr { border: 0; border-top: 1px dashed #aaa; margin: 1em 0; }
/* 落款 (GB/T 9704 7.3.5): one blank line under the body, two characters in
   from the right; the date starts two characters right of the issuer, or
   ends two characters in when it is the longer. */
p.signature { width: fit-content; margin: 28.95pt 2em 0 auto; padding-left: 2em; text-indent: -2em; text-align: left; }
p.left { text-indent: 0; }
p.center { text-indent: 0; text-align: center; }
/* 报头 of a 简报: the name large and red, then issue, editor and date, over a red rule. */
p.masthead { text-indent: 0; text-align: center; color: #c00; border-bottom: 2pt solid #c00; padding-bottom: 6pt; margin-bottom: 12pt; }
p.masthead::first-line { font-family: var(--xiaobiaosong); font-size: 36pt; line-height: 1.6; letter-spacing: 0.2em; }
@media print {
  html { background: none; }
  body { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  hr { break-after: page; border: 0; margin: 0; }
}
`

// HTML renders Markdown as a complete standalone HTML5 page with the GB/T 9704
// stylesheet embedded. It reads the Markdown as Parse does (tables and
// strikethrough; no bare URLs made links): raw HTML is omitted, dangerous link
// URLs are dropped (goldmark's safe default) and images are shown as their
// alt text, as in DOCX: templates are untrusted, and the page loads nothing.
func HTML(md []byte) ([]byte, error) {
	d, err := Parse(md)
	if err != nil {
		return nil, err
	}
	gm := goldmark.New(goldmark.WithExtensions(
		extension.Table, extension.Strikethrough,
		extension.NewCJK(extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksCSS3Draft)),
	), goldmark.WithParserOptions(gparser.WithASTTransformers(util.Prioritized(roles{}, 100), util.Prioritized(noImages{}, 200))))
	var body bytes.Buffer
	if err := gm.Convert(md, &body); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
	out.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	// a title set on two lines is one name
	out.WriteString("<title>" + html.EscapeString(strings.ReplaceAll(d.Title, "\n", "")) + "</title>\n")
	out.WriteString("<style>\n" + Stylesheet + "</style>\n</head>\n<body>\n")
	out.Write(body.Bytes())
	out.WriteString("</body>\n</html>\n")
	return out.Bytes(), nil
}

// roles turns the fenced paragraphs ("::: signature" … ":::") into
// paragraphs of that class whose lines break where they were written.
type roles struct{}

func (roles) Transform(doc *ast.Document, reader text.Reader, _ gparser.Context) {
	src := reader.Source()
	var found []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			if _, _, ok := fenced(p, src); ok {
				found = append(found, p)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range found {
		role, _, _ := fenced(p, src)
		p.RemoveChildren(p)
		segs := p.Lines()
		var last *ast.Text
		for i := 1; i < segs.Len()-1; i++ {
			seg := segs.At(i)
			seg = seg.TrimLeftSpace(src)
			seg = seg.TrimRightSpace(src)
			if seg.Len() == 0 {
				continue
			}
			if last != nil {
				last.SetHardLineBreak(true)
			}
			if _, bold := boldLine(string(seg.Value(src))); bold {
				last = ast.NewTextSegment(text.NewSegment(seg.Start+2, seg.Stop-2))
				em := ast.NewEmphasis(2)
				em.AppendChild(em, last)
				p.AppendChild(p, em)
				// the break after a bold line goes after the emphasis
				brk := ast.NewTextSegment(text.NewSegment(seg.Stop, seg.Stop))
				p.AppendChild(p, brk)
				last = brk
				continue
			}
			last = ast.NewTextSegment(seg)
			p.AppendChild(p, last)
		}
		p.SetAttributeString("class", []byte(role))
	}
}

// noImages replaces every image by its alt text.
type noImages struct{}

func (noImages) Transform(doc *ast.Document, _ text.Reader, _ gparser.Context) {
	var found []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			found = append(found, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range found {
		parent := img.Parent()
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}
