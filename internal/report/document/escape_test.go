package document_test

import (
	stdhtml "html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"renda/internal/report/document"
)

// hostile is record text that is Markdown or HTML if printed as it is.
var hostile = []string{
	"![x](http://evil/a.png)<img src=x onerror=alert(1)>‹img",
	"<img src=x>马玉珍",
	"‹img src=x›陈宝山",
	"# 标题",
	"| a | b |",
	"|---|---|",
	"- 列表",
	"+ 列表",
	"1. 编号",
	"2) 编号",
	"::: center",
	"===",
	"---",
	"> 引用",
	"[链接](http://evil/) [ref]: http://evil/",
	"&amp; &lt;b&gt; &#60;",
	"`代码` ``两个``",
	"~~删除~~ ~单~",
	"_强调_ __粗__ *星* **粗** ***粗斜***",
	"<http://evil/> <a@b.c>",
	`反斜杠\ 与 \* 与 \\`,
	"138****5678",
	"  # 缩进的标题",
	"a\\",
	"GROUP_DAY snake_case _x_ x__y",
	"第一行\n# 第二行\n- 第三行\n| 四 |",
}

// TestEscape: Markdown reads escaped record text as the text itself,
// wherever a template prints it (line start, mid-line, a table cell), and
// Unescape gives the text back exactly.
func TestEscape(t *testing.T) {
	for _, s := range hostile {
		e := document.Escape(s)
		if got := document.Unescape(e); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, got)
		}
		one := strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "")), " ")
		mds := []string{e, "前文" + e}
		if !strings.Contains(s, "\n") { // a line break ends a table's row
			mds = append(mds, "# 题\n\n| 列 |\n|---|\n| "+e+" |")
		}
		for _, md := range mds {
			d := MustParse(t, md)
			var text string
			switch {
			case len(d.Blocks) == 1 && strings.HasPrefix(md, "# 题"):
				tb, ok := d.Blocks[0].(*document.Table)
				if !ok || len(tb.Rows) != 1 {
					t.Errorf("%q in a table cell: %s, want one table of one row", s, dump(d.Blocks))
					continue
				}
				text = tb.Rows[0][0]
			case len(d.Blocks) == 1:
				p, ok := d.Blocks[0].(*document.Paragraph)
				if !ok || p.Marker != "" || p.Role != "" || len(p.Runs) != 1 || p.Runs[0].Bold || p.Runs[0].Italic {
					t.Errorf("%q: %s, want one plain paragraph", md, dump(d.Blocks))
					continue
				}
				text = p.Text()
			default:
				t.Errorf("%q: %s (title %q), want one block", md, dump(d.Blocks), d.Title)
				continue
			}
			text = strings.Join(strings.Fields(text), " ")
			if !strings.HasSuffix(text, one) {
				t.Errorf("%q reads %q, want it to end in %q", md, text, one)
			}
		}
		html, err := document.HTML([]byte("# 题\n\n" + e))
		if err != nil {
			t.Fatal(err)
		}
		body := string(html[strings.Index(string(html), "<body>"):])
		p, ok := strings.CutPrefix(body, "<body>\n<h1>题</h1>\n<p>")
		p, ok2 := strings.CutSuffix(p, "</p>\n</body>\n</html>\n")
		if !ok || !ok2 || strings.Contains(p, "<") || strings.Join(strings.Fields(stdhtml.UnescapeString(strings.ReplaceAll(p, "\n", ""))), " ") != one {
			t.Errorf("HTML of %q: %s, want the title and one paragraph of the text", s, body)
		}
	}
}

// FuzzEscape: for any one-line text, Escape's Markdown is one plain
// paragraph reading as the text, and Unescape inverts Escape.
func FuzzEscape(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := document.Unescape(document.Escape(s)); got != s {
			t.Fatalf("Unescape(Escape(%q)) = %q", s, got)
		}
		if !utf8.ValidString(s) || strings.TrimSpace(s) != s || s == "" || strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' || r == utf8.RuneError
		}) {
			return
		}
		d, err := document.Parse([]byte("前文" + document.Escape(s)))
		if err != nil {
			return // over the document's limits
		}
		if len(d.Blocks) != 1 {
			t.Fatalf("%q: %d blocks, want one paragraph", s, len(d.Blocks))
		}
		p, ok := d.Blocks[0].(*document.Paragraph)
		if !ok || len(p.Runs) != 1 || p.Runs[0].Bold || p.Runs[0].Italic || p.Text() != "前文"+s {
			t.Fatalf("%q reads as %s", s, dump(d.Blocks))
		}
	})
}

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
		if got, want := document.NeedsEscape(s), document.EscapeAll(s) != s; got != want {
			t.Fatalf("needsEscape(%q) = %v, want %v (escaped: %q)", s, got, want, document.EscapeAll(s))
		}
	})
}
