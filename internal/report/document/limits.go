package document

import (
	"bytes"
	"fmt"
)

// Limits on the Markdown a document is made from. They are checked by a
// scan of the bytes before goldmark builds its tree, so the worst accepted
// input converts to HTML, DOCX or XLSX in about a second and a few hundred
// MB (TestLimits measures it): a report is a document a clerk reads, not a
// data dump, and lists too long for one belong in an export.
const (
	MaxLines   = 50_000  // lines of Markdown
	MaxCells   = 30_000  // table cells, header included
	MaxMarkers = 100_000 // inline markers: * _ ` ~ [ ] (emphasis, code, links)
	MaxNesting = 16      // blockquote and list levels at the start of a line
)

// LimitError is Markdown over one of the limits.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return "document: " + e.Msg }

// Check scans md for the limits without parsing it.
func Check(md []byte) error {
	lines, cells, markers := 0, 0, 0
	for len(md) > 0 {
		line := md
		if i := bytes.IndexByte(md, '\n'); i >= 0 {
			line, md = md[:i], md[i+1:]
		} else {
			md = nil
		}
		lines++
		if lines > MaxLines {
			return &LimitError{fmt.Sprintf("more than %d lines", MaxLines)}
		}
		trimmed := bytes.TrimLeft(line, " \t")
		if depth := nesting(line); depth > MaxNesting {
			return &LimitError{fmt.Sprintf("line %d nests quotes or lists %d levels deep; at most %d", lines, depth, MaxNesting)}
		}
		if len(trimmed) > 0 && trimmed[0] == '|' && !delimiterRow(trimmed) {
			cells += bytes.Count(trimmed, []byte{'|'}) - 1
			if cells > MaxCells {
				return &LimitError{fmt.Sprintf("tables hold more than %d cells", MaxCells)}
			}
		}
		for _, c := range line {
			switch c {
			case '*', '_', '`', '~', '[', ']':
				markers++
			}
		}
		if markers > MaxMarkers {
			return &LimitError{fmt.Sprintf("more than %d emphasis, code or link markers", MaxMarkers)}
		}
	}
	return nil
}

// nesting counts the blockquote markers and list indentation a line opens
// with: "> > - x" is 3, four spaces of indent count one level.
func nesting(line []byte) int {
	depth, spaces := 0, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '>':
			depth++
			spaces = 0
		case c == ' ':
			spaces++
			if spaces == 4 {
				depth++
				spaces = 0
			}
		case c == '\t':
			depth++
			spaces = 0
		case (c == '-' || c == '+' || c == '*') && i+1 < len(line) && line[i+1] == ' ':
			depth++
			spaces = 0
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && line[j+1] == ' ' {
				depth++
				spaces = 0
				i = j + 1
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// delimiterRow reports a table's |---|:---:| line, which holds no cells.
func delimiterRow(line []byte) bool {
	for _, c := range line {
		switch c {
		case '|', '-', ':', ' ', '\t':
		default:
			return false
		}
	}
	return true
}
