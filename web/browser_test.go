package web_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"renda/graph"
	"renda/internal/auth"
	"renda/internal/export"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/storetest"
	"renda/reports"
)

var screenshots = flag.String("screenshots", "", "write a PNG of each console page the browser tests visit into this folder")

const password = "正确的马、电池和订书钉-OK7"

// Server is renda's whole HTTP stack (store on the embedded FerretDB with
// the demo township, GraphQL API, report registry, auth gate, server
// handler with the console) behind an httptest server.
type Server struct {
	URL   string
	Store *records.Store
	Auth  *auth.Service
}

// MustServer starts the stack; with accounts, the clerk of the demo
// township (editor) and an admin exist, else the server runs open as on a
// loopback machine with no account.
func MustServer(tb testing.TB, accounts bool) *Server {
	tb.Helper()
	return mustServer(tb, storetest.MustDemo(tb), accounts)
}

// MustEmptyServer starts the stack on an empty store (no township, no
// records) with one account: the county's admin ("admin").
func MustEmptyServer(tb testing.TB) *Server {
	tb.Helper()
	srv := mustServer(tb, storetest.MustOpen(tb), false)
	if _, err := srv.Auth.CreateAccount(context.Background(), auth.AccountInput{ID: "admin", Name: "县人大管理员", Role: records.Admin, Password: password}); err != nil {
		tb.Fatal(err)
	}
	return srv
}

