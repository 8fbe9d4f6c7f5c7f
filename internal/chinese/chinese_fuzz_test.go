package chinese_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"renda/internal/chinese"
)

// FuzzSortKey: every name has a key that ends with a tab and the name, in
// front of it syllables only (no tab, a few bytes per character), so two
// different names never share a key.
func FuzzSortKey(f *testing.F) {
	for _, s := range [][2]string{
		{"张三", "张三 "}, {"李", "李明"}, {"Zoe", "zoe"}, {"二十九号村", "罗字十号村"}, {"王\t五", "王五"},
		{"", " "}, {"İstanbul", "istanbul"}, {"𠀀𪚥", "\xff\xfe"}, {"A1b2_丙", "a1b2 丙"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := chinese.SortKey(a), chinese.SortKey(b)
		for _, c := range []struct{ name, key string }{{a, ka}, {b, kb}} {
			syllables, ok := strings.CutSuffix(c.key, "\t"+c.name)
			if !ok {
				t.Fatalf("SortKey(%q) = %q, want it to end with a tab and the name", c.name, c.key)
			}
			if strings.Contains(syllables, "\t") || len(syllables) > 8*len(c.name) {
				t.Fatalf("SortKey(%q) = %q: syllables %q hold a tab or are too long", c.name, c.key, syllables)
			}
		}
		if a != b && ka == kb {
			t.Fatalf("SortKey(%q) = SortKey(%q) = %q", a, b, ka)
		}
	})
}

var fullWidth = map[rune]rune{',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）'}

// FuzzPunctuate: Punctuate changes nothing but ASCII punctuation, each
// mark into its full-width form, keeps every other character where it was,
// and leaves text without Chinese characters (any ASCII text) alone.
func FuzzPunctuate(f *testing.F) {
	for _, s := range []string{
		"全镇15个村,其中(二十九号村)", "6.2, 1,234, 09:00, f(x)", "[附件](a.pdf)说明", "```\n代码,(x)\n```\n正文,",
		"((((中))))", ")))(((中", "中,,,;;;:::", ",,中", "张三(组长)!", "\xff,中", "“引文”,“", "a(b(中)c)d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := chinese.Punctuate(s)
		if !strings.ContainsAny(s, ",;:?!()") || isASCII(s) {
			if out != s {
				t.Fatalf("Punctuate(%q) = %q, want it unchanged", s, out)
			}
			return
		}
		in, got := []rune(s), []rune(out)
		if len(in) != len(got) {
			t.Fatalf("Punctuate(%q) = %q: %d characters, want %d", s, out, len(got), len(in))
		}
		for i := range in {
			if got[i] != in[i] && got[i] != fullWidth[in[i]] {
				t.Fatalf("Punctuate(%q) = %q: character %d %q became %q", s, out, i, in[i], got[i])
			}
		}
		opened := strings.Count(out, "（") - strings.Count(s, "（")
		closed := strings.Count(out, "）") - strings.Count(s, "）")
		if utf8.ValidString(s) && opened != closed {
			t.Fatalf("Punctuate(%q) = %q: parentheses widened one without the other", s, out)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
