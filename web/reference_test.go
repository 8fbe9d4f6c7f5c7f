package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"renda/internal/auth"
	"renda/internal/records"
)

// span is a date as the console's span input takes it: a precision (日,
// 旬, 季, 半年) and its parts.
type span struct {
	prec string // "" for a day
	day  string // 2023-04-05 for a day
	year string
	// month for a 旬; the 旬, 季 or 半年 to choose
	month, part string
}

func dayOf(d string) span { return span{day: d} }

// row is one record entered through its page: what to type (text
// fields by data-item), what to choose, which records to pick, and what
// else to do on the form.
type row struct {
	path   string            // deputies, villages …
	kind   string            // the enum 类型 to choose first, if any
	text   map[string]string // data-item → text typed (input or textarea)
	date   *span
	picks  map[string][]string // data-item of a reference picker → the names to pick
	more   func(b *Browser)
	expect string // what the saved record's title should hold (debug aid)
}

// enter opens the new-record page of r.path, fills it and saves it.
func enter(t *testing.T, b *Browser, r row) string {
	t.Helper()
	b.Go("/" + r.path + "/new")
	b.Ready()
	if r.kind != "" {
		b.Choose(`[data-item=kind] .el-select__wrapper`, r.kind)
	}
	for item, text := range r.text {
		sel := fmt.Sprintf(`[data-item=%s] input, [data-item=%s] textarea`, item, item)
		b.Fill(sel, text)
		b.Key(kb.Tab)
	}
	if r.date != nil {
		setSpan(b, `[data-item=date]`, *r.date)
	}
	for item, names := range r.picks {
		for _, n := range names {
			b.Search(fmt.Sprintf(`[data-item=%s] .el-select`, item), n, n)
		}
	}
	if r.more != nil {
		r.more(b)
	}
	b.Click(`[data-test=save]`, "")
	re := fmt.Sprintf(`/^#\/%s\/(?!new)[^/]+$/.test(location.hash)`, regexp.QuoteMeta(r.path))
	b.WaitJS(fmt.Sprintf(`%s || !!document.querySelector('.el-form-item__error, [data-test=form-error]')`, re), "the saved record's page")
	if !Eval[bool](b, re) {
		b.Shot("failure-reference-" + r.path)
		t.Fatalf("saving a new %s (%v): the page says %q", r.path, r.text, Eval[string](b, `[...document.querySelectorAll('.el-form-item__error, [data-test=form-error]')].map((e) => e.innerText).join('；')`))
	}
	b.Ready()
	return strings.TrimPrefix(b.Hash(), "/"+r.path+"/")
}

// setSpan sets the span input inside sel.
func setSpan(b *Browser, sel string, s span) {
	b.tb.Helper()
	if s.prec == "" {
		b.FillDate(sel+` [data-test=day] input`, s.day)
		return
	}
	b.Choose(sel+` [data-test=precision] .el-select__wrapper`, s.prec)
	b.Fill(sel+` [data-test=year] input`, s.year)
	b.Key(kb.Tab)
	switch s.prec {
	case "旬":
		b.Fill(sel+` [data-test=month] input`, s.month)
		b.Key(kb.Tab)
		b.Choose(sel+` [data-test=dekad] .el-select__wrapper`, s.part)
	case "季":
		b.Choose(sel+` [data-test=season] .el-select__wrapper`, s.part)
	case "半年":
		b.Choose(sel+` [data-test=half] .el-select__wrapper`, s.part)
	}
	b.WaitText(sel+` [data-test=span-text]`, s.year+"年")
}

