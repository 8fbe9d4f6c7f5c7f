package reports_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	stdhtml "html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"renda/graph"
	"renda/internal/auth"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/storetest"
	"renda/reports"
)

// Stack is renda's whole HTTP stack (sign-in gate, GraphQL, /reports)
// over a fresh store holding the demo township qps and a second one, b,
// with an API key for each kind of caller the report tests need.
type Stack struct {
	URL   string
	Store *records.Store
	Keys  map[string]string // by caller: county-admin, qps-admin, b-admin, qps-viewer
}

func MustStack(tb testing.TB) *Stack {
	tb.Helper()
	s := storetest.MustDemo(tb)
	ctx := context.Background()
	if _, err := s.Townships.Create(ctx, &records.Township{Meta: records.Meta{ID: "b"}, Name: "乙镇", County: "测试县"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{ID: "b-v1", Township: "b"}, Name: "乙村"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{ID: "b-d1", Township: "b"}, Name: "乙代表", Levels: []records.Level{records.TOWNSHIP}, VillageID: "b-v1"}); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, Logger: log, SessionTTL: time.Hour})
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	gate := auth.NewGate(auth.GateConfig{Service: svc, Logger: log, Loopback: true})
	api.SetAuth(svc, gate.Open)
	h := server.Handler(server.Config{GraphQL: api, Reports: auth.RequireSignIn(report.Handler(reg, log)), Gate: gate.Handler,
		Ping: s.Ping, Metrics: server.NewMetrics(), Logger: log})
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	st := &Stack{URL: ts.URL, Store: s, Keys: map[string]string{}}
	for _, k := range []struct {
		name      string
		role      records.Role
		townships []string
	}{
		{"county-admin", records.Admin, nil},
		{"qps-admin", records.Admin, []string{"qps"}},
		{"b-admin", records.Admin, []string{"b"}},
		{"qps-viewer", records.Viewer, []string{"qps"}},
	} {
		secret, _, err := svc.CreateKey(ctx, k.name, k.role, k.townships)
		if err != nil {
			tb.Fatal(err)
		}
		st.Keys[k.name] = secret
	}
	return st
}

// GQLResult is a GraphQL answer: data, and the first error's code, field
// and message.
type GQLResult struct {
	Data                 map[string]json.RawMessage
	Code, Field, Message string
}

// Do posts a GraphQL request as caller (a key of Stack.Keys).
func (st *Stack) Do(tb testing.TB, caller, query string, vars map[string]any) GQLResult {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, st.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+st.Keys[caller])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r struct {
		Data   map[string]json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code, Field string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatalf("%d: not JSON: %.200s", resp.StatusCode, b)
	}
	out := GQLResult{Data: r.Data}
	if len(r.Errors) > 0 {
		out.Code, out.Field, out.Message = r.Errors[0].Extensions.Code, r.Errors[0].Extensions.Field, r.Errors[0].Message
	}
	return out
}

// MustDo is Do that fails the test on an error.
func (st *Stack) MustDo(tb testing.TB, caller, query string, vars map[string]any) map[string]json.RawMessage {
	tb.Helper()
	r := st.Do(tb, caller, query, vars)
	if r.Code != "" {
		tb.Fatalf("as %s: %s: %s %s: %s", caller, query, r.Code, r.Field, r.Message)
	}
	return r.Data
}

