package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"renda/internal/records"
)

// TestSuggestionFlow is a suggestion's handling through the console, as
// the clerk of the demo township does it: assign it, take the department's
// 退办 with its reason, assign it to another department (not the one that
// returned it), record the reply with its class, record the deputy's
// 不满意 (which sends it back to the department with a new deadline),
// extend that deadline once (a second extension, from a window opened
// before the first, is refused in Chinese), and put it under 重点督办.
// After each step the page shows what the server holds, and the store
// holds what the clerk did.
func TestSuggestionFlow(t *testing.T) {
	srv := MustServer(t, true)
	tab := MustBrowser(t, srv)
	ctx := context.Background()
	today := records.Today()

	deps, err := srv.Store.Deputies.Find(ctx, records.Query{Townships: []string{"qps"}, First: 1})
	if err != nil || len(deps.Items) == 0 {
		t.Fatalf("a demo deputy: %v (%d found)", err, len(deps.Items))
	}
	deputy := deps.Items[0].ID
	const id = "sg-flow"
	mustSuggestion(t, srv, id, deputy, "关于硬化北沟村通组道路的建议", records.ACCEPTED, 0)
	// One returned already, for the list to show 已退办.
	mustSuggestion(t, srv, "sg-returned", deputy, "关于增设南沟村路灯的建议", records.RETURNED, 0)
	// One assigned ten days ago: too late for 退办.
	mustSuggestion(t, srv, "sg-late", deputy, "关于整治东沟村河道垃圾的建议", records.ASSIGNED, 10)
	// One assigned four months ago and not answered: 逾期, too late to extend.
	mustSuggestion(t, srv, "sg-overdue", deputy, "关于修缮西沟村小学围墙的建议", records.ASSIGNED, 125)

	get := func(t *testing.T) *records.Suggestion {
		t.Helper()
		s, err := srv.Store.Suggestions.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	last := func(s *records.Suggestion) records.Transition { return s.History[len(s.History)-1] }
	fact := func(b *Browser, name string) string {
		return b.Text(fmt.Sprintf(`[data-test=workflow] [data-fact=%s]`, name))
	}
	// save clicks 保存修改 and waits for the stored record's next version:
	// the page reads ready before the click's save has begun, and a step
	// clicked then would reach the server before the edit it needs.
	save := func(b *Browser) {
		t.Helper()
		v := Eval[string](b, `document.querySelector('[data-page^=record-]').dataset.version`)
		b.Click(`[data-test=save]`, "")
		b.WaitJS(fmt.Sprintf(`(() => { const p = document.querySelector('[data-page^=record-]'); return !!p && p.dataset.version !== %q })()`, v), "the next version of the record")
		b.Ready()
	}

	// closed waits until no dialog shows, its overlay faded out too: until
	// then the overlay takes the clicks meant for the page.
	closed := func(b *Browser) {
		t.Helper()
		b.WaitJS(`![...document.querySelectorAll('.el-dialog, .el-overlay')].some((e) => e.offsetWidth > 0)`, "the dialog to close")
	}

	b0 := tab.With(t)
	MustLogin(t, b0, "clerk", "王秀兰")

	t.Run("OK/Assign", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/suggestions/" + id)
		b.Ready()
		b.WaitText(`[data-test=status]`, "已受理")
		b.Fill(`[data-item=department] input`, "镇交通运输办")
		b.Fill(`[data-item=coDepartments] input`, "镇财政所")
		b.Key(kb.Enter)
		b.WaitText(`[data-item=coDepartments] .el-tag`, "镇财政所")
		save(b)
		b.Click(`[data-transition=ASSIGNED]`, "交办")
		b.WaitText(`[data-test=status]`, "已交办")
		b.Ready()
		due := addMonths(today, 3)
		if got := fact(b, "assignedOn"); got != string(today) {
			t.Errorf("交办日期 shown %q, want %s", got, today)
		}
		if got := fact(b, "replyDue"); got != string(due) {
			t.Errorf("办理期限 shown %q, want %s (three months after assignment)", got, due)
		}
		if got := fact(b, "coDepartments"); got != "（协办：镇财政所）" {
			t.Errorf("协办单位 shown %q, want （协办：镇财政所）", got)
		}
		s := get(t)
		if s.Status != records.ASSIGNED || s.Department != "镇交通运输办" || len(s.CoDepartments) != 1 || s.CoDepartments[0] != "镇财政所" ||
			s.ReplyDue == nil || *s.ReplyDue != due || s.AssignedOn == nil || *s.AssignedOn != today {
			t.Errorf("stored after 交办: status %s department %q co %v replyDue %v assignedOn %v; want ASSIGNED to 镇交通运输办 with 镇财政所, due %s, assigned %s",
				s.Status, s.Department, s.CoDepartments, s.ReplyDue, s.AssignedOn, due, today)
		}
	})

	const reason = "该路段由县交通运输局管养，不属本单位职责"
	t.Run("OK/Return", func(t *testing.T) {
		b := tab.With(t)
		b.Click(`[data-transition=RETURNED]`, "退办")
		b.WaitText(`.el-dialog`, "日内退办")
		// The reason is asked before anything is sent.
		b.Click(`.el-dialog [data-test=step-confirm]`, "退办")
		b.WaitText(`.el-dialog [data-test=step-error]`, "请填写退办理由")
		if s := get(t); s.Status != records.ASSIGNED {
			t.Fatalf("status %s after a 退办 without a reason, want still ASSIGNED", s.Status)
		}
		b.Fill(`.el-dialog textarea[data-test=step-note]`, reason)
		// The reason typed, the request to type it goes.
		b.WaitJS(`![...document.querySelectorAll('.el-dialog [data-test=step-error]')].some((e) => e.offsetWidth > 0)`, "the 请填写退办理由 to go")
		b.Shot("suggestion-return-dialog")
		b.Click(`.el-dialog [data-test=step-confirm]`, "退办")
		b.WaitText(`[data-test=status]`, "已退办")
		closed(b)
		b.Ready()
		b.WaitText(`[data-test=flow-hint]`, "填写另一个承办单位")
		b.WaitText(`[data-test=workflow] .el-timeline-item`, "镇交通运输办退办（"+reason+"）")
		if got := fact(b, "department"); got != "未定" {
			t.Errorf("承办单位 after 退办 shown %q, want 未定", got)
		}
		if got := fact(b, "dueNote"); got != "（原期限；改交其他单位后重新计算）" {
			t.Errorf("办理期限 after 退办 explained %q, want （原期限；改交其他单位后重新计算） (nothing is awaited, nothing was answered)", got)
		}
		s := get(t)
		h := last(s)
		if s.Status != records.RETURNED || s.Department != "" || h.To != records.RETURNED || h.Note != reason || h.Department != "镇交通运输办" {
			t.Errorf("stored after 退办: status %s department %q, last step %+v; want RETURNED by 镇交通运输办 with the reason, no department", s.Status, s.Department, h)
		}
	})

	t.Run("OK/Reassign", func(t *testing.T) {
		b := tab.With(t)
		// The department that returned it is refused, in Chinese.
		b.Fill(`[data-item=department] input`, "镇交通运输办")
		save(b)
		b.Click(`[data-transition=ASSIGNED]`, "交办")
		b.WaitText(`[data-test=transition-error]`, "“镇交通运输办”已退办此建议，请交办给其他承办单位")
		if s := get(t); s.Status != records.RETURNED {
			t.Fatalf("status %s after assigning to the department that returned it, want still RETURNED", s.Status)
		}
		b.Fill(`[data-item=department] input`, "县交通运输局")
		save(b)
		b.Click(`[data-transition=ASSIGNED]`, "交办")
		b.WaitText(`[data-test=status]`, "已交办")
		b.Ready()
		if got := fact(b, "department"); got != "县交通运输局" {
			t.Errorf("承办单位 shown %q, want 县交通运输局", got)
		}
		if s := get(t); s.Status != records.ASSIGNED || s.Department != "县交通运输局" || last(s).Department != "县交通运输局" {
			t.Errorf("stored after the second 交办: status %s department %q last %+v; want ASSIGNED to 县交通运输局", s.Status, s.Department, last(s))
		}
	})

	t.Run("OK/ReplyWithClass", func(t *testing.T) {
		b := tab.With(t)
		b.Fill(`[data-item=reply] textarea`, "该路段已列入2027年农村公路建设计划，明年汛期前完成硬化。")
		save(b)
		b.Click(`[data-transition=REPLIED]`, "标记已答复")
		b.WaitText(`[data-test=transition-error]`, "请先选择答复类别")
		b.Shot("suggestion-reply-unclassed")
		b.Choose(`[data-item=replyClass] .el-select__wrapper`, "C类（列入规划逐步解决）")
		save(b)
		b.Click(`[data-transition=REPLIED]`, "标记已答复")
		b.WaitText(`[data-test=status]`, "已答复")
		b.Ready()
		b.WaitText(`[data-test=workflow] .el-timeline-item`, "已交办 → 已答复（C类（列入规划逐步解决））")
		if s := get(t); s.Status != records.REPLIED || s.ReplyClass == nil || *s.ReplyClass != records.CLASS_C || last(s).ReplyClass == nil {
			t.Errorf("stored after 已答复: status %s class %v last %+v; want REPLIED, class C on the record and the step", s.Status, s.ReplyClass, last(s))
		}
	})

	redoDue := addDays(today, 15)
	t.Run("OK/DissatisfiedReopens", func(t *testing.T) {
		b := tab.With(t)
		b.Choose(`[data-item=satisfaction] .el-select__wrapper`, "不满意")
		save(b)
		b.Click(`[data-transition=EVALUATED]`, "标记已评价")
		b.WaitText(`[data-test=status]`, "重新办理")
		b.Ready()
		if got := fact(b, "replyDue"); got != string(redoDue) {
			t.Errorf("办理期限 after 不满意 shown %q, want %s (fifteen days)", got, redoDue)
		}
		if got := fact(b, "redos"); got != "1" {
			t.Errorf("重新办理次数 shown %q, want 1", got)
		}
		b.WaitText(`[data-test=workflow] .el-timeline-item`, "代表不满意，交原承办单位重新办理，期限 "+string(redoDue))
		s := get(t)
		if s.Status != records.REOPENED || s.Redos != 1 || s.ReplyDue == nil || *s.ReplyDue != redoDue || s.Department != "县交通运输局" || last(s).Step != records.STEP_REDO {
			t.Errorf("stored after 不满意: status %s redos %d replyDue %v department %q last %+v; want REOPENED, 1 redo, due %s, same department",
				s.Status, s.Redos, s.ReplyDue, s.Department, last(s), redoDue)
		}
	})

	extended := addDays(redoDue, 10)
	t.Run("OK/ExtendOnce", func(t *testing.T) {
		b := tab.With(t)
		// A second window on the same suggestion, opened before the extension.
		other := b.newTab(t)
		other.Go("/suggestions/" + id)
		other.Ready()
		other.WaitText(`[data-step=extend]`, "延期")

		b.Click(`[data-step=extend]`, "延期")
		b.WaitText(`.el-dialog`, "只能延期一次")
		b.Fill(`.el-dialog [data-test=step-days] input`, "10")
		b.Key(kb.Tab)
		b.WaitText(`.el-dialog [data-test=step-new-due]`, "延期后期限："+string(extended))
		b.Fill(`.el-dialog textarea[data-test=step-note]`, "需协调县财政资金，申请延期")
		b.Shot("suggestion-extend-dialog")
		b.Click(`.el-dialog [data-test=step-confirm]`, "延期")
		closed(b)
		b.WaitJS(fmt.Sprintf(`(() => { const e = document.querySelector('[data-test=workflow] [data-fact=replyDue]'); return !!e && e.innerText === %q })()`, extended), "the extended deadline")
		b.Ready()
		if got := fact(b, "extended"); got != "已延期（限一次）" {
			t.Errorf("延期 shown %q, want 已延期（限一次）", got)
		}
		if !Eval[bool](b, `(() => { const e = document.querySelector('[data-step=extend]'); return !!e && e.disabled && e.innerText.trim() === '已延期' })()`) {
			t.Errorf("the 延期 button after the extension: want it disabled, reading 已延期")
		}

		// The window opened before still offers it; the server refuses.
		other.Click(`[data-step=extend]`, "延期")
		other.Fill(`.el-dialog [data-test=step-days] input`, "20")
		other.Key(kb.Tab)
		other.Fill(`.el-dialog textarea[data-test=step-note]`, "再申请延期")
		other.Click(`.el-dialog [data-test=step-confirm]`, "延期")
		other.WaitText(`.el-dialog [data-test=step-error]`, "办理期限已经延期过一次，只能延期一次")
		other.Shot("suggestion-extend-twice")

		s := get(t)
		n := 0
		for _, h := range s.History {
			if h.Step == records.STEP_EXTENDED {
				n++
			}
		}
		if !s.Extended || n != 1 || s.Deadline == nil || *s.Deadline != extended || s.ReplyDue == nil || *s.ReplyDue != extended {
			t.Errorf("stored after the extensions: extended %v, %d EXTENDED steps, deadline %v replyDue %v; want one extension to %s", s.Extended, n, s.Deadline, s.ReplyDue, extended)
		}
	})

	t.Run("OK/Supervise", func(t *testing.T) {
		b := tab.With(t)
		b.Click(`[data-step=supervise]`, "重点督办")
		b.Fill(`.el-dialog textarea[data-test=step-note]`, "主席团会议确定为重点督办件")
		b.Click(`.el-dialog [data-test=step-confirm]`, "重点督办")
		b.WaitText(`[data-test=supervised]`, "重点督办")
		closed(b)
		b.Ready()
		b.WaitText(`[data-step=unsupervise]`, "取消督办")
		b.WaitText(`[data-test=workflow] .el-timeline-item`, "列入重点督办（主席团会议确定为重点督办件）")
		if b.Text(`[data-test=status]`) != "重新办理" {
			t.Errorf("status after 重点督办 shown %q, want still 重新办理", b.Text(`[data-test=status]`))
		}
		Eval[any](b, `document.querySelector('[data-page^=record-]').scrollIntoView()`)
		b.Shot("suggestion-flow")
		s := get(t)
		if !s.Supervised || s.Status != records.REOPENED || last(s).Step != records.STEP_SUPERVISED || last(s).Note != "主席团会议确定为重点督办件" {
			t.Errorf("stored after 重点督办: supervised %v status %s last %+v; want supervised, still REOPENED, a SUPERVISED step with the note", s.Supervised, s.Status, last(s))
		}
	})

	t.Run("Refused/ReturnAfterSevenDays", func(t *testing.T) {
		b := tab.With(t)
		assigned := addDays(today, -10)
		b.Go("/suggestions/sg-late")
		b.Ready()
		b.WaitText(`[data-test=status]`, "已交办")
		if got := fact(b, "assignedOn"); got != string(assigned) {
			t.Errorf("交办日期 shown %q, want %s", got, assigned)
		}
		b.Click(`[data-transition=RETURNED]`, "退办")
		b.WaitText(`.el-dialog`, "本件 "+string(assigned)+" 交办，可退办至 "+string(addDays(assigned, 7)))
		b.Fill(`.el-dialog textarea[data-test=step-note]`, "河道由县水利局管理")
		b.Click(`.el-dialog [data-test=step-confirm]`, "退办")
		want := fmt.Sprintf("该建议于 %s 交办，只能在交办后 7 日内（至 %s）退办；已超过退办期限，请承办单位答复，或申请延期", assigned, addDays(assigned, 7))
		b.WaitText(`.el-dialog [data-test=step-error]`, want)
		b.Shot("suggestion-return-late")
		b.Click(`.el-dialog .el-dialog__footer .el-button`, "取消")
		closed(b)
		if got := b.Text(`[data-test=status]`); got != "已交办" {
			t.Errorf("status shown %q after the refused 退办, want 已交办", got)
		}
		if s, err := srv.Store.Suggestions.Get(ctx, "sg-late"); err != nil || s.Status != records.ASSIGNED || s.Department != "镇水务站" {
			t.Errorf("stored after the refused 退办: %+v, %v; want still ASSIGNED to 镇水务站", s, err)
		}
	})

	t.Run("Refused/ExtendOverdue", func(t *testing.T) {
		b := tab.With(t)
		due := addMonths(addDays(today, -125), 3)
		b.Go("/suggestions/sg-overdue")
		b.Ready()
		b.WaitText(`[data-test=status]`, "已交办")
		b.WaitText(`[data-test=overdue]`, "逾期")
		b.WaitText(`[data-test=flow-overdue]`, "逾期")
		Eval[any](b, `document.querySelector('[data-page^=record-]').scrollIntoView()`)
		b.Shot("suggestion-overdue")
		if got := fact(b, "replyDue"); got != string(due) {
			t.Errorf("办理期限 shown %q, want %s", got, due)
		}
		b.Click(`[data-step=extend]`, "延期")
		b.Fill(`.el-dialog [data-test=step-days] input`, "10")
		b.Key(kb.Tab)
		b.Fill(`.el-dialog textarea[data-test=step-note]`, "施工队伍未落实")
		b.Click(`.el-dialog [data-test=step-confirm]`, "延期")
		b.WaitText(`.el-dialog [data-test=step-error]`, "办理期限 "+string(due)+" 已过；延期须在期限届满前（含当日）申请")
		b.Click(`.el-dialog .el-dialog__footer .el-button`, "取消")
		closed(b)
		if s, err := srv.Store.Suggestions.Get(ctx, "sg-overdue"); err != nil || s.Extended || s.Deadline == nil || *s.Deadline != due {
			t.Errorf("stored after the refused 延期: %+v, %v; want no extension, deadline %s", s, err, due)
		}
	})

	t.Run("OK/Phone", func(t *testing.T) {
		b := tab.With(t)
		b.Viewport(375, 740)
		defer b.Viewport(1366, 768)
		b.Go("/suggestions/" + id)
		b.Ready()
		b.WaitText(`[data-step=unsupervise]`, "取消督办")
		if out := Eval[[]string](b, overflow); len(out) > 0 {
			b.Shot("overflow-suggestion")
			t.Errorf("the suggestion at 375 px: sideways overflow %q", out)
		}
		Eval[any](b, `document.querySelector('[data-test=workflow]').scrollIntoView()`)
		b.Shot("phone-suggestion-flow")
		b.Go("/suggestions/sg-late")
		b.Ready()
		b.Click(`[data-transition=RETURNED]`, "退办")
		b.WaitText(`.el-dialog`, "日内退办")
		b.WaitJS(`(() => { const d = [...document.querySelectorAll('.el-dialog')].find((e) => e.offsetWidth > 0); if (!d) return false; const r = d.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && !document.getAnimations().some((a) => a.playState === 'running') })()`, "the 退办 dialog inside the phone's width")
		b.Shot("phone-return-dialog")
		b.Click(`.el-dialog .el-dialog__footer .el-button`, "取消")
		closed(b)
		b.Click(`[data-step=extend]`, "延期")
		b.Fill(`.el-dialog [data-test=step-days] input`, "30")
		b.Key(kb.Tab)
		b.WaitText(`.el-dialog [data-test=step-new-due]`, "延期后期限："+string(addDays(addMonths(addDays(today, -10), 3), 30)))
		b.WaitJS(`(() => { const d = [...document.querySelectorAll('.el-dialog')].find((e) => e.offsetWidth > 0); if (!d) return false; const r = d.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && [...d.querySelectorAll('*')].every((e) => e.getBoundingClientRect().right <= r.right + 0.5) && !document.getAnimations().some((a) => a.playState === 'running') })()`, "the 延期 dialog and all in it inside the phone's width")
		b.Shot("phone-extend-dialog")
		b.Click(`.el-dialog .el-dialog__footer .el-button`, "取消")
		closed(b)
	})

	t.Run("OK/List", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/suggestions")
		b.ListReady()
		b.Choose(`[data-filter=status] .el-select__wrapper`, "已退办")
		b.ListReady()
		b.WaitText(`[data-test=list] .el-table__row`, "关于增设南沟村路灯的建议")
		rows := Eval[int](b, `document.querySelectorAll('[data-test=list] .el-table__body-wrapper .el-table__row').length`)
		if rows != 1 || !Eval[bool](b, `[...document.querySelectorAll('[data-test=list] .el-table__body-wrapper .el-table__row')].every((r) => r.innerText.includes('已退办'))`) {
			t.Errorf("the list filtered by 已退办: %d rows, want the one returned suggestion, its status 已退办", rows)
		}
		b.Shot("suggestions-returned")
		b.Click(`.filters .el-button`, "重置")
		b.ListReady()
		b.WaitText(`[data-test=list] .el-table__row`, "重新办理 · 重点督办")
		b.WaitText(`[data-test=list] .el-table__row`, "已交办 · 逾期")
		if Eval[bool](b, `[...document.querySelectorAll('[data-test=list] .el-table__body-wrapper .el-table__row')].some((r) => r.innerText.includes('东沟村') && r.innerText.includes('逾期'))`) {
			t.Errorf("the list marks the suggestion assigned ten days ago 逾期; its deadline is months away")
		}
	})
}

