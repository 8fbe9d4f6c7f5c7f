package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/xuri/excelize/v2"

	"renda/internal/records"
)

// TestConsolePages visits every page of the console on a server that runs
// open (loopback, no account): the console goes straight in and says so.
// Each list shows the demo's records and opens one; a new inspection dated
// to a 旬 is stored as that span; the report form offers pickers, never
// an id. Every request of every page stays on the server (checked when the
// tab closes, see checkRequests).
func TestConsolePages(t *testing.T) {
	srv := MustServer(t, false)
	tab := MustBrowser(t, srv)
	ctx := context.Background()

	t.Run("OK/Open", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/")
		b.WaitText(`[data-test=open]`, "本机开放模式")
		if h := b.Hash(); strings.HasPrefix(h, "/login") {
			t.Errorf("an open server: route %q, want the console without a login", h)
		}
		if who := b.Text(`[data-test=who]`); !strings.Contains(who, "本机管理员") || strings.Contains(who, "local") {
			t.Errorf("the header names the caller %q, want 本机管理员", who)
		}
	})

	for _, kind := range []string{"deputies", "villages", "projects", "inspections", "activities", "suggestions"} {
		t.Run("OK/"+kind, func(t *testing.T) {
			b := tab.With(t)
			b.Go("/" + kind)
			b.ListReady()
			b.WaitText(`[data-test=list] .el-table__row`, "")
			if total := b.Text(`[data-test=pager]`); !strings.Contains(total, "共") || strings.Contains(total, "共 0 条") {
				t.Errorf("%s: pager %q, want the demo's records counted", kind, total)
			}
			b.Shot("list-" + kind)
			b.Click(`[data-test=list] .el-table__row .el-button`, "打开")
			b.WaitJS(fmt.Sprintf(`location.hash.startsWith('#/%s/')`, kind), "the record page")
			b.Ready()
			if n := Eval[int](b, `document.querySelectorAll('[data-test=form-error], .el-form-item__error').length`); n != 0 {
				t.Errorf("%s: the record page shows %d errors: %s", kind, n, b.Text(`[data-page^=record-]`))
			}
			b.Shot("record-" + kind)
			if kind == "inspections" {
				id := strings.TrimPrefix(b.Hash(), "/inspections/")
				in, err := srv.Store.Inspections.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := b.Text(`[data-item=date] [data-test=span-text]`), in.Date.FullText(); got != want {
					t.Errorf("the date span reads %q in the form, want %q as the server writes it", got, want)
				}
			}
		})
	}

	t.Run("OK/Export", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/deputies")
		b.ListReady()
		b.Choose(`[data-filter=level] .el-select__wrapper`, "县级")
		b.ListReady()
		b.WaitJS(`/共 \d+ 条/.test(document.querySelector('[data-test=pager]').innerText) && !document.querySelector('[data-test=pager]').innerText.includes('共 40 条')`, "the filtered list")
		var total int
		fmt.Sscanf(strings.SplitN(b.Text(`[data-test=pager]`), "共 ", 2)[1], "%d", &total)
		b.Click(`[data-test=export-xlsx]`, "")
		file := waitDownload(t, b.Download, ".xlsx")
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows(f.GetSheetList()[0])
		if len(rows) < 2 || !slices.Contains(rows[0], "姓名") {
			t.Fatalf("the export's first rows: %v, want a header with 姓名", rows[:min(2, len(rows))])
		}
		if len(rows)-1 != total || total == 0 {
			t.Errorf("the export holds %d deputies, the filtered list %d", len(rows)-1, total)
		}
	})

	t.Run("OK/InspectionDekad", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/inspections/new")
		b.Ready()
		b.Fill(`[data-item=topic] input`, "秋季道路养护视察")
		b.Choose(`[data-item=date] [data-test=precision] .el-select__wrapper`, "旬")
		b.Fill(`[data-item=date] [data-test=year] input`, "2023")
		b.Key("\t")
		b.Fill(`[data-item=date] [data-test=month] input`, "10")
		b.Key("\t")
		b.Choose(`[data-item=date] [data-test=dekad] .el-select__wrapper`, "中旬")
		b.WaitText(`[data-item=date] [data-test=span-text]`, "2023年10月中旬")
		b.Search(`[data-item=participants] .el-select`, "张振华", "张振华")
		b.Fill(`[data-item=findings] textarea`, "部分路段排水沟堵塞。")
		b.Shot("inspection-new")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`/^#\/inspections\/(?!new)[^/]+$/.test(location.hash)`, "the new inspection's page")
		b.Ready()
		in, err := srv.Store.Inspections.Get(ctx, strings.TrimPrefix(b.Hash(), "/inspections/"))
		if err != nil {
			t.Fatal(err)
		}
		if in.Date.Date != "2023-10-11" || in.Date.Precision != records.DEKAD || len(in.ParticipantIDs) != 1 || in.Findings != "部分路段排水沟堵塞。" {
			t.Errorf("stored inspection: date %+v, participants %v, findings %q; want 2023-10-11 DEKAD, one deputy, the findings", in.Date, in.ParticipantIDs, in.Findings)
		}
	})

	// A tag typed through an input method is added by the Enter after the
	// composition, not lost to the Enter that ends it; commas of either
	// width and 、 separate; a repeated value is not added twice and
	// nothing replaces a value added before. A season chosen after 季 is of
	// the year shown.
	t.Run("OK/TagsAndSeason", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/inspections/new")
		b.Ready()
		b.Fill(`[data-item=topic] input`, "春季农资市场视察")
		tags := `[data-item=tags] input`
		tagList := func() string {
			return Eval[string](b, `[...document.querySelectorAll('[data-item=tags] .el-tag')].map((e) => e.innerText.trim()).join('|')`)
		}
		b.Click(tags, "")
		b.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.ImeSetComposition, input.ImeSetCompositionParams{Text: "村务公开日", SelectionStart: 5, SelectionEnd: 5})
			return err
		}))
		// The Enter that picks the candidate reaches the page while composing.
		b.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-item=tags] input').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', keyCode: 229, isComposing: true, bubbles: true}))`)(ctx, tg)
			return err
		}))
		if got := tagList(); got != "" {
			t.Errorf("the Enter ending a composition added %q", got)
		}
		b.run(insertText("村务公开日"))
		b.Key(kb.Enter)
		b.WaitJS(`document.querySelectorAll('[data-item=tags] .el-tag').length === 1`, "the first tag")
		b.run(insertText("交通，民生、交通,"))
		b.WaitJS(`document.querySelectorAll('[data-item=tags] .el-tag').length === 3`, "tags split at commas")
		b.run(insertText("安全"))
		b.Key(kb.Tab)
		if got, want := tagList(), "村务公开日|交通|民生|安全"; got != want {
			t.Errorf("tags %q, want %q", got, want)
		}

		// Custom attributes typed with Chinese quotes: the error says so in Chinese.
		b.Fill(`[data-item=attributes] textarea`, `{“学历”: “大专”}`)
		if got := b.Text(`[data-item=attributes] .json-error`); !strings.Contains(got, "英文半角") || strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("the JSON error reads %q, want it in Chinese naming the full-width quotes", got)
		}
		b.Fill(`[data-item=attributes] textarea`, `{"学历": "大专"}`)

		b.Choose(`[data-item=date] [data-test=precision] .el-select__wrapper`, "季")
		shown := Eval[string](b, `document.querySelector('[data-item=date] [data-test=year] input').value`)
		if got := b.Text(`[data-item=date] [data-test=span-text]`); !strings.HasPrefix(got, shown+"年") {
			t.Errorf("after choosing 季 the year input shows %s and the span reads %q", shown, got)
		}
		b.Fill(`[data-item=date] [data-test=year] input`, "2023")
		b.Key("\t")
		b.Choose(`[data-item=date] [data-test=season] .el-select__wrapper`, "春季")
		b.WaitText(`[data-item=date] [data-test=span-text]`, "2023年春季")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`/^#\/inspections\/(?!new)[^/]+$/.test(location.hash)`, "the new inspection's page")
		b.Ready()
		in, err := srv.Store.Inspections.Get(ctx, strings.TrimPrefix(b.Hash(), "/inspections/"))
		if err != nil {
			t.Fatal(err)
		}
		if in.Date.Date != "2023-03-01" || in.Date.Precision != records.SEASON || strings.Join(in.Tags, "|") != "村务公开日|交通|民生|安全" {
			t.Errorf("stored: date %+v, tags %q; want 2023-03-01 SEASON and the four tags", in.Date, in.Tags)
		}
	})

	// At 1366×768 every value of a record's form reads whole: amounts,
	// the level of an honour, the names and kinds of an appraisal's subjects.
	t.Run("OK/FormsFit", func(t *testing.T) {
		b := tab.With(t)
		for _, route := range []string{"/projects/p-road-29", "/deputies/d-029", "/activities/a-appr-dept-1"} {
			b.Go(route)
			b.Ready()
			clipped := Eval[[]string](b, `[...document.querySelectorAll('[data-page^=record-] input')]
				.filter((e) => e.offsetWidth && e.value && e.scrollWidth > e.clientWidth + 1)
				.map((e) => e.value + ' (' + e.clientWidth + ' px)')`)
			// A select shows its choice in a span, not in its input.
			clipped = append(clipped, Eval[[]string](b, `[...document.querySelectorAll('[data-page^=record-] .el-select__selected-item span')]
				.filter((e) => e.offsetWidth && e.scrollWidth > e.clientWidth + 1).map((e) => e.innerText)`)...)
			if len(clipped) > 0 {
				b.Shot("clipped" + strings.ReplaceAll(route, "/", "-"))
				t.Errorf("%s: values cut by their inputs: %q", route, clipped)
			}
		}
	})

	// Participants by the dozen: a group, then a level, each in one step;
	// one held by both is chosen once.
	t.Run("OK/ParticipantsInOneStep", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/inspections/new")
		b.Ready()
		want := map[string]bool{}
		deps, err := srv.Store.Deputies.Find(ctx, records.Query{Townships: []string{"qps"}, First: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range deps.Items {
			if d.Group == "第一代表小组" || slices.Contains(d.Levels, records.COUNTY) {
				want[d.ID] = true
			}
		}
		for _, set := range []string{"第一代表小组", "县级代表"} {
			b.Click(`[data-item=participants] [data-test=add-many-button]`, "")
			m := b.mark(`.el-dropdown-menu__item[data-set]`, set)
			Eval[bool](b, fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true })()`, m))
		}
		b.WaitJS(fmt.Sprintf(`document.querySelectorAll('[data-item=participants] .el-select .el-tag').length === %d`, len(want)), "the chosen deputies")
		if len(want) < 5 {
			t.Fatalf("the demo holds %d deputies of 第一代表小组 or 县级: too few to test", len(want))
		}
	})

	// A voter's contact events are entered on the deputy's page.
	t.Run("OK/VoterContact", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/deputies/d-029")
		b.Ready()
		before, err := srv.Store.Deputies.Get(ctx, "d-029")
		if err != nil || len(before.Voters) == 0 {
			t.Fatalf("the demo's d-029 and its voters: %v", err)
		}
		n := len(before.Voters[0].Contacts)
		card := `[data-item=voters] .obj-card[data-row="0"]`
		b.Click(card+` [data-field="voters.0.contacts"] > .el-button`, "添加一行")
		row := fmt.Sprintf(`%s [data-field="voters.0.contacts"] tbody tr:nth-child(%d)`, card, n+1)
		b.FillDate(row+` td:nth-child(1) input`, "2023-12-20")
		b.Fill(row+` td:nth-child(2) input`, "走访")
		b.Fill(row+` td:nth-child(3) textarea`, "听取对冬季供暖的意见")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`!!document.querySelector('[data-page^=record-][data-ready=true]')`, "the save")
		var after *records.Deputy
		for range 50 {
			if after, err = srv.Store.Deputies.Get(ctx, "d-029"); err == nil && after.Version > before.Version {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		cs := after.Voters[0].Contacts
		if len(cs) != n+1 || string(cs[n].Date) != "2023-12-20" || cs[n].Channel != "走访" || cs[n].Summary != "听取对冬季供暖的意见" {
			t.Fatalf("the voter's contacts after the save: %+v, want one more on 2023-12-20", cs)
		}
	})

	t.Run("OK/Keyboard", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/dashboard")
		b.WaitJS(`!!document.querySelector('[data-page=dashboard]')`, "the dashboard")
		// Tab to 村 in the menu, Enter; Tab to a row's 打开, Enter.
		tabTo := func(text string) {
			t.Helper()
			for range 80 {
				if Eval[string](b, `(document.activeElement && document.activeElement.innerText || '').trim()`) == text {
					return
				}
				b.Key(kb.Tab)
			}
			t.Fatalf("Tab never reached %q", text)
		}
		tabTo("村")
		b.Key(kb.Enter)
		b.WaitJS(`location.hash === '#/villages'`, "the villages list")
		b.ListReady()
		tabTo("打开")
		b.Key(kb.Enter)
		b.WaitJS(`location.hash.startsWith('#/villages/')`, "a village opened from the keyboard")
		b.Ready()
	})

	t.Run("ErrConflict", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/villages/v-qps")
		b.Ready()
		// Someone else changes the village after the clerk opened it.
		if _, err := srv.Store.Villages.Update(ctx, "v-qps", nil, func(v *records.Village) { v.Code = "130828-other" }); err != nil {
			t.Fatal(err)
		}
		b.Fill(`[data-item=code] input`, "130828-mine")
		b.Click(`[data-test=save]`, "")
		b.WaitText(`[data-test=conflict]`, "已被他人修改")
		b.Shot("conflict")
		if v, _ := srv.Store.Villages.Get(ctx, "v-qps"); v.Code != "130828-other" {
			t.Errorf("a stale save overwrote the other change: code %q", v.Code)
		}
		b.Click(`[data-test=reload]`, "重新加载")
		b.WaitJS(`document.querySelector('[data-item=code] input').value === '130828-other' && !document.querySelector('[data-test=conflict]')`, "the other change in the form after the reload")
	})

	t.Run("OK/Reports", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/reports")
		b.WaitText(`[data-test=template]`, "")
		b.Shot("reports-form")
		b.Choose(`[data-test=template] .el-select__wrapper`, "代表述职报告")
		b.WaitJS(`!!document.querySelector('[data-param=deputy] [data-ref=deputy]')`, "a deputy picker")
		if n := Eval[int](b, `[...document.querySelectorAll('[data-page=reports] input')].filter((e) => /\bid\b/i.test(e.placeholder + ' ' + e.closest('.el-form-item').innerText)).length`); n != 0 {
			t.Errorf("the report form asks for an id in %d fields", n)
		}
		b.Search(`[data-param=deputy] .el-select`, "", "")
		b.Fill(`[data-param=year] input`, "2023")
		b.Key("\t")
		b.Click(`[data-test=preview]`, "")
		b.WaitJS(`(() => { const f = document.querySelector('[data-test=preview-frame]'); return !!f && f.srcdoc.includes('述职') })()`, "the deputy's report")
		b.Shot("reports-deputy")
	})

	t.Run("OK/GraphiQL", func(t *testing.T) {
		b := tab.With(t)
		b.run(chromedp.Navigate(srv.URL + "/graphiql"))
		b.WaitJS(`!!document.querySelector('.graphiql-container')`, "GraphiQL at /graphiql")
		b.Shot("graphiql")
	})

	for _, p := range []string{"import", "trash"} {
		t.Run("OK/"+p, func(t *testing.T) {
			b := tab.With(t)
			b.Go("/" + p)
			b.WaitJS(fmt.Sprintf(`!!document.querySelector('[data-page=%s]')`, p), p)
			b.Shot(p)
		})
	}

	// A county admin creates a township with its presidium in the console;
	// the header's township choice offers it at once. (Last: the county
	// then has two townships.)
	t.Run("OK/Township", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/townships")
		b.ListReady()
		b.WaitText(`[data-test=list] .el-table__row`, "棋盘山镇")
		b.Click(`[data-test=new]`, "")
		b.Ready()
		b.Fill(`[data-item=name] input`, "山湾子乡")
		b.Fill(`[data-item=county] input`, "围场满族蒙古族自治县")
		b.Click(`[data-item=presidium] .el-button`, "添加一行")
		b.Fill(`[data-item=presidium] tbody tr:nth-child(1) td:nth-child(1) input`, "李春生")
		b.Fill(`[data-item=presidium] tbody tr:nth-child(1) td:nth-child(2) input`, "主席")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`/^#\/townships\/(?!new)[^/]+$/.test(location.hash)`, "the new township's page")
		b.Ready()
		id := strings.TrimPrefix(b.Hash(), "/townships/")
		tw, err := srv.Store.Townships.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if tw.Name != "山湾子乡" || len(tw.Presidium) != 1 || tw.Presidium[0].Name != "李春生" || tw.Presidium[0].Role != "主席" {
			t.Errorf("stored township %+v", tw)
		}
		b.Click(`[data-test=township] .el-select__wrapper`, "")
		b.WaitJS(`[...document.querySelectorAll('.el-select-dropdown__item')].some((e) => e.innerText.includes('山湾子乡'))`, "the new township among the header's choices")
		b.closeDropdown()
	})
}
