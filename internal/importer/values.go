package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"renda/internal/records"
)

// nothing reports the marks rosters write for "no value": dashes, a slash.
func nothing(s string) bool {
	switch s {
	case "", "—", "——", "-", "--", "－", "–", "/", "／", "\\":
		return true
	}
	return false
}

var excelError = regexp.MustCompile(`^#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!)$`)

// narrow turns full-width digits, letters and punctuation into ASCII (and
// half-width CJK punctuation into its usual form), for
// values with a fixed form (dates, numbers); free text keeps its width.
func narrow(s string) string { return strings.TrimSpace(width.Fold.String(s)) }

// text is a cell's text for a text field. A number cell shown in
// scientific notation (a phone number, a 12-digit code) gives its digits.
func text(v value) string {
	if v.raw != v.text && strings.ContainsAny(v.text, "Ee") && isDigits(v.raw) {
		return v.raw
	}
	return v.text
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// personName compares names: spaces padding two-character names (王　军)
// dropped, the dots of minority names (阿依古丽·买买提) made one.
func personName(s string) string {
	latin := strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) >= 0
	if latin {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) && !latin:
			return -1
		case !latin && (r == '•' || r == '・' || r == '．' || r == '‧' || r == '∙' || r == '.'):
			return '·'
		}
		return r
	}, s)
}

// parseGender reads 男/女.
func parseGender(s string) (records.Gender, string) {
	switch strings.ToUpper(narrow(s)) {
	case "男", "男性", "MALE", "M":
		return records.MALE, ""
	case "女", "女性", "FEMALE", "F":
		return records.FEMALE, ""
	}
	return "", fmt.Sprintf("性别“%s”无法识别，应为“男”或“女”", s)
}

func genderText(g *records.Gender) string {
	switch {
	case g == nil:
		return ""
	case *g == records.MALE:
		return "男"
	case *g == records.FEMALE:
		return "女"
	}
	return string(*g)
}

var (
	levelSplit = regexp.MustCompile(`[、,，/;；\s]+|和|及|与`)
	levelRun   = regexp.MustCompile(`^([市县区旗镇乡]+)[两二三]级$`)
	levelNames = map[string]records.Level{
		"市": records.CITY, "州": records.CITY, "盟": records.CITY, "city": records.CITY,
		"县": records.COUNTY, "区": records.COUNTY, "旗": records.COUNTY, "县区": records.COUNTY, "县(区)": records.COUNTY, "县(市)": records.COUNTY, "区(县)": records.COUNTY, "县市区": records.COUNTY, "county": records.COUNTY,
		"镇": records.TOWNSHIP, "乡": records.TOWNSHIP, "乡镇": records.TOWNSHIP, "苏木": records.TOWNSHIP, "township": records.TOWNSHIP,
	}
	levelOrder = []records.Level{records.CITY, records.COUNTY, records.TOWNSHIP}
)

// parseLevels reads 市级/县级/镇级 (乡级), one or several: 县级、镇级,
// 县级,镇级, 县级/镇级, 县镇两级.
func parseLevels(s string) ([]records.Level, string) {
	has := map[records.Level]bool{}
	for _, tok := range levelSplit.Split(narrow(s), -1) {
		if tok == "" {
			continue
		}
		tok = strings.TrimSuffix(strings.TrimSuffix(tok, "人大代表"), "代表")
		if m := levelRun.FindStringSubmatch(tok); m != nil {
			for _, r := range m[1] {
				has[levelNames[string(r)]] = true
			}
			continue
		}
		l, ok := levelNames[strings.ToLower(strings.TrimSuffix(tok, "级"))]
		if !ok {
			return nil, fmt.Sprintf("代表层级“%s”中的“%s”无法识别，应为市级、县级或镇级（乡级），几级之间用顿号隔开", s, tok)
		}
		has[l] = true
	}
	var out []records.Level
	for _, l := range levelOrder {
		if has[l] {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("代表层级“%s”无法识别，应为市级、县级或镇级", s)
	}
	return out, ""
}

func levelsText(ls []records.Level) string {
	names := map[records.Level]string{records.CITY: "市级", records.COUNTY: "县级", records.TOWNSHIP: "镇级"}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = names[l]
	}
	return strings.Join(parts, "、")
}

func sameLevels(a, b []records.Level) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[records.Level]bool{}
	for _, l := range a {
		in[l] = true
	}
	for _, l := range b {
		if !in[l] {
			return false
		}
	}
	return true
}

