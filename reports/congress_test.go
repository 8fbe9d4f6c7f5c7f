package reports_test

import (
	"strings"
	"testing"

	"renda/internal/report"
)

// TestCongressDocuments renders the congress's seven documents on the demo
// township, compares them with their goldens, and checks that the figures
// they state are the records' (computed in Go, phrased by the templates).
func TestCongressDocuments(t *testing.T) {
	_, _, reg := MustDemoRegistry(t)
	session := map[string]any{"session": "cs-18-3"}
	for _, c := range []struct {
		id     string
		params map[string]any
		file   string
		facts  []string
		absent []string // what a signer would strike out
	}{
		{"session-agenda", session, "session-agenda.md",
			[]string{"棋盘山镇第十八届人民代表大会\\\n第三次会议议程\n===", "（2023年1月12日至13日，镇政府会议室）", "（镇长刘国强作报告）", "五、票决2023年度民生实事项目。", "---\n\n棋盘山镇第十八届人民代表大会\\\n第三次会议日程\n===", "| 1月12日 | 下午 |"},
			nil},
		{"session-resolutions", session, "session-resolutions.md",
			[]string{"棋盘山镇第十八届人民代表大会第三次会议\\\n关于镇人民政府工作报告的决议\n===", "（2023年1月12日棋盘山镇第十八届人民代表大会\n第三次会议通过）"},
			nil},
		{"election-results", session, "election-results.md",
			[]string{"应到代表37名，实到35名", "达到全体代表的三分之二以上", "须得19票", "| 刘玉华 | 33 | 当选 |", "当选为棋盘山镇人民代表大会副主席"},
			// one candidate for one seat: nothing to say of an excess of majorities
			[]string{"多于应选名额", "超过全体代表的三分之二"}},
		{"vote-results", session, "vote-results.md",
			[]string{"2023年1月13日，棋盘山镇第十八届人民代表大会第三次会议以无记名投票方式", "出席代表35名", "从8个候选项目中选出6个", "全体代表37名，须达19票", "| 6 | 农村饮水管网防冻改造 | 镇水利站 | 85 | 22 | 当选 |", "| 7 | 镇卫生院医疗设备更新 | 镇卫生院 | 120 | 15 | 未当选 |", "共6个项目当选"},
			[]string{"全体代表37名，出席", "个候选项目选"}},
		{"livelihood-progress", map[string]any{"township": "qps", "year": 2023}, "livelihood-progress.md",
			[]string{"棋盘山镇人大主席团关于2023年度", "县人大常委会：", "确定民生实事项目6项", "已完成4项，正在推进2项", "目前完成80%，未能按期完工", "| 五道川片区寄宿制小学建设 | 20 | 10 | 4 | 34 | 88.2% |", "特此报告。\n\n::: signature\n棋盘山镇人大主席团\n2024年1月10日"},
			// the presidium signs what its clerk sends; a milestone's inspection is not told twice
			[]string{"人民政府\n2024", "镇人大组织代表视察", "完成100%"}},
		{"livelihood-ballot", session, "livelihood-ballot.md",
			[]string{"2023年度民生实事项目票决票", "| 8 | 村级文化广场建设 | 200 | 2023年12月 |", "从8个候选项目中选出6个", "画“○”的项目多于6个的，本票无效", "全体代表37名，须达19票", "8\\. 村级文化广场建设：在5个村新建文化广场。"},
			[]string{"差额票决，8个"}},
		{"presidium-minutes", map[string]any{"meeting": "pm-2023-01"}, "presidium-minutes.md",
			[]string{"# 棋盘山镇人大主席团会议纪要", "为做好棋盘山镇第十八届人民代表大会第三次会议的筹备工作，2023年1月5日", "会议由镇人大主席王立军主持", "由镇人大副主席刘玉华负责落实，1月10日前完成。", "出席：王立军、刘玉华"},
			// minutes dated the day of the meeting cannot tell what was done after it
			[]string{"已落实", "落实情况"}},
	} {
		t.Run(c.id, func(t *testing.T) {
			out := MustRender(t, reg, c.id, c.params, report.MARKDOWN)
			golden(t, c.file, out.Content)
			for _, f := range c.facts {
				if !strings.Contains(string(out.Content), f) {
					t.Errorf("%s does not say %q", c.id, f)
				}
			}
			for _, f := range c.absent {
				if strings.Contains(string(out.Content), f) {
					t.Errorf("%s says %q", c.id, f)
				}
			}
			if len(out.Warnings) > 0 {
				t.Errorf("warnings: %v", out.Warnings)
			}
			d := MustRender(t, reg, c.id, c.params, report.DOCX)
			golden(t, strings.TrimSuffix(c.file, ".md")+".docx.txt", []byte(MustDigest(t, d.Content)))
		})
	}
	t.Run("ResolutionWithoutText", func(t *testing.T) {
		// A resolution recorded without its text is said from its title, never from
		// the agenda item's wording (听取和审议…), and the clerk is warned.
		_, api, reg := MustDemoRegistry(t)
		MustMutate(t, api, `mutation { updateSession(id: "cs-18-3", input: {resolutions: [
			{itemOrder: 1, title: "棋盘山镇第十八届人民代表大会第三次会议关于镇人民政府工作报告的决议"}]}) { id } }`, nil)
		out := MustRender(t, reg, "session-resolutions", session, report.MARKDOWN)
		if !strings.Contains(string(out.Content), "大会批准镇人民政府工作报告。") || strings.Contains(string(out.Content), "听取和审议") {
			t.Errorf("without a text:\n%s", out.Content)
		}
		if len(out.Warnings) != 1 {
			t.Errorf("warnings: %v, want the one for the missing text", out.Warnings)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		// A year without a livelihood vote still renders, and says so.
		out := MustRender(t, reg, "livelihood-progress", map[string]any{"township": "qps", "year": 2021}, report.MARKDOWN)
		if !strings.Contains(string(out.Content), "2021年度没有票决通过的民生实事项目") {
			t.Errorf("2021: %s", out.Content)
		}
	})
}
