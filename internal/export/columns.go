// Package export writes any list of records as CSV or XLSX, by running the
// list's own GraphQL query in-process as the caller: exactly the list's
// rights, filters and errors (an unknown township is NOT_FOUND). Columns
// have Chinese headers, dates are date cells, enumerations are written in
// Chinese (市级, 男, 已答复), numbers are numbers, and the attributes a
// township defines become columns of their own.
package export

import (
	"fmt"
	"strings"

	"renda/internal/records"
)

// cellType is how a column's values are written.
type cellType int

const (
	textCell   cellType = iota
	dateCell            // YYYY-MM-DD: a date cell in XLSX
	numberCell          // a number cell
	enumCell            // an enumeration's code, written as its Chinese label
	boolCell            // 是 or 否
)

// column is one column of a kind's sheet: its header, the GraphQL it
// selects and how its value is read from a node.
type column struct {
	header string
	sel    string // the selection, e.g. "village { name }"; "" for one made anyway
	typ    cellType
	value  func(node map[string]any) any
}

func field(name string) func(map[string]any) any {
	return func(n map[string]any) any { return n[name] }
}

// path reads a nested value: path("date", "date").
func path(keys ...string) func(map[string]any) any {
	return func(n map[string]any) any {
		var v any = n
		for _, k := range keys {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
}

// names joins the names of a list of records with 、.
func names(list, key string) func(map[string]any) any {
	return func(n map[string]any) any {
		xs, _ := n[list].([]any)
		var out []string
		for _, x := range xs {
			if m, ok := x.(map[string]any); ok {
				out = append(out, fmt.Sprint(m[key]))
			}
		}
		return strings.Join(out, "、")
	}
}

// labels joins a list of enumeration codes as their Chinese labels.
func labels(list string) func(map[string]any) any {
	return func(n map[string]any) any {
		xs, _ := n[list].([]any)
		var out []string
		for _, x := range xs {
			out = append(out, records.EnumLabel(fmt.Sprint(x)))
		}
		return strings.Join(out, "、")
	}
}

func joined(list string) func(map[string]any) any {
	return func(n map[string]any) any {
		xs, _ := n[list].([]any)
		var out []string
		for _, x := range xs {
			out = append(out, fmt.Sprint(x))
		}
		return strings.Join(out, "、")
	}
}

func text(header, name string) column { return column{header, name, textCell, field(name)} }

func number(header, name string) column { return column{header, name, numberCell, field(name)} }

func enum(header, name string) column { return column{header, name, enumCell, field(name)} }

func date(header, name string) column { return column{header, name, dateCell, field(name)} }

func boolean(header, name string) column { return column{header, name, boolCell, field(name)} }

func ref(header, name string) column {
	return column{header, name + " { name }", textCell, path(name, "name")}
}

func refs(header, name string) column {
	return column{header, name + "(first: 500) { name }", textCell, names(name, "name")}
}

var tagsCol = column{"标签", "tags", textCell, joined("tags")}

// spanCols are a date span's columns: its first day as a date, and as a
// Chinese document writes it (2023年10月中旬).
func spanCols() []column {
	return []column{
		{"日期", "date { date }", dateCell, path("date", "date")},
		{"时间", "date { fullText }", textCell, path("date", "fullText")},
	}
}

// kindSpec is what an export of one kind reads and writes.
type kindSpec struct {
	kind     records.Kind
	sheet    string // the sheet's and file's Chinese name
	list     string // the GraphQL list field
	filter   string // its filter's input type
	order    string // its orderBy's input type
	pageSize int    // lists that load relations page smaller, within the query cost
	columns  []column
}

var kinds = map[string]*kindSpec{
	"townships": {kind: records.KindTownship, sheet: "乡镇", list: "townships", filter: "TownshipFilter", order: "TownshipOrder", pageSize: 500, columns: []column{
		text("名称", "name"), text("所属县", "county"),
		{"主席团", "presidium { name role }", textCell, func(n map[string]any) any {
			xs, _ := n["presidium"].([]any)
			var out []string
			for _, x := range xs {
				m, _ := x.(map[string]any)
				out = append(out, fmt.Sprintf("%v(%v)", m["name"], m["role"]))
			}
			return strings.Join(out, "、")
		}},
		tagsCol,
	}},
	"deputies": {kind: records.KindDeputy, sheet: "代表", list: "deputies", filter: "DeputyFilter", order: "DeputyOrder", pageSize: 500, columns: []column{
		text("姓名", "name"), enum("性别", "gender"), date("出生年月", "birthDate"), text("民族", "ethnicity"),
		text("政治面貌", "party"), text("职业", "occupation"),
		{"代表层级", "levels", textCell, labels("levels")},
		text("届别", "term"), text("代表小组", "group"), ref("所在村", "village"), text("联系电话", "phone"),
		{"荣誉", "honours { year title level }", textCell, func(n map[string]any) any {
			xs, _ := n["honours"].([]any)
			var out []string
			for _, x := range xs {
				m, _ := x.(map[string]any)
				out = append(out, fmt.Sprintf("%v年%v(%s)", m["year"], m["title"], records.EnumLabel(fmt.Sprint(m["level"]))))
			}
			return strings.Join(out, "、")
		}},
		tagsCol,
	}},
	"villages": {kind: records.KindVillage, sheet: "村", list: "villages", filter: "VillageFilter", order: "VillageOrder", pageSize: 500, columns: []column{
		text("村名", "name"), text("代码", "code"), number("人口", "population"),
		{"称号", "designations { year title level }", textCell, func(n map[string]any) any {
			xs, _ := n["designations"].([]any)
			var out []string
			for _, x := range xs {
				m, _ := x.(map[string]any)
				l, _ := m["level"].(string)
				out = append(out, fmt.Sprintf("%v年%s%v", m["year"], l, m["title"]))
			}
			return strings.Join(out, "、")
		}},
		tagsCol,
	}},
	"projects": {kind: records.KindProject, sheet: "项目", list: "projects", filter: "ProjectFilter", order: "ProjectOrder", pageSize: 100, columns: []column{
		text("项目名称", "name"), enum("类型", "kind"), refs("所在村", "villages"), number("年度", "year"), enum("状态", "status"),
		number("里程(公里)", "lengthKm"), enum("路面", "surface"),
		{"资金(元)", "funding { total }", numberCell, path("funding", "total")},
		{"投标单位数", "bidding { teams }", numberCell, path("bidding", "teams")},
		{"中标单位", "bidding { winner }", textCell, path("bidding", "winner")},
		text("项目内容", "description"), tagsCol,
	}},
	"inspections": {kind: records.KindInspection, sheet: "视察", list: "inspections", filter: "InspectionFilter", order: "InspectionOrder", pageSize: 100, columns: append(append(
		[]column{text("主题", "topic")}, spanCols()...),
		text("组织者", "organiser"), refs("参加代表", "participants"), number("参加人数", "participantCount"),
		refs("视察村", "villages"), refs("视察项目", "projects"), text("发现问题", "findings"),
		column{"提出建议", "suggestions", textCell, joined("suggestions")}, text("跟进落实", "followUp"), tagsCol,
	)},
	"activities": {kind: records.KindActivity, sheet: "活动", list: "activities", filter: "ActivityFilter", order: "ActivityOrder", pageSize: 100, columns: append(append(
		[]column{enum("类型", "kind"), text("类别", "category"), text("标题", "title")}, spanCols()...),
		text("地点", "location"), text("组织者", "organiser"), refs("参加代表", "participants"), number("参加人数", "participantCount"),
		refs("村", "villages"), refs("项目", "projects"), text("概况", "summary"), text("成效", "outcome"), tagsCol,
	)},
	"suggestions": {kind: records.KindSuggestion, sheet: "建议", list: "suggestions", filter: "SuggestionFilter", order: "SuggestionOrder", pageSize: 500, columns: []column{
		text("标题", "title"), enum("类型", "kind"), ref("提出代表", "deputy"), text("转达选民", "voterName"), text("类别", "category"),
		date("提出日期", "submitted"), text("承办单位", "department"), date("办理期限", "deadline"), enum("办理状态", "status"),
		date("答复日期", "repliedOn"), boolean("按期答复", "onTime"), enum("满意度", "satisfaction"), boolean("有价值", "valuable"),
		text("内容", "content"), text("答复", "reply"), tagsCol,
	}},
}

// idCol ends every sheet: the record's id, what an analyst joins on and
// what the API finds the record by.
var idCol = text("id", "id")

// townshipCol leads every sheet but the townships' own when an export
// may hold several townships. Its name is read from the row's township,
// which every sheet but the townships' selects anyway (see rows).
var townshipCol = column{"乡镇", "", textCell, path("township", "name")}
