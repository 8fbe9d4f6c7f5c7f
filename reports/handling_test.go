package reports_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/report"
)

// TestHandlingDocuments renders the documents the presidium's office sends
// departments — a suggestion's 交办单 and 督办函, the 行风评议结果通报 — on
// the demo township against their golden files, checks their official
// parts and what they tell the clerk, then changes the records through the
// API and checks that the documents follow.
func TestHandlingDocuments(t *testing.T) {
	_, api, reg := MustDemoRegistry(t)
	assignment := map[string]any{"id": "s-104", "number": "第104号"}
	supervision := map[string]any{"id": "s-104", "date": "2023-12-20", "replyBy": "2023-12-30", "docNo": "棋人大督〔2023〕3号"}
	appraisal := map[string]any{"township": "qps", "year": 2023, "date": "2023-12-31", "docNo": "棋人大〔2023〕12号"}
	firstHalf := map[string]any{"township": "qps", "year": 2023, "period": "上半年", "docNo": "棋人大〔2023〕6号"}

	t.Run("Golden", func(t *testing.T) {
		for _, c := range []struct {
			id     string
			params map[string]any
			format report.Format
			file   string
		}{
			{"suggestion-assignment", assignment, report.MARKDOWN, "suggestion-assignment.md"},
			{"suggestion-assignment", assignment, report.DOCX, "suggestion-assignment.docx.txt"},
			{"suggestion-supervision", supervision, report.MARKDOWN, "suggestion-supervision.md"},
			{"suggestion-supervision", supervision, report.DOCX, "suggestion-supervision.docx.txt"},
			{"appraisal-results", appraisal, report.MARKDOWN, "appraisal-results.md"},
			{"appraisal-results", appraisal, report.DOCX, "appraisal-results.docx.txt"},
			{"appraisal-results", firstHalf, report.MARKDOWN, "appraisal-results-h1.md"},
		} {
			t.Run(c.file, func(t *testing.T) {
				out := MustRender(t, reg, c.id, c.params, c.format)
				got := out.Content
				if c.format == report.DOCX {
					got = []byte(MustDigest(t, got))
				}
				golden(t, c.file, got)
				if len(out.Warnings) > 0 {
					t.Errorf("warnings: %v", out.Warnings)
				}
			})
		}
	})

	// Each is addressed under its title and signed by the presidium with a
	// date; the 通报 ends with its 版记, and a 发文字号 heads what has one.
	t.Run("OfficialParts", func(t *testing.T) {
		signed := regexp.MustCompile(`^::: signature\n棋盘山镇人大主席团\n(\d{4}年\d{1,2}月\d{1,2}日)\n:::$`)
		for _, c := range []struct {
			id           string
			params       map[string]any
			docNo, to    string
			date         string
			printedNotes bool // a 通报 ends with its 版记
		}{
			{"suggestion-assignment", assignment, "", "镇交通办：", "2023年10月13日", false},
			{"suggestion-supervision", supervision, "棋人大督〔2023〕3号", "镇交通办：", "2023年12月20日", false},
			{"appraisal-results", appraisal, "棋人大〔2023〕12号", "镇直各部门、各站所，各代表小组：", "2023年12月31日", true},
			{"appraisal-results", firstHalf, "棋人大〔2023〕6号", "镇直各部门、各站所，各代表小组：", "2023年6月30日", true},
		} {
			t.Run(c.id, func(t *testing.T) {
				md := string(MustRender(t, reg, c.id, c.params, report.MARKDOWN).Content)
				paras := strings.Split(strings.TrimSpace(md), "\n\n")
				if c.docNo != "" {
					if want := "::: center\n" + c.docNo + "\n:::"; paras[0] != want {
						t.Errorf("begins %q, want the 发文字号 %q", paras[0], want)
					}
					paras = paras[1:]
				}
				if !strings.HasPrefix(paras[0], "# ") || paras[1] != "::: left\n"+c.to+"\n:::" {
					t.Errorf("title %q and 主送 %q, want the 主送 %q", paras[0], paras[1], c.to)
				}
				last := paras[len(paras)-1]
				if c.printedNotes {
					if want := "::: left\n抄送：县人大常委会，镇党委、镇人民政府。\n棋盘山镇人大主席团办公室\u3000\u3000" + c.date + "印发\n:::"; last != want {
						t.Errorf("ends %q, want the 版记 %q", last, want)
					}
					last = paras[len(paras)-2]
				}
				if m := signed.FindStringSubmatch(last); m == nil || m[1] != c.date {
					t.Errorf("ends %q, want the presidium's 落款 dated %s", last, c.date)
				}
			})
		}
	})

	// What the records do not hold, the clerk is told about, and the
	// document does without.
	t.Run("Warnings", func(t *testing.T) {
		for _, c := range []struct {
			id      string
			params  map[string]any
			warning string
			says    string
			lacks   string
		}{
			{"suggestion-assignment", map[string]any{"id": "s-104"}, "建议编号", "| 题目 | 关于开通镇区至二十九号村客运班车的建议 |\n|---|---|", "建议编号"},
			{"suggestion-supervision", map[string]any{"id": "s-104", "date": "2023-12-20"}, "replyBy", "抓紧研究办理，尽快将办理结果书面答复代表", "前将办理结果"},
			{"appraisal-results", map[string]any{"township": "qps", "year": 2023, "date": "2023-12-31"}, "发文字号", "# 关于2023年度行风评议结果的通报", ":::\n\n# "},
			{"appraisal-results", map[string]any{"township": "qps", "year": 2022, "docNo": "棋人大〔2022〕9号"}, "没有对部门、站所的评议记录", "2022年，镇人大主席团没有组织人大代表对镇直和驻镇部门、基层站所进行行风评议。", "有关要求"},
		} {
			t.Run(c.id, func(t *testing.T) {
				out := MustRender(t, reg, c.id, c.params, report.MARKDOWN)
				md := string(out.Content)
				if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], c.warning) {
					t.Errorf("warnings %q, want one naming %q", out.Warnings, c.warning)
				}
				if !strings.Contains(md, c.says) || strings.Contains(md, c.lacks) {
					t.Errorf("want %q and no %q:\n%s", c.says, c.lacks, md)
				}
			})
		}
	})

	// A suggestion assigned, returned and assigned again, extended and put
	// under 重点督办 through the API, on today's date: the 交办单 is the
	// latest assignment's, the 督办函 the suggestion's as it now stands.
	t.Run("FollowTheHandling", func(t *testing.T) {
		id := mustMutateData(t, api, `mutation { r: createSuggestion(input: {township: "qps", deputyId: "d-005", title: "关于村卫生室增设夜间值班的建议",
			content: "村民夜间突发疾病无处就医，建议村卫生室轮流安排夜间值班。", category: "医疗", submitted: "2023-12-28", valuable: true}) { id } }`, nil)["r"]["id"].(string)
		vars := map[string]any{"id": id}
		move := func(to, note string) {
			t.Helper()
			MustMutate(t, api, `mutation($id: ID!, $to: SuggestionStatus!, $note: String) { transitionSuggestion(id: $id, to: $to, note: $note) { id } }`,
				map[string]any{"id": id, "to": to, "note": note})
		}
		state := func() (assignedOn, deadline string) {
			t.Helper()
			s := mustMutateData(t, api, `query($id: ID!) { r: suggestion(id: $id) { assignedOn deadline } }`, vars)["r"]
			return s["assignedOn"].(string), s["deadline"].(string)
		}
		render := func(id string, params map[string]any) string {
			t.Helper()
			return string(MustRender(t, reg, id, params, report.MARKDOWN).Content)
		}
		has := func(doc, md string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(md, w) {
					t.Errorf("%s lacks %q:\n%s", doc, w, md)
				}
			}
		}

		move("ACCEPTED", "")
		MustMutate(t, api, `mutation($id: ID!) { updateSuggestion(id: $id, input: {department: "镇中心卫生院", coDepartments: ["镇财政所"]}) { id } }`, vars)
		move("ASSIGNED", "")
		on, due := state()
		has("the 交办单", render("suggestion-assignment", vars), "::: left\n镇中心卫生院：\n:::", "交由你单位主办，镇财政所协办", "于"+cnDay(t, due)+"前将办理结果",
			"| 主办单位 | 镇中心卫生院 |", "| 协办单位 | 镇财政所 |", "| 交办日期 | "+cnDay(t, on)+" |", "协办单位应当主动配合", "棋盘山镇人大主席团\n"+cnDay(t, on)+"\n:::\n\n::: left\n抄送：镇财政所。\n:::")

		// 退办 within the days the rules allow: the 交办单 is the one sent,
		// with a warning; given to another department, that one's.
		move("RETURNED", "村卫生室人员由镇民政办统筹")
		if w := MustRender(t, reg, "suggestion-assignment", vars, report.MARKDOWN).Warnings; len(w) != 2 || !strings.Contains(w[0], "退办") {
			t.Errorf("the 交办单 of a returned suggestion: warnings %q, want the 退办 and the missing number", w)
		}
		MustMutate(t, api, `mutation($id: ID!) { updateSuggestion(id: $id, input: {department: "镇民政办", coDepartments: []}) { id } }`, vars)
		move("ASSIGNED", "")
		on, due = state()
		md := render("suggestion-assignment", vars)
		has("the 交办单 assigned again", md, "::: left\n镇民政办：\n:::", "交由你单位办理。", "| 主办单位 | 镇民政办 |", "| 协办单位 | 无 |", "于"+cnDay(t, due)+"前")
		if strings.Contains(md, "镇中心卫生院") || strings.Contains(md, "协办单位应当") || strings.Contains(md, "::: left\n抄送") {
			t.Errorf("the 交办单 assigned again still names the first department or co-handling:\n%s", md)
		}

		// The API's days are Asia/Shanghai's, whatever the server's zone.
		day := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if on != day {
			t.Errorf("assigned on %s, want today in Asia/Shanghai, %s", on, day)
		}

		// Neither supervised nor overdue: no 督办函, and the clerk is told why.
		today := map[string]any{"id": id}
		if _, err := reg.Render(t.Context(), "suggestion-supervision", today, report.MARKDOWN); records.ErrorCode(err) != records.ENOTFOUND || !strings.Contains(err.Error(), "既未列入重点督办") {
			t.Errorf("a 督办函 for a suggestion neither supervised nor overdue: %v, want NOT_FOUND saying why", err)
		}

		// Extended, then put under 重点督办: the 督办函 states the deadline in
		// effect; the 交办单 keeps the one its assignment set.
		MustMutate(t, api, `mutation($id: ID!) { extendSuggestion(id: $id, days: 10, reason: "需协调县卫健局") { id } }`, vars)
		MustMutate(t, api, `mutation($id: ID!) { superviseSuggestion(id: $id, supervised: true, note: "主席团会议确定") { id } }`, vars)
		_, extended := state()
		if extended == due {
			t.Fatalf("the extension left the deadline at %s", due)
		}
		has("the 交办单 after the extension", render("suggestion-assignment", vars), "于"+cnDay(t, due)+"前", "| 办理期限 | "+cnDay(t, due)+"前答复代表 |")
		letter := render("suggestion-supervision", today)
		has("the 督办函", letter, "::: left\n镇民政办：\n:::", "该建议的办理期限为"+cnDay(t, extended)+"（已延期一次）", "。镇人大主席团已将该建议列为重点督办建议。",
			"截至"+cnDay(t, day)+"，你单位尚未答复代表。", "棋盘山镇人大主席团\n"+cnDay(t, day)+"\n:::", "于"+cnDay(t, extended)+"前将办理结果书面答复代表", "代表在建议中提出：村民夜间突发疾病无处就医")
		if strings.Contains(letter, "办理期限已过") || strings.Contains(letter, "未能按期答复的原因") {
			t.Errorf("a 督办函 before the deadline says it has passed:\n%s", letter)
		}
		// Dated the next day, the letter says since when it is supervised
		// (the day in Asia/Shanghai, as the API's days are).
		next, _ := time.Parse(time.DateOnly, day)
		later := render("suggestion-supervision", map[string]any{"id": id, "date": next.AddDate(0, 0, 1).Format(time.DateOnly)})
		has("the 督办函 of the next day", later, "。"+cnDay(t, day)+"，镇人大主席团已将该建议列为重点督办建议。")
	})

	// The demo's overdue suggestion: put under 重点督办 and given a
	// co-handling department, the letter says so; answered, it gets none.
	t.Run("FollowTheReply", func(t *testing.T) {
		params := map[string]any{"id": "s-104", "date": "2023-12-20", "replyBy": "2023-12-30"}
		before := string(MustRender(t, reg, "suggestion-supervision", params, report.MARKDOWN).Content)
		if !strings.Contains(before, "办理期限已过") || strings.Contains(before, "重点督办") {
			t.Fatalf("before: the letter for s-104:\n%s", before)
		}
		MustMutate(t, api, `mutation { superviseSuggestion(id: "s-104", supervised: true) { id } }`, nil)
		MustMutate(t, api, `mutation { updateSuggestion(id: "s-104", input: {coDepartments: ["镇财政所"]}) { id } }`, nil)
		after := string(MustRender(t, reg, "suggestion-supervision", params, report.MARKDOWN).Content)
		for _, want := range []string{"镇人大主席团已将该建议列为重点督办建议。截至2023年12月20日，办理期限已过，你单位尚未答复代表。", "未能按期答复的原因，请一并书面说明。",
			"交你单位主办，镇财政所协办。", "会同镇财政所抓紧研究办理", "2023年12月20日\n:::\n\n::: left\n抄送：镇财政所。\n:::"} {
			if !strings.Contains(after, want) {
				t.Errorf("supervised, the letter lacks %q:\n%s", want, after)
			}
		}
		MustMutate(t, api, `mutation { updateSuggestion(id: "s-104", input: {reply: "已协调开通试运行班车。", replyClass: A}) { id } }`, nil)
		MustMutate(t, api, `mutation { transitionSuggestion(id: "s-104", to: REPLIED) { id } }`, nil)
		if _, err := reg.Render(t.Context(), "suggestion-supervision", params, report.MARKDOWN); records.ErrorCode(err) != records.ENOTFOUND || !strings.Contains(err.Error(), "不在等待承办单位答复的状态") {
			t.Errorf("a 督办函 for an answered suggestion: %v, want NOT_FOUND saying it is answered", err)
		}
	})

	// A round's units changed through the API: the table, the count of
	// units and who must put things right follow.
	t.Run("FollowTheAppraisal", func(t *testing.T) {
		before := string(MustRender(t, reg, "appraisal-results", appraisal, report.MARKDOWN).Content)
		for _, want := range []string{"对7个单位进行行风评议", "| 7 | 镇水利站 | 81.9 | 最不满意 |", "镇水利站要按照整改要求逐项落实"} {
			if !strings.Contains(before, want) {
				t.Fatalf("before: the 通报 lacks %q:\n%s", want, before)
			}
		}
		MustMutate(t, api, `mutation { updateActivity(id: "a-appr-dept-2", input: {appraisal: {subjects: [
			{name: "镇财政所", methods: ["述职", "质询", "测评票"], score: 90.6, rank: 1, verdict: "最满意"},
			{name: "镇派出所", methods: ["述职", "质询", "测评票"], score: 89.5, rank: 2, verdict: "满意"},
			{name: "镇水利站", methods: ["述职", "质询", "测评票"], score: 88.7, rank: 3, verdict: "满意"},
			{name: "镇国土资源所", methods: ["述职", "质询", "测评票"], score: 88.2, rank: 4, verdict: "满意"},
			{name: "镇供电所", methods: ["述职", "质询", "测评票"], score: 86.7, rank: 5, verdict: "满意"},
			{name: "镇工商所", methods: ["述职", "质询", "测评票"], score: 85.4, rank: 6, verdict: "满意"},
			{name: "镇林业站", methods: ["述职", "质询", "测评票"], score: 84.2, rank: 7, verdict: "基本满意"},
			{name: "镇地税所", methods: ["述职", "质询", "测评票"], score: 79.3, rank: 8, verdict: "最不满意", rectification: "一个月内制定整改方案，报镇人大主席团。"}]}}) { id } }`, nil)
		after := string(MustRender(t, reg, "appraisal-results", appraisal, report.MARKDOWN).Content)
		for _, want := range []string{"对8个单位进行行风评议", "| 3 | 镇水利站 | 88.7 | 满意 |", "| 8 | 镇地税所 | 79.3 | 最不满意 |",
			"镇地税所被评为最不满意单位，整改要求：一个月内制定整改方案，报镇人大主席团。", "镇地税所要按照整改要求逐项落实"} {
			if !strings.Contains(after, want) {
				t.Errorf("after the round changed, the 通报 lacks %q:\n%s", want, after)
			}
		}
		if strings.Contains(after, "镇水利站要按照") || strings.Contains(after, "镇水利站被评为最不满意") {
			t.Errorf("after the round changed, the 通报 still has 镇水利站 put things right:\n%s", after)
		}
	})
}

// mustMutateData runs a GraphQL operation through the API's HTTP handler
// and returns its data, field by field.
func mustMutateData(tb testing.TB, api http.Handler, query string, vars map[string]any) map[string]map[string]any {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	var out struct {
		Data   map[string]map[string]any
		Errors []any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || len(out.Errors) > 0 {
		tb.Fatalf("%s: %d %s", query, rec.Code, rec.Body.String())
	}
	return out.Data
}

// cnDay writes a YYYY-MM-DD day as a document does: 2023年4月5日.
func cnDay(tb testing.TB, day string) string {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		tb.Fatalf("day %q: %v", day, err)
	}
	return d.Format("2006年1月2日")
}
