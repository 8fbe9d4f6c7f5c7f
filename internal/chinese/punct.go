package chinese

import (
	"strings"
	"unicode"
)

// fullWidth maps the ASCII punctuation Chinese text uses in full width.
var fullWidth = map[rune]rune{',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）'}

// Punctuate writes the ASCII punctuation , ; : ? ! ( ) next to Chinese
// text in full width, as official documents do: "全镇15个村,其中(二十九号村)"
// → "全镇15个村，其中（二十九号村）". Punctuation between Latin letters or
// digits stays (6.2, 1,234, 09:00, f(x)), and so do fenced code blocks,
// the parentheses of Markdown links ([附件](a.pdf)) and marks escaped with
// a backslash (\!, \:), which Markdown shows as written.
func Punctuate(s string) string {
	if !strings.ContainsAny(s, ",;:?!()") {
		return s
	}
	lines := strings.Split(s, "\n")
	fence := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		lines[i] = punctuateLine(line)
	}
	return strings.Join(lines, "\n")
}

func punctuateLine(line string) string {
	rs := []rune(line)
	// Parentheses go full width as a pair, when Chinese text is inside,
	// before or after them: (镇人大主席团职责), (1)第一, 张三(组长).
	var open []int
	for i, r := range rs {
		if escaped(rs, i) {
			continue
		}
		switch r {
		case '(':
			if i > 0 && rs[i-1] == ']' {
				open = append(open, -1) // a link's target: leave it
				continue
			}
			open = append(open, i)
		case ')':
			if len(open) == 0 {
				continue
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			if o >= 0 && ((o > 0 && isChinese(rs[o-1])) || (i+1 < len(rs) && isChinese(rs[i+1])) || hasHan(rs[o+1:i])) {
				rs[o], rs[i] = '（', '）'
			}
		}
	}
	for i, r := range rs {
		if fw, ok := fullWidth[r]; ok && r != '(' && r != ')' && !escaped(rs, i) && ((i > 0 && isChinese(rs[i-1])) || (i+1 < len(rs) && isChinese(rs[i+1]))) {
			rs[i] = fw
		}
	}
	return string(rs)
}

// escaped reports an odd number of backslashes right before rs[i].
func escaped(rs []rune, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && rs[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func hasHan(rs []rune) bool {
	for _, r := range rs {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// isChinese reports whether r is a Han character or full-width punctuation.
func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '×'
}
