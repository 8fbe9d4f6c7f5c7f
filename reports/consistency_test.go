package reports_test

import (
	"context"
	"regexp"
	"testing"

	"renda/internal/records"
	"renda/internal/report"
)

// TestDeputyDocumentsAgree: a deputy's 述职报告 and 履职档案 say the same of
// her suggestions — answered, being handled, waiting to be assigned — for
// every deputy of the demo township who put one forward (they once said
// "10 answered" and "1 answered" of the same twelve).
func TestDeputyDocumentsAgree(t *testing.T) {
	s, _, reg := MustDemoRegistry(t)
	ds, err := records.FindAll(context.Background(), s.Deputies, records.Query{Townships: []string{"qps"}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	figure := func(re *regexp.Regexp, text string) string {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1]
		}
		return "0"
	}
	phrases := []struct {
		what           string
		report, record *regexp.Regexp
	}{
		{"answered", regexp.MustCompile(`已得到答复的(\d+)件`), regexp.MustCompile(`已得到答复(\d+)条`)},
		{"being handled", regexp.MustCompile(`正在办理的(\d+)件`), regexp.MustCompile(`正在办理(\d+)条`)},
		{"waiting", regexp.MustCompile(`正在交办的(\d+)件`), regexp.MustCompile(`正在交办(\d+)条`)},
		{"rejected", regexp.MustCompile(`未被受理的(\d+)件`), regexp.MustCompile(`不予受理(\d+)条`)},
	}
	compared := 0
	for _, d := range ds {
		params := map[string]any{"deputy": d.ID, "year": 2023}
		rep := string(MustRender(t, reg, "deputy-report", params, report.MARKDOWN).Content)
		rec := string(MustRender(t, reg, "deputy-duty-record", params, report.MARKDOWN).Content)
		if !phrases[0].record.MatchString(rec) {
			continue // no suggestion that year
		}
		compared++
		for _, p := range phrases {
			if a, b := figure(p.report, rep), figure(p.record, rec); a != b {
				t.Errorf("%s (%s): %s %s in the 述职报告, %s in the 履职档案", d.Name, d.ID, p.what, a, b)
			}
		}
	}
	if compared < 5 {
		t.Fatalf("compared %d deputies' documents, want the demo's many", compared)
	}
}