// birth is a birth date as a roster gives it: a month (1968.03, stored as
// the first of the month) or a day.
type birth struct {
	date records.Date
	day  bool
}

// month is the birth's year and month, YYYY-MM.
func (b birth) month() string { return string(b.date)[:7] }

// String is the roster's way: 1968.03 or 1968.03.12.
func (b birth) String() string {
	if b.day {
		return dateText(b.date)
	}
	return strings.ReplaceAll(b.month(), "-", ".")
}

func dateText(d records.Date) string { return strings.ReplaceAll(string(d), "-", ".") }

// sameMonth reports whether a stored date falls in the birth's month: a
// roster names a person by name and birth month (1968.03 agrees with
// 1968-03-12, and so does 1968.03.15, a correction of the day).
func (b birth) sameMonth(d *records.Date) bool {
	return d != nil && len(*d) >= 7 && string(*d)[:7] == b.month()
}

// same reports whether a stored date is the birth at the birth's
// precision: nothing to change.
func (b birth) same(d *records.Date) bool {
	if b.day {
		return d != nil && *d == b.date
	}
	return b.sameMonth(d)
}

var (
	ymPattern  = regexp.MustCompile(`^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*月?$`)
	ymdPattern = regexp.MustCompile(`^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?$`)
	ym6        = regexp.MustCompile(`^(\d{4})(\d{2})$`)
	ymd8       = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	oneDecimal = regexp.MustCompile(`^\d{4}\.1$`)
	shortYear  = regexp.MustCompile(`^\d{2}\s*[./\-年]`)
)

