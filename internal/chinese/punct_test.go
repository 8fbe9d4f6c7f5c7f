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
	} {
		if got := chinese.Punctuate(c.in); got != c.want {
			t.Errorf("Punctuate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
