package document

import "testing"

// FuzzNeedsEscape: needsEscape says "no" exactly when escaping would
// leave the text as it is, so Escape's shortcut never lets markup through.
func FuzzNeedsEscape(f *testing.F) {
	for _, s := range []string{
		"", "普通文字", "a_b", "_x", "x_", "a__", "GROUP_DAY", "  # 缩进", "\t- x", "1. x", "1.x", "12) ",
		"1", "第一行\n# 二", "一\r\n+ 二", "一\n\n  3. 三", "!x", "![x]", "a\\", "&", "~", "|", "<", "`", "*",
		"x\n", "\n", " ", "9999999999. x", "99999999999. x", ":", "=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := needsEscape(s), escape(s) != s; got != want {
			t.Fatalf("needsEscape(%q) = %v, want %v (escaped: %q)", s, got, want, escape(s))
		}
	})
}
