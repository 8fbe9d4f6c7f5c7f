package importer_test

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"renda/internal/importer"
)

// TestValues imports the ways clerks write birth months, levels and
// genders, and checks what is stored.
func TestValues(t *testing.T) {
	s := MustTownship(t)
	rows := [][]string{{"姓名", "性别", "出生年月", "代表层级"}}
	cases := []struct{ name, gender, birth, levels, wantBirth, wantLevels string }{
		{"甲一", "男", "1968.03", "镇级", "1968-03-01", "TOWNSHIP"},
		{"甲二", "女", "1968.3", "县级、镇级", "1968-03-01", "COUNTY TOWNSHIP"},
		{"甲三", "男性", "1968年3月", "县级,镇级", "1968-03-01", "COUNTY TOWNSHIP"},
		{"甲四", "女性", "1968-03", "县级/镇级", "1968-03-01", "COUNTY TOWNSHIP"},
		{"甲五", "男", "1968/3", "县级，镇级", "1968-03-01", "COUNTY TOWNSHIP"},
		{"甲六", "男", "1968.03.15", "乡级", "1968-03-15", "TOWNSHIP"},
		{"甲七", "男", "1968年3月15日", "市级、县级、镇级", "1968-03-15", "CITY COUNTY TOWNSHIP"},
		{"甲八", "男", "196803", "县镇两级", "1968-03-01", "COUNTY TOWNSHIP"},
		{"甲九", "男", "19680315", "市县乡三级", "1968-03-15", "CITY COUNTY TOWNSHIP"},
		{"甲十", "男", "１９６８．０３", "县级人大代表", "1968-03-01", "COUNTY"},
		{"乙一", "男", "1968/3/15", "镇级 县级", "1968-03-15", "COUNTY TOWNSHIP"},
	}
	for _, c := range cases {
		rows = append(rows, []string{c.name, c.gender, c.birth, c.levels})
	}
	refused := []struct{ name, gender, birth, levels, reason string }{
		{"丙一", "男", "68.03", "镇级", "年份只有两位"},
		{"丙二", "男", "1968.02.30", "镇级", "2 月 30 日不存在"},
		{"丙三", "男", "2999.01", "镇级", "不在合理的年份范围内"},
		{"丙四", "男", "三月", "镇级", "“三月”无法识别"},
		{"丙五", "男", "1968.03", "省级", "“省级”无法识别"},
		{"丙六", "M?", "1968.03", "镇级", "性别“M?”无法识别"},
	}
	for _, c := range refused {
		rows = append(rows, []string{c.name, c.gender, c.birth, c.levels})
	}
	res := MustImport(t, s, csvOf(rows...), importer.Options{})
	ds := MustDeputies(t, s)
	for _, c := range cases {
		d := ds[c.name]
		if d == nil {
			t.Errorf("%s (%s, %s) not stored", c.name, c.birth, c.levels)
			continue
		}
		if got := dateOf(d.BirthDate); got != c.wantBirth {
			t.Errorf("%s: birth %q stored as %s, want %s", c.name, c.birth, got, c.wantBirth)
		}
		if got := levels(d.Levels); got != c.wantLevels {
			t.Errorf("%s: levels %q stored as %s, want %s", c.name, c.levels, got, c.wantLevels)
		}
	}
	for i, c := range refused {
		r := rowAt(t, res, len(cases)+2+i)
		if r.Action != importer.Refused || !strings.Contains(problems(r), c.reason) {
			t.Errorf("%s (%s, %s, %s): %s %q, want refused saying %q", c.name, c.gender, c.birth, c.levels, r.Action, problems(r), c.reason)
		}
	}
}

// TestDateCells reads the birth months an XLSX holds as cells: a real date,
// a number that would lose a month's zero, and text.
func TestDateCells(t *testing.T) {
	s := MustTownship(t)
	file := MustXLSX(t, sheetRows{"花名册", [][]any{
		{"姓名", "出生年月", "代表层级"},
		{"丁一", time.Date(1981, 7, 1, 0, 0, 0, 0, time.UTC), "镇级"},
		{"丁二", 1975.05, "镇级"},
		{"丁三", 1975.1, "镇级"},
		{"丁四", "1975.1", "镇级"},
	}})
	res := MustImport(t, s, file, importer.Options{})
	if got, want := plan(res), "2:create 3:create 4:refused 5:create"; got != want {
		t.Fatalf("plan: got %s, want %s", got, want)
	}
	if p := problems(rowAt(t, res, 4)); !strings.Contains(p, "分不清是 1 月还是 10 月") {
		t.Errorf("the number 1975.1: %q, want the ambiguity explained", p)
	}
	ds := MustDeputies(t, s)
	for name, want := range map[string]string{"丁一": "1981-07-01", "丁二": "1975-05-01", "丁四": "1975-01-01"} {
		if got := dateOf(ds[name].BirthDate); got != want {
			t.Errorf("%s: stored %s, want %s", name, got, want)
		}
	}
}

// TestEncodings imports the same CSV as Excel writes it on Chinese Windows
// (GBK), as "CSV UTF-8" (with a byte-order mark), without one, and as
// "Unicode text" (UTF-16, tab-separated).
func TestEncodings(t *testing.T) {
	utf8 := string(csvOf(
		[]string{"序号", "姓名", "性别", "出生年月", "代表层级", "所在村"},
		[]string{"1", "包国庆", "男", "1969年3月", "县级、镇级", "西山村"},
		[]string{"2", "阿依古丽·买买提", "女", "1988.12", "镇级", "五道川村"},
	))
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf8)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(utf8, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data string }{
		{"GBK", gbk},
		{"UTF8BOM", "\xEF\xBB\xBF" + utf8},
		{"UTF8", utf8},
		{"UTF16", utf16},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := MustTownship(t)
			res := MustImport(t, s, []byte(c.data), importer.Options{})
			if got := plan(res); got != "2:create 3:create" {
				t.Fatalf("plan: got %s (%+v), want both rows created", got, res.Rows)
			}
			ds := MustDeputies(t, s)
			if d := ds["包国庆"]; d == nil || d.VillageID != villageID(t, s, "西山村") || dateOf(d.BirthDate) != "1969-03-01" {
				t.Errorf("包国庆 stored as %+v", d)
			}
			if ds["阿依古丽·买买提"] == nil {
				t.Errorf("stored %v, want 阿依古丽·买买提 by her name", keys(ds))
			}
		})
	}
	t.Run("ErrUnknownEncoding", func(t *testing.T) {
		s := MustTownship(t)
		err := importErr(t, s, []byte("\x81\x30姓名,性别\n\xff\xfe\xfd"), importer.Options{})
		if !strings.Contains(err.Error(), "编码") {
			t.Errorf("got %v, want the encoding named", err)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestCSVRows numbers a CSV's rows as Excel shows them: a blank line is a
// row, a line break inside a quoted cell is not.
func TestCSVRows(t *testing.T) {
	s := MustTownship(t)
	file := "姓名,出生年月,代表层级\r\n赵一,1970.01,镇级\r\n\r\n\"钱\n二\",1971.02,镇级\r\n孙三,1972.13,镇级\r\n"
	res := MustImport(t, s, []byte(file), importer.Options{DryRun: true})
	if got, want := plan(res), "2:create 4:create 5:refused"; got != want {
		t.Fatalf("plan: got %s, want %s", got, want)
	}
	if got := rowAt(t, res, 4).Record; got != "钱二（1971.02）" {
		t.Errorf("row 4 is %q, want the name without its line break", got)
	}
}