func mustServer(tb testing.TB, s *records.Store, accounts bool) *Server {
	tb.Helper()
	log := slog.New(slog.DiscardHandler)
	svc := auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, Logger: log, SessionTTL: time.Hour})
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	gate := auth.NewGate(auth.GateConfig{Service: svc, Logger: log, Loopback: true})
	api.SetAuth(svc, gate.Open)
	h := server.Handler(server.Config{GraphQL: api, Reports: auth.RequireSignIn(report.Handler(reg, log)),
		ReportsIndex: auth.RequireSignIn(report.IndexHandler(reg, log)), Gate: gate.Handler,
		Export: auth.RequireSignIn(export.Handler(api, s, log)),
		Ping:   s.Ping, Metrics: server.NewMetrics(), Logger: log})
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	if accounts {
		for _, a := range []auth.AccountInput{
			{ID: "clerk", Name: "王秀兰", Role: records.Editor, Townships: []string{"qps"}, Password: password},
			{ID: "admin", Name: "县人大管理员", Role: records.Admin, Password: password},
		} {
			if _, err := svc.CreateAccount(context.Background(), a); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return &Server{URL: ts.URL, Store: s, Auth: svc}
}

// The browser: one Chromium per test binary, a fresh tab per test.
var (
	allocOnce   sync.Once
	allocCtx    context.Context
	allocErr    error
	browserPath string
)

func findChromium() string {
	if p := os.Getenv("RENDA_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if allocCtx != nil {
		chromedp.Cancel(allocCtx)
	}
	os.Exit(code)
}

// Browser is one tab, recording every request it makes.
type Browser struct {
	tb       testing.TB
	ctx      context.Context
	srv      *Server
	Download string // folder downloads go to
	rec      *recorder
}

type recorder struct {
	mu       sync.Mutex
	requests []string
	problems []string // exceptions and CSP violations
}

// With is the same tab for a subtest: its failures are the subtest's.
func (b *Browser) With(tb testing.TB) *Browser {
	c := *b
	c.tb = tb
	return &c
}

// MustBrowser opens a tab at 1366×768 on srv. It skips the test when no
// Chromium is installed (apt-get install -y chromium), except on CI.
func MustBrowser(tb testing.TB, srv *Server) *Browser {
	tb.Helper()
	return MustBrowserFor(tb, srv, 3*time.Minute)
}

// MustBrowserFor is MustBrowser for a test whose tab may live up to d.
func MustBrowserFor(tb testing.TB, srv *Server, d time.Duration) *Browser {
	tb.Helper()
	if testing.Short() {
		tb.Skip("browser tests do not run with -short")
	}
	allocOnce.Do(func() {
		browserPath = findChromium()
		if browserPath == "" {
			return
		}
		dir, err := os.MkdirTemp("", "renda-chromium-")
		if err != nil {
			allocErr = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(browserPath),
			chromedp.UserDataDir(dir),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.Flag("window-size", "1366,768"),
			// Every frame in the page's process, so the page's Network
			// domain sees the requests of the report preview's sandboxed
			// iframe too (it would be out of process otherwise).
			chromedp.Flag("disable-site-isolation-trials", true),
			chromedp.Flag("disable-features", "IsolateOrigins,site-per-process,IsolateSandboxedIframes"),
		}
		allocCtx, _ = chromedp.NewExecAllocator(context.Background(), opts...)
	})
	if allocErr != nil {
		tb.Fatal(allocErr)
	}
	if browserPath == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("no Chromium on this CI machine: .ci/run installs it with apt-get install -y chromium")
		}
		tb.Skip("no Chromium installed (apt-get install -y chromium, or set RENDA_CHROMIUM): the console's browser tests are skipped")
	}
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, d)
	tb.Cleanup(cancelT)
	b := &Browser{tb: tb, ctx: ctx, srv: srv, Download: tb.TempDir(), rec: &recorder{}}
	rec := b.rec
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			rec.mu.Lock()
			rec.requests = append(rec.requests, e.Request.URL)
			rec.mu.Unlock()
		case *runtime.EventExceptionThrown:
			rec.mu.Lock()
			msg := e.ExceptionDetails.Text
			if ex := e.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
				msg += " " + ex.Description
			}
			// Element Plus's autosized textarea measures itself a tick
			// after a form is left (S.value.offsetHeight on an unmounted
			// node): its race, harmless to the page; any other exception fails.
			if !(strings.Contains(msg, "reading 'offsetHeight'") && strings.Contains(msg, "/assets/element-plus-")) {
				rec.problems = append(rec.problems, "exception: "+msg)
			}
			rec.mu.Unlock()
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError && strings.Contains(e.Entry.Text, "Content Security Policy") {
				rec.mu.Lock()
				rec.problems = append(rec.problems, "CSP: "+e.Entry.Text)
				rec.mu.Unlock()
			}
		}
	}); err != nil {
		tb.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
			return err
		}),
		chromedp.EmulateViewport(1366, 768),
	); err != nil {
		tb.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: b.Download}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.checkRequests)
	return b
}

// checkRequests fails the test if the page asked anything of another
// origin than the server's (done-when 4), or threw, or broke its CSP.
func (b *Browser) checkRequests() {
	b.rec.mu.Lock()
	defer b.rec.mu.Unlock()
	origin, _ := url.Parse(b.srv.URL)
	n := 0
	for _, raw := range b.rec.requests {
		u, err := url.Parse(raw)
		if err != nil {
			b.tb.Errorf("the page requested an unparsable URL %q", raw)
			continue
		}
		switch u.Scheme {
		case "data", "about":
			continue // inline, no request leaves the page
		case "blob":
			if inner, err := url.Parse(u.Opaque); err == nil && inner.Host == origin.Host {
				continue
			}
		}
		if u.Scheme != origin.Scheme || u.Host != origin.Host {
			b.tb.Errorf("the page requested %s, outside the server's origin %s", raw, b.srv.URL)
			continue
		}
		n++
	}
	if n == 0 {
		b.tb.Errorf("no request to the server recorded: the recorder is broken")
	}
	for _, p := range b.rec.problems {
		b.tb.Errorf("page: %s", p)
	}
	b.tb.Logf("%d requests, every one to %s", n, b.srv.URL)
}

// Requests is how many requests the tab made so far.
func (b *Browser) Requests() []string {
	b.rec.mu.Lock()
	defer b.rec.mu.Unlock()
	return append([]string(nil), b.rec.requests...)
}

