package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"renda/internal/records"
)

// API asks the GraphQL API from the page, as the account signed in there,
// and decodes data into out; an error answer fails the test.
func API(b *Browser, query string, out any) {
	b.tb.Helper()
	expr := fmt.Sprintf(`fetch('/graphql', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
	  body: JSON.stringify({query: %s})}).then((r) => r.text())`, jsString(query))
	text, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.tb.Fatalf("asking the API %s: %v", query, err)
	}
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(text), &res); err != nil {
		b.tb.Fatalf("the API's answer to %s: %v (%s)", query, err, text)
	}
	if len(res.Errors) > 0 {
		b.tb.Fatalf("the API refused %s: %s", query, res.Errors[0].Message)
	}
	if err := json.Unmarshal(res.Data, out); err != nil {
		b.tb.Fatalf("decoding %s: %v", res.Data, err)
	}
}

// signOut ends the tab's session through the API and reloads the console,
// which then asks for a sign-in.
func signOut(b *Browser) {
	b.tb.Helper()
	var out struct{ Logout bool }
	API(b, `mutation { logout }`, &out)
	b.run(chromedp.Reload())
}

// Viewport sets the tab's size (375 wide: a phone).
func (b *Browser) Viewport(w, h int64) {
	b.tb.Helper()
	b.run(chromedp.EmulateViewport(w, h))
}

// overflow is what sticks out sideways on the page: the document, the main
// area and the page itself must each fit the window's width.
const overflow = `(() => {
  const out = [];
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > w + 1) out.push('document ' + document.documentElement.scrollWidth + ' > ' + w);
  for (const sel of ['#main', '.page']) {
    const e = document.querySelector(sel);
    if (e && e.scrollWidth > e.clientWidth + 1) out.push(sel + ' ' + e.scrollWidth + ' > ' + e.clientWidth);
  }
  for (const e of document.querySelectorAll('.page *')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > w + 1 && !e.closest('.el-table, .el-scrollbar, .el-select-dropdown')) { out.push((e.className || e.tagName) + ' right ' + Math.round(r.right)); break }
  }
  return out;
})()`