// addRow adds a row to the objects field at path (data-field) and returns its index.
func addRow(b *Browser, path string) int {
	b.tb.Helper()
	i := Eval[int](b, fmt.Sprintf(`(() => { const re = /^%s\.(\d+)\.[^.]+$/; let n = 0; document.querySelectorAll('[data-field]').forEach((e) => { const m = re.exec(e.dataset.field); if (m) n = Math.max(n, +m[1] + 1) }); return n })()`, regexp.QuoteMeta(path)))
	b.Click(fmt.Sprintf(`[data-field=%q] > .el-button`, path), "添加一行")
	b.WaitJS(fmt.Sprintf(`!!document.querySelector('[data-field^=%q]')`, fmt.Sprintf("%s.%d.", path, i)), "the new row")
	return i
}

// field fills the input of data-field path (text or number) and leaves it.
func field(b *Browser, path, text string) {
	b.tb.Helper()
	b.Fill(fmt.Sprintf(`[data-field=%q] input, [data-field=%q] textarea, input[data-field=%q], textarea[data-field=%q]`, path, path, path, path), text)
	b.Key(kb.Tab)
}

// choose picks option of the select of data-field path.
func choose(b *Browser, path, option string) {
	b.tb.Helper()
	b.Choose(fmt.Sprintf(`[data-field=%q] .el-select__wrapper`, path), option)
}

// tags types items into the tag input of data-field path, each added by Enter.
func tags(b *Browser, path string, items ...string) {
	b.tb.Helper()
	for _, it := range items {
		b.Fill(fmt.Sprintf(`[data-field=%q] input, input[data-field=%q]`, path, path), it)
		b.Key(kb.Enter)
	}
}

