package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestConsoleReview is issue 21's done-when 3, second part: an admin gives
// a deputy their own account; the deputy, on a 375-px phone, submits two
// voter contacts; the clerk's 审核 approves one and returns the other with
// a reason; only the approved one reaches the deputy's record and duty
// points, and the deputy reads the reason on the phone and resubmits.
func TestConsoleReview(t *testing.T) {
	srv := MustServer(t, true)
	tab := MustBrowser(t, srv)
	year := time.Now().Year() // the phone form's date is today's

	// contacts counts the deputy's contacts with voter in the year, and the
	// VOTER_CONTACT lines of their duty points, as the clerk's API gives them.
	contacts := func(b *Browser, voter string) (held, lines int) {
		b.tb.Helper()
		var out struct {
			Deputy struct {
				Voters []struct {
					Name     string
					Contacts []struct{ Date string }
				}
			}
			DutyPoints struct {
				Nodes []struct {
					Deputy struct{ ID string }
					Lines  []struct{ Item, Date string }
				}
			}
		}
		API(b, fmt.Sprintf(`{ deputy(id: "d-005") { voters { name contacts { date } } }
		  dutyPoints(township: "qps", year: %d, first: 500) { nodes { deputy { id } lines { item date } } } }`, year), &out)
		for _, v := range out.Deputy.Voters {
			if v.Name == voter {
				held += len(v.Contacts)
			}
		}
		for _, n := range out.DutyPoints.Nodes {
			if n.Deputy.ID != "d-005" {
				continue
			}
			for _, l := range n.Lines {
				if l.Item == "VOTER_CONTACT" {
					lines++
				}
			}
		}
		return held, lines
	}

	t.Run("OK/AdminCreatesDeputyAccount", func(t *testing.T) {
		b := tab.With(t)
		MustLogin(t, b, "admin", "县人大管理员")
		b.Go("/admin")
		b.Fill(`[data-item=username] input`, "lixiuyun")
		b.Fill(`[data-item=name] input`, "李秀云")
		b.Fill(`[data-item=password] input`, password)
		b.Click(`[data-item=role] .el-radio-button`, "代表")
		b.Choose(`[data-item=townships] .el-select__wrapper`, "棋盘山镇")
		b.Search(`[data-item=deputy] .el-select`, "李秀云", "李秀云")
		b.Shot("admin-deputy-account")
		b.Click(`[data-test=create-account]`, "")
		b.WaitText(`[data-test=account-deputy]`, "李秀云")
		signOut(b)
	})

	t.Run("OK/DeputySubmitsFromPhone", func(t *testing.T) {
		b := tab.With(t)
		b.Viewport(375, 812)
		defer b.Viewport(1366, 768)
		MustLogin(t, b, "lixiuyun", "李秀云")
		b.WaitJS(`location.hash === '#/mine' && !!document.querySelector('[data-page=mine][data-ready=true]')`, "a deputy's console to open on 我的履职")
		if got := b.Text(`[data-test=me-deputy]`); !strings.Contains(got, "李秀云") {
			t.Errorf("我的履职 names %q, want the deputy 李秀云", got)
		}
		// Only the deputy's own page in the menu; the rest of the console is not theirs.
		b.Click(`[data-test=menu-button]`, "")
		b.WaitJS(`document.querySelectorAll('[data-test=nav-drawer] .menu-item').length > 0`, "the phone menu")
		if got := Eval[string](b, `[...document.querySelectorAll('[data-test=nav-drawer] .menu-item')].map((e) => e.textContent.trim()).join(',')`); got != "我的履职" {
			t.Errorf("a deputy's menu: %q, want only 我的履职", got)
		}
		b.Click(`[data-test=nav-drawer] .menu-item`, "我的履职") // closes the drawer
		b.WaitJS(`![...document.querySelectorAll('.el-drawer, .el-overlay')].some((e) => e.offsetWidth > 0)`, "the drawer to close")
		b.Go("/deputies")
		b.WaitJS(`location.hash === '#/mine'`, "a deputy sent back to 我的履职 from another page")

		b.WaitJS(`!!document.querySelector('[data-page=mine][data-ready=true]') && ![...document.querySelectorAll('.el-drawer, .el-overlay')].some((e) => e.offsetWidth > 0)`, "我的履职 again, nothing over it")
		for _, c := range []struct{ voter, summary string }{
			{"刘大爷", "反映村道路灯不亮，晚上出行不便"},
			{"王婶", "问低保评定"},
		} {
			b.Fill(`[data-item=voterName] input`, c.voter)
			b.Fill(`[data-item=summary] textarea`, c.summary)
			b.Click(`[data-test=submit]`, "")
			b.WaitJS(fmt.Sprintf(`[...document.querySelectorAll('[data-test=submission]')].some((e) => e.textContent.includes(%q) && e.dataset.status === 'PENDING')`, c.voter), c.voter+" 待审核")
		}
		if out := Eval[[]string](b, overflow); len(out) > 0 {
			t.Errorf("我的履职 at 375 px: sideways overflow %q", out)
		}
		b.Shot("phone-mine-pending")
		signOut(b)
	})

	t.Run("OK/ClerkReviews", func(t *testing.T) {
		b := tab.With(t)
		MustLogin(t, b, "clerk", "王秀兰")
		if held, lines := contacts(b, "刘大爷"); held != 0 || lines != 0 {
			t.Fatalf("before 审核: %d contacts with 刘大爷, %d contact lines in the points; want none (nothing counts unverified)", held, lines)
		}
		b.Go("/review")
		// The deputy's two beside the demo's own pending ones (赵淑芬's).
		b.WaitJS(`[...document.querySelectorAll('[data-page=review] [data-test=submission][data-status=PENDING]')].filter((e) => e.textContent.includes('李秀云')).length === 2`, "the deputy's two pending submissions in the queue")
		if got := Eval[int](b, `[...document.querySelectorAll('[data-test=submission] [data-test=deputy]')].filter((e) => e.textContent === '赵淑芬').length`); got != 2 {
			t.Errorf("the queue shows %d of the demo's pending submissions, want 2", got)
		}
		b.Shot("review-queue")
		approve := `[data-test=submission][data-status=PENDING]`
		b.WaitText(approve, "刘大爷")
		Eval[bool](b, `(() => { const e = [...document.querySelectorAll('[data-test=submission]')].find((e) => e.textContent.includes('刘大爷')); e.setAttribute('data-pick', 'liu'); return true })()`)
		b.Click(`[data-pick=liu] [data-test=approve]`, "")
		b.WaitJS(`document.querySelector('[data-pick=liu]') === null || document.querySelector('[data-pick=liu]').dataset.status === 'APPROVED'`, "刘大爷's contact approved")
		b.WaitText(`[data-test=created]`, "已记入李秀云的联系选民记录")

		if held, lines := contacts(b, "刘大爷"); held != 1 || lines != 1 {
			t.Errorf("after 审核: %d contacts with 刘大爷, %d contact lines in the points; want 1 and 1", held, lines)
		}
		if held, _ := contacts(b, "王婶"); held != 0 {
			t.Errorf("the contact still pending counts: %d contacts with 王婶", held)
		}

		// The other one goes back, and needs a reason.
		Eval[bool](b, `(() => { const e = [...document.querySelectorAll('[data-test=submission]')].find((e) => e.textContent.includes('王婶')); e.setAttribute('data-pick', 'wang'); return true })()`)
		b.Click(`[data-pick=wang] [data-test=return]`, "")
		b.WaitJS(`!!document.querySelector('[data-test=return-dialog]') || [...document.querySelectorAll('.el-dialog')].some((e) => e.offsetWidth && e.textContent.includes('退回给代表'))`, "the return dialog")
		b.Click(`[data-test=return-confirm]`, "")
		b.WaitText(`[data-item=reason] .el-form-item__error`, "请填写退回理由")
		b.Fill(`[data-item=reason] textarea`, "请写明王婶所在的村")
		b.Click(`[data-test=return-confirm]`, "")
		b.WaitJS(`document.querySelector('[data-pick=wang]').dataset.status === 'RETURNED'`, "王婶's contact returned")
		b.WaitText(`[data-pick=wang] [data-test=reason]`, "请写明王婶所在的村")
		if held, _ := contacts(b, "王婶"); held != 0 {
			t.Errorf("a returned contact counts: %d contacts with 王婶", held)
		}
		b.Shot("review-done")
		signOut(b)
	})

	t.Run("OK/DeputyReadsReasonAndResubmits", func(t *testing.T) {
		b := tab.With(t)
		b.Viewport(375, 812)
		defer b.Viewport(1366, 768)
		MustLogin(t, b, "lixiuyun", "李秀云")
		b.WaitJS(`!!document.querySelector('[data-page=mine][data-ready=true]') && document.querySelectorAll('[data-test=submission]').length === 2`, "the deputy's two submissions")
		b.WaitText(`[data-test=submission][data-status=APPROVED]`, "刘大爷")
		b.WaitText(`[data-test=submission][data-status=RETURNED] [data-test=reason]`, "请写明王婶所在的村")
		b.Shot("phone-mine-returned")
		b.Click(`[data-test=submission][data-status=RETURNED] [data-test=edit]`, "")
		b.Search(`[data-item=village] .el-select`, "南沟", "南沟村")
		b.Click(`[data-test=submit]`, "重新提交")
		b.WaitJS(`[...document.querySelectorAll('[data-test=submission]')].some((e) => e.textContent.includes('王婶') && e.dataset.status === 'PENDING')`, "王婶's contact pending again")
		if out := Eval[[]string](b, overflow); len(out) > 0 {
			t.Errorf("我的履职 at 375 px: sideways overflow %q", out)
		}
	})
}
