package reports_test

import (
	"strings"
	"testing"

	"renda/internal/report"
)

// TestCongressDocuments renders the congress's six documents on the demo
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
	}{
		{"session-agenda", session, "session-agenda.md", []string{"棋盘山镇第十八届人民代表大会第三次会议议程", "五、票决2023年度民生实事项目。", "| 1月12日 | 下午 |"}},
		{"session-resolutions", session, "session-resolutions.md", []string{"关于镇人民政府工作报告的决议", "（2023年1月12日棋盘山镇第十八届人民代表大会第三次会议通过）"}},
		{"election-results", session, "election-results.md", []string{"应到代表37名，实到35名", "须得19票", "| 刘玉华 | 33 | 当选 |", "当选为棋盘山镇人民代表大会副主席"}},
		{"vote-results", session, "vote-results.md", []string{"候选项目8个", "全体代表37名，出席35名", "须达19票", "| 6 | 农村饮水管网防冻改造 | 镇水利站 | 85 | 22 | 当选 |", "| 7 | 镇卫生院医疗设备更新 | 镇卫生院 | 120 | 15 | 未当选 |", "共6个项目当选"}},
		{"livelihood-progress", map[string]any{"township": "qps", "year": 2023}, "livelihood-progress.md", []string{"确定民生实事项目6项", "已完成4项，正在推进2项", "该项目目前完成80%", "| 五道川片区寄宿制小学建设 | 20 | 10 | 4 | 88.2% |"}},
		{"livelihood-ballot", session, "livelihood-ballot.md", []string{"2023年度民生实事项目票决票", "| 8 | 村级文化广场建设 | 200 |", "从8个候选项目中选出6个"}},
		{"presidium-minutes", map[string]any{"meeting": "pm-2023-01"}, "presidium-minutes.md", []string{"2023年1月5日", "由镇人大副主席 刘玉华负责落实", "出席：王立军、刘玉华"}},
	} {
		t.Run(c.id, func(t *testing.T) {
			out := MustRender(t, reg, c.id, c.params, report.MARKDOWN)
			golden(t, c.file, out.Content)
			for _, f := range c.facts {
				if !strings.Contains(string(out.Content), f) {
					t.Errorf("%s does not say %q", c.id, f)
				}
			}
			if len(out.Warnings) > 0 {
				t.Errorf("warnings: %v", out.Warnings)
			}
			d := MustRender(t, reg, c.id, c.params, report.DOCX)
			golden(t, strings.TrimSuffix(c.file, ".md")+".docx.txt", []byte(MustDigest(t, d.Content)))
		})
	}
	t.Run("Empty", func(t *testing.T) {
		// A year without a livelihood vote still renders, and says so.
		out := MustRender(t, reg, "livelihood-progress", map[string]any{"township": "qps", "year": 2021}, report.MARKDOWN)
		if !strings.Contains(string(out.Content), "2021年度没有票决通过的民生实事项目") {
			t.Errorf("2021: %s", out.Content)
		}
	})
}