// TestConsoleReferenceYear is the done-when: the reference year
// (testdata/reference/) entered through the console's pages alone into an
// empty store — the county admin creates the township, its clerk enters
// the rest — and the annual summary rendered from these records states
// every fact the reference document states (the facts of reports'
// ReferenceFacts). The records are the fewest that make the facts true.
func TestConsoleReferenceYear(t *testing.T) {
	srv := MustEmptyServer(t)
	b := MustBrowserFor(t, srv, 8*time.Minute)

	// The county admin creates the township.
	MustLogin(t, b, "admin", "县人大管理员")
	b.Go("/townships/new")
	b.Ready()
	b.Fill(`[data-item=name] input`, "棋盘山镇")
	b.Fill(`[data-item=county] input`, "围场满族蒙古族自治县")
	b.Click(`[data-test=save]`, "")
	b.WaitJS(`/^#\/townships\/(?!new)[^/]+$/.test(location.hash)`, "the new township's page")
	township := strings.TrimPrefix(b.Hash(), "/townships/")
	// Its clerk's account (accounts are not records: the admin page is another issue's).
	if _, err := srv.Auth.CreateAccount(t.Context(), auth.AccountInput{ID: "clerk", Name: "王秀兰", Role: records.Editor, Townships: []string{township}, Password: password}); err != nil {
		t.Fatal(err)
	}
	signOut(b)
	MustLogin(t, b, "clerk", "王秀兰")

	villages := []string{"棋盘山村", "南沟村", "西山村", "二十九号村", "二十八号村", "三十号村", "甘五号村", "甘六号村", "甘七号村", "罗字八号村", "罗字九号村", "罗字十号村", "五道川村", "头道川村", "二道川村"}
	demo := map[string]bool{"二十九号村": true, "头道川村": true}
	var rows []row
	for _, v := range villages {
		r := row{path: "villages", text: map[string]string{"name": v}}
		if demo[v] {
			r.more = func(b *Browser) {
				i := addRow(b, "designations")
				field(b, fmt.Sprintf("designations.%d.year", i), "2023")
				field(b, fmt.Sprintf("designations.%d.title", i), "市级文明生态示范村")
			}
		}
		rows = append(rows, r)
	}

	// Deputies: 23 went to 张家湾乡; one of each level met at 棋盘山村.
	// Only the 县级 and 镇级 deputy keep voters (2 each), and hold the
	// year's honours (2 县级, 5 镇级 优秀代表).
	voters := func(names ...string) func(b *Browser) {
		return func(b *Browser) {
			for _, n := range names {
				i := addRow(b, "voters")
				field(b, fmt.Sprintf("voters.%d.name", i), n)
			}
		}
	}
	honours := func(n int, title, level string) func(b *Browser) {
		return func(b *Browser) {
			for range n {
				i := addRow(b, "honours")
				field(b, fmt.Sprintf("honours.%d.year", i), "2023")
				field(b, fmt.Sprintf("honours.%d.title", i), title)
				choose(b, fmt.Sprintf("honours.%d.level", i), level)
			}
		}
	}
	deputy := func(name, level string, more ...func(*Browser)) row {
		return row{path: "deputies", text: map[string]string{"name": name}, more: func(b *Browser) {
			b.Click(`[data-item=levels] .el-checkbox`, level)
			for _, m := range more {
				m(b)
			}
		}}
	}
	deputies := []string{"赵振国", "钱秀英", "孙立新"}
	rows = append(rows,
		deputy("赵振国", "县级", voters("李大山", "王小兰"), honours(2, "县级优秀代表", "县级")),
		deputy("钱秀英", "镇级", voters("周玉梅", "吴海军"), honours(5, "镇级优秀代表", "镇级")),
		deputy("孙立新", "市级"))
	for i := 4; i <= 23; i++ {
		n := fmt.Sprintf("市级代表%02d", i)
		deputies = append(deputies, n)
		rows = append(rows, deputy(n, "市级"))
	}
	// Roads: 13 villages built 62 km, 21 km of them cement (二十九号村's,
	// whose bidding 16 teams entered).
	roadVillages := []string{"棋盘山村", "二十九号村", "二十八号村", "三十号村", "甘五号村", "甘六号村", "甘七号村", "罗字八号村", "罗字九号村", "罗字十号村", "五道川村", "头道川村", "二道川村"}
	rows = append(rows,
		row{path: "projects", kind: "公路", text: map[string]string{"name": "村村通公路", "year": "2023", "lengthKm": "41"},
			picks: map[string][]string{"villages": roadVillages},
			more:  func(b *Browser) { b.Choose(`[data-item=surface] .el-select__wrapper`, "砂石") }},
		row{path: "projects", kind: "公路", text: map[string]string{"name": "二十九号村水泥路", "year": "2023", "lengthKm": "21"},
			picks: map[string][]string{"villages": {"二十九号村"}},
			more: func(b *Browser) {
				b.Choose(`[data-item=surface] .el-select__wrapper`, "水泥")
				field(b, "bidding.teams", "16")
				field(b, "bidding.method", "村民代表参加的修路公开招标大会,全体代表一致同意")
			}},
	)

	// The six inspections.
	rows = append(rows,
		row{path: "inspections", text: map[string]string{"topic": "视察农资市场"}, date: &span{prec: "季", year: "2023", part: "春季"}},
		row{path: "inspections", text: map[string]string{"topic": "视察全镇农业农村工作"}, date: &span{day: "2023-09-11"}, picks: map[string][]string{"villages": villages}},
		row{path: "inspections", text: map[string]string{"topic": "视察淀粉加工企业治理整顿工作"}, date: &span{prec: "旬", year: "2023", month: "10", part: "中旬"}},
		row{path: "inspections", text: map[string]string{"topic": "视察大牲畜交易市场交易情况"}, date: &span{prec: "半年", year: "2023", part: "上半年"}},
		row{path: "inspections", text: map[string]string{"topic": "视察全镇农村公路建设情况"}, date: &span{prec: "旬", year: "2023", month: "7", part: "中旬"},
			picks: map[string][]string{"villages": {"二十九号村", "甘六号村", "罗字十号村"}, "projects": {"村村通公路"}}},
		row{path: "inspections", text: map[string]string{"topic": "视察文明生态村建设"}, date: &span{day: "2023-11-20"}, picks: map[string][]string{"villages": {"二十九号村", "头道川村"}}},
	)

	headcount := func(kind, n string) func(b *Browser) {
		return func(b *Browser) {
			i := addRow(b, "otherParticipants")
			field(b, fmt.Sprintf("otherParticipants.%d.kind", i), kind)
			field(b, fmt.Sprintf("otherParticipants.%d.count", i), n)
		}
	}
	all := func(fs ...func(*Browser)) func(*Browser) {
		return func(b *Browser) {
			for _, f := range fs {
				f(b)
			}
		}
	}
	// 规范化建设: the room, the money, the rules and books, the staff.
	rows = append(rows, row{path: "activities", kind: "规范化建设", date: &span{day: "2023-03-01"},
		text: map[string]string{"title": "以镇人大代表活动室为突破口，建设“代表之家”", "summary": "对镇政府五楼代表活动室进行了重新装修，配备了文件橱和办公桌椅。"},
		more: all(headcount("专职秘书", "1"), headcount("兼职信息员", "2"), func(b *Browser) {
			field(b, "standardization.amountYuan", "10000")
			tags(b, "standardization.items", "微机一台", "镇人大主席团职责", "人大主席团主席职责", "人大主席团副主席职责",
				"人大主席团学习制度", "办理代表建议批评和意见制度", "调查研究制度", "请示汇报制度", "联系代表制度", "办理人民群众来信来访制度",
				"主席团会议记录簿", "代表先进事迹记录簿", "人民来信来访记录簿", "各级文件登记簿", "代表议案和批评建议意见记录簿", "代表小组活动记录簿", "代表分组情况及代表花名册")
		})})

	// 代表议政日: the school (23 deputies at 张家湾乡), the road pilot
	// (three meetings at 二十九号村), the commercial street (56 at 棋盘山村).
	rows = append(rows, row{path: "activities", kind: "代表议政日", date: &span{day: "2023-04-05"},
		text:  map[string]string{"title": "小学寄宿制学校建设的可行性议政", "location": "张家湾乡"},
		picks: map[string][]string{"participants": deputies},
		more:  headcount("镇中心校负责人", "1")})
	for i, topic := range []string{"修路工程集资方式", "山林拍卖价格", "承建工程施工队确定"} {
		rows = append(rows, row{path: "activities", kind: "代表议政日", date: &span{day: fmt.Sprintf("2023-05-%d", 10+10*i)},
			text:  map[string]string{"title": fmt.Sprintf("二十九号村第%d次村民代表会", i+1)},
			picks: map[string][]string{"villages": {"二十九号村"}, "projects": {"二十九号村水泥路"}},
			more: func(b *Browser) {
				field(b, "deliberation.topic", topic)
				field(b, "deliberation.series", "公路建设资金筹集及工程招投标")
			}})
	}
	rows = append(rows, row{path: "activities", kind: "代表议政日", date: &span{day: "2023-08-15"},
		text:  map[string]string{"title": "商贸一条街建设议政", "location": "棋盘山村"},
		picks: map[string][]string{"participants": deputies[:3]},
		more:  headcount("村民代表", "53")})

	// 评议: 15 站所 (one most, one least satisfied) and four 副镇长.
	type subject struct{ name, kind, verdict string }
	subjects := []subject{{"镇中心卫生院", "部门", "最满意"}, {"镇财政所", "部门", "最不满意"}}
	for _, n := range []string{"镇派出所", "镇国土所", "镇农业站", "镇林业站", "镇水利站", "镇畜牧站", "镇文化站", "镇计生站", "镇供电所", "镇工商所", "镇税务所", "镇邮政所", "镇信用社"} {
		subjects = append(subjects, subject{n, "部门", ""})
	}
	for _, n := range []string{"分管农业的副镇长", "分管科教文卫计生的副镇长", "分管城建土地的副镇长", "分管综治工作的副镇长"} {
		subjects = append(subjects, subject{n, "干部", ""})
	}
	rows = append(rows, row{path: "activities", kind: "评议", date: &span{day: "2023-06-20"},
		text: map[string]string{"title": "代表评议大会"},
		more: func(b *Browser) {
			for _, s := range subjects {
				i := addRow(b, "appraisal.subjects")
				p := fmt.Sprintf("appraisal.subjects.%d.", i)
				field(b, p+"name", s.name)
				choose(b, p+"subjectKind", s.kind)
				if s.verdict != "" {
					field(b, p+"verdict", s.verdict)
				}
				if i == 0 {
					tags(b, p+"methods", "述职", "质询", "测评票")
				}
			}
		}})

	// 代表小组活动日: the 10th of each quarter's first month, three years.
	for _, y := range []string{"2021", "2022", "2023"} {
		for _, m := range []string{"01", "04", "07", "10"} {
			rows = append(rows, row{path: "activities", kind: "代表小组活动日", date: &span{day: y + "-" + m + "-10"},
				text: map[string]string{"title": "代表小组活动日"}})
		}
	}
	// 走访代表: once the year before, four times this year.
	for d, title := range map[string]string{"2022-12-20": "年终走访代表", "2023-02-15": "普通走访，听取代表的意见和建议", "2023-05-15": "针对代表所提建议的办理情况重点走访",
		"2023-09-15": "对代表反馈的难点问题特别走访", "2023-12-20": "年终表彰慰问作出突出贡献的代表"} {
		rows = append(rows, row{path: "activities", kind: "走访代表", date: &span{day: d}, text: map[string]string{"title": title}})
	}

	start := time.Now()
	for i, r := range rows {
		enter(t, b, r)
		if i%10 == 9 {
			t.Logf("%d records in %s", i+1, time.Since(start).Round(time.Second))
		}
	}
	t.Logf("%d records entered through the console", len(rows)+1)

	// The annual summary, previewed on the 报表 page.
	b.Go("/reports")
	b.WaitText(`[data-test=template]`, "")
	b.Fill(`[data-param=year] input`, "2023")
	b.Key(kb.Tab)
	b.Click(`[data-test=preview]`, "")
	b.WaitJS(`(() => { const f = document.querySelector('[data-test=preview-frame]'); return !!f && f.srcdoc.includes('棋盘山镇人大主席团2023年度工作总结') })()`, "the preview of the annual summary")
	b.Shot("reference-summary")
	text := Eval[string](b, `new DOMParser().parseFromString(document.querySelector('[data-test=preview-frame]').srcdoc, 'text/html').body.textContent`)
	var missing []string
	for _, fact := range referenceFacts {
		if !strings.Contains(text, fact) {
			missing = append(missing, fact)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the summary does not say %d of the %d facts: %q\n%s", len(missing), len(referenceFacts), missing, text)
	}
}

// referenceFacts are the reference document's figures as the summary
// must state them (reports' ReferenceFacts).
var referenceFacts = []string{
	"五楼代表活动室", "挤出一万元资金", "微机一台", "三个职责", "六个制度", "“六簿一册”", "一名专职秘书和两名兼职信息员",
	"主要开展了三项“民主议政日”活动", "4月5日", "23名人大代表、镇中心校负责人", "张家湾乡",
	"以二十九号村为试点", "先后召开了三次代表会", "16个施工队参与竞争", "全体代表的一致同意",
	"市、县、镇三级代表及村民代表56人", "棋盘山村",
	"春季", "9月11日", "对全镇15个村", "10月中旬", "上半年", "7月中旬", "二十九号村、甘六号村和罗字十号村",
	"全镇15个村就有13个村进行了村路建设", "总里程长达60多公里", "水泥路长达20多公里", "二十九号村和头道川村是全镇的两个市级文明生态示范村",
	"有15个基层站所", "质询", "发测评票", "镇中心卫生院被评为最满意单位", "镇财政所被评为最不满意单位", "共四名领导干部",
	"每季度第一个月的10日", "坚持了三年，从未间断",
	"由每年一次改为四次", "每名县镇人大代表联系2名选民", "县级优秀代表2名", "镇级优秀代表5名",
}