func (b *Browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.tb.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.Shot("failure-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.tb.Name()))
		b.tb.Fatal(err)
	}
}

// Go opens a console route (#/deputies) and waits for the app to render it.
func (b *Browser) Go(route string) {
	b.tb.Helper()
	b.run(chromedp.Navigate(b.srv.URL + "/#" + route))
	b.WaitJS(`document.querySelector('#app > *') !== null && !document.querySelector('#app noscript')`, "the console to start")
}

// helpers is JavaScript the tests use to find what a person sees.
const helpers = `(() => {
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden';
  const find = (sel, text) => [...document.querySelectorAll(sel)].filter(visible).find((e) => !text || e.textContent.replace(/\s+/g, ' ').trim() === text) ||
    [...document.querySelectorAll(sel)].filter(visible).find((e) => text && e.textContent.includes(text));
  return { visible, find };
})()`

// WaitJS polls expr until it is truthy.
func (b *Browser) WaitJS(expr, what string) {
	b.tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		b.Shot("failure-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.tb.Name()))
		b.tb.Fatalf("waiting for %s: %v (%s)", what, err, expr)
	}
}

// Eval evaluates expr in the page.
func Eval[T any](b *Browser, expr string) T {
	b.tb.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.Shot("failure-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.tb.Name()))
		b.tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

var clickSeq int

// mark finds the visible element matching sel (and whose text is text, or
// holds it) and gives it an attribute to address it by.
func (b *Browser) mark(sel, text string) string {
	b.tb.Helper()
	clickSeq++
	id := fmt.Sprintf("t%d", clickSeq)
	// The element must hold still for a moment: a dropdown that is still
	// opening (Element Plus animates them) would take the click elsewhere.
	expr := fmt.Sprintf(`(() => { const h = %s; const e = h.find(%q, %q); if (!e) return false;
	  const r = e.getBoundingClientRect(), k = [r.x, r.y, r.width, r.height].join(',');
	  const same = window.__tRect === k && e.getAttribute('data-t') === %q; window.__tRect = k;
	  e.setAttribute('data-t', %q); return same })()`, helpers, sel, text, id, id)
	b.WaitJS(expr, fmt.Sprintf("%s %q to show", sel, text))
	return fmt.Sprintf(`[data-t=%q]`, id)
}

// Click clicks, with the mouse, the visible element matching sel whose
// text is (or holds) text; text "" matches any.
func (b *Browser) Click(sel, text string) {
	b.tb.Helper()
	// A node re-rendered between finding and clicking it has no layout
	// any more: find it again.
	var err error
	for range 3 {
		m := b.mark(sel, text)
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		err = chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(m)), chromedp.Click(chromedp.CSS(m)))
		cancel()
		if err == nil {
			return
		}
	}
	b.Shot("failure-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.tb.Name()))
	b.tb.Fatalf("clicking %s %q: %v", sel, text, err)
}

// Fill replaces the value of the input matching sel with text, typed as a
// person's input method would insert it, and checks that the input holds it.
func (b *Browser) Fill(sel, text string) {
	b.tb.Helper()
	for range 3 {
		m := b.mark(sel, "")
		b.run(chromedp.ScrollIntoView(chromedp.CSS(m)), chromedp.Click(chromedp.CSS(m)),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.focus(); e.select && e.select(); })()`, m))(ctx, t)
				return err
			}),
			chromedp.KeyEvent(kb.Delete),
			insertText(text))
		if Eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e === document.activeElement && e.value === %s })()`, m, jsString(text))) {
			return
		}
	}
	b.Shot("failure-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.tb.Name()))
	b.tb.Fatalf("typing %q into %s: the input does not hold it", text, sel)
}

