package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// MustDemoRegistry loads the demo township into a fresh store and returns
// the store and a registry of the built-in plugins over it.
func MustDemoRegistry(tb testing.TB) (*records.Store, *graph.API, *report.Registry) {
	tb.Helper()
	s := storetest.MustDemo(tb)
	log := slog.New(slog.DiscardHandler)
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	return s, api, reg
}

// MustMutate runs a GraphQL mutation through the API's HTTP handler, as a
// clerk's client would.
func MustMutate(tb testing.TB, api http.Handler, query string, vars map[string]any) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		tb.Fatalf("mutation failed: %d %s", rec.Code, rec.Body.String())
	}
}

// MustRender renders a report or fails the test.
func MustRender(tb testing.TB, reg *report.Registry, id string, params map[string]any, f report.Format) *report.Rendered {
	tb.Helper()
	out, err := reg.Render(context.Background(), id, params, f)
	if err != nil {
		tb.Fatalf("render %s as %s: %v", id, f, err)
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./reports -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file; run go test ./reports -update and read the diff.\ngot:\n%s", path, got)
	}
}

// TestBuiltins renders every built-in report on the demo township and
// compares it with its golden file, then changes the records and checks
// that the figures follow.
func TestBuiltins(t *testing.T) {
	ctx := context.Background()
	s, api, reg := MustDemoRegistry(t)
	year := map[string]any{"township": "qps", "year": 2023}
	half := map[string]any{"township": "qps", "year": 2023, "period": "上半年"}
	deputyYear := map[string]any{"deputy": "d-005", "year": 2023}
	briefInspection := map[string]any{"id": "i-2023-05", "issue": 5}
	briefActivity := map[string]any{"id": "a-delib-street", "issue": 3}

	t.Run("AllLoad", func(t *testing.T) {
		entries, err := reg.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range entries {
			if e.Err != nil {
				t.Errorf("%s is broken: %v", e.ID, e.Err)
			}
			ids = append(ids, e.ID)
		}
		if got, want := strings.Join(ids, " "), "annual-summary appraisal-results deputy-duty-record deputy-report deputy-roster duty-points election-results inspection-report livelihood-ballot livelihood-progress presidium-minutes presidium-report reception-notice reception-record report-review session-agenda session-resolutions suggestion-assignment suggestion-report suggestion-supervision vote-results work-brief"; got != want {
			t.Fatalf("built-ins %q, want %q", got, want)
		}
	})
	t.Run("Golden", func(t *testing.T) {
		for _, c := range []struct {
			id     string
			params map[string]any
			format report.Format
			file   string
		}{
			{"annual-summary", year, report.MARKDOWN, "annual-summary.md"},
			{"annual-summary", year, report.TEXT, "annual-summary.txt"},
			{"annual-summary", map[string]any{"township": "qps", "year": 2021}, report.MARKDOWN, "annual-summary-2021.md"},
			{"deputy-roster", map[string]any{"township": "qps"}, report.MARKDOWN, "deputy-roster.md"},
			{"inspection-report", map[string]any{"inspection": "i-2023-05"}, report.MARKDOWN, "inspection-report.md"},
			{"deputy-duty-record", map[string]any{"deputy": "d-014", "year": 2023}, report.MARKDOWN, "deputy-duty-record.md"},
			{"annual-summary", half, report.MARKDOWN, "annual-summary-h1.md"},
			{"suggestion-report", year, report.MARKDOWN, "suggestion-report.md"},
			{"deputy-report", deputyYear, report.MARKDOWN, "deputy-report.md"},
			{"presidium-report", year, report.MARKDOWN, "presidium-report.md"},
			{"work-brief", briefInspection, report.MARKDOWN, "work-brief-inspection.md"},
			{"work-brief", briefActivity, report.MARKDOWN, "work-brief-activity.md"},
			// The Word documents, as a digest of their layout (MustDigest).
			{"annual-summary", year, report.DOCX, "annual-summary.docx.txt"},
			{"annual-summary", half, report.DOCX, "annual-summary-h1.docx.txt"},
			{"deputy-roster", map[string]any{"township": "qps"}, report.DOCX, "deputy-roster.docx.txt"},
			{"suggestion-report", year, report.DOCX, "suggestion-report.docx.txt"},
			{"deputy-report", deputyYear, report.DOCX, "deputy-report.docx.txt"},
			{"presidium-report", year, report.DOCX, "presidium-report.docx.txt"},
			{"work-brief", briefInspection, report.DOCX, "work-brief-inspection.docx.txt"},
			{"work-brief", briefActivity, report.DOCX, "work-brief-activity.docx.txt"},
		} {
			t.Run(c.file, func(t *testing.T) {
				out := MustRender(t, reg, c.id, c.params, c.format)
				if c.format == report.DOCX {
					golden(t, c.file, []byte(MustDigest(t, out.Content)))
					return
				}
				golden(t, c.file, out.Content)
			})
		}
	})
	// Files are named as a clerk files them: the township or deputy, the
	// year and the document's title, never an id.
	t.Run("Filenames", func(t *testing.T) {
		for _, c := range []struct {
			id     string
			params map[string]any
			want   string
		}{
			{"annual-summary", year, "棋盘山镇2023年度工作总结.docx"},
			{"annual-summary", half, "棋盘山镇2023年上半年工作总结.docx"},
			{"deputy-roster", map[string]any{"township": "qps"}, "棋盘山镇人大代表花名册.docx"},
			{"suggestion-report", year, "棋盘山镇关于2023年代表建议办理情况的通报.docx"},
			{"presidium-report", year, "棋盘山镇人大主席团2023年工作报告.docx"},
			{"work-brief", briefActivity, "棋盘山镇人大工作简报（"},
			{"work-brief", briefInspection, "棋盘山镇人大工作简报（"},
			{"deputy-report", deputyYear, "代表2023年度述职报告.docx"},
			{"deputy-duty-record", map[string]any{"deputy": "d-014", "year": 2023}, "2023年度履职档案.docx"},
			{"inspection-report", map[string]any{"inspection": "i-2023-05"}, "的视察报告.docx"},
			{"reception-notice", map[string]any{"reception": "r-2301"}, "接待选民日公告（"},
			{"reception-record", map[string]any{"reception": "r-2301"}, "接待选民记录（"},
			{"duty-points", map[string]any{"township": "qps", "year": 2023, "quarter": 2}, "棋盘山镇人大代表2023年第2季度履职积分公示表.docx"},
			{"report-review", year, "棋盘山镇关于2023年度人大代表述职评议测评结果的通报.docx"},
			{"suggestion-assignment", map[string]any{"id": "s-104"}, "棋盘山镇代表建议交办单（关于开通镇区至二十九号村客运班车的建议）.docx"},
			{"suggestion-supervision", map[string]any{"id": "s-104"}, "棋盘山镇代表建议督办函（关于开通镇区至二十九号村客运班车的建议）.docx"},
			{"appraisal-results", year, "棋盘山镇关于2023年度行风评议结果的通报.docx"},
			{"appraisal-results", map[string]any{"township": "qps", "year": 2023, "period": "上半年"}, "棋盘山镇关于2023年上半年行风评议结果的通报.docx"},
		} {
			t.Run(c.id, func(t *testing.T) {
				e, err := reg.Get(ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				format := report.DOCX
				if !slices.Contains(e.Plugin.Manifest.Formats, format) {
					format = e.Plugin.Manifest.Formats[0]
				}
				got := MustRender(t, reg, c.id, c.params, format).Filename
				want := strings.TrimSuffix(c.want, ".docx")
				if !strings.Contains(got, want) || strings.ContainsAny(got, "-_") || !strings.HasSuffix(got, format.Ext()) {
					t.Errorf("%s named %q, want one holding %q and no ids", c.id, got, want)
				}
			})
		}
	})
	// What is sent is addressed and signed: a 主送 under the title, a 落款
	// of the presidium with a date at the end.
	t.Run("OfficialParts", func(t *testing.T) {
		for _, c := range []struct {
			id     string
			params map[string]any
			to     string
		}{
			{"annual-summary", year, "围场满族蒙古族自治县人大常委会："},
			{"annual-summary", map[string]any{"township": "qps", "year": 2023, "to": "县人大常委会办公室"}, "县人大常委会办公室："},
			{"suggestion-report", year, "各代表小组"},
			{"inspection-report", map[string]any{"inspection": "i-2023-05"}, "棋盘山镇人民政府："},
		} {
			t.Run(c.id, func(t *testing.T) {
				md := string(MustRender(t, reg, c.id, c.params, report.MARKDOWN).Content)
				paras := strings.Split(md, "\n\n")
				if len(paras) < 3 || !strings.HasPrefix(paras[0], "# ") || !strings.HasPrefix(paras[1], "::: left\n"+c.to) {
					t.Errorf("%s: after the title %q, want the 主送 %q", c.id, paras[1], c.to)
				}
				last := strings.TrimSpace(paras[len(paras)-1])
				if c.id == "suggestion-report" {
					// A 通报 ends with its 版记: whom it is copied to, who printed it when.
					if !regexp.MustCompile(`^::: left\n抄送：.+。\n棋盘山镇人大主席团办公室[\s\x{3000}]+\d{4}年\d{1,2}月\d{1,2}日印发\n:::$`).MatchString(last) {
						t.Errorf("%s ends %q, want its 版记", c.id, last)
					}
					last = strings.TrimSpace(paras[len(paras)-2])
				}
				if !regexp.MustCompile(`^::: signature\n棋盘山镇人大主席团\n\d{4}年\d{1,2}月\d{1,2}日\n:::$`).MatchString(last) {
					t.Errorf("%s ends %q, want the presidium's 落款 with a date", c.id, last)
				}
			})
		}
		// A 通报's 发文字号 heads it; without one, the clerk is told.
		numbered := MustRender(t, reg, "suggestion-report", map[string]any{"township": "qps", "year": 2023, "docNo": "棋人大〔2024〕1号"}, report.MARKDOWN)
		if !strings.HasPrefix(string(numbered.Content), "::: center\n棋人大〔2024〕1号\n:::\n\n# 关于2023年") {
			t.Errorf("the 通报 with its 发文字号 begins %q", string(numbered.Content)[:min(80, len(numbered.Content))])
		}
		if w := MustRender(t, reg, "suggestion-report", year, report.MARKDOWN).Warnings; !strings.Contains(strings.Join(w, "|"), "发文字号") {
			t.Errorf("a 通报 without a 发文字号: warnings %q", w)
		}
		// A 视察报告 states the deputies' 意见和建议, and says when the
		// record has none.
		bare := MustRender(t, reg, "inspection-report", map[string]any{"inspection": "i-2023-05"}, report.MARKDOWN)
		if !strings.Contains(strings.Join(bare.Warnings, "|"), "意见和建议") {
			t.Errorf("an inspection without suggestions: warnings %q, want one naming 意见和建议", bare.Warnings)
		}
		// (On a store of its own: the demo's other documents would count it.)
		s2, _, reg2 := MustDemoRegistry(t)
		in, err := s2.Inspections.Get(ctx, "i-2023-05")
		if err != nil {
			t.Fatal(err)
		}
		in.ID, in.Version, in.Suggestions = "", 0, []string{"尽快完成甘六号村路面硬化", "建立村路日常养护制度"}
		made, err := s2.Inspections.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		with := MustRender(t, reg2, "inspection-report", map[string]any{"inspection": made.ID, "date": "2023-07-25"}, report.MARKDOWN)
		for _, want := range []string{"## 三、意见和建议", "一是尽快完成甘六号村路面硬化。", "二是建立村路日常养护制度。", "2023年7月25日"} {
			if !strings.Contains(string(with.Content), want) {
				t.Errorf("the report of an inspection with suggestions lacks %q:\n%s", want, with.Content)
			}
		}
		if len(with.Warnings) != 0 {
			t.Errorf("warnings %q, want none", with.Warnings)
		}
	})
	t.Run("ReadsAsWritten", func(t *testing.T) {
		testSummaryReadsAsWritten(t, reg, map[string]map[string]any{
			"year": year, "half": half, "deputy": deputyYear, "briefInspection": briefInspection, "briefActivity": briefActivity,
		})
	})
	t.Run("Roster", func(t *testing.T) { testRoster(t, reg) })
	t.Run("ReferenceFacts", func(t *testing.T) {
		// The reference document's figures, as the summary must state them.
		md := string(MustRender(t, reg, "annual-summary", year, report.MARKDOWN).Content)
		for _, fact := range []string{
			"五楼代表活动室", "挤出一万元资金", "微机一台", "三个职责", "六个制度", "“六簿一册”", "一名专职秘书和两名兼职信息员",
			"主要开展了三项“民主议政日”活动", "4月5日", "23名人大代表、镇中心校负责人", "张家湾乡",
			"以二十九号村为试点", "先后召开了三次代表会", "16个施工队参与竞争", "全体代表的一致同意",
			"市、县、镇三级代表及村民代表56人", "棋盘山村",
			"春季", "9月11日", "对全镇15个村", "10月中旬", "上半年", "7月中旬", "二十九号村、甘六号村和罗字十号村",
			"全镇15个村就有13个村进行了村路建设", "总里程长达60多公里", "水泥路长达20多公里", "二十九号村和头道川村是全镇的两个市级文明生态示范村",
			"有15个基层站所", "质询", "发测评票", "镇中心卫生院被评为最满意单位", "镇财政所被评为最不满意单位", "共四名领导干部",
			"每季度第一个月的10日", "坚持了三年，从未间断",
			"由每年一次改为四次", "每名县镇人大代表联系2名选民", "县级优秀代表2名", "镇级优秀代表5名",
		} {
			if !strings.Contains(md, fact) {
				t.Errorf("the summary does not say %q", fact)
			}
		}
	})
	t.Run("Formats", func(t *testing.T) {
		d := MustRender(t, reg, "annual-summary", year, report.DOCX)
		if d.Filename != "棋盘山镇2023年度工作总结.docx" || d.MimeType != report.DOCX.MimeType() {
			t.Errorf("DOCX named %q (%s)", d.Filename, d.MimeType)
		}
		body := MustUnzip(t, d.Content, "word/document.xml")
		for _, want := range []string{"棋盘山镇人大主席团2023年度工作总结", `w:w="11906"`, `w:h="16838"`, "60多公里"} {
			if !strings.Contains(body, want) {
				t.Errorf("word/document.xml lacks %q", want)
			}
		}
		h := MustRender(t, reg, "annual-summary", year, report.HTML)
		if !bytes.Contains(h.Content, []byte("<title>棋盘山镇人大主席团2023年度工作总结</title>")) || !bytes.Contains(h.Content, []byte("@page")) {
			t.Errorf("HTML lacks its title or print stylesheet")
		}
		x := MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps"}, report.XLSX)
		f, err := excelize.OpenReader(bytes.NewReader(x.Content))
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for _, sheet := range f.GetSheetList() {
			r, _ := f.GetRows(sheet)
			rows += len(r) - 1
		}
		// The demo's 37 镇级 deputies in 5 groups, then its 10 县级 and 3 市级
		// deputies (some at two levels, listed in each).
		if n := len(f.GetSheetList()); n != 7 || rows != 50 {
			t.Errorf("roster workbook: %d sheets, %d rows; want 5 groups and the 县级 and 市级 lists, 50 rows", n, rows)
		}
		// The 通报's table by department, in Excel: its counts are numbers an analyst can sum.
		sx := MustRender(t, reg, "suggestion-report", year, report.XLSX)
		sf, err := excelize.OpenReader(bytes.NewReader(sx.Content))
		if err != nil {
			t.Fatal(err)
		}
		sheet := sf.GetSheetList()[0]
		if v, _ := sf.GetCellValue(sheet, "B2"); v != "26" {
			t.Errorf("通报 workbook B2 = %q, want 镇交通办's 26 suggestions", v)
		}
		if typ, _ := sf.GetCellType(sheet, "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("通报 workbook: the counts are stored as text")
		}
		sh := MustRender(t, reg, "suggestion-report", year, report.HTML)
		if !bytes.Contains(sh.Content, []byte(`<p class="signature">棋盘山镇人大主席团<br>`)) {
			t.Errorf("the 通报 in HTML lacks its 落款")
		}
	})
	t.Run("ErrBadParams", func(t *testing.T) {
		for _, c := range []struct {
			params map[string]any
			field  string
		}{
			{map[string]any{"township": "qps"}, "params.year"},
			{map[string]any{"township": "qps", "year": "二〇二三"}, "params.year"},
			{map[string]any{"township": "qps", "year": 2023, "yaer": 2023}, "params.yaer"},
		} {
			_, err := reg.Render(ctx, "annual-summary", c.params, report.MARKDOWN)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != c.field {
				t.Errorf("params %v: got %v, want EINVALID on %s", c.params, err, c.field)
			}
		}
		if _, err := reg.Render(ctx, "annual-summary", year, report.XLSX); records.ErrorField(err) != "format" {
			t.Errorf("XLSX of the summary (not offered): got %v, want EINVALID on format", err)
		}
		if _, err := reg.Render(ctx, "no-such-report", nil, ""); records.ErrorCode(err) != records.ENOTFOUND {
			t.Errorf("unknown report: got %v, want ENOTFOUND", err)
		}
	})

	// The worked example of docs/report-plugins.md, copied out of the guide
	// as a newcomer would, loads and renders without any change to renda.
	t.Run("GuideExample", func(t *testing.T) {
		dir := MustGuidePlugin(t, "../docs/report-plugins.md", "village-roads")
		log := slog.New(slog.DiscardHandler)
		guideReg := report.NewRegistry(report.RegistryConfig{Schema: graph.New(s, log), Logger: log, Dirs: []string{dir}})
		md := MustRender(t, guideReg, "village-roads", year, report.MARKDOWN)
		for _, want := range []string{"# 棋盘山镇2023年村路建设统计", "15个村中有13个村进行了村路建设", "总里程62.4公里（约60多公里）", "| 2 | 二十九号村村村通公路 | 二十九号村 | 6.2 | 水泥 |"} {
			if !strings.Contains(string(md.Content), want) {
				t.Errorf("the guide's example lacks %q:\n%s", want, md.Content)
			}
		}
		x := MustRender(t, guideReg, "village-roads", year, report.XLSX)
		f, err := excelize.OpenReader(bytes.NewReader(x.Content))
		if err != nil {
			t.Fatalf("the guide's example as XLSX: %v", err)
		}
		// The guide marks 里程 as a column of numbers (---:): a sum in Excel works on it.
		if typ, _ := f.GetCellType(f.GetSheetList()[0], "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("the guide's 里程 column is stored as text (%v), want numbers", typ)
		}
		empty := MustRender(t, guideReg, "village-roads", map[string]any{"township": "qps", "year": 2020}, report.MARKDOWN)
		if len(empty.Warnings) != 1 || !strings.Contains(string(empty.Content), "没有道路建设项目") {
			t.Errorf("a year without roads: %q, warnings %q", empty.Content, empty.Warnings)
		}
	})

	t.Run("Traces", func(t *testing.T) { testTraces(t, api, reg) })

	// A road and an honour added through the API change their figures in
	// the next render.
	t.Run("FiguresFollowRecords", func(t *testing.T) {
		before := string(MustRender(t, reg, "annual-summary", year, report.MARKDOWN).Content)
		for _, want := range []string{"15个村就有13个村进行了村路建设", "镇级优秀代表5名"} {
			if !strings.Contains(before, want) {
				t.Fatalf("before: the summary lacks %q", want)
			}
		}
		MustMutate(t, api, `mutation($v: ID!) { createProject(input: {township: "qps", name: "第十四条村路", kind: ROAD,
			villageIds: [$v], year: 2023, status: COMPLETED, lengthKm: 8, surface: GRAVEL}) { id } }`,
			map[string]any{"v": MustRoadlessVillage(t, s)})
		MustMutate(t, api, `mutation { updateDeputy(id: "d-030", input: {honours: [{year: 2023, title: "优秀人大代表", level: TOWNSHIP}]}) { id } }`, nil)
		after := string(MustRender(t, reg, "annual-summary", year, report.MARKDOWN).Content)
		for _, want := range []string{"15个村就有14个村进行了村路建设", "总里程长达70多公里", "镇级优秀代表6名"} {
			if !strings.Contains(after, want) {
				t.Errorf("after adding a road and an honour, the summary lacks %q", want)
			}
		}
	})
}

// MustGuidePlugin writes the files of the guide's code blocks marked
// "file=NAME" into a plugin folder named id, and returns the folder's parent.
func MustGuidePlugin(tb testing.TB, guide, id string) string {
	tb.Helper()
	src, err := os.ReadFile(guide)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, id), 0o755); err != nil {
		tb.Fatal(err)
	}
	n := 0
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		_, name, ok := strings.Cut(lines[i], " file=")
		if !strings.HasPrefix(lines[i], "```") || !ok {
			continue
		}
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		if err := os.WriteFile(filepath.Join(dir, id, name), []byte(strings.Join(body, "\n")+"\n"), 0o644); err != nil {
			tb.Fatal(err)
		}
		n++
	}
	if n < 3 {
		tb.Fatalf("found %d files in %s, want the manifest, query and templates", n, guide)
	}
	return dir
}

