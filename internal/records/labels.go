package records

import (
	"fmt"
	"strconv"
)

// Chinese labels of the enumerations, as rosters, dashboards and exports
// write them. The project and surface labels are those the roster import
// reads, so an exported list imports back.
var (
	LevelLabels = map[Level]string{CITY: "市级", COUNTY: "县级", TOWNSHIP: "镇级"}

	GenderLabels = map[Gender]string{MALE: "男", FEMALE: "女"}

	ProjectKindLabels = map[ProjectKind]string{ROAD: "公路", SCHOOL: "学校", MARKET: "市场", OTHER: "其他"}

	ProjectStatusLabels = map[ProjectStatus]string{PLANNED: "计划", IN_PROGRESS: "在建", COMPLETED: "完工", SUSPENDED: "停工"}

	SurfaceLabels = map[Surface]string{CEMENT: "水泥", ASPHALT: "沥青", GRAVEL: "砂石", EARTH: "土路"}

	PrecisionLabels = map[Precision]string{DAY: "日", DEKAD: "旬", MONTH: "月", SEASON: "季节", HALF: "半年", YEAR: "全年"}

	ActivityKindLabels = map[ActivityKind]string{
		DELIBERATION: "代表议政日", APPRAISAL: "评议", GROUP_DAY: "代表小组活动日", VISIT: "走访代表",
		MEETING: "会议", TRAINING: "培训", STANDARDIZATION: "规范化建设", OTHER_ACTIVITY: "其他",
	}

	SuggestionKindLabels = map[SuggestionKind]string{SUGGESTION: "建议", CRITICISM: "批评", OPINION: "意见"}

	SuggestionStatusLabels = map[SuggestionStatus]string{
		SUBMITTED: "已提出", ACCEPTED: "已受理", ASSIGNED: "已交办", REPLIED: "已答复",
		EVALUATED: "已评价", CLOSED: "已办结", REJECTED: "不予受理", REOPENED: "重新办理",
		RETURNED: "已退办",
	}

	ReplyClassLabels = map[ReplyClass]string{CLASS_A: "A类（已解决或基本解决）", CLASS_B: "B类（正在解决）",
		CLASS_C: "C类（列入规划逐步解决）", CLASS_D: "D类（留作参考）"}

	SatisfactionLabels = map[Satisfaction]string{SATISFIED: "满意", BASICALLY_SATISFIED: "基本满意", DISSATISFIED: "不满意"}
)

// NoValue is the label of a group whose records hold no value there.
const NoValue = "未填"

// EnumLabel is the Chinese label of a value of one of renda's
// enumerations, the value itself if it is none of theirs.
func EnumLabel(v string) string {
	for _, m := range enumLabels {
		if l, ok := m[v]; ok {
			return l
		}
	}
	return v
}

// enumLabels indexes the label maps by the value's text. OTHER is both a
// project kind and an activity kind, 其他 in both; no other value is
// shared by two enumerations.
var enumLabels = []map[string]string{
	strs(LevelLabels), strs(GenderLabels), strs(ProjectKindLabels), strs(ProjectStatusLabels),
	strs(SurfaceLabels), strs(PrecisionLabels), strs(ActivityKindLabels), strs(SuggestionKindLabels),
	strs(SuggestionStatusLabels), strs(SatisfactionLabels), strs(AgeBandLabels), strs(ReplyClassLabels),
}

func strs[K ~string](m map[K]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// HalfLabel is 上半年 or 下半年.
func HalfLabel(h int) string {
	switch h {
	case 1:
		return "上半年"
	case 2:
		return "下半年"
	}
	return strconv.Itoa(h)
}

// QuarterLabel is 第一季度 … 第四季度.
func QuarterLabel(q int) string {
	if q >= 1 && q <= 4 {
		return "第" + [...]string{"一", "二", "三", "四"}[q-1] + "季度"
	}
	return strconv.Itoa(q)
}

// MonthLabel is 1月 … 12月.
func MonthLabel(m int) string { return fmt.Sprintf("%d月", m) }

// YearLabel is 2023年.
func YearLabel(y int) string { return fmt.Sprintf("%d年", y) }

// BoolLabel is 是 or 否.
func BoolLabel(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
