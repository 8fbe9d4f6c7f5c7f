package records

import "strings"

// Text written to a spreadsheet cell must never run as a formula. Excel,
// WPS, LibreOffice and Google Sheets read a CSV cell that starts with =,
// +, -, @, a tab or a carriage return as a formula
// (=HYPERLINK("http://x","点此") becomes a link); a leading apostrophe is
// the spreadsheet users' own way of saying "this is text". Exports add
// one (NeutraliseCSV, NeutraliseXLSX) and the roster import takes exactly
// that one away again (UnneutraliseCell), so an exported roster imports
// back unchanged.

// formulaStart reports text that begins as a formula would.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// quoted reports text that is one or more apostrophes before a formula
// start: what the import reads as neutralised.
func quoted(s string) bool {
	rest := strings.TrimLeft(s, "'")
	return len(rest) < len(s) && formulaStart(rest)
}

// NeutraliseCSV is text as a CSV cell holds it: with an apostrophe
// before it when it starts as a formula, or when it already starts with
// apostrophes before one (so the import, taking one away, gives it back as
// it was). Numbers are not text: write them as they are.
func NeutraliseCSV(s string) string {
	if formulaStart(s) || quoted(s) {
		return "'" + s
	}
	return s
}

// NeutraliseXLSX is text as an XLSX string cell holds it. A string cell is
// never a formula (a formula is a cell's <f> element, which exports never
// write), and its text format (@) keeps it text when a clerk edits it, so
// =HYPERLINK(…) is written as it is: an apostrophe would be part of the
// cell's value, shown to every reader and read by every program. Only text
// that already starts with apostrophes before a formula start gets one
// more, for the import to take away.
func NeutraliseXLSX(s string) string {
	if quoted(s) {
		return "'" + s
	}
	return s
}

// UnneutraliseCell undoes NeutraliseCSV and NeutraliseXLSX: a cell's text
// that is an apostrophe, possibly more of them, then =, +, -, @, a tab or
// a carriage return loses its first apostrophe. Any other text is left as
// it is.
func UnneutraliseCell(s string) string {
	if quoted(s) {
		return s[1:]
	}
	return s
}