// FillDate types a date into a date picker and closes its panel.
func (b *Browser) FillDate(sel, date string) {
	b.tb.Helper()
	b.Fill(sel, date)
	b.Key(kb.Enter)
	b.WaitJS(`![...document.querySelectorAll('.el-picker-panel')].some((e) => e.offsetWidth && getComputedStyle(e.closest('.el-popper') || e).display !== 'none')`, "the date panel to close")
}

// ListReady waits until a list page has loaded its page of records.
func (b *Browser) ListReady() {
	b.tb.Helper()
	// The loading mask fades out after the load; until it is gone it takes the clicks.
	b.WaitJS(`!!document.querySelector('[data-page^=list-][data-ready=true]') && !document.querySelector('.el-loading-mask')`, "the list to load")
}

// Ready waits until the record page has loaded or saved.
func (b *Browser) Ready() {
	b.tb.Helper()
	b.WaitJS(`!!document.querySelector('[data-page^=record-][data-ready=true]') && !document.querySelector('.el-loading-mask')`, "the record page to be ready")
}

// Key presses a key (kb.Enter, kb.Tab …).
func (b *Browser) Key(k string) {
	b.tb.Helper()
	b.run(chromedp.KeyEvent(k))
}

// Choose opens the select matching sel and picks the option labelled text.
func (b *Browser) Choose(sel, text string) {
	b.tb.Helper()
	b.Click(sel, "")
	b.Option(text)
	b.closeDropdown()
}

// closeDropdown closes a select's list that stays open (a multiple
// select's): Escape clears its search, a second one closes it.
func (b *Browser) closeDropdown() {
	b.tb.Helper()
	for range 2 {
		if !Eval[bool](b, openDropdown) {
			break
		}
		b.Key(kb.Escape)
	}
	b.WaitJS("!"+openDropdown, "the dropdown to close")
}

// Option picks the option labelled text (or holding it) of the open
// dropdown. The option is clicked by the page's own click(): the list
// animates open and scrolls, so a mouse click at the coordinates read a
// moment before can land on its neighbour.
func (b *Browser) Option(text string) {
	b.tb.Helper()
	m := b.mark(".el-select-dropdown__item", text)
	Eval[bool](b, fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true })()`, m))
}

// Search types query into the searchable select matching sel (a reference
// picker) and picks the option whose text holds pick.
func (b *Browser) Search(sel, query, pick string) {
	b.tb.Helper()
	b.Click(sel+" .el-select__wrapper", "")
	if query != "" {
		b.run(insertText(query))
	}
	b.Option(pick)
	b.closeDropdown()
}

const openDropdown = `[...document.querySelectorAll('.el-select-dropdown')].some((e) => e.offsetWidth > 0)`

// Text is the visible text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.tb.Helper()
	b.WaitJS(fmt.Sprintf(`!!document.querySelector(%q)`, sel), sel)
	return Eval[string](b, fmt.Sprintf(`document.querySelector(%q).innerText`, sel))
}

// WaitText waits until the first visible element matching sel holds text.
func (b *Browser) WaitText(sel, text string) {
	b.tb.Helper()
	b.WaitJS(fmt.Sprintf(`(() => { const h = %s; return !!h.find(%q, %q) })()`, helpers, sel, text), fmt.Sprintf("%q in %s", text, sel))
}

// Hash is the console's current route.
func (b *Browser) Hash() string {
	return strings.TrimPrefix(Eval[string](b, `location.hash`), "#")
}

// Upload sets the file of the file input inside sel.
func (b *Browser) Upload(sel, file string) {
	b.tb.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.run(chromedp.SetUploadFiles(chromedp.CSS(sel+` input[type=file]`), []string{abs}))
}

// Shot writes a screenshot named name into the -screenshots folder.
func (b *Browser) Shot(name string) {
	if *screenshots == "" {
		return
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		b.tb.Error(err)
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.tb.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(*screenshots, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.tb.Error(err)
	}
}

// insertText types text as an input method inserts it (Chinese included).
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}
