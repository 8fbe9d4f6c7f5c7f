package reports_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"renda/internal/report"
)

// bareStarts are words a sentence cannot begin with and keep its subject:
// verbs and the adverbs and prepositions that lead into a predicate
// ("及时向市场管委会提出了…", "为实现现代化办公提供了保障", "使我镇…").
var bareStarts = []string{
	"及时", "向", "使", "提出", "配备", "挤出", "建立", "完善", "组织", "开展", "进行", "促进", "推动",
	"加强", "把", "一致", "听取", "敲定", "强化", "督促", "查看", "继续", "坚持", "给", "密切", "有效",
}

// sentences splits Markdown prose into sentences ending in 。, leaving out
// headings, tables and fenced blocks; an enumeration word (一是) or a list
// number opening a paragraph is not part of its first sentence.
func sentences(md string) (out []string, enumerated map[int]bool) {
	enumerated = map[int]bool{}
	fence := false
	enum := regexp.MustCompile(`^([一二三四五六七八九十]+是|\d+\. )`)
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, ":::"):
			fence = !fence && strings.TrimSpace(line) != ":::"
			continue
		case fence, strings.HasPrefix(line, "#"), strings.HasPrefix(line, "|"), strings.TrimSpace(line) == "":
			continue
		}
		if enum.MatchString(line) {
			enumerated[len(out)] = true
			line = enum.ReplaceAllString(line, "")
		}
		for _, s := range strings.SplitAfter(line, "。") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out, enumerated
}

// CheckReadsAsWritten fails for the faults a clerk would have to mend
// before signing: a sentence that begins with a bare verb, a sentence said
// twice, a placeholder left in.
func CheckReadsAsWritten(t *testing.T, md string) {
	t.Helper()
	seen := map[string]bool{}
	all, enumerated := sentences(md)
	for i, s := range all {
		for _, w := range bareStarts {
			// After an enumeration word (一是…) a predicate may stand alone; not after a full stop.
			if strings.HasPrefix(s, w) && !enumerated[i] {
				t.Errorf("a sentence begins with %q and has no subject: %s", w, s)
			}
		}
		if strings.HasPrefix(s, "为") && !strings.HasPrefix(s, "为了") {
			t.Errorf("a sentence begins with 为 and has no subject: %s", s)
		}
		if utf8.RuneCountInString(s) > 8 && seen[s] {
			t.Errorf("said twice: %s", s)
		}
		seen[s] = true
	}
	for _, bad := range []string{"××", "<no value>", "零件", "零名"} {
		if strings.Contains(md, bad) {
			t.Errorf("the document says %q", bad)
		}
	}
}

