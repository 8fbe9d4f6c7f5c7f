package web_test

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"renda/internal/records"
)

// MustLogin signs in through the login page as user, whose name the
// header then shows.
func MustLogin(tb testing.TB, b *Browser, user, name string) {
	tb.Helper()
	b.Go("/")
	b.WaitJS(`location.hash.startsWith('#/login')`, "the login page")
	b.Fill(`input[name=username]`, user)
	b.Fill(`input[name=password]`, password)
	b.Key(kb.Enter)
	b.WaitText(`[data-test=who]`, name)
}

// TestConsoleClerk is done-when 1: a clerk's day through the console's
// pages only — sign in, create a deputy (a validation error on its field
// first), edit it, revert the edit from the history, walk a suggestion
// through two steps of its workflow, download the annual summary as DOCX.
func TestConsoleClerk(t *testing.T) {
	srv := MustServer(t, true)
	tab := MustBrowser(t, srv)
	ctx := context.Background()

	t.Run("OK/Login", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/deputies")
		b.WaitJS(`location.hash.startsWith('#/login')`, "the login page for a caller not signed in")
		b.Shot("login")
		b.Fill(`input[name=username]`, "clerk")
		b.Fill(`input[name=password]`, "wrong password")
		b.Key(kb.Enter)
		b.WaitText(`[data-test=login-error]`, "用户名或密码错误")
		b.Fill(`input[name=password]`, password)
		b.Key(kb.Enter)
		b.WaitText(`[data-test=who]`, "王秀兰")
		if who := b.Text(`[data-test=who]`); !strings.Contains(who, "棋盘山镇") || !strings.Contains(who, "录入") {
			t.Errorf("header after sign-in: got %q, want the account's name, role and township", who)
		}
		if got := b.Hash(); got != "/deputies" {
			t.Errorf("after sign-in: route %q, want back to /deputies", got)
		}
	})

	var deputyID string
	t.Run("OK/CreateDeputy", func(t *testing.T) {
		b := tab.With(t)
		b.ListReady()
		b.WaitText(`[data-test=list] .el-table__row`, "")
		b.Shot("deputies")
		b.Click(`[data-test=new]`, "")
		b.WaitText(`[data-test=record-title]`, "新建代表")
		b.Fill(`[data-item=name] input`, "测试代表")
		b.Choose(`[data-item=gender] .el-select__wrapper`, "女")
		b.FillDate(`[data-item=birthDate] input`, "1980-05-06")
		b.Fill(`[data-item=phone] input`, "13800000001")
		b.Search(`[data-item=village] .el-select`, "南沟", "南沟村")
		// No level chosen: the server refuses, and says so on 代表级别.
		b.Click(`[data-test=save]`, "")
		b.WaitText(`[data-item=levels] .el-form-item__error`, "至少选择一个代表级别")
		b.Shot("deputy-validation")
		others := Eval[int](b, `document.querySelectorAll('.el-form-item__error').length`)
		if others != 1 {
			t.Errorf("%d fields show an error, want only 代表级别", others)
		}
		b.Click(`[data-item=levels] .el-checkbox`, "镇级")
		b.Click(`[data-test=save]`, "")
		b.WaitJS(`/^#\/deputies\/(?!new)[^/]+$/.test(location.hash)`, "the new deputy's page")
		b.Ready()
		deputyID = strings.TrimPrefix(b.Hash(), "/deputies/")
		d, err := srv.Store.Deputies.Get(ctx, deputyID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Name != "测试代表" || d.Phone != "13800000001" || len(d.Levels) != 1 || d.Levels[0] != records.TOWNSHIP || d.Gender == nil || *d.Gender != records.FEMALE || d.BirthDate == nil || *d.BirthDate != "1980-05-06" || d.VillageID == "" {
			t.Errorf("created deputy: got %+v", d)
		}
	})

	t.Run("OK/EditAndRevert", func(t *testing.T) {
		b := tab.With(t)
		if deputyID == "" {
			t.Skip("no deputy created")
		}
		b.Fill(`[data-item=phone] input`, "13900000002")
		b.Fill(`[data-item=group] input`, "第一代表小组")
		b.Click(`[data-test=save]`, "")
		b.Ready()
		b.WaitText(`[data-test=history] .el-table__row`, "修改")
		if d, _ := srv.Store.Deputies.Get(ctx, deputyID); d.Phone != "13900000002" || d.Group != "第一代表小组" || d.Version != 2 {
			t.Fatalf("after the edit: phone %q group %q version %d, want 13900000002, 第一代表小组, 2", d.Phone, d.Group, d.Version)
		}
		b.WaitText(`[data-test=history] .el-table__row`, "联系电话")
		Eval[any](b, `document.querySelector('[data-test=history]').scrollIntoView({block: 'center'})`)
		b.Shot("deputy-history")
		b.Click(`[data-revert="1"]`, "")
		b.Click(`.el-message-box__btns .el-button--primary`, "恢复")
		b.WaitJS(`document.querySelector('[data-item=phone] input').value === '13800000001'`, "the form to show the reverted phone")
		d, _ := srv.Store.Deputies.Get(ctx, deputyID)
		if d.Phone != "13800000001" || d.Group != "" || d.Version != 3 {
			t.Errorf("after revert to version 1: phone %q group %q version %d, want 13800000001, none, 3", d.Phone, d.Group, d.Version)
		}
	})

	t.Run("OK/SuggestionWorkflow", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/suggestions")
		b.ListReady()
		b.WaitText(`[data-test=list] .el-table__row`, "")
		b.Shot("suggestions")
		b.Click(`[data-test=new]`, "")
		b.WaitText(`[data-test=record-title]`, "新建建议")
		b.Search(`[data-item=deputy] .el-select`, "测试", "测试代表")
		b.Fill(`[data-item=title] input`, "关于修缮南沟村道路的建议")
		b.FillDate(`[data-item=submitted] input`, "2024-03-05")
		b.Fill(`[data-item=department] input`, "镇交通办")
		b.Click(`[data-test=save]`, "")
		b.WaitText(`[data-test=status]`, "已提出")
		b.Ready()
		id := strings.TrimPrefix(b.Hash(), "/suggestions/")
		b.Click(`[data-transition=ACCEPTED]`, "")
		b.WaitText(`[data-test=status]`, "已受理")
		b.Ready()
		b.Fill(`input[data-test=transition-note]`, "转镇交通办办理")
		b.Click(`[data-transition=ASSIGNED]`, "")
		b.WaitText(`[data-test=status]`, "已交办")
		// A reply comes before 已答复: the workflow says so, in Chinese.
		b.Click(`[data-transition=REPLIED]`, "")
		b.WaitText(`[data-test=transition-error]`, "请先填写答复内容")
		b.Shot("suggestion-workflow")
		s, err := srv.Store.Suggestions.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Department != "镇交通办" || s.Submitted != "2024-03-05" {
			t.Errorf("created suggestion: department %q submitted %q, want 镇交通办 and 2024-03-05 as typed", s.Department, s.Submitted)
		}
		if s.Status != records.SuggestionStatus("ASSIGNED") || len(s.History) != 3 || s.History[2].Note != "转镇交通办办理" {
			t.Errorf("suggestion after two steps: status %s, history %+v; want ASSIGNED after SUBMITTED, ACCEPTED, ASSIGNED with the note", s.Status, s.History)
		}
	})

	t.Run("OK/AnnualSummaryDOCX", func(t *testing.T) {
		b := tab.With(t)
		b.Go("/reports")
		b.WaitText(`[data-test=template]`, "")
		b.Fill(`[data-param=year] input`, "2023")
		b.Key(kb.Tab)
		b.Click(`[data-test=preview]`, "")
		// The preview is a sandboxed frame (an opaque origin the page cannot
		// read into): what it shows is its srcdoc.
		b.WaitJS(`(() => { const f = document.querySelector('[data-test=preview-frame]'); return !!f && f.srcdoc.includes('棋盘山镇人大主席团2023年度工作总结') })()`, "the preview of the annual summary")
		b.Shot("reports")
		b.Click(`[data-download=DOCX]`, "")
		b.WaitText(`[data-test=downloaded]`, ".docx")
		file := waitDownload(t, b.Download, ".docx")
		zr, err := zip.OpenReader(file)
		if err != nil {
			t.Fatalf("the download is not a DOCX: %v", err)
		}
		defer zr.Close()
		var doc string
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				doc = string(b)
			}
		}
		if !strings.Contains(doc, "棋盘山镇") || !strings.Contains(doc, "2023") {
			t.Errorf("word/document.xml of %s does not name the township and year (%d bytes)", filepath.Base(file), len(doc))
		}
	})

	t.Run("OK/Logout", func(t *testing.T) {
		b := tab.With(t)
		b.Click(`[data-test=account-menu]`, "")
		// The menu zooms in: a click while it still moves can be lost on a
		// loaded machine, so wait for it to settle.
		b.WaitJS(`!document.querySelector('[class*=-enter-active]') && !!document.querySelector('[data-test=logout]') && document.querySelector('[data-test=logout]').offsetWidth > 0`, "the account menu to open")
		b.Click(`[data-test=logout]`, "退出登录")
		b.WaitJS(`location.hash.startsWith('#/login')`, "the login page after logout")
		b.Go("/deputies")
		b.WaitJS(`location.hash.startsWith('#/login')`, "the login page: the session ended")
	})
}

// waitDownload waits for a finished file ending in ext in dir.
func waitDownload(tb testing.TB, dir, ext string) string {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ext) {
				p := filepath.Join(dir, e.Name())
				if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
					return p
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("no %s file downloaded into %s", ext, dir)
	return ""
}
