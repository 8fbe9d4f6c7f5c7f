package reports_test

import (
	"context"
	"strings"
	"testing"

	"renda/internal/records"
	"renda/internal/report"
)

// TestBetweenSessions renders the documents of the work between sessions
// — a reception day's notice and record, the duty points' 公示表, the
// 述职评议 results — on the demo township against their golden files, as
// the clerk who signs them and as a viewer, and checks that their figures
// follow the records.
func TestBetweenSessions(t *testing.T) {
	_, api, reg := MustDemoRegistry(t)
	year := map[string]any{"township": "qps", "year": 2023, "date": "2023-12-31"}
	testGoldens(t, reg, true, []goldenCase{
		{"reception-notice", map[string]any{"reception": "r-2301"}, report.MARKDOWN, "reception-notice.md"},
		{"reception-notice", map[string]any{"reception": "r-2301"}, report.DOCX, "reception-notice.docx.txt"},
		{"reception-record", map[string]any{"reception": "r-2301"}, report.MARKDOWN, "reception-record.md"},
		{"reception-record", map[string]any{"reception": "r-2307"}, report.MARKDOWN, "reception-record-2307.md"},
		{"duty-points", year, report.MARKDOWN, "duty-points.md"},
		{"duty-points", map[string]any{"township": "qps", "year": 2023, "quarter": 2, "date": "2023-07-05"}, report.MARKDOWN, "duty-points-q2.md"},
		{"duty-points", year, report.DOCX, "duty-points.docx.txt"},
		{"report-review", year, report.MARKDOWN, "report-review.md"},
		{"report-review", year, report.DOCX, "report-review.docx.txt"},
	})

	t.Run("ConfidentialForViewers", func(t *testing.T) {
		viewer := records.WithActor(context.Background(), records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{"qps"}})
		out, err := reg.Render(viewer, "reception-record", map[string]any{"reception": "r-2301"}, report.MARKDOWN)
		if err != nil {
			t.Fatal(err)
		}
		text := string(out.Content)
		if strings.Contains(text, "优亲厚友") || strings.Contains(text, "保密事项") || !strings.Contains(text, "收集意见建议3件") {
			t.Errorf("a viewer's record shows the confidential item, or not the day's count:\n%s", text)
		}
	})
	t.Run("FiguresFollow", func(t *testing.T) {
		MustMutate(t, api, `mutation { updatePointRules(id: "pr-2023", input: {base: 50}) { id } }`, nil)
		out := MustRender(t, reg, "duty-points", year, report.MARKDOWN)
		if !strings.Contains(string(out.Content), "全年基础分50分") || !strings.Contains(string(out.Content), "| 1 | 冯长青 | 第二代表小组 |") {
			t.Errorf("after the base changed to 50:\n%s", out.Content)
		}
		MustMutate(t, api, `mutation { updateActivity(id: "a-review-1", input: {reportReview: {constituency: "第十三选区", voters: 56,
			results: [{deputyId: "d-009", satisfied: 40, basicallySatisfied: 6, dissatisfied: 10}]}}) { id } }`, nil)
		out = MustRender(t, reg, "report-review", year, report.MARKDOWN)
		if !strings.Contains(string(out.Content), "| 郭春梅 | 40 | 6 | 10 | 56 | 82.1% |") || strings.Contains(string(out.Content), "金凤芝") {
			t.Errorf("after the review changed:\n%s", out.Content)
		}
	})
}

// TestRosterAsOf: a roster as of a day lists the deputies serving then,
// by their terms: one who moved away before it is not on it.
func TestRosterAsOf(t *testing.T) {
	_, api, reg := MustDemoRegistry(t)
	MustMutate(t, api, `mutation { updateDeputy(id: "d-038", input: {terms: [
		{congress: "第十八届", constituency: "第十四选区", start: "2021-11-20", end: "2023-09-30", endReason: MOVED_AWAY}]}) { id } }`, nil)
	before := string(MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps", "asOf": "2023-09-30"}, report.MARKDOWN).Content)
	after := string(MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps", "asOf": "2023-10-01"}, report.MARKDOWN).Content)
	all := string(MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps"}, report.MARKDOWN).Content)
	for _, c := range []struct {
		name, text, count string
		listed            bool
	}{
		{"Before", before, "截至2023年9月30日，本镇第十八届人民代表大会代表37名", true},
		{"After", after, "截至2023年10月1日，本镇第十八届人民代表大会代表36名", false},
		{"All", all, "本镇第十八届人民代表大会代表37名", true},
	} {
		if !strings.Contains(c.text, c.count) || strings.Contains(c.text, "贾红梅") != c.listed {
			t.Errorf("%s: want %q and 贾红梅 listed %v:\n%.600s", c.name, c.count, c.listed, c.text)
		}
	}
}