// testSummaryReadsAsWritten checks the 2023 summary for each fault the
// issue found in it, and every new document for the same faults.
func testSummaryReadsAsWritten(t *testing.T, reg *report.Registry, params map[string]map[string]any) {
	year := params["year"]
	md := string(MustRender(t, reg, "annual-summary", year, report.MARKDOWN).Content)
	t.Run("OK", func(t *testing.T) { CheckReadsAsWritten(t, md) })
	t.Run("SuggestionsOnce", func(t *testing.T) {
		// The inspection that made suggestions to the market committee says so once, with its subject.
		for phrase, want := range map[string]int{"向市场管委会提出": 1, "长效保洁机制": 1, "限期达标": 1} {
			if n := strings.Count(md, phrase); n != want {
				t.Errorf("%q appears %d times, want %d", phrase, n, want)
			}
		}
		if strings.Contains(md, "代表们建议：就视察中发现的问题") {
			t.Error("the summary still suggests making suggestions")
		}
	})
	t.Run("MoneyAsRecorded", func(t *testing.T) {
		// The record: the 一万元 bought the computer (standardization.amountFor), the furniture came without it.
		if !strings.Contains(md, "配备了文件橱和办公桌椅，并挤出一万元资金配备了微机一台。") {
			t.Errorf("the 一万元 sentence is not as the record states it:\n%s", md)
		}
		if regexp.MustCompile(`一万元资金[^。；]*文件橱`).MatchString(md) {
			t.Error("the 一万元 is spent on the furniture too")
		}
	})
	t.Run("Phrasing", func(t *testing.T) {
		for _, bad := range []string{"最满意的单位镇中心卫生院", "最不满意的单位镇财政所", "8名代表做到了每月至少反馈一条"} {
			if strings.Contains(md, bad) {
				t.Errorf("the summary still says %q", bad)
			}
		}
		for _, want := range []string{"镇中心卫生院被评为最满意单位", "其中8名代表每月都有有价值的反馈"} {
			if !strings.Contains(md, want) {
				t.Errorf("the summary lacks %q", want)
			}
		}
	})
	t.Run("InspectionOrder", func(t *testing.T) {
		// The demo's inspections carry the reference's order (their order): 春季 first, 上半年 fourth.
		spring, half := strings.Index(md, "一是视察农资市场"), strings.Index(md, "四是视察大牲畜交易市场")
		if spring < 0 || half < 0 {
			t.Fatalf("the inspections are not in the order their records give:\n%s", md)
		}
	})
	t.Run("ClosingParts", func(t *testing.T) {
		for _, want := range []string{"## 七、存在的问题", "尚有10件正在办理、13件尚未交办", "## 八、明年工作打算", "一是组织人大代表对政府镇长的工作进行评议。"} {
			if !strings.Contains(md, want) {
				t.Errorf("the summary lacks %q", want)
			}
		}
	})
	t.Run("Signature", func(t *testing.T) {
		if !strings.HasSuffix(md, "::: signature\n棋盘山镇人大主席团\n2023年12月31日\n:::\n") {
			t.Errorf("the summary does not end with its 落款:\n%s", md[max(0, len(md)-200):])
		}
		dated := string(MustRender(t, reg, "annual-summary", map[string]any{"township": "qps", "year": 2023, "date": "2024-01-05"}, report.MARKDOWN).Content)
		if !strings.Contains(dated, "\n2024年1月5日\n") {
			t.Error("the date parameter does not date the 落款")
		}
		body := MustUnzip(t, MustRender(t, reg, "annual-summary", year, report.DOCX).Content, "word/document.xml")
		end := strings.LastIndex(body, ">棋盘山镇人大主席团</w:t>")
		start := strings.LastIndex(body[:max(end, 0)], "<w:p>")
		if end < 0 || start < 0 {
			t.Fatal("word/document.xml has no 落款")
		}
		issuer := body[start:end]
		if !strings.Contains(issuer, `<w:jc w:val="right">`) || !strings.Contains(issuer, `w:rightChars="200"`) {
			t.Errorf("the issuer of the 落款 is not right-aligned two characters in: %s", issuer)
		}
	})
	t.Run("EveryDocument", func(t *testing.T) {
		for _, c := range []struct{ id, p string }{
			{"annual-summary", "half"}, {"suggestion-report", "year"}, {"deputy-report", "deputy"},
			{"presidium-report", "year"}, {"work-brief", "briefInspection"}, {"work-brief", "briefActivity"},
		} {
			t.Run(c.id+"/"+c.p, func(t *testing.T) {
				CheckReadsAsWritten(t, string(MustRender(t, reg, c.id, params[c.p], report.MARKDOWN).Content))
			})
		}
	})
}