// MustRoadlessVillage returns a demo village with no road project in 2023.
func MustRoadlessVillage(tb testing.TB, s *records.Store) string {
	tb.Helper()
	ctx := context.Background()
	q := records.Query{Townships: []string{"qps"}, First: records.MaxPageSize}
	villages, err := s.Villages.Find(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	projects, err := s.Projects.Find(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	withRoad := map[string]bool{}
	for _, p := range projects.Items {
		if p.Kind == records.ROAD && p.Year == 2023 {
			for _, v := range p.VillageIDs {
				withRoad[v] = true
			}
		}
	}
	for _, v := range villages.Items {
		if !withRoad[v.ID] {
			return v.ID
		}
	}
	tb.Fatal("every village has a road")
	return ""
}

// MustUnzip returns one file of a zip archive (a DOCX) as text.
func MustUnzip(tb testing.TB, b []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// TestAnnualSummarySparseRecords renders the summary of a township whose
// records are thin — details missing, a series without a village, a
// deputy with no voters — and checks it neither fails nor writes
// nonsense.
func TestAnnualSummarySparseRecords(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t)
	log := slog.New(slog.DiscardHandler)
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS})
	tw, err := s.Townships.Create(ctx, &records.Township{Name: "小镇", County: "某县"})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: tw.ID}, Name: "甲", Levels: []records.Level{records.TOWNSHIP}})
	if err != nil {
		t.Fatal(err)
	}
	day := func(d string) records.DateSpan {
		return records.DateSpan{Date: records.Date(d), Precision: records.DAY}
	}
	for _, a := range []*records.Activity{
		{Kind: records.DELIBERATION, Title: "议政", Date: day("2023-03-01")},
		{Kind: records.DELIBERATION, Title: "第一次会", Date: day("2023-04-01"), OtherParticipants: []records.Headcount{{Kind: "村民代表", Count: 30}}},
		{Kind: records.DELIBERATION, Title: "第二次会", Date: day("2023-05-01"), ParticipantIDs: []string{dep.ID},
			Deliberation: &records.Deliberation{Topic: "集资", Votes: &records.Votes{For: 1}}},
		{Kind: records.STANDARDIZATION, Title: "建档", Date: day("2023-02-01"), Standardization: &records.Standardization{Items: []string{"会议记录簿", "来信记录簿"}}},
		{Kind: records.STANDARDIZATION, Title: "添置设备", Date: day("2023-02-02")},
		{Kind: records.VISIT, Title: "走访", Date: day("2023-06-01")},
		{Kind: records.VISIT, Title: "再走访", Date: day("2023-09-01")},
		{Kind: records.VISIT, Title: "去年走访", Date: day("2022-06-01")},
		{Kind: records.GROUP_DAY, Title: "活动日", Date: day("2023-01-10")},
		{Kind: records.GROUP_DAY, Title: "活动日", Date: day("2023-04-10")},
	} {
		a.Township = tw.ID
		if a.Title == "第一次会" {
			a.Deliberation = &records.Deliberation{Topic: "集资方式"}
		}
		if a.Title == "第一次会" || a.Title == "第二次会" {
			a.Deliberation.Series = "集资试点"
		}
		if _, err := s.Activities.Create(ctx, a); err != nil {
			t.Fatalf("%s: %v", a.Title, err)
		}
	}
	// Two inspections without an order: 上半年 starts first, 春季 ends first; the summary tells 春季 first.
	for _, x := range []*records.Inspection{
		{Topic: "视察牲畜市场", Date: records.DateSpan{Date: "2023-01-01", Precision: records.HALF}},
		{Topic: "视察农资市场", Date: records.DateSpan{Date: "2023-03-01", Precision: records.SEASON}},
	} {
		x.Township = tw.ID
		if _, err := s.Inspections.Create(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Suggestions.Create(ctx, &records.Suggestion{Meta: records.Meta{Township: tw.ID}, DeputyID: dep.ID, Kind: records.SUGGESTION,
		Title: "修路", Submitted: "2023-05-05", Valuable: true}); err != nil {
		t.Fatal(err)
	}
	out, err := reg.Render(ctx, "annual-summary", map[string]any{"township": tw.ID, "year": 2023}, report.MARKDOWN)
	if err != nil {
		t.Fatal(err)
	}
	md := string(out.Content)
	for _, want := range []string{"主要开展了两项", "先后召开了两次代表会", "由每年一次改为两次", "建立了两个记录簿册", "1名代表反馈了有价值的信息或建议", "今年共开展代表小组活动日两次",
		"一是视察农资市场。春季", "二是视察牲畜市场。上半年"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	for _, bad := range []string{"零册", "改为二次", "召开了二次", "联系0名", "组织0人", "“”", "中标", "<no value>", "一级代表"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary says %q:\n%s", bad, md)
		}
	}
	if len(out.Warnings) != 2 || !strings.Contains(strings.Join(out.Warnings, "|"), "明年工作打算") {
		t.Errorf("warnings %q, want the two sections without records (appraisals, next year's plan)", out.Warnings)
	}
}