// parseBirth reads a birth month or date as clerks write it: 1968.03,
// 1968.3, 1968年3月, 1968-03, 1968/3, 196803, 1968.03.15, 1968年3月15日,
// 19680315, or a date cell.
func parseBirth(v value, now time.Time) (birth, string) {
	bad := func(why string) (birth, string) {
		return birth{}, fmt.Sprintf("出生年月“%s”%s；请写成 1968.03 或 1968年3月 这样的年月", v.text, why)
	}
	// A date cell stores a serial number and shows it in its format; the
	// format (07-01-81, 1981/7/1) may be ambiguous, the number is not.
	if f, err := strconv.ParseFloat(v.raw, 64); err == nil && v.raw != v.text && f > 2100 && f < 2958466 {
		t, err := excelize.ExcelDateToTime(f, v.date1904)
		if err != nil {
			return bad("不是有效的日期")
		}
		return checkBirth(t.Year(), int(t.Month()), t.Day(), true, now, bad)
	}
	s := narrow(v.text)
	s = strings.ReplaceAll(s, "。", ".")
	if oneDecimal.MatchString(s) && v.number != nil && v.number() {
		return birth{}, fmt.Sprintf("出生年月“%s”是数字格式的单元格，分不清是 1 月还是 10 月（Excel 会把 1975.10 存成 1975.1）；请把单元格设为文本，写成 %s.01 或 %s.10", v.text, s[:4], s[:4])
	}
	var m []string
	switch {
	case ymdPattern.MatchString(s):
		m = ymdPattern.FindStringSubmatch(s)
	case ymd8.MatchString(s):
		m = ymd8.FindStringSubmatch(s)
	case ymPattern.MatchString(s):
		m = ymPattern.FindStringSubmatch(s)
	case ym6.MatchString(s):
		m = ym6.FindStringSubmatch(s)
	case shortYear.MatchString(s):
		return bad("的年份只有两位，请写四位年份")
	default:
		return bad("无法识别")
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if len(m) == 4 {
		d, _ := strconv.Atoi(m[3])
		return checkBirth(y, mo, d, true, now, bad)
	}
	return checkBirth(y, mo, 1, false, now, bad)
}

func checkBirth(y, m, d int, day bool, now time.Time, bad func(string) (birth, string)) (birth, string) {
	if m < 1 || m > 12 {
		return bad(fmt.Sprintf("的月份 %d 不存在", m))
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return bad(fmt.Sprintf("的日期 %d 月 %d 日不存在", m, d))
	}
	if y < 1900 || t.After(now) {
		return bad("不在合理的年份范围内")
	}
	return birth{date: records.DateOf(t), day: day}, ""
}

// number reads a number from a cell: the stored value of a number cell,
// else the text without thousands separators and a trailing unit.
func number(v value, units ...string) (float64, bool) {
	if f, err := strconv.ParseFloat(v.raw, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f, true
	}
	s := strings.ReplaceAll(narrow(v.text), ",", "")
	for _, u := range units {
		s = strings.TrimSpace(strings.TrimSuffix(s, u))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseCount reads a whole number between lo and hi.
func parseCount(v value, label string, lo, hi int, units ...string) (int, string) {
	f, ok := number(v, units...)
	if !ok || f != math.Trunc(f) {
		return 0, fmt.Sprintf("%s“%s”不是整数", label, v.text)
	}
	if f < float64(lo) || f > float64(hi) {
		return 0, fmt.Sprintf("%s“%s”不在 %d 到 %d 之间", label, v.text, lo, hi)
	}
	return int(f), ""
}

// choice reads one of a closed set of values by its Chinese names (or the
// API's own name).
func choice[T ~string](v value, label string, names map[string]T, expect string) (T, string) {
	s := narrow(v.text)
	if x, ok := names[s]; ok {
		return x, ""
	}
	for _, x := range names {
		if strings.EqualFold(s, string(x)) {
			return x, ""
		}
	}
	return "", fmt.Sprintf("%s“%s”无法识别，应为%s", label, v.text, expect)
}

var (
	kindNames = map[string]records.ProjectKind{
		"公路": records.ROAD, "道路": records.ROAD, "路": records.ROAD, "村路": records.ROAD, "村道": records.ROAD, "公路建设": records.ROAD, "道路硬化": records.ROAD,
		"学校": records.SCHOOL, "校舍": records.SCHOOL, "教学楼": records.SCHOOL, "学校建设": records.SCHOOL,
		"市场": records.MARKET, "集市": records.MARKET, "农贸市场": records.MARKET,
		"其他": records.OTHER, "其它": records.OTHER,
	}
	statusNames = map[string]records.ProjectStatus{
		"计划": records.PLANNED, "规划": records.PLANNED, "拟建": records.PLANNED, "未开工": records.PLANNED, "计划中": records.PLANNED, "待建": records.PLANNED,
		"在建": records.IN_PROGRESS, "施工中": records.IN_PROGRESS, "进行中": records.IN_PROGRESS, "建设中": records.IN_PROGRESS, "实施中": records.IN_PROGRESS, "正在施工": records.IN_PROGRESS,
		"完工": records.COMPLETED, "已完工": records.COMPLETED, "竣工": records.COMPLETED, "已竣工": records.COMPLETED, "完成": records.COMPLETED, "已完成": records.COMPLETED, "建成": records.COMPLETED, "已建成": records.COMPLETED,
		"停工": records.SUSPENDED, "暂停": records.SUSPENDED, "中止": records.SUSPENDED, "缓建": records.SUSPENDED, "停建": records.SUSPENDED, "搁置": records.SUSPENDED,
	}
	surfaceNames = map[string]records.Surface{
		"水泥": records.CEMENT, "水泥路": records.CEMENT, "水泥路面": records.CEMENT, "混凝土": records.CEMENT, "水泥混凝土": records.CEMENT,
		"沥青": records.ASPHALT, "沥青路": records.ASPHALT, "柏油": records.ASPHALT, "柏油路": records.ASPHALT,
		"砂石": records.GRAVEL, "沙石": records.GRAVEL, "砂石路": records.GRAVEL, "沙石路": records.GRAVEL,
		"土路": records.EARTH, "土": records.EARTH, "土质": records.EARTH, "素土": records.EARTH,
	}
	kindText    = map[records.ProjectKind]string{records.ROAD: "公路", records.SCHOOL: "学校", records.MARKET: "市场", records.OTHER: "其他"}
	statusText  = map[records.ProjectStatus]string{records.PLANNED: "计划", records.IN_PROGRESS: "在建", records.COMPLETED: "完工", records.SUSPENDED: "停工"}
	surfaceText = map[records.Surface]string{records.CEMENT: "水泥", records.ASPHALT: "沥青", records.GRAVEL: "砂石", records.EARTH: "土路"}
)

// splitList splits a cell naming several things: 南沟村、西山村.
var splitList = regexp.MustCompile(`[、,，;；/／\s]+`)

func floatText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func intText(i *int) string {
	if i == nil {
		return ""
	}
	return strconv.Itoa(*i)
}
