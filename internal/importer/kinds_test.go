package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/importer"
	"renda/internal/records"
)

func TestVillages(t *testing.T) {
	s := MustTownship(t)
	file := csvOf(
		[]string{"序号", "村名", "代码", "人口(人)"},
		[]string{"1", "南沟村", "150425101201", "1,234"},
		[]string{"2", "东山村", "150425101299", "300人"},
		[]string{"3", "北岭村", "", "很多"},
	)
	res := MustImport(t, s, file, importer.Options{Kind: importer.Villages})
	if got, want := plan(res), "2:update 3:create 4:refused"; got != want {
		t.Fatalf("plan: got %s, want %s", got, want)
	}
	if c := rowAt(t, res, 2).Changes; len(c) != 2 || c[0].Field != "code" || c[1].Field != "population" || c[1].New != "1234" {
		t.Errorf("南沟村 changes %+v, want code and population", c)
	}
	if p := problems(rowAt(t, res, 4)); !strings.Contains(p, "人口“很多”不是整数") {
		t.Errorf("北岭村: %q, want the population refused", p)
	}
	page, err := s.Villages.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*records.Village{}
	for _, v := range page.Items {
		byName[v.Name] = v
	}
	if v := byName["东山村"]; v == nil || v.Code != "150425101299" || intOf(v.Population) != 300 {
		t.Errorf("东山村 stored as %+v", v)
	}
	if v := byName["南沟村"]; v.Code != "150425101201" || intOf(v.Population) != 1234 {
		t.Errorf("南沟村 stored as %+v", v)
	}
	if again := MustImport(t, s, file, importer.Options{Kind: importer.Villages}); plan(again) != "2:unchanged 3:unchanged 4:refused" {
		t.Errorf("second import: %s, want nothing changed", plan(again))
	}
}

func TestProjects(t *testing.T) {
	s := MustTownship(t)
	file := csvOf(
		[]string{"项目名称", "类型", "所在村", "年度", "状态", "里程（公里）", "路面"},
		[]string{"南沟至西山通村公路", "公路", "南沟村、西山村", "2024", "在建", "3.5", "水泥"},
		[]string{"中心校教学楼", "学校", "棋盘山村", "2024年", "已竣工", "", ""},
		[]string{"二十九号村市场", "市场", "二十九号村", "2024", "计划", "1.2", ""},
		[]string{"东山村水渠", "水利", "东山村", "2024", "在建", "", ""},
		[]string{"无年度的路", "公路", "南沟村", "", "在建", "", ""},
	)
	res := MustImport(t, s, file, importer.Options{Kind: importer.Projects})
	if got, want := plan(res), "2:create 3:create 4:refused 5:refused 6:refused"; got != want {
		t.Fatalf("plan: got %s, want %s", got, want)
	}
	for line, want := range map[int]string{
		4: "F lengthKm: 只有公路项目才填写里程和路面，这个项目是市场",
		5: "B kind: 项目类型“水利”无法识别，应为公路、学校、市场或其他; C villages: 所在村“东山村”不是本乡镇的村",
		6: "用来匹配记录的“年度”为空",
	} {
		if got := problems(rowAt(t, res, line)); !strings.Contains(got, want) {
			t.Errorf("row %d: %q, want %q", line, got, want)
		}
	}
	page, err := s.Projects.Find(context.Background(), records.Query{Townships: []string{"qps"}, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("%d projects stored, want 2", len(page.Items))
	}
	var road *records.Project
	for _, p := range page.Items {
		if p.Kind == records.ROAD {
			road = p
		}
	}
	if road == nil || road.Year != 2024 || road.Status != records.IN_PROGRESS || road.LengthKm == nil || *road.LengthKm != 3.5 ||
		road.Surface == nil || *road.Surface != records.CEMENT ||
		strings.Join(road.VillageIDs, " ") != villageID(t, s, "南沟村")+" "+villageID(t, s, "西山村") {
		t.Errorf("road stored as %+v", road)
	}
	if again := MustImport(t, s, file, importer.Options{Kind: importer.Projects}); !strings.HasPrefix(plan(again), "2:unchanged 3:unchanged") {
		t.Errorf("second import: %s, want nothing changed", plan(again))
	}
}

// TestSheets reads workbooks the way offices lay them out: a merged group
// column, a sheet per group, a sheet of notes.
func TestSheets(t *testing.T) {
	t.Run("MergedCellsFillDown", func(t *testing.T) {
		s := MustTownship(t)
		f := excelize.NewFile()
		defer f.Close()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "出生年月", "代表层级", "代表小组", "所在村"})
		_ = f.SetSheetRow("Sheet1", "A2", &[]any{"赵一", "1970.01", "镇级", "第三代表小组", "甘五号村"})
		_ = f.SetSheetRow("Sheet1", "A3", &[]any{"钱二", "1971.02", "镇级"})
		_ = f.SetSheetRow("Sheet1", "A4", &[]any{"孙三", "1972.03", "镇级"})
		_ = f.MergeCell("Sheet1", "D2", "D4")
		_ = f.MergeCell("Sheet1", "E2", "E3")
		buf, _ := f.WriteToBuffer()
		MustImport(t, s, buf.Bytes(), importer.Options{})
		ds := MustDeputies(t, s)
		for _, name := range []string{"赵一", "钱二", "孙三"} {
			if ds[name].Group != "第三代表小组" {
				t.Errorf("%s: group %q, want the merged cell's 第三代表小组", name, ds[name].Group)
			}
		}
		if ds["钱二"].VillageID != villageID(t, s, "甘五号村") || ds["孙三"].VillageID != "" {
			t.Errorf("villages %q %q, want 甘五号村 for the merged rows only", ds["钱二"].VillageID, ds["孙三"].VillageID)
		}
	})
	t.Run("SheetPerGroup", func(t *testing.T) {
		s := MustTownship(t)
		header := []any{"序号", "姓名", "出生年月", "代表级别"}
		file := MustXLSX(t,
			sheetRows{"说明", [][]any{{"本表由镇人大主席团办公室填报"}}},
			sheetRows{"第一代表小组（2名）", [][]any{header, {1, "赵一", "1970.01", "镇级"}, {2, "钱二", "1971.02", "镇级"}}},
			sheetRows{"第二代表小组", [][]any{header, {1, "孙三", "1972.03", "县级"}}},
		)
		res := MustImport(t, s, file, importer.Options{})
		if got := plan(res); got != "2:create 3:create 2:create" {
			t.Fatalf("plan: got %s, want three creates", got)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "工作表“说明”没有找到表头") {
			t.Errorf("warnings %q, want the notes sheet named", res.Warnings)
		}
		ds := MustDeputies(t, s)
		if ds["钱二"].Group != "第一代表小组" || ds["孙三"].Group != "第二代表小组" {
			t.Errorf("groups %q %q, want them from the sheet names", ds["钱二"].Group, ds["孙三"].Group)
		}
	})
}

func intOf(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