// testRoster checks the roster in both formats: 出生年月 stays "1974.10" in
// Excel, and in Word every table has the same column widths, wide enough
// for the longest name, 民族 and 政治面貌 on one line.
func testRoster(t *testing.T, reg *report.Registry) {
	params := map[string]any{"township": "qps"}
	// Each list gives the 选区 of the term at its level on the roster's day:
	// 杨树森 sits for 第八选区 in the township and, from the by-election of
	// 2023-03-28, for 县第三选区 in the county; before it, not in the county list.
	t.Run("Constituencies", func(t *testing.T) {
		md := string(MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps", "asOf": "2023-06-30"}, report.MARKDOWN).Content)
		county := md[strings.Index(md, "县级人大代表（"):]
		for _, want := range []string{"| 甘六号村党支部书记 | 甘六号村 | 第八选区 |"} {
			if !strings.Contains(md[:len(md)-len(county)], want) {
				t.Errorf("the 镇级 lists lack %q", want)
			}
		}
		if !strings.Contains(county, "| 甘六号村党支部书记 | 甘六号村 | 县第三选区 |") {
			t.Errorf("the 县级 list does not give 杨树森's county 选区:\n%s", county)
		}
		before := string(MustRender(t, reg, "deputy-roster", map[string]any{"township": "qps", "asOf": "2023-03-27"}, report.MARKDOWN).Content)
		if strings.Contains(before, "县第三选区") {
			t.Errorf("a roster of the day before the by-election gives its 选区")
		}
	})
	t.Run("XLSXKeepsText", func(t *testing.T) {
		x := MustRender(t, reg, "deputy-roster", params, report.XLSX)
		f, err := excelize.OpenReader(bytes.NewReader(x.Content))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		found := 0
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			for r, row := range rows[1:] {
				if len(row) > 4 && row[4] == "1974.10" {
					found++
					cell, _ := excelize.CoordinatesToCellName(5, r+2)
					if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s!%s: 1974.10 is stored as %v, want text", sheet, cell, typ)
					}
				}
				if len(row) > 4 && regexp.MustCompile(`^\d{4}\.\d$`).MatchString(row[4]) {
					t.Errorf("出生年月 %q lost its trailing zero", row[4])
				}
			}
		}
		if found == 0 {
			t.Fatal("no deputy born 1974.10 in the roster workbook (吴桂芝)")
		}
	})
	t.Run("DOCXColumns", func(t *testing.T) {
		body := MustUnzip(t, MustRender(t, reg, "deputy-roster", params, report.DOCX).Content, "word/document.xml")
		grids := regexp.MustCompile(`<w:tblGrid>(.*?)</w:tblGrid>`).FindAllStringSubmatch(body, -1)
		if len(grids) != 7 {
			t.Fatalf("%d tables, want one per group of 镇级 deputies (5), then 县级 and 市级", len(grids))
		}
		for _, g := range grids[1:] {
			if g[1] != grids[0][1] {
				t.Fatalf("column widths differ between groups:\n%s\n%s", grids[0][1], g[1])
			}
		}
		var widths []int
		for _, m := range regexp.MustCompile(`w:w="(\d+)"`).FindAllStringSubmatch(grids[0][1], -1) {
			w, _ := strconv.Atoi(m[1])
			widths = append(widths, w)
		}
		size := regexp.MustCompile(`<w:tbl>.*?<w:sz w:val="(\d+)">`).FindStringSubmatch(body)
		if size == nil || len(widths) != 10 {
			t.Fatalf("table font size %v, %d columns", size, len(widths))
		}
		halfPt, _ := strconv.Atoi(size[1])
		// A character is halfPt×10 twips wide; a cell has 2×108 twips of margin.
		for col, longest := range map[int]string{1: "三个字", 3: "蒙古族", 4: "1974.10", 5: "中共党员", 7: "二十九号村", 8: "第十五选区", 9: "13800000029"} {
			need := 216
			for _, r := range longest {
				if r < 0x80 {
					need += halfPt * 5
				} else {
					need += halfPt * 10
				}
			}
			if widths[col] < need {
				t.Errorf("column %d is %d twips wide, %q needs %d at %d half-points", col, widths[col], longest, need, halfPt)
			}
		}
		sum := 0
		for _, w := range widths {
			sum += w
		}
		if sum > 11906-1588-1474 {
			t.Errorf("the columns add up to %d twips, more than the text width", sum)
		}
	})
}
