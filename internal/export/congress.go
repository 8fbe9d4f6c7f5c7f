package export

import (
	"fmt"

	"renda/internal/records"
)

// The congress's lists (sessions, presidium meetings, livelihood
// projects), added here so the shared table stays as it is.
func init() {
	kinds["sessions"] = &kindSpec{kind: records.KindCongressSession, sheet: "人代会", list: "sessions", filter: "SessionFilter", order: "SessionOrder", pageSize: 100, columns: []column{
		text("会议", "title"), number("届", "term"), number("次", "sitting"), date("开幕日期", "start"), date("闭幕日期", "end"), text("地点", "place"),
		{"应到", "attendance { expected }", numberCell, path("attendance", "expected")},
		{"实到", "attendance { present }", numberCell, path("attendance", "present")},
		{"请假", "attendance { onLeave }", numberCell, path("attendance", "onLeave")},
		{"缺席", "attendance { absent }", numberCell, path("attendance", "absent")},
		{"符合法定人数", "attendance { quorum }", boolCell, path("attendance", "quorum")},
		{"表决", "votes { item { title } yes no abstain passed }", textCell, voteTexts},
		tagsCol,
	}}
	kinds["presidiumMeetings"] = &kindSpec{kind: records.KindPresidiumMeeting, sheet: "主席团会议", list: "presidiumMeetings", filter: "PresidiumMeetingFilter", order: "PresidiumMeetingOrder", pageSize: 100, columns: append(append(
		[]column{text("会议", "title")}, spanCols()...),
		text("地点", "place"), text("主持", "convener"), refs("出席", "attendees"), number("出席人数", "attendeeCount"),
		column{"议题", "topics", textCell, joined("topics")}, number("待落实事项", "openDecisions"),
		column{"筹备的大会", "session { title }", textCell, path("session", "title")}, tagsCol,
	)}
	kinds["livelihoodProjects"] = &kindSpec{kind: records.KindLivelihoodProject, sheet: "民生实事项目", list: "livelihoodProjects", filter: "LivelihoodProjectFilter", order: "LivelihoodProjectOrder", pageSize: 100, columns: []column{
		number("年度", "year"), text("项目", "name"), text("来源", "source"), number("投资(万元)", "investment"), text("责任单位", "ownerDepartment"),
		number("赞成票", "votes"), boolean("当选", "adopted"), number("进度(%)", "progress"), boolean("已完成", "completed"),
		{"满意", "satisfaction { satisfied }", numberCell, path("satisfaction", "satisfied")},
		{"基本满意", "satisfaction { basicallySatisfied }", numberCell, path("satisfaction", "basicallySatisfied")},
		{"不满意", "satisfaction { dissatisfied }", numberCell, path("satisfaction", "dissatisfied")},
		tagsCol,
	}}
}

// voteTexts writes a session's votes as 议程: 赞成/反对/弃权 通过.
func voteTexts(n map[string]any) any {
	xs, _ := n["votes"].([]any)
	out := ""
	for i, x := range xs {
		v, _ := x.(map[string]any)
		verdict := "未通过"
		if v["passed"] == true {
			verdict = "通过"
		}
		if i > 0 {
			out += "；"
		}
		out += fmt.Sprintf("%v：%v/%v/%v %s", path("item", "title")(v), v["yes"], v["no"], v["abstain"], verdict)
	}
	return out
}
