package document

import "strings"

// Escape writes text so that Markdown shows it as it is: a backslash goes
// before every character that could make it markup — ` * _ [ ] < > | ~ &
// and the backslash itself anywhere; ! before [; and at the start of a line
// (after any spaces) # : = - + and the . or ) of "1." — so that no record
// text becomes a heading, list, table, fence, link, image, code, emphasis
// or HTML, and nothing of it vanishes. Every such escape is a backslash
// before ASCII punctuation, which CommonMark shows as the character alone
// anywhere in a line: the text reads the same wherever a template prints
// it. Unescape undoes it exactly.
func Escape(text string) string {
	if !needsEscape(text) {
		return text
	}
	return escape(text)
}

// escape is Escape without the look that finds most text has nothing to
// escape.
func escape(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 8)
	lineStart := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		if lineStart {
			switch c {
			case ' ', '\t':
				b.WriteByte(c)
				continue
			case '#', ':', '=', '-', '+':
				b.WriteByte('\\')
			case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if j := listMarker(text, i); j > 0 {
					b.WriteString(text[i:j])
					b.WriteByte('\\')
					b.WriteByte(text[j])
					i = j
					lineStart = false
					continue
				}
			}
			lineStart = false
		}
		switch c {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
		case '_':
			if !intraword(text, i) {
				b.WriteByte('\\')
			}
		case '!':
			if i+1 < len(text) && text[i+1] == '[' {
				b.WriteByte('\\')
			}
		case '\n', '\r':
			lineStart = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// intraword reports an underscore in a run of them between ASCII letters
// or digits (GROUP_DAY, snake_case): CommonMark never reads such a run as
// emphasis, and enum values and ids keep their underscores as they are, so
// templates compare them as before.
func intraword(text string, i int) bool {
	j, k := i, i
	for j > 0 && text[j-1] == '_' {
		j--
	}
	for k < len(text) && text[k] == '_' {
		k++
	}
	return j > 0 && k < len(text) && isASCIIAlnum(text[j-1]) && isASCIIAlnum(text[k])
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Byte classes for needsEscape.
const (
	escPlain   = iota
	escSpecial // escaped anywhere: \ ` * [ ] < > | ~ &
	escUnder   // _, escaped unless inside a word
	escNewline // \n or \r: the next byte starts a line
)

var escapeClass = func() (t [256]uint8) {
	for _, c := range []byte("\\`*[]<>|~&") {
		t[c] = escSpecial
	}
	t['_'] = escUnder
	t['\n'], t['\r'] = escNewline, escNewline
	return t
}()

// needsEscape reports whether Escape would change text, in one pass that
// allocates nothing (most record text has nothing to escape).
func needsEscape(text string) bool {
	lineStart := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		if lineStart {
			switch {
			case c == ' ' || c == '\t':
				continue
			case c == '#' || c == ':' || c == '=' || c == '-' || c == '+':
				return true
			case c >= '0' && c <= '9' && listMarker(text, i) > 0:
				return true
			}
			lineStart = false
		}
		switch escapeClass[c] {
		case escSpecial:
			return true
		case escUnder:
			if !intraword(text, i) {
				return true
			}
		case escNewline:
			lineStart = true
		}
	}
	return false
}

// listMarker is the index of the . or ) after the digits at text[i:] when
// they are an ordered list's marker ("1. ", "2)" at the end), else -1.
func listMarker(text string, i int) int {
	j := i
	for j < len(text) && j-i < 10 && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j == i || j >= len(text) || (text[j] != '.' && text[j] != ')') {
		return -1
	}
	if j+1 < len(text) && strings.IndexByte(" \t\r\n", text[j+1]) < 0 {
		return -1
	}
	return j
}

// Unescape removes the backslash before every ASCII punctuation character,
// as CommonMark reads text: Unescape(Escape(s)) == s for every s.
func Unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
