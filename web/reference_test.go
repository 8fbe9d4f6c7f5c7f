package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

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

// tags types items into the tag input of data-field path, comma separated.
func tags(b *Browser, path string, items ...string) {
	b.tb.Helper()
	b.Fill(fmt.Sprintf(`[data-field=%q] input, input[data-field=%q]`, path, path), strings.Join(items, ","))
	b.Key(kb.Enter)
}

// TestConsoleReferenceYear is the done-when: the reference year
// (testdata/reference/) entered through the console's pages alone into an
// empty store — the county admin creates the township, its clerk enters
// the rest — and the annual summary rendered from these records states
// every fact the reference document states (the facts of reports'
// ReferenceFacts). The records are the fewest that make the facts true.
func TestConsoleReferenceYear(t *testing.T) {
	srv := MustEmptyServer(t)
	b := MustBrowser(t, srv)

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
	b.Click(`[data-test=account-menu]`, "")
	b.Click(`[data-test=logout]`, "退出登录")
	b.WaitJS(`location.hash.startsWith('#/login')`, "the login page after logout")
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
	for _, r := range rows {
		enter(t, b, r)
	}
}
