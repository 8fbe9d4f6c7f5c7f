package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/importer"
	"renda/internal/records"
)

// TestImportSample imports the roster a presidium office keeps (a merged
// title row, a blank row and a 填表人 footer around six deputies) into the
// demo township.
func TestImportSample(t *testing.T) {
	s := MustTownship(t)
	sample := MustFile(t, "roster-sample.xlsx")

	t.Run("DryRunListsEveryRowAsCreate", func(t *testing.T) {
		res := MustImport(t, s, sample, importer.Options{DryRun: true})
		if got, want := plan(res), "3:create 4:create 5:create 6:create 7:create 8:create"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		if got, want := rowAt(t, res, 4).Record, "包国庆（1969.03）"; got != want {
			t.Errorf("row 4 names %q, want %q", got, want)
		}
		if res.Applied || len(MustDeputies(t, s)) != 0 {
			t.Fatalf("a dry run wrote: applied %v, %d deputies stored", res.Applied, len(MustDeputies(t, s)))
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := MustImport(t, s, sample, importer.Options{})
		if got, want := plan(res), "3:create 4:create 5:create 6:create 7:create 8:create"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		ds := MustDeputies(t, s)
		if len(ds) != 6 {
			t.Fatalf("%d deputies stored, want 6", len(ds))
		}
		for _, r := range res.Rows {
			if r.ID == "" {
				t.Errorf("row %d: created record has no id", r.Line)
			}
		}
		d := ds["包国庆"]
		if d == nil {
			t.Fatal("包国庆 not stored")
		}
		checks := []struct{ field, got, want string }{
			{"gender", genderOf(d), "MALE"},
			{"birthDate", dateOf(d.BirthDate), "1969-03-01"}, // 1969年3月: a month, stored as its first day
			{"ethnicity", d.Ethnicity, "满族"},
			{"party", d.Party, "群众"},
			{"occupation", d.Occupation, "个体工商户"},
			{"levels", levels(d.Levels), "COUNTY TOWNSHIP"}, // 县级、镇级
			{"group", d.Group, "第二代表小组"},
			{"village", d.VillageID, villageID(t, s, "西山村")},
			{"phone", d.Phone, "13800001002"},
			{"education", attr(d, "education"), "高中"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("包国庆 %s: got %q, want %q", c.field, c.got, c.want)
			}
		}
		for name, want := range map[string]string{"白雪梅": "1975-10-01", "陈立新": "1981-07-01", "丁秀兰": "1972-05-01"} {
			if got := dateOf(ds[name].BirthDate); got != want {
				t.Errorf("%s birthDate: got %s, want %s", name, got, want)
			}
		}
		if got := levels(ds["范振华"].Levels); got != "CITY COUNTY TOWNSHIP" {
			t.Errorf("范振华 levels: got %s, want all three", got)
		}
		if ds["高玉珍"].Phone != "" {
			t.Errorf("高玉珍 has no phone in the file, stored %q", ds["高玉珍"].Phone)
		}
	})
	t.Run("ReimportChangesNothing", func(t *testing.T) {
		before := MustDeputies(t, s)
		res := MustImport(t, s, sample, importer.Options{})
		if got, want := plan(res), "3:unchanged 4:unchanged 5:unchanged 6:unchanged 7:unchanged 8:unchanged"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		for name, d := range MustDeputies(t, s) {
			if d.Version != before[name].Version {
				t.Errorf("%s went from version %d to %d", name, before[name].Version, d.Version)
			}
		}
	})
	t.Run("ChangedCellsAreAnUpdate", func(t *testing.T) {
		f, err := excelize.OpenReader(strings.NewReader(string(sample)))
		if err != nil {
			t.Fatal(err)
		}
		_ = f.SetCellStr("代表花名册", "L4", "13900009999")
		_ = f.SetCellStr("代表花名册", "I4", "镇级")
		_ = f.SetCellStr("代表花名册", "D5", "") // an emptied cell changes nothing
		buf, _ := f.WriteToBuffer()
		res := MustImport(t, s, buf.Bytes(), importer.Options{})
		if got, want := plan(res), "3:unchanged 4:update 5:unchanged 6:unchanged 7:unchanged 8:unchanged"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		var got []string
		for _, c := range rowAt(t, res, 4).Changes {
			got = append(got, c.Column+" "+c.Field+" "+c.Old+"→"+c.New)
		}
		if want := "I levels 县级、镇级→镇级|L phone 13800001002→13900009999"; strings.Join(got, "|") != want {
			t.Errorf("changes: got %q, want %q", strings.Join(got, "|"), want)
		}
		d := MustDeputies(t, s)["包国庆"]
		if d.Phone != "13900009999" || levels(d.Levels) != "TOWNSHIP" || d.Version != 2 {
			t.Errorf("stored: phone %s, levels %s, version %d; want the new phone, TOWNSHIP, version 2", d.Phone, levels(d.Levels), d.Version)
		}
		if MustDeputies(t, s)["陈立新"].Ethnicity != "汉族" {
			t.Error("an emptied cell cleared the stored ethnicity")
		}
	})
}

// badRoster has one good row and one bad row per kind of mistake.
func badRoster(t *testing.T) []byte {
	return MustXLSX(t, sheetRows{"花名册", [][]any{
		{"棋盘山镇人大代表花名册"},
		rosterHeader,
		{1, "赵一", "男", "汉族", "1970.01", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", "13800002001"},
		{2, "钱二", "女", "汉族", "1971.02", "群众", "高中", "农民", "镇级", "第一代表小组", "东山村", ""},
		{3, "孙三", "未知", "汉族", "1972.03", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
		{4, "李四", "男", "汉族", "1968.13", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
		{5, "", "男", "汉族", "1969.01", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
		{6, "周六", "男", "汉族", "1966.06", "群众", "高中", "农民", "省级", "第一代表小组", "南沟村", "#N/A"},
	}})
}

func TestImportRefused(t *testing.T) {
	s := MustTownship(t)
	file := badRoster(t)

	t.Run("DryRunSaysWhy", func(t *testing.T) {
		res := MustImport(t, s, file, importer.Options{DryRun: true})
		if got, want := plan(res), "3:create 4:refused 5:refused 6:refused 7:refused 8:refused"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		for _, c := range []struct {
			line                   int
			column, field, contain string
		}{
			{4, "K", "village", "“东山村”不是本乡镇的村；本乡镇的村有：二道川村、"},
			{5, "C", "gender", "性别“未知”无法识别，应为“男”或“女”"},
			{6, "E", "birthDate", "出生年月“1968.13”的月份 13 不存在"},
			{7, "", "name", "姓名为空"},
			{8, "I", "levels", "“省级”无法识别"},
			{8, "L", "phone", "Excel 的错误值 #N/A"},
		} {
			r := rowAt(t, res, c.line)
			found := false
			for _, p := range r.Problems {
				if p.Column == c.column && p.Field == c.field && strings.Contains(p.Reason, c.contain) {
					found = true
				}
			}
			if !found {
				t.Errorf("row %d: problems %q, want one in column %q on %s saying %q", c.line, problems(r), c.column, c.field, c.contain)
			}
		}
	})
	t.Run("AtomicAppliesNothing", func(t *testing.T) {
		res := MustImport(t, s, file, importer.Options{Atomic: true})
		if res.Applied || len(MustDeputies(t, s)) != 0 {
			t.Fatalf("atomic import with refused rows wrote: applied %v, %d deputies", res.Applied, len(MustDeputies(t, s)))
		}
		if !strings.Contains(res.Summary(), "未写入任何记录") {
			t.Errorf("summary %q does not say nothing was written", res.Summary())
		}
	})
	t.Run("OKAppliesTheValidRows", func(t *testing.T) {
		res := MustImport(t, s, file, importer.Options{})
		if !res.Applied || res.Count(importer.Create) != 1 || res.Count(importer.Refused) != 5 {
			t.Fatalf("applied %v, %s; want the one valid row created", res.Applied, res.Summary())
		}
		ds := MustDeputies(t, s)
		if len(ds) != 1 || ds["赵一"] == nil {
			t.Fatalf("stored %d deputies, want only 赵一", len(ds))
		}
	})
	t.Run("ErrDuplicateRow", func(t *testing.T) {
		file := MustXLSX(t, sheetRows{"花名册", [][]any{
			rosterHeader,
			{1, "吴七", "男", "汉族", "1970.07", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
			{2, "吴七", "男", "汉族", "1970.07", "群众", "高中", "农民", "县级", "第一代表小组", "南沟村", ""},
			{3, "赵一", "男", "汉族", "1970.01", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
			{4, "赵一", "男", "汉族", "1970.01.05", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
			{5, "郑九", "男", "汉族", "1975.05", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
			{6, "郑九", "男", "汉族", "", "群众", "高中", "农民", "镇级", "第一代表小组", "南沟村", ""},
		}})
		res := MustImport(t, s, file, importer.Options{DryRun: true})
		if got, want := plan(res), "2:create 3:refused 4:unchanged 5:refused 6:create 7:refused"; got != want {
			t.Fatalf("plan: got %s, want %s", got, want)
		}
		if p := problems(rowAt(t, res, 3)); !strings.Contains(p, "与第 2 行是同一条新记录") {
			t.Errorf("row 3: %q, want it to name row 2", p)
		}
		if p := problems(rowAt(t, res, 5)); !strings.Contains(p, "与第 4 行是同一条记录") {
			t.Errorf("row 5: %q, want it to name row 4", p)
		}
		if p := problems(rowAt(t, res, 7)); !strings.Contains(p, "与第 6 行姓名相同，其中一行没有出生年月") {
			t.Errorf("row 7: %q, want it to name row 6", p)
		}
	})
	t.Run("ErrNoTownship", func(t *testing.T) {
		err := importErr(t, s, file, importer.Options{Township: "nowhere"})
		if records.ErrorField(err) != "township" || !strings.Contains(records.ErrorMessage(err), "乡镇“nowhere”不存在") {
			t.Errorf("got %v, want the township named", err)
		}
	})
	t.Run("ErrNoHeader", func(t *testing.T) {
		err := importErr(t, s, csvOf([]string{"甲", "乙"}, []string{"1", "2"}), importer.Options{})
		if records.ErrorCode(err) != records.EINVALID || !strings.Contains(records.ErrorMessage(err), "没有找到表头") {
			t.Errorf("got %v, want a missing header explained", err)
		}
	})
	t.Run("ErrOldExcel", func(t *testing.T) {
		err := importErr(t, s, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an .xls"), importer.Options{})
		if !strings.Contains(records.ErrorMessage(err), ".xls") {
			t.Errorf("got %v, want a hint to save as .xlsx", err)
		}
	})
}

func genderOf(d *records.Deputy) string {
	if d.Gender == nil {
		return ""
	}
	return string(*d.Gender)
}

func dateOf(d *records.Date) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

func levels(ls []records.Level) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = string(l)
	}
	return strings.Join(parts, " ")
}

func attr(d *records.Deputy, key string) string {
	if v, ok := d.Attributes[key].(string); ok {
		return v
	}
	return ""
}

// otherClerk is the store's deputies collection with another clerk who
// changes a record between the import's plan and its write.
type otherClerk struct {
	importer.Collection[records.Deputy]
	change func(ctx context.Context, id string)
}

func (c otherClerk) Update(ctx context.Context, id string, expectedVersion *int, patch func(*records.Deputy)) (*records.Deputy, error) {
	c.change(ctx, id)
	return c.Collection.Update(ctx, id, expectedVersion, patch)
}

// TestConcurrentChange: a record changed by someone else after the plan
// is not overwritten; its row fails with the reason.
func TestConcurrentChange(t *testing.T) {
	s := MustTownship(t)
	MustImport(t, s, MustFile(t, "roster-sample.xlsx"), importer.Options{})
	st := storeOf(s)
	st.Deputies = otherClerk{st.Deputies, func(ctx context.Context, id string) {
		if _, err := s.Deputies.Update(ctx, id, nil, func(d *records.Deputy) { d.Occupation = "别人改的" }); err != nil {
			t.Fatal(err)
		}
	}}
	file := csvOf([]string{"姓名", "出生年月", "联系电话"}, []string{"包国庆", "1969.03", "13900000000"})
	res, err := importer.Import(context.Background(), st, bytes.NewReader(file), importer.Options{Kind: importer.Deputies, Township: "qps"})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Rows[0]
	if r.Action != importer.Failed || !strings.Contains(problems(r), "在导入期间被他人修改") || res.Applied {
		t.Fatalf("row: %s %q, applied %v; want it failed for the other clerk's change", r.Action, problems(r), res.Applied)
	}
	if d := MustDeputies(t, s)["包国庆"]; d.Occupation != "别人改的" || d.Phone != "13800001002" {
		t.Errorf("stored occupation %q phone %q: want the other clerk's change kept and the import's not written", d.Occupation, d.Phone)
	}
}