// mustSuggestion stores a suggestion of township qps submitted ago days
// before today and walks it, on that day, to status: ACCEPTED, ASSIGNED
// (to 镇水务站), or RETURNED (assigned to 镇水务站, which sent it back).
func mustSuggestion(tb testing.TB, srv *Server, id, deputy, title string, status records.SuggestionStatus, ago int) {
	tb.Helper()
	ctx := context.Background()
	s := &records.Suggestion{Meta: records.Meta{ID: id, Township: "qps"}, DeputyID: deputy, Kind: records.SUGGESTION, Title: title, Submitted: addDays(records.Today(), -ago)}
	if _, err := srv.Store.Suggestions.Create(ctx, s); err != nil {
		tb.Fatal(err)
	}
	_, err := srv.Store.Suggestions.Modify(ctx, id, nil, func(x *records.Suggestion) error {
		now := records.Now().AddDate(0, 0, -ago) // Asia/Shanghai keeps no summer time: the same hour, ago days back
		x.History[0].At = now                    // submitted that day too
		if err := x.Move(records.ACCEPTED, "", "local", now); err != nil || status == records.ACCEPTED {
			return err
		}
		x.Department = "镇水务站"
		if err := x.Move(records.ASSIGNED, "", "local", now); err != nil || status == records.ASSIGNED {
			return err
		}
		return x.Move(records.RETURNED, "路灯由供电所负责", "local", now)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// newTab opens a second tab of the same browser (the same sign-in) at
// 1366×768, for a second window on the same record.
func (b *Browser) newTab(tb testing.TB) *Browser {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		tb.Fatal(err)
	}
	return &Browser{tb: tb, ctx: ctx, srv: b.srv, Download: b.Download, rec: &recorder{}}
}

// addDays is d plus n calendar days.
func addDays(d records.Date, n int) records.Date { return records.DateOf(d.Time().AddDate(0, 0, n)) }

// addMonths is d plus n calendar months: the same day of the month, or the
// month's last day when it is shorter.
func addMonths(d records.Date, n int) records.Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return records.DateOf(first.AddDate(0, 0, min(t.Day(), last)-1))
}
