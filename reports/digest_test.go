package reports_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// MustDigest reads a DOCX's word/document.xml as a person reading the page
// would see its layout: one line a paragraph with its alignment, indents,
// font and size, then its text; a table as its column widths and font,
// then its rows. Golden files of it show what a template change does to
// the Word document, in a diff a reviewer can read.
func MustDigest(tb testing.TB, docx []byte) string {
	tb.Helper()
	dec := xml.NewDecoder(strings.NewReader(MustUnzip(tb, docx, "word/document.xml")))
	var out strings.Builder
	type para struct {
		jc, ind, font, size string
		bold                bool
		text                strings.Builder
		runSeen             bool
	}
	var p *para
	var grid []string
	var row []string
	cellFont := ""
	inTable, inRun, inText, inRPr := 0, false, false, false
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				inTable++
				grid = nil
			case "gridCol":
				grid = append(grid, attr(e, "w"))
			case "tr":
				row = nil
			case "p":
				p = &para{}
			case "jc":
				if p != nil && !inRun {
					p.jc = attr(e, "val")
				}
			case "ind":
				if p != nil && !inRun {
					var parts []string
					for _, k := range []string{"firstLineChars", "rightChars", "leftChars"} {
						if v := attr(e, k); v != "" && v != "0" {
							parts = append(parts, k+"="+v)
						}
					}
					p.ind = strings.Join(parts, ",")
				}
			case "r":
				inRun = true
			case "rPr":
				inRPr = true
			case "rFonts":
				if p != nil && inRun && inRPr && !p.runSeen {
					p.font = attr(e, "eastAsia")
				}
			case "b":
				if p != nil && inRun && inRPr && !p.runSeen {
					p.bold = true
				}
			case "sz":
				if p != nil && inRun && inRPr && !p.runSeen {
					p.size = attr(e, "val")
				}
			case "t":
				inText = true
			case "br":
				if p != nil && inRun {
					if attr(e, "type") == "page" {
						p.text.WriteString("[分页]")
					} else {
						p.text.WriteString("⏎")
					}
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "tbl":
				inTable--
				fmt.Fprintf(&out, "[表 正文 %s]\n", cellFont)
			case "tblGrid":
				fmt.Fprintf(&out, "[表 列宽 %s]\n", strings.Join(grid, " "))
			case "tr":
				out.WriteString("  | " + strings.Join(row, " | ") + " |\n")
			case "p":
				if p == nil {
					continue
				}
				if inTable > 0 {
					row = append(row, p.text.String())
					cellFont = p.font + " " + p.size
				} else {
					bold := ""
					if p.bold {
						bold = " 粗"
					}
					fmt.Fprintf(&out, "[%s %s %s %s%s] %s\n", p.jc, p.ind, p.font, p.size, bold, p.text.String())
				}
				p = nil
			case "r":
				inRun = false
				if p != nil && p.text.Len() > 0 {
					p.runSeen = true
				}
			case "rPr":
				inRPr = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText && p != nil {
				p.text.Write(bytes.Clone(e))
			}
		}
	}
	return out.String()
}
