package engine_test

import (
	"encoding/json"
	"testing"

	"renda/internal/records"
	"renda/internal/report/engine"
)

// render runs one template source with data.
func render(tb testing.TB, src string, data any) string {
	tb.Helper()
	return MustRender(tb, map[string]string{"t.tmpl": src}, engine.Options{}, data)
}

func TestCN(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`{{cnNum 0}}`, "零"},
		{`{{cnNum 10}}`, "十"},
		{`{{cnNum 110}}`, "一百一十"},
		{`{{cnNum 1005}}`, "一千零五"},
		{`{{cnNum 1050}}`, "一千零五十"},
		{`{{cnNum 10500}}`, "一万零五百"},
		{`{{cnNum 100000000}}`, "一亿"},
		{`{{cnNum 100000001}}`, "一亿零一"},
		{`{{cnNum -3}}`, "负三"},
		{`{{cnNum "23"}}`, "二十三"},
		{`{{cnNum .f}} {{cnNum .n}} {{cnNum .i}}`, "二十三 二十三 二十三"},
		{`{{cnCount 2}} {{cnCount 20}} {{cnCount 200}} {{cnCount 222}} {{cnCount 120000}} {{cnCount 200000000}}`, "两 二十 两百 两百二十二 十二万 两亿"},
		{`{{cnOrdinal 10}} {{cnNth 2}}`, "十是 第二"},
		{`{{section 1 12}} {{section 2 1}}`, "十二、 （一）"},
		{`{{approx 10}} {{approx 99.9}} {{approx 100}} {{approx 120}} {{approx 1500}} {{approx 20000}} {{approx 125000}} {{approx 320000000}} {{approx 7.46}} {{approx 0}}`, "10 90多 100 100多 1000多 2万 10万多 3亿多 7.5 0"},
		{`{{approx .f}} {{approx .n}}`, "20多 20多"},
		{`{{percent 2 3}} {{percent 1 8 1}} {{percent 1 2 1}} {{percent .n .f}} {{percent 0 0}}`, "67% 12.5% 50.0% 100% —"},
		{`{{round 62.44 1}} {{round 62.45 1}}`, "62.4 62.5"},
		{`{{dateText .span}} {{dateFull .span}} {{dateText .ptr}}`, "10月中旬 2023年10月中旬 上半年"},
		{`{{dateText (dict "date" "2023-12-01" "precision" "SEASON" "text" "wrong")}} {{dateFull (dict "date" "2023-01-01" "precision" "YEAR")}}`, "冬季 2023年"},
		{`{{cnDate "2023-10-11"}} {{cnMonth 12}}`, "2023年10月11日 12月"},
		{`{{cnJoin (list "甲")}}|{{cnJoin (list)}}|{{list 1 2.5 | cnJoin}}|{{list "a" "b" | cnJoin "/"}}`, "甲||1和2.5|a/b"},
	} {
		t.Run("OK/"+tc.src, func(t *testing.T) {
			data := map[string]any{
				"f": 23.0, "n": json.Number("23"), "i": 23,
				"span": records.DateSpan{Date: "2023-10-11", Precision: records.DEKAD},
				"ptr":  &records.DateSpan{Date: "2023-01-01", Precision: records.HALF},
			}
			if got := render(t, tc.src, data); got != tc.want {
				t.Errorf("%s\n got: %q\nwant: %q", tc.src, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, src, want string }{
		{"ErrNotWhole", `{{cnNum 2.5}}`, "not a whole number: 2.5"},
		{"ErrNotNumber", `{{cnCount "两"}}`, `not a number: "两"`},
		{"ErrNegativeCount", `{{cnCount -1}}`, "negative count"},
		{"ErrOrdinalZero", `{{cnOrdinal 0}}`, "not a position"},
		{"ErrSectionLevel", `{{section 5 1}}`, "level 5 is not 1..4"},
		{"ErrDateSpan", `{{dateText (dict "date" "2023-10-12" "precision" "DEKAD")}}`, "not a date span: a DEKAD (旬) span starts on day 1, 11 or 21"},
		{"ErrDateSpanType", `{{dateText 3}}`, "not a date span: a int"},
		{"ErrPercentDecimals", `{{percent 1 2 9}}`, "decimals 9 is not 0..6"},
		{"ErrMonth", `{{cnMonth 13}}`, "13 is not a month"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := MustError(t, map[string]string{"t.tmpl": tc.src}, engine.Options{}, nil)
			checkError(t, e, "t.tmpl", 1, 3, tc.want)
		})
	}
}

func TestList(t *testing.T) {
	data := engine.ExampleData()
	for _, tc := range []struct{ src, want string }{
		{`{{where .projects "lengthKm" 22.4 | mapField "name" | cnJoin}}`, "甘六号村村路"},
		{`{{where .projects "lengthKm" "22.4" | count}}`, "0"},
		{`{{where .deputies "village" nil | mapField "name" | cnJoin}}`, "赵六"},
		{`{{whereIn .deputies "levels" (list "CITY" "COUNTY") | mapField "name" | cnJoin}}`, "张三和王五"},
		{`{{whereIn .deputies "age" nil | count}} {{count (dict "a" 1)}}`, "0 1"},
		{`{{countBy .projects "surface" | toJson}}`, `{"ASPHALT":1,"CEMENT":1,"GRAVEL":1}`},
		{`{{countBy .deputies "village.name" | toJson}}`, `{"":1,"二十九号村":2,"甘六号村":1}`},
		{`{{range groupBy .deputies "levels"}}{{.key}}={{mapField .items "name" | cnJoin "、"}};{{end}}`, "COUNTY=张三、王五;TOWNSHIP=张三、李四、王五、赵六;CITY=王五;"},
		{`{{sortBy (list 3 "b" nil 1.5 "a" 2) "." | toJson}}`, `[null,1.5,2,3,"a","b"]`},
		{`{{sortBy .projects "village.name" | mapField "village.name" | cnJoin "、"}}`, "二十九号村、甘六号村、罗字十号村"},
		{`{{sum (mapField .deputies "age")}} {{sumBy .deputies "nothing"}}`, "196 0"},
		{`{{field . "inspections.villages.name" | distinct | cnJoin}}`, "二十九号村、甘六号村和罗字十号村"},
		{`{{. | field "township.villageCount"}}`, "15"},
		{`{{uniq (list 1 1 2) | toJson}}`, "[1,2]"},
	} {
		t.Run("OK/"+tc.src, func(t *testing.T) {
			if got := render(t, tc.src, data); got != tc.want {
				t.Errorf("%s\n got: %q\nwant: %q", tc.src, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, src, want string }{
		{"ErrNotList", `{{count "abc"}}`, "count: not a list or map: string"},
		{"ErrSumNotNumber", `{{sumBy .projects "name"}}`, `sumBy name: not a number: "二十九号村村路"`},
		{"ErrPathType", `{{mapField .projects 3}}`, "the field path must be a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := MustError(t, map[string]string{"t.tmpl": tc.src}, engine.Options{}, data)
			checkError(t, e, "t.tmpl", 1, 3, tc.want)
		})
	}
}