// TestConsoleBetween: the work between sessions in the console. A clerk
// opens a reception day and turns a voter's matter into a deputy's
// suggestion, which then links both ways; the 履职积分 page ranks the
// deputies as dutyPoints does; both read on a phone's width; a viewer sees
// the visitors' phones masked.
func TestConsoleBetween(t *testing.T) {
	srv := MustServer(t, true)
	tab := MustBrowser(t, srv)
	ctx := context.Background()
	MustLogin(t, tab, "clerk", "王秀兰")

	rec, err := srv.Store.Receptions.Get(ctx, "r-2310")
	if err != nil {
		t.Fatal(err)
	}
	var words string
	for _, it := range rec.Items {
		if it.ID == "r-2310-2" {
			words = it.Summary
		}
	}
	if words == "" {
		t.Fatalf("the demo's reception r-2310 has no item r-2310-2: %+v", rec.Items)
	}

	var suggestionID string
	t.Run("OK/ItemToSuggestion", func(t *testing.T) {
		b := tab.With(t)
		b.Click(`[data-test=nav] a`, "联络站接待")
		b.WaitJS(`!!document.querySelector('[data-page=list-reception][data-ready=true]') && !document.querySelector('.el-loading-mask')`, "the list of receptions")
		b.WaitText(`[data-test=figures]`, "共接待 4 次")
		b.Shot("receptions")
		b.Click(`[data-test=list] .el-table__row`, "2023年10月16日")
		b.WaitJS(`location.hash === '#/receptions/r-2310'`, "the reception's page")
		b.WaitJS(`!!document.querySelector('[data-page=record-reception][data-ready=true]')`, "the reception to load")
		if got := b.Text(`[data-item-id=r-2310-2] [data-test=route]`); got != "交镇或部门办理" {
			t.Errorf("the item's route reads %q, want 交镇或部门办理", got)
		}
		if got := b.Text(`[data-item-id=r-2310-2] [data-test=summary]`); got != words {
			t.Errorf("the item reads %q, want the voter's words %q", got, words)
		}
		// The clerk is the township's editor: phones unmasked.
		if phones := Eval[[]string](b, `[...document.querySelectorAll('[data-test=phone]')].map((e) => e.innerText)`); len(phones) == 0 || strings.Contains(strings.Join(phones, ""), "*") {
			t.Errorf("the clerk sees phones %q, want them whole", phones)
		}
		b.Click(`[data-item-id=r-2310-2] [data-test=to-suggestion]`, "转为代表建议")
		b.WaitText(`.el-dialog__title`, "转为代表建议")
		if got := Eval[string](b, `document.querySelector('[data-item=suggest-content] textarea').value`); got != words {
			t.Errorf("the dialog's content starts as %q, want the item's words", got)
		}
		if got := Eval[string](b, `document.querySelector('[data-item=suggest-title] input').value`); got == "" || !strings.HasPrefix(words, strings.TrimSuffix(got, "…")) {
			t.Errorf("the dialog's title starts as %q, want the beginning of %q", got, words)
		}
		b.WaitJS(`!!document.querySelector('[data-item=suggest-deputy] .el-select__selected-item:not(.is-hidden)') && document.querySelector('[data-item=suggest-deputy]').innerText.trim() !== ''`, "the deputy on duty chosen")
		b.Shot("reception-suggest-dialog")
		b.Click(`[data-test=suggest-confirm]`, "")
		b.WaitText(`[data-item-id=r-2310-2] [data-test=suggestion-link]`, "已转为代表建议")
		b.Shot("reception")
		href := Eval[string](b, `document.querySelector('[data-item-id=r-2310-2] [data-test=suggestion-link]').getAttribute('href')`)
		suggestionID = strings.TrimPrefix(href, "#/suggestions/")
		if suggestionID == href || suggestionID == "" {
			t.Fatalf("the item's link is %q, want #/suggestions/{id}", href)
		}

		// In the store: the suggestion in the voter's words, linked both ways.
		s, err := srv.Store.Suggestions.Get(ctx, suggestionID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Content != words || s.ReceptionID != "r-2310" || s.ReceptionItemID != "r-2310-2" || s.DeputyID == "" {
			t.Errorf("the suggestion: content %q reception %q item %q deputy %q; want the item's words, r-2310, r-2310-2 and a deputy", s.Content, s.ReceptionID, s.ReceptionItemID, s.DeputyID)
		}
		r, err := srv.Store.Receptions.Get(ctx, "r-2310")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range r.Items {
			if it.ID == "r-2310-2" && (it.SuggestionID != suggestionID || it.Route == nil || *it.Route != records.TO_SUGGESTION) {
				t.Errorf("the item after: suggestion %q route %v, want %q and SUGGESTION", it.SuggestionID, it.Route, suggestionID)
			}
		}

		// Through the API, both ways.
		var got struct {
			Reception struct {
				Items []struct {
					ID         string
					Route      string
					Suggestion *struct{ ID, Content string }
				}
			}
			Suggestion struct {
				ReceptionItemID string
				Reception       *struct{ ID string }
			}
		}
		API(b, fmt.Sprintf(`{ reception(id: "r-2310") { items { id route suggestion { id content } } }
		  suggestion(id: %q) { receptionItemId reception { id } } }`, suggestionID), &got)
		var linked bool
		for _, it := range got.Reception.Items {
			if it.ID == "r-2310-2" {
				linked = it.Route == "SUGGESTION" && it.Suggestion != nil && it.Suggestion.ID == suggestionID && it.Suggestion.Content == words
			}
		}
		if !linked || got.Suggestion.ReceptionItemID != "r-2310-2" || got.Suggestion.Reception == nil || got.Suggestion.Reception.ID != "r-2310" {
			t.Errorf("the API: reception items %+v, suggestion %+v; want them linked both ways", got.Reception.Items, got.Suggestion)
		}

		// Through the pages, both ways (once the toast that says it is done,
		// which could lie over the link, has gone).
		b.WaitJS(`!document.querySelector('.el-message')`, "the toast to go")
		b.Click(`[data-item-id=r-2310-2] [data-test=suggestion-link]`, "")
		b.WaitJS(fmt.Sprintf(`location.hash === '#/suggestions/%s'`, suggestionID), "the suggestion's page")
		b.Ready()
		b.WaitText(`[data-test=source-words]`, words)
		if got := b.Text(`[data-item=content] textarea`); got != words {
			// innerText of a textarea is its initial text; read the value too.
			if v := Eval[string](b, `document.querySelector('[data-item=content] textarea').value`); v != words {
				t.Errorf("the suggestion's content reads %q, want the item's words", v)
			}
		}
		b.Shot("suggestion-source")
		b.Click(`[data-test=source-reception]`, "")
		b.WaitJS(`location.hash === '#/receptions/r-2310'`, "back on the reception's page")
		b.WaitText(`[data-item-id=r-2310-2] [data-test=suggestion-link]`, "已转为代表建议")
	})

	// An edit sends the items back with their ids: the one that became a
	// suggestion keeps its link.
	t.Run("OK/EditKeepsLink", func(t *testing.T) {
		b := tab.With(t)
		if suggestionID == "" {
			t.Skip("no suggestion made")
		}
		b.Click(`[data-test=edit]`, "编辑")
		b.WaitJS(`!!document.querySelector('[data-test=record-form] [data-item=leader] input')`, "the reception's form")
		b.Fill(`[data-item=leader] input`, "侯德志")
		b.Shot("reception-edit")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`!!document.querySelector('[data-test=reception-info]') && !!document.querySelector('[data-page=record-reception][data-ready=true]')`, "the reception saved")
		r, err := srv.Store.Receptions.Get(ctx, "r-2310")
		if err != nil {
			t.Fatal(err)
		}
		var link string
		for _, it := range r.Items {
			if it.ID == "r-2310-2" {
				link = it.SuggestionID
			}
		}
		if r.Leader != "侯德志" || len(r.Items) != len(rec.Items) || link != suggestionID || len(r.Visitors) != len(rec.Visitors) || r.Visitors[0].Phone != rec.Visitors[0].Phone {
			t.Errorf("after the edit: leader %q, %d items (want %d), item r-2310-2 links %q (want %q), visitors %+v", r.Leader, len(r.Items), len(rec.Items), link, suggestionID, r.Visitors)
		}
	})

	t.Run("OK/PointsRanking", func(t *testing.T) {
		b := tab.With(t)
		b.Click(`[data-test=nav] a`, "履职积分")
		b.WaitJS(`location.hash === '#/points'`, "the points page")
		b.Fill(`[data-filter=year] input`, "2023")
		b.Key(kb.Enter)
		b.WaitText(`[data-test=period]`, "2023年1月1日至2023年12月31日")
		b.WaitJS(`!!document.querySelector('[data-page=points][data-ready=true]') && !document.querySelector('.el-loading-mask')`, "the ranking")
		var api struct {
			DutyPoints struct {
				TotalCount int
				Nodes      []struct {
					Rank   int
					Points float64
					Deputy struct{ Name string }
					Lines  []struct{ Source struct{ Title string } }
				}
			}
		}
		API(b, `{ dutyPoints(township: "qps", year: 2023, first: 500) { totalCount nodes { rank points deputy { name } lines { source { title } } } } }`, &api)
		if len(api.DutyPoints.Nodes) == 0 {
			t.Fatal("dutyPoints ranks no deputy for 2023")
		}
		var want []string
		for _, n := range api.DutyPoints.Nodes {
			want = append(want, fmt.Sprintf("%d %s %s", n.Rank, n.Deputy.Name, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", n.Points), "0"), ".")))
		}
		got := Eval[[]string](b, `[...document.querySelectorAll('[data-test=ranking] .el-table__body-wrapper tr.el-table__row')]
		  .filter((tr) => tr.querySelector('[data-test=rank]'))
		  .map((tr) => ['rank', 'name', 'points'].map((k) => tr.querySelector('[data-test=' + k + ']').innerText.trim()).join(' '))`)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the page's ranking:\n%s\nwant dutyPoints':\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !strings.Contains(b.Text(`[data-test=period]`), fmt.Sprintf("共 %d 名代表", api.DutyPoints.TotalCount)) {
			t.Errorf("the period line %q does not count %d deputies", b.Text(`[data-test=period]`), api.DutyPoints.TotalCount)
		}
		// The first deputy's lines, each naming its source record.
		b.Click(`[data-test=ranking] .el-table__body-wrapper tr.el-table__row .el-table__expand-icon`, "")
		b.WaitJS(`!!document.querySelector('[data-test=lines] .el-table__row')`, "the first deputy's lines")
		lines := Eval[[]string](b, `[...document.querySelector('[data-test=lines]').querySelectorAll('.el-table__body-wrapper tr.el-table__row')].map((tr) => tr.innerText)`)
		first := api.DutyPoints.Nodes[0]
		if len(lines) != len(first.Lines) {
			t.Errorf("%s's lines: %d on the page, %d in dutyPoints", first.Deputy.Name, len(lines), len(first.Lines))
		}
		for i := range min(len(lines), len(first.Lines)) {
			if !strings.Contains(lines[i], first.Lines[i].Source.Title) {
				t.Errorf("line %d reads %q, want its source %q", i+1, lines[i], first.Lines[i].Source.Title)
			}
		}
		b.Shot("points")
		Eval[any](b, `document.querySelector('[data-test=rules]').scrollIntoView()`)
		b.WaitText(`[data-test=rules]`, "棋盘山镇人大代表履职积分办法")
		b.Shot("points-rules")
	})

	t.Run("OK/Phone", func(t *testing.T) {
		b := tab.With(t)
		b.Viewport(375, 740)
		defer b.Viewport(1366, 768)
		for _, c := range []struct{ route, ready, shot string }{
			{"/receptions", `!!document.querySelector('[data-page=list-reception][data-ready=true]') && document.querySelectorAll('[data-test=reception-row]').length === 4`, "phone-receptions"},
			{"/receptions/r-2310", `!!document.querySelector('[data-page=record-reception][data-ready=true]') && !!document.querySelector('[data-test=suggestion-link]')`, "phone-reception"},
			{"/suggestions/" + suggestionID, `!!document.querySelector('[data-page^=record-][data-ready=true]') && !!document.querySelector('[data-test=source-words]')`, "phone-suggestion"},
			{"/points", `!!document.querySelector('[data-page=points][data-ready=true]') && !!document.querySelector('[data-test=rules] [data-rules]')`, "phone-points"},
		} {
			b.Go(c.route)
			b.WaitJS(c.ready, c.route)
			if out := Eval[[]string](b, overflow); len(out) > 0 {
				b.Shot("overflow" + strings.ReplaceAll(c.route, "/", "-"))
				t.Errorf("%s at 375 px: sideways overflow %q", c.route, out)
			}
			b.Shot(c.shot)
		}
		// 2023 on a phone: a card a deputy, the lines under it.
		b.Fill(`[data-filter=year] input`, "2023")
		b.Key(kb.Enter)
		b.WaitJS(`document.querySelectorAll('[data-test=standing]').length > 0`, "the ranking as cards")
		b.Click(`[data-test=standing] .standing-head`, "")
		b.WaitJS(`!!document.querySelector('[data-test=standing] [data-test=line]')`, "the lines of the first deputy")
		if out := Eval[[]string](b, overflow); len(out) > 0 {
			b.Shot("overflow-points-lines")
			t.Errorf("/points with lines open at 375 px: sideways overflow %q", out)
		}
		b.Shot("phone-points-lines")
		b.Click(`[data-test=menu-button]`, "")
		b.WaitText(`[data-test=nav-drawer] a`, "履职积分")
		b.WaitJS(`(() => { const d = document.querySelector('.nav-drawer'); return !!d && d.getBoundingClientRect().left === 0 && getComputedStyle(d).transform === 'none' })()`, "the menu slid in")
		b.Shot("phone-menu")
		b.Click(`[data-test=nav-drawer] a`, "联络站接待")
		b.WaitJS(`location.hash === '#/receptions'`, "the receptions through the phone's menu")
	})

	t.Run("OK/ViewerMaskedPhones", func(t *testing.T) {
		b := tab.With(t)
		signOut(b)
		MustLogin(t, b, "admin", "县人大管理员")
		// The admin changes the rules' base: the ranking follows.
		b.Go("/points")
		b.Fill(`[data-filter=year] input`, "2023")
		b.Key(kb.Enter)
		b.WaitText(`[data-test=period]`, "2023年1月1日")
		b.WaitJS(`!!document.querySelector('[data-page=points][data-ready=true]') && !document.querySelector('.el-loading-mask')`, "the ranking")
		before := b.Text(`[data-test=ranking] [data-test=points]`)
		b.Click(`[data-rules=pr-2023] [data-test=edit-rules]`, "修改")
		b.WaitText(`.el-dialog__title`, "修改积分办法")
		b.Fill(`[data-item=rules-base] input`, "50")
		b.Key(kb.Tab)
		b.Shot("points-rules-edit")
		b.Click(`[data-test=rules-save]`, "")
		b.WaitText(`[data-rules=pr-2023]`, "基础分 50 分")
		b.WaitJS(fmt.Sprintf(`document.querySelector('[data-test=ranking] [data-test=points]').innerText.trim() === String(%s - 10)`, before), "the ranking with the new base")
		pr, err := srv.Store.PointRules.Get(ctx, "pr-2023")
		if err != nil {
			t.Fatal(err)
		}
		if pr.Base != 50 || pr.Version != 2 || len(pr.Items) != 10 {
			t.Errorf("the rules after the edit: base %v version %d, %d items; want 50, 2, the 10 items kept", pr.Base, pr.Version, len(pr.Items))
		}
		var made struct{ CreateAccount struct{ ID string } }
		API(b, fmt.Sprintf(`mutation { createAccount(input: {username: "viewer", name: "赵丽", password: %s, role: VIEWER, townships: ["qps"]}) { id } }`, jsString(password)), &made)
		signOut(b)
		MustLogin(t, b, "viewer", "赵丽")
		b.Go("/receptions/r-2301")
		b.WaitJS(`!!document.querySelector('[data-page=record-reception][data-ready=true]') && document.querySelectorAll('[data-test=phone]').length > 0`, "the reception's visitors")
		phones := Eval[[]string](b, `[...document.querySelectorAll('[data-test=phone]')].map((e) => e.innerText.trim())`)
		masked := regexp.MustCompile(`^\d{3}\*{4}\d{4}$`)
		for _, p := range phones {
			if !masked.MatchString(p) {
				t.Errorf("a viewer sees the phone %q, want it masked as 139****1201", p)
			}
		}
		if n := Eval[int](b, `document.querySelectorAll('[data-test=to-suggestion], [data-test=edit], [data-test=delete]').length`); n != 0 {
			t.Errorf("a viewer has %d buttons to change the reception, want none", n)
		}
		if strings.Contains(b.Text(`[data-test=items]`), "优亲厚友") {
			t.Errorf("a viewer sees the confidential item")
		}
		b.Shot("viewer-reception")
	})
}
