package export_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestExport_Congress: the congress's lists export like any other, with
// the figures the records hold (attendance, verdicts, adoption).
func TestExport_Congress(t *testing.T) {
	h, _ := MustServer(t)
	for _, c := range []struct {
		list string
		rows int
		want []string
	}{
		{"sessions", 2, []string{"应到", "37", "35", "是", "听取和审议镇人民政府工作报告：34/0/1 通过"}},
		{"presidiumMeetings", 2, []string{"待落实事项", "第十八届人民代表大会第三次会议"}},
		{"livelihoodProjects", 8, []string{"赞成票", "五道川片区寄宿制小学建设"}},
	} {
		t.Run(c.list, func(t *testing.T) {
			rec := get(t, h, "/export/"+c.list+".csv", url.Values{"townships": {"qps"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			body, _ := bytes.CutPrefix(rec.Body.Bytes(), []byte("\xEF\xBB\xBF"))
			recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs)-1 != c.rows {
				t.Errorf("%d rows, want %d", len(recs)-1, c.rows)
			}
			all := string(body)
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("the export lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
