package importer_test

import (
	"strings"
	"testing"

	"renda/internal/importer"
	"renda/internal/records"
)

// TestMapping imports rosters whose headers are not the usual ones.
func TestMapping(t *testing.T) {
	s := MustTownship(t)

	t.Run("SynonymsAndSpacedHeaders", func(t *testing.T) {
		// Another office's roster: other names, headers spread out with
		// full-width spaces and broken over lines, columns in another order.
		file := csvOf(
			[]string{"代表姓名", "性　别", "出生\n日期", "代表级别", "所在村（社区）", "手机号码", "职　　业", "届次"},
			[]string{"王　军", "男", "1970年5月", "县级,镇级", "南沟", "138 0000 3001", "农民", "第十八届"},
		)
		res := MustImport(t, s, file, importer.Options{})
		if got := plan(res); got != "2:create" {
			t.Fatalf("plan: got %s (%s), want 2:create", got, problems(res.Rows[0]))
		}
		d := MustDeputies(t, s)["王军"] // the padding space is layout, not name
		if d == nil {
			t.Fatal("王军 not stored under his name without the padding space")
		}
		if dateOf(d.BirthDate) != "1970-05-01" || levels(d.Levels) != "COUNTY TOWNSHIP" || d.VillageID != villageID(t, s, "南沟村") ||
			d.Phone != "138 0000 3001" || d.Occupation != "农民" || d.Term != "第十八届" {
			t.Errorf("stored %+v", d)
		}
	})
	t.Run("OverridesDefaults", func(t *testing.T) {
		// 职务 and 工作单位 both name the occupation by default; the mapping
		// keeps 职务 as an attribute, takes an unheaded column by letter and
		// an unknown header by its text.
		file := csvOf(
			[]string{"姓名", "出生年月", "层级", "工作单位", "职务", "备注", ""},
			[]string{"郑八", "1980.08", "镇级", "镇农技站", "站长", "新当选", "第十八届"},
		)
		res := MustImport(t, s, file, importer.Options{Mapping: []importer.Mapping{
			{Column: "职务", Field: "attributes.duty"},
			{Column: "备注", Field: "attributes.备注"},
			{Column: "G", Field: "届别"}, // a field by its Chinese header
		}})
		if got := plan(res); got != "2:create" {
			t.Fatalf("plan: got %s (%s), want 2:create", got, problems(res.Rows[0]))
		}
		d := MustDeputies(t, s)["郑八"]
		if d.Occupation != "镇农技站" || attr(d, "duty") != "站长" || attr(d, "备注") != "新当选" || d.Term != "第十八届" {
			t.Errorf("stored occupation %q, duty %q, 备注 %q, term %q", d.Occupation, attr(d, "duty"), attr(d, "备注"), d.Term)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("warnings %q, want none: every column is mapped", res.Warnings)
		}
	})
	t.Run("UnknownColumnIsAWarning", func(t *testing.T) {
		file := csvOf([]string{"姓名", "出生年月", "层级", "备注"}, []string{"郑八", "1980.08", "镇级", "x"})
		res := MustImport(t, s, file, importer.Options{DryRun: true})
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "“备注”") {
			t.Errorf("warnings %q, want 备注 named as not imported", res.Warnings)
		}
	})
	t.Run("IgnoreAColumn", func(t *testing.T) {
		file := csvOf([]string{"姓名", "出生年月", "层级", "所在村"}, []string{"郑八", "1980.08", "镇级", "不存在的村"})
		res := MustImport(t, s, file, importer.Options{DryRun: true, Mapping: []importer.Mapping{{Column: "D", Field: "-"}}})
		if got := plan(res); got != "2:unchanged" {
			t.Errorf("plan: got %s (%s), want the village column ignored", got, problems(res.Rows[0]))
		}
	})
	t.Run("KeyByPhone", func(t *testing.T) {
		// The same phone number under a corrected name is the same deputy.
		file := csvOf([]string{"姓名", "联系电话", "层级"}, []string{"王君", "138 0000 3001", "县级、镇级"})
		res := MustImport(t, s, file, importer.Options{Key: []string{"phone"}})
		if got := plan(res); got != "2:update" {
			t.Fatalf("plan: got %s (%s), want 2:update", got, problems(res.Rows[0]))
		}
		if c := res.Rows[0].Changes; len(c) != 1 || c[0].Field != "name" || c[0].Old != "王军" || c[0].New != "王君" {
			t.Errorf("changes %+v, want the name", c)
		}
		ds := MustDeputies(t, s)
		if ds["王君"] == nil || ds["王军"] != nil {
			t.Error("the deputy was not renamed")
		}
	})
	t.Run("ErrTwoColumnsOneField", func(t *testing.T) {
		file := csvOf([]string{"姓名", "工作单位", "职务"}, []string{"郑八", "镇农技站", "站长"})
		err := importErr(t, s, file, importer.Options{})
		if msg := records.ErrorMessage(err); !strings.Contains(msg, "B 列“工作单位”和 C 列“职务”都对应“职业”") || !strings.Contains(msg, "（如 职务=-）") {
			t.Errorf("got %q, want both columns named and the way out", msg)
		}
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		err := importErr(t, s, csvOf([]string{"姓名"}), importer.Options{Mapping: []importer.Mapping{{Column: "姓名", Field: "fullName"}}})
		if records.ErrorField(err) != "mapping.0" || !strings.Contains(records.ErrorMessage(err), "不认识字段“fullName”") {
			t.Errorf("got %v, want the mapping's field named", err)
		}
	})
	t.Run("ErrMappedColumnMissing", func(t *testing.T) {
		file := csvOf([]string{"姓名", "出生年月"}, []string{"郑八", "1980.08"})
		err := importErr(t, s, file, importer.Options{Mapping: []importer.Mapping{{Column: "代表证号", Field: "attributes.card"}}})
		if !strings.Contains(records.ErrorMessage(err), "“代表证号”在文件的表头中找不到") {
			t.Errorf("got %v, want the missing column named", err)
		}
	})
	t.Run("ErrKeyOfAList", func(t *testing.T) {
		err := importErr(t, s, csvOf([]string{"姓名"}), importer.Options{Key: []string{"levels"}})
		if records.ErrorField(err) != "key.0" {
			t.Errorf("got %v, want key.0 refused", err)
		}
	})
}
