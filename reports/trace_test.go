package reports_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"renda/internal/report"
)

// testTraces changes one record for each document and checks that the
// figure it backs moves in the next render: nothing in these documents is
// typed into a template. It changes the demo, so it runs after the golden
// files are compared.
func testTraces(t *testing.T, api http.Handler, reg *report.Registry) {
	render := func(t *testing.T, id string, params map[string]any) string {
		t.Helper()
		return string(MustRender(t, reg, id, params, report.MARKDOWN).Content)
	}
	follows := func(t *testing.T, id string, params map[string]any, before, after []string, change func()) {
		t.Helper()
		md := render(t, id, params)
		for _, want := range before {
			if !strings.Contains(md, want) {
				t.Fatalf("before: %s lacks %q:\n%s", id, want, md)
			}
		}
		change()
		md = render(t, id, params)
		for _, want := range after {
			if !strings.Contains(md, want) {
				t.Errorf("after the change, %s lacks %q:\n%s", id, want, md)
			}
		}
	}
	half := map[string]any{"township": "qps", "year": 2023, "period": "上半年"}
	year := map[string]any{"township": "qps", "year": 2023}

	t.Run("CountyFromTownship", func(t *testing.T) {
		follows(t, "annual-summary", year, []string{"今年以来，围场满族蒙古族自治县棋盘山镇人大主席团"}, []string{"今年以来，丰宁满族自治县棋盘山镇人大主席团"}, func() {
			MustMutate(t, api, `mutation { updateTownship(id: "qps", input: {county: "丰宁满族自治县"}) { id } }`, nil)
		})
	})
	t.Run("HalfYearSummary", func(t *testing.T) {
		// An inspection in May counts for the first half, and sorts before 上半年 (its span ends first) but after the ordered ones.
		follows(t, "annual-summary", half, []string{"今年上半年镇人大主席团共组织代表视察两次。"}, []string{"今年上半年镇人大主席团共组织代表视察三次。", "三是视察村级卫生室建设。5月，"}, func() {
			MustMutate(t, api, `mutation { createInspection(input: {township: "qps", topic: "视察村级卫生室建设", organiser: "镇人大主席团",
				date: {date: "2023-05-01", precision: MONTH}, participantIds: ["d-004", "d-013"], findings: "代表们查看了各村卫生室的药品配备情况。"}) { id } }`, nil)
		})
	})
	t.Run("SuggestionReport", func(t *testing.T) {
		// Answering an open suggestion (today) moves the answered count,
		// the department's row and the open list of a 通报 dated today;
		// one dated 2023-12-31 counts as the suggestions stood then.
		today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		now := map[string]any{"township": "qps", "year": 2023, "date": today}
		follows(t, "suggestion-report", now, []string{"承办单位已答复代表116件", "| 镇交通办 | 26 | 24 | 24 | 2 |", "尚未办结的建议有23件"}, []string{"承办单位已答复代表117件", "| 镇交通办 | 26 | 25 | 24 | 1 |", "尚未办结的建议有22件"}, func() {
			MustMutate(t, api, `mutation { updateSuggestion(id: "s-104", input: {reply: "已协调开通试运行班车。", replyClass: A}) { id } }`, nil)
			MustMutate(t, api, `mutation { transitionSuggestion(id: "s-104", to: REPLIED) { id } }`, nil)
		})
		then := render(t, "suggestion-report", year)
		for _, want := range []string{"截至2023年12月31日，交办的126件中，承办单位已答复代表116件", "尚未办结的建议有23件", "开通镇区至二十九号村客运班车的建议（冯长青代表提出，镇交通办办理，办理期限为2023年11月7日）：至今未答复"} {
			if !strings.Contains(then, want) {
				t.Errorf("the 通报 dated 2023-12-31 after a reply given today lacks %q:\n%s", want, then)
			}
		}
	})
	t.Run("DeputyReport", func(t *testing.T) {
		params := map[string]any{"deputy": "d-005", "year": 2023}
		follows(t, "deputy-report", params, []string{"我共提出建议、批评和意见12件", "我固定联系选民2名"}, []string{"我共提出建议、批评和意见13件", "13. 关于村小学校车接送的建议：正在交办。"}, func() {
			MustMutate(t, api, `mutation { createSuggestion(input: {township: "qps", deputyId: "d-005", title: "关于村小学校车接送的建议", submitted: "2023-12-28", valuable: true}) { id } }`, nil)
		})
	})
	t.Run("PresidiumReport", func(t *testing.T) {
		count := regexp.MustCompile(`主席团共组织代表视察(.)次`)
		before := count.FindStringSubmatch(render(t, "presidium-report", year))
		follows(t, "presidium-report", year, []string{"三是加强代表建议办理的督办。"}, []string{"四是开展代表培训。"}, func() {
			MustMutate(t, api, `mutation { createActivity(input: {township: "qps", kind: OTHER, category: "工作计划", title: "开展代表培训",
				date: {date: "2024-01-01", precision: YEAR}, attributes: {order: 4}}) { id } }`, nil)
			MustMutate(t, api, `mutation { createInspection(input: {township: "qps", topic: "视察冬季取暖保障", organiser: "镇人大主席团",
				date: {date: "2023-12-01", precision: MONTH}}) { id } }`, nil)
		})
		after := count.FindStringSubmatch(render(t, "presidium-report", year))
		const digits = "一二三四五六七八九十"
		if before == nil || after == nil || strings.Index(digits, after[1]) != strings.Index(digits, before[1])+len("一") {
			t.Errorf("inspections counted %v before and %v after adding one", before, after)
		}
	})
	t.Run("WorkBrief", func(t *testing.T) {
		params := map[string]any{"id": "i-2023-05", "issue": 5}
		follows(t, "work-brief", params, []string{"组织9名人大代表到二十九号村"}, []string{"组织10名人大代表到二十九号村", "、白永林。"}, func() {
			MustMutate(t, api, `mutation { updateInspection(id: "i-2023-05", input: {participantIds: ["d-004", "d-010", "d-012", "d-013", "d-015", "d-019", "d-024", "d-033", "d-038", "d-003"]}) { id } }`, nil)
		})
	})
}