// Get downloads GET /reports/{id}?params as caller: the status and body.
func (st *Stack) Get(tb testing.TB, caller, id string, params map[string]string) (int, []byte) {
	tb.Helper()
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	req, _ := http.NewRequest(http.MethodGet, st.URL+"/reports/"+id+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+st.Keys[caller])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

const stackRender = `query($t: ID!, $p: JSON, $f: ReportFormat) { r: renderReport(template: $t, params: $p, format: $f) { content encoding } }`

// TestBadIDsNotFound (issue 17, row 8): every built-in asked for a record
// that does not exist — an unknown id, an id of another kind, an id of a
// township the caller cannot see — answers NOT_FOUND in GraphQL and 404 on
// /reports/{id}, never INTERNAL or 500. Before, work-brief (which looks the
// id up among inspections and activities) answered INTERNAL / 500.
func TestBadIDsNotFound(t *testing.T) {
	st := MustStack(t)
	type call struct {
		report string
		params map[string]string
	}
	var calls []call
	for _, id := range []string{"no-such-id", "d-005", "v-29", "b-d1"} { // unknown, a deputy, a village, another township's deputy
		calls = append(calls, call{"work-brief", map[string]string{"id": id}})
		calls = append(calls, call{"inspection-report", map[string]string{"inspection": id}})
	}
	for _, id := range []string{"no-such-id", "i-2023-05", "b-d1"} {
		calls = append(calls, call{"deputy-report", map[string]string{"deputy": id, "year": "2023"}})
		calls = append(calls, call{"deputy-duty-record", map[string]string{"deputy": id, "year": "2023"}})
	}
	for _, id := range []string{"no-such-id", "d-005", "b"} {
		calls = append(calls, call{"annual-summary", map[string]string{"township": id, "year": "2023"}})
		calls = append(calls, call{"suggestion-report", map[string]string{"township": id, "year": "2023"}})
		calls = append(calls, call{"presidium-report", map[string]string{"township": id, "year": "2023"}})
		calls = append(calls, call{"deputy-roster", map[string]string{"township": id}})
	}
	for _, c := range calls {
		params := map[string]any{}
		for k, v := range c.params {
			params[k] = v
		}
		if c.params["year"] != "" {
			params["year"] = 2023
		}
		caller := "qps-viewer" // sees qps only: b's records are as unknown to it as no-such-id
		if r := st.Do(t, caller, stackRender, map[string]any{"t": c.report, "p": params}); r.Code != "NOT_FOUND" {
			t.Errorf("renderReport %s %v: %s %q, want NOT_FOUND", c.report, c.params, r.Code, r.Message)
		}
		if code, body := st.Get(t, caller, c.report, c.params); code != http.StatusNotFound {
			t.Errorf("GET /reports/%s %v: %d %q, want 404", c.report, c.params, code, body)
		}
	}
	// The same records render for whoever may see them: the answers above
	// are about the ids, not the reports.
	for _, c := range []call{
		{"work-brief", map[string]string{"id": "i-2023-05"}},
		{"inspection-report", map[string]string{"inspection": "i-2023-05"}},
		{"deputy-report", map[string]string{"deputy": "d-005", "year": "2023"}},
		{"deputy-duty-record", map[string]string{"deputy": "b-d1", "year": "2023"}},
	} {
		caller := "qps-viewer"
		if c.params["deputy"] == "b-d1" {
			caller = "county-admin"
		}
		if code, body := st.Get(t, caller, c.report, c.params); code != http.StatusOK {
			t.Errorf("GET /reports/%s %v as %s: %d %.200s, want 200", c.report, c.params, caller, code, body)
		}
	}
}

// scopedFiles is a small plugin "scoped" whose document says which
// version it is.
func scopedFiles(text string) []map[string]any {
	return []map[string]any{
		{"name": "manifest.yaml", "content": "id: scoped\ntitle: 范围\nparameters:\n  - {name: township, type: ID, required: true}\nformats: [MARKDOWN, DOCX]\n"},
		{"name": "query.graphql", "content": "query($township: ID!) { township(id: $township) { name } }"},
		{"name": "report.md.tmpl", "content": "# {{ .data.township.name }}" + text},
	}
}

const (
	stackSave     = `mutation($id: ID!, $files: [ReportFileInput!]!) { r: saveReportTemplate(id: $id, files: $files) { version townships } }`
	stackRollback = `mutation($v: Int!) { r: rollbackReportTemplate(id: "scoped", version: $v) { version townships } }`
)

// TestPluginScope (issue 17, row 7): a township admin's upload under the
// id of a county admin's plugin is what its township renders, and nothing
// else: every other township (and the county) keeps rendering the county's,
// the township admin cannot roll the county's back nor see or touch other
// townships' versions. Before, the township's upload replaced the county's
// plugin for every township.
func TestPluginScope(t *testing.T) {
	st := MustStack(t)
	render := func(caller, township string) string {
		t.Helper()
		var out struct{ R struct{ Content string } }
		d := st.MustDo(t, caller, stackRender, map[string]any{"t": "scoped", "p": map[string]any{"township": township}})
		_ = json.Unmarshal(d["r"], &out.R)
		code, body := st.Get(t, caller, "scoped", map[string]string{"township": township, "format": "md"})
		if code != http.StatusOK || string(body) != out.R.Content {
			t.Fatalf("GET /reports/scoped as %s: %d %q, want the same document as renderReport, %q", caller, code, body, out.R.Content)
		}
		return out.R.Content
	}
	want := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	st.MustDo(t, "county-admin", stackSave, map[string]any{"id": "scoped", "files": scopedFiles("：县版")})
	d := st.MustDo(t, "qps-admin", stackSave, map[string]any{"id": "scoped", "files": scopedFiles("：甲镇版")})
	if string(d["r"]) != `{"version":2,"townships":["qps"]}` {
		t.Fatalf("the township admin's upload: %s, want version 2 for qps", d["r"])
	}

	want("qps renders", render("qps-viewer", "qps"), "# 棋盘山镇：甲镇版")
	want("b renders", render("b-admin", "b"), "# 乙镇：县版")
	want("the county renders", render("county-admin", "b"), "# 乙镇：县版")

	t.Run("Templates", func(t *testing.T) {
		q := `{ t: reportTemplate(id: "scoped") { source version townships } }`
		want("qps's reportTemplate", string(st.MustDo(t, "qps-viewer", q, nil)["t"]), `{"source":"uploaded","version":2,"townships":["qps"]}`)
		want("b's reportTemplate", string(st.MustDo(t, "b-admin", q, nil)["t"]), `{"source":"uploaded","version":1,"townships":null}`)
		l := `{ t: reportTemplates { id version } }`
		if got := string(st.MustDo(t, "b-admin", l, nil)["t"]); !strings.Contains(got, `{"id":"scoped","version":1}`) {
			t.Errorf("b's reportTemplates: %s, want scoped at the county's version 1", got)
		}
	})
	t.Run("Versions", func(t *testing.T) {
		q := `{ v: reportTemplateVersions(id: "scoped") { version townships } }`
		want("b sees", string(st.MustDo(t, "b-admin", q, nil)["v"]), `[{"version":1,"townships":null}]`)
		want("qps sees", string(st.MustDo(t, "qps-admin", q, nil)["v"]), `[{"version":2,"townships":["qps"]},{"version":1,"townships":null}]`)
		want("the county sees", string(st.MustDo(t, "county-admin", q, nil)["v"]), `[{"version":2,"townships":["qps"]},{"version":1,"townships":null}]`)
	})
	t.Run("ErrRollbackCounty", func(t *testing.T) {
		r := st.Do(t, "qps-admin", stackRollback, map[string]any{"v": 1})
		if r.Code != "FORBIDDEN" || r.Field != "version" {
			t.Errorf("qps's admin rolls back the county's version: %s %s %q, want FORBIDDEN on version", r.Code, r.Field, r.Message)
		}
		want("b after the refused rollback", render("b-admin", "b"), "# 乙镇：县版")
	})
	t.Run("ErrRollbackOtherTownship", func(t *testing.T) {
		if r := st.Do(t, "b-admin", stackRollback, map[string]any{"v": 2}); r.Code != "NOT_FOUND" {
			t.Errorf("b's admin rolls back qps's version: %s %q, want NOT_FOUND", r.Code, r.Message)
		}
		want("qps after the refused rollback", render("qps-viewer", "qps"), "# 棋盘山镇：甲镇版")
		want("b after the refused rollback", render("b-admin", "b"), "# 乙镇：县版")
	})
	t.Run("ErrBuiltinID", func(t *testing.T) {
		fs := scopedFiles("")
		fs[0]["content"] = "id: deputy-roster\ntitle: 改\nparameters:\n  - {name: township, type: ID, required: true}\n"
		if r := st.Do(t, "qps-admin", stackSave, map[string]any{"id": "deputy-roster", "files": fs}); r.Code != "BAD_USER_INPUT" || r.Field != "id" {
			t.Errorf("a township admin uploads under a built-in's id: %s %s, want BAD_USER_INPUT on id", r.Code, r.Field)
		}
	})
	t.Run("RollbackOwn", func(t *testing.T) {
		st.MustDo(t, "qps-admin", stackSave, map[string]any{"id": "scoped", "files": scopedFiles("：甲镇第二版")})
		want("qps after its second upload", render("qps-viewer", "qps"), "# 棋盘山镇：甲镇第二版")
		d := st.MustDo(t, "qps-admin", stackRollback, map[string]any{"v": 2})
		want("qps's rollback", string(d["r"]), `{"version":4,"townships":["qps"]}`)
		want("qps after its rollback", render("qps-viewer", "qps"), "# 棋盘山镇：甲镇版")
		want("b after qps's rollback", render("b-admin", "b"), "# 乙镇：县版")
	})
	t.Run("CountyUploadsAgain", func(t *testing.T) {
		st.MustDo(t, "county-admin", stackSave, map[string]any{"id": "scoped", "files": scopedFiles("：县第二版")})
		want("b after the county's new version", render("b-admin", "b"), "# 乙镇：县第二版")
		want("qps keeps its own", render("qps-viewer", "qps"), "# 棋盘山镇：甲镇版")
	})
}

// TestRecordTextLiteral (issue 17, row 9): record text that is Markdown or
// HTML — deputies named with an image, a tag, a look-alike of one, a pipe;
// an inspection's findings with a heading, a table row, a list, a link,
// code and emphasis — reads as written in the Markdown, text, HTML, DOCX
// and XLSX of every built-in that prints it: nothing becomes an image, a
// link, a tag, a heading, a table or a list, and nothing vanishes. Before,
// the name became an image in HTML and a name starting with a tag vanished.
func TestRecordTextLiteral(t *testing.T) {
	st := MustStack(t)
	var ins struct{ Participants []struct{ ID string } }
	_ = json.Unmarshal(st.MustDo(t, "county-admin", `{ i: inspection(id: "i-2023-05") { participants { id } } }`, nil)["i"], &ins)
	names := []string{
		"![x](http://evil/a.png)<img src=x onerror=alert(1)>‹img",
		"‹img src=x›陈宝山",
		"<img src=x>马玉珍 | *a* `b`",
	}
	ids := []string{"d-004"}
	for _, p := range ins.Participants {
		if p.ID != "d-004" && len(ids) < len(names) {
			ids = append(ids, p.ID)
		}
	}
	for i, id := range ids {
		st.MustDo(t, "qps-admin", `mutation($id: ID!, $n: String!) { updateDeputy(id: $id, input: {name: $n}) { id } }`, map[string]any{"id": id, "n": names[i]})
	}
	findings := []string{"# 标题", "| a | b |", "|---|---|", "- 列表", "1. 编号", "> 引用", "[链接](http://evil/)", "&amp;", "`代码`", "~~删除~~", "_强调_", "*星*"}
	st.MustDo(t, "qps-admin", `mutation($f: String!) { updateInspection(id: "i-2023-05", input: {findings: $f}) { id } }`,
		map[string]any{"f": strings.Join(findings[:6], "\n") + "\n" + strings.Join(findings[6:], " ")})

	// Markup that record text would have made, in HTML.
	markup := []string{"<img", "<a ", "<code", "<del", "<em", "<script", "<blockquote", "<h1>标题", "<li>列表", "<li>编号", "<th>a</th>"}
	checkHTML := func(what, page string, want []string) {
		t.Helper()
		for _, bad := range markup {
			if strings.Contains(page, bad) {
				t.Errorf("%s holds %q", what, bad)
			}
		}
		text := strings.ReplaceAll(stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "")), "\n", "")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not read %q", what, w)
			}
		}
	}
	render := func(report string, params map[string]any, f string) []byte {
		t.Helper()
		var out struct{ Content, Encoding string }
		_ = json.Unmarshal(st.MustDo(t, "qps-viewer", stackRender, map[string]any{"t": report, "p": params, "f": f})["r"], &out)
		if out.Encoding == "base64" {
			b, err := base64.StdEncoding.DecodeString(out.Content)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		return []byte(out.Content)
	}
	commonmark := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	for _, c := range []struct {
		report string
		params map[string]any
		want   []string
	}{
		{"inspection-report", map[string]any{"inspection": "i-2023-05"}, append(slices.Clone(names), findings...)},
		{"work-brief", map[string]any{"id": "i-2023-05"}, append(slices.Clone(names), findings...)},
		{"annual-summary", map[string]any{"township": "qps", "year": 2023}, findings},
		{"deputy-roster", map[string]any{"township": "qps"}, names},
	} {
		t.Run(c.report, func(t *testing.T) {
			// Markdown: as any CommonMark reader (raw HTML let through) shows it.
			var page bytes.Buffer
			if err := commonmark.Convert(render(c.report, c.params, "MARKDOWN"), &page); err != nil {
				t.Fatal(err)
			}
			checkHTML("the Markdown", page.String(), c.want)
			checkHTML("the HTML", string(render(c.report, c.params, "HTML")), c.want)
			text := string(render(c.report, c.params, "TEXT"))
			docx := render(c.report, c.params, "DOCX")
			digest := MustDigest(t, docx)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("the text does not read %q", w)
				}
				if !strings.Contains(digest, w) {
					t.Errorf("the DOCX does not read %q", w)
				}
			}
			if x := MustUnzip(t, docx, "word/document.xml"); strings.Contains(x, "<w:hyperlink") || strings.Contains(x, "<w:drawing") {
				t.Errorf("the DOCX holds a link or a picture")
			}
		})
	}
	// The roster's names are table cells: each is one cell, whole, in the
	// spreadsheet too, and the table keeps its shape.
	t.Run("deputy-roster/XLSX", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(render("deputy-roster", map[string]any{"township": "qps"}, "XLSX")))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for _, row := range rows {
				for _, cell := range row {
					found[cell] = true
				}
				if len(row) > len(rows[0]) {
					t.Errorf("sheet %s: row %q is wider than its header %q", sheet, row, rows[0])
				}
			}
		}
		for _, n := range names {
			if !found[n] {
				t.Errorf("no cell holds %q", n)
			}
		}
	})
	t.Run("GET", func(t *testing.T) {
		code, page := st.Get(t, "qps-viewer", "inspection-report", map[string]string{"inspection": "i-2023-05", "format": "html"})
		if code != http.StatusOK {
			t.Fatalf("GET: %d", code)
		}
		checkHTML("the page", string(page), append(slices.Clone(names), findings...))
	})
}

// TestRosterMasksPhones: the 花名册 lists phones as the reader may see
// them: whole for the township's admins, masked (138****0017) for viewers,
// in every format they can download.
func TestRosterMasksPhones(t *testing.T) {
	st := MustStack(t)
	for _, c := range []struct {
		caller, want, not string
	}{
		{"qps-admin", "13800000017", "138****0017"},
		{"qps-viewer", "138****0017", "13800000017"},
	} {
		for _, format := range []string{"html", "txt"} {
			code, page := st.Get(t, c.caller, "deputy-roster", map[string]string{"township": "qps", "format": format})
			if code != http.StatusOK || !strings.Contains(string(page), c.want) || strings.Contains(string(page), c.not) {
				t.Errorf("%s, %s: %d; want %s and not %s", c.caller, format, code, c.want, c.not)
			}
		}
	}
}
