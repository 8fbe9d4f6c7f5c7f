package chinese_test

import (
	"testing"

	"renda/internal/chinese"
)

func TestPunctuate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"全镇15个村,其中13个村修了路;水泥路20多公里。", "全镇15个村，其中13个村修了路；水泥路20多公里。"},
		{"完善了三个职责(镇人大主席团职责,主席职责)", "完善了三个职责（镇人大主席团职责，主席职责）"},
		{"建立了“六簿一册”(主席团会议记录簿)。", "建立了“六簿一册”（主席团会议记录簿）。"},
		{"里程6.2公里,时间09:00, f(x) = 1, a,b", "里程6.2公里，时间09:00, f(x) = 1, a,b"},
		{"代表们建议:限期达标?", "代表们建议：限期达标？"},
		{"| 1 | 张三(组长) |", "| 1 | 张三（组长） |"},
		{"```\n代码,不动\n```\n正文,改", "```\n代码,不动\n```\n正文，改"},
		{"(1)第一", "（1）第一"},
		{"共计15,其中1,234元", "共计15，其中1,234元"},
		{"见[附件](a.pdf)。", "见[附件](a.pdf)。"},
		{"见[附件(一)](a.pdf)。", "见[附件（一）](a.pdf)。"},
		// Escaped marks are text as written (record text, see document.Escape).
		{`代表：\!\[x\](http://e/a.png)`, `代表：\!\[x\](http://e/a.png)`},
		{`代表\!好`, `代表\!好`},
		{`代表\\!好`, `代表\\！好`}, // an escaped backslash, then the mark
		{"标题\n\\:::center", "标题\n\\:::center"},
		{"第1\\)条,第(2)条", "第1\\)条，第（2）条"},
	} {
		if got := chinese.Punctuate(c.in); got != c.want {
			t.Errorf("Punctuate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
