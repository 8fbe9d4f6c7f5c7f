package report_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/report/engine"
	"renda/internal/storetest"
)

// MustSchema returns renda's GraphQL API over a fresh store holding one
// township, as the schema plugins are checked and run against.
func MustSchema(tb testing.TB) (*graph.API, *records.Store) {
	tb.Helper()
	s := storetest.MustOpen(tb)
	if _, err := s.Townships.Create(context.Background(), &records.Township{Meta: records.Meta{ID: "t1"}, Name: "测试镇", County: "测试县"}); err != nil {
		tb.Fatal(err)
	}
	return graph.New(s, slog.New(slog.DiscardHandler)), s
}

// plugin is a minimal valid plugin; tests change one file at a time.
func plugin() map[string]string {
	return map[string]string{
		"manifest.yaml": `id: hello
title: 问候
description: 一个最小的报告
parameters:
  - name: township
    type: ID
    required: true
`,
		"query.graphql":  "query Hello($township: ID!) {\n  township(id: $township) { name county }\n}\n",
		"report.md.tmpl": "# {{ .data.township.name }}\n\n{{ include \"_line.tmpl\" .data.township }}\n",
		"_line.tmpl":     "{{ .county }}{{ .name }}向您问好。",
	}
}

func with(files map[string]string, name, content string) map[string]string {
	files[name] = content
	return files
}

func TestLoad(t *testing.T) {
	api, _ := MustSchema(t)
	load := func(files map[string]string) error {
		_, err := report.Load(files, report.Source{Kind: "folder"}, api, engine.Options{})
		return err
	}
	t.Run("OK", func(t *testing.T) {
		p, err := report.Load(plugin(), report.Source{Kind: "folder"}, api, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.Render(context.Background(), api, map[string]any{"township": "t1"}, report.MARKDOWN)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(out.Content), "# 测试镇\n\n测试县测试镇向您问好。\n"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // the error's start: file:line:col
	}{
		{"ErrUnknownManifestKey", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\ntempalte: x.tmpl\n"), "manifest.yaml:3:1: unknown field \"tempalte\""},
		{"ErrBadID", with(plugin(), "manifest.yaml", "id: Hello World\ntitle: 问候\n"), "manifest.yaml:1:5: id \"Hello World\""},
		{"ErrMissingTemplate", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\ntemplate: main.md.tmpl\nparameters: [{name: township, type: ID, required: true}]\n"), "manifest.yaml:3:11: template \"main.md.tmpl\": no such file"},
		{"ErrBadFormat", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\nformats: [PDF]\n"), "manifest.yaml:3:11: format \"PDF\""},
		{"ErrQueryInvalid", with(plugin(), "query.graphql", "query Hello($township: ID!) {\n  township(id: $township) { nmae }\n}\n"), "query.graphql:2:29: Cannot query field \"nmae\""},
		{"ErrQueryMutation", with(plugin(), "query.graphql", "mutation M($township: ID!) {\n  deleteTownship(id: $township) { id }\n}\n"), "query.graphql:1:1: a report only reads"},
		{"ErrVariableNotParameter", with(plugin(), "query.graphql", "query Hello($township: ID!, $n: Int) {\n  township(id: $township) { name deputies(first: $n) { totalCount } }\n}\n"), "query.graphql: variable $n is not a parameter"},
		{"ErrQueryTypeMismatch", with(plugin(), "query.graphql", "query Hello($township: String!) {\n  township(id: $township) { name }\n}\n"), "query.graphql:2:16: Variable \"$township\" of type \"String!\""},
		{"ErrParameterType", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\nparameters:\n  - {name: township, type: String, required: true}\n"), "manifest.yaml:4:28: parameter township is String but query.graphql declares $township: ID!"},
		{"ErrParameterOptional", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\nparameters:\n  - {name: township, type: ID}\n"), "manifest.yaml:4:5: parameter township must be required or have a default"},
		{"ErrTemplateParse", with(plugin(), "report.md.tmpl", "# title\n{{ if .data }}\n"), "report.md.tmpl:3: unexpected EOF"},
		{"ErrEnv", with(plugin(), "_line.tmpl", "ok\n{{ env \"HOME\" }}"), "_line.tmpl:2:4: function \"env\" not defined"},
		{"ErrGenPrivateKey", with(plugin(), "_line.tmpl", "{{ genPrivateKey \"rsa\" }}"), "_line.tmpl:1:4: function \"genPrivateKey\" not defined"},
		{"ErrSecondParamType", with(plugin(), "manifest.yaml", "id: hello\ntitle: 问候\nparameters:\n  - name: township\n    type: ID\n    required: true\n  - name: year\n    type: Integer\n"), "manifest.yaml:8:11: parameter year: type \"Integer\""},
		{"ErrStrayFile", with(plugin(), "run.sh", "rm -rf /"), "run.sh: unexpected file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := load(c.files)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want an error starting %q", err, c.want)
			}
		})
	}
}

func TestParams(t *testing.T) {
	m := report.Manifest{ID: "x", Parameters: []report.Param{
		{Name: "year", Type: report.ParamInt, Required: true},
		{Name: "from", Type: report.ParamDate},
		{Name: "draft", Type: report.ParamBoolean, Default: false},
	}}
	t.Run("OK", func(t *testing.T) {
		got, err := m.Params(map[string]any{"year": "2023", "from": "2023-04-05"})
		if err != nil {
			t.Fatal(err)
		}
		if got["year"] != 2023 || got["from"] != "2023-04-05" || got["draft"] != false {
			t.Fatalf("got %v; want year 2023 (int), from, draft false by default", got)
		}
	})
	for _, c := range []struct {
		name  string
		in    map[string]any
		field string
	}{
		{"ErrMissing", map[string]any{}, "params.year"},
		{"ErrNotWhole", map[string]any{"year": 2023.5}, "params.year"},
		{"ErrBadDate", map[string]any{"year": 2023, "from": "2023-02-30"}, "params.from"},
		{"ErrUnknown", map[string]any{"year": 2023, "township": "qps"}, "params.township"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Params(c.in)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != c.field {
				t.Fatalf("got %v, want EINVALID on %s", err, c.field)
			}
		})
	}
}

// MustWritePlugin writes files as the plugin folder dir/name.
func MustWritePlugin(tb testing.TB, dir, name string, files map[string]string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		tb.Fatal(err)
	}
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name, f), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	api, s := MustSchema(t)
	dir := t.TempDir()
	MustWritePlugin(t, dir, "hello", plugin())
	broken := with(plugin(), "manifest.yaml", "id: broken\ntitle: 坏的\nparameters: [{name: township, type: ID, required: true}]\n")
	broken["report.md.tmpl"] = "{{ .data.township.name"
	MustWritePlugin(t, dir, "broken", broken)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Dirs: []string{dir}, Store: s.Reports, Logger: slog.New(slog.DiscardHandler)})
	params := map[string]any{"township": "t1"}

	t.Run("BrokenDoesNotStopOthers", func(t *testing.T) {
		entries, err := reg.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].ID != "broken" || entries[0].Err == nil || entries[1].Err != nil {
			t.Fatalf("entries %+v; want broken (with its error) and hello", entries)
		}
		if !strings.HasPrefix(entries[0].Err.Error(), "report.md.tmpl:1:") {
			t.Errorf("broken plugin's error %q, want it at report.md.tmpl:1", entries[0].Err)
		}
		if _, err := reg.Render(ctx, "hello", params, report.MARKDOWN); err != nil {
			t.Fatalf("hello: %v", err)
		}
		if _, err := reg.Render(ctx, "broken", params, report.MARKDOWN); records.ErrorCode(err) != records.EINVALID {
			t.Fatalf("broken: got %v, want EINVALID", err)
		}
	})
	t.Run("ErrIDNotFolderName", func(t *testing.T) {
		MustWritePlugin(t, dir, "other-name", plugin())
		defer os.RemoveAll(filepath.Join(dir, "other-name"))
		reg.Reload()
		e, err := reg.Get(ctx, "other-name")
		if err != nil || e.Err == nil || !strings.Contains(e.Err.Error(), "differs from the folder's name") {
			t.Fatalf("got %v, %v; want an error naming the mismatch", e, err)
		}
		os.RemoveAll(filepath.Join(dir, "other-name"))
		reg.Reload()
	})
	t.Run("WatchReloads", func(t *testing.T) {
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if err := reg.Watch(wctx); err != nil {
			t.Fatal(err)
		}
		MustWritePlugin(t, dir, "hello", with(plugin(), "_line.tmpl", "{{ .name }}欢迎您。"))
		MustWritePlugin(t, dir, "later", with(plugin(), "manifest.yaml", strings.Replace(plugin()["manifest.yaml"], "id: hello", "id: later", 1)))
		deadline := time.Now().Add(10 * time.Second)
		for {
			out, err := reg.Render(ctx, "hello", params, report.MARKDOWN)
			_, laterErr := reg.Get(ctx, "later")
			if err == nil && strings.Contains(string(out.Content), "欢迎您") && laterErr == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s: hello renders %q (%v), later: %v; want both reloaded", out.Content, err, laterErr)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	t.Run("WatchFolderMadeLater", func(t *testing.T) {
		later := filepath.Join(t.TempDir(), "later-reports")
		reg := report.NewRegistry(report.RegistryConfig{Schema: api, Dirs: []string{later}, Logger: slog.New(slog.DiscardHandler)})
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if err := reg.Watch(wctx); err != nil {
			t.Fatal(err)
		}
		MustWritePlugin(t, later, "hello", plugin())
		deadline := time.Now().Add(10 * time.Second)
		for {
			if e, err := reg.Get(ctx, "hello"); err == nil && e.Err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("a plugin folder made after the start was not loaded within 10 s")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	t.Run("UploadVersionsAndRollback", func(t *testing.T) {
		files := func(line string) []records.ReportFile {
			var out []records.ReportFile
			for name, content := range with(plugin(), "_line.tmpl", line) {
				out = append(out, records.ReportFile{Name: name, Content: content})
			}
			return out
		}
		if _, err := reg.Save(ctx, "hello", files("第一版。"), "v1", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Save(ctx, "hello", files("第二版。"), "v2", nil); err != nil {
			t.Fatal(err)
		}
		render := func() string {
			out, err := reg.Render(ctx, "hello", params, report.MARKDOWN)
			if err != nil {
				t.Fatal(err)
			}
			return string(out.Content)
		}
		if got := render(); !strings.Contains(got, "第二版") {
			t.Fatalf("after two uploads: %q, want version 2 (an upload overrides the folder)", got)
		}
		if _, err := reg.Rollback(ctx, "hello", 1); err != nil {
			t.Fatal(err)
		}
		if got := render(); !strings.Contains(got, "第一版") {
			t.Fatalf("after rollback to 1: %q", got)
		}
		vs, err := reg.Versions(ctx, "hello")
		if err != nil || len(vs) != 3 || vs[0].Version != 3 || vs[0].Note != "rollback to version 1" {
			t.Fatalf("versions %+v (%v); want 3, 2, 1 with the rollback noted", vs, err)
		}
		_, err = reg.Save(ctx, "hello", files("{{ env \"HOME\" }}"), "bad", nil)
		if records.ErrorCode(err) != records.EINVALID || !strings.Contains(err.Error(), "_line.tmpl:1:4") {
			t.Fatalf("bad upload: got %v, want EINVALID naming _line.tmpl:1:4", err)
		}
		if vs, _ := reg.Versions(ctx, "hello"); len(vs) != 3 {
			t.Fatalf("a refused upload was stored: %d versions", len(vs))
		}
	})
	// A plugin that looks its record up with a filter (as work-brief does)
	// and requires it: an id that names nothing is NOT_FOUND with the
	// plugin's message, not an error of the template; and the upload is
	// not refused because the sample id of its test render names nothing.
	t.Run("RequiredIsNotFound", func(t *testing.T) {
		files := []records.ReportFile{
			{Name: "manifest.yaml", Content: "id: lookup\ntitle: 查找\nparameters:\n  - {name: id, type: ID, required: true}\n"},
			{Name: "query.graphql", Content: "query($id: ID!) { deputies(filter: {id: {eq: $id}}, first: 1) { nodes { name } } }"},
			{Name: "report.md.tmpl", Content: `{{ $d := required "没有这个代表" (first .data.deputies.nodes) }}# {{ $d.name }}`},
		}
		if _, err := reg.Save(ctx, "lookup", files, "", nil); err != nil {
			t.Fatalf("save: %v; want it saved (the sample id naming nothing says nothing of the plugin)", err)
		}
		_, err := reg.Render(ctx, "lookup", map[string]any{"id": "no-such-deputy"}, report.MARKDOWN)
		if records.ErrorCode(err) != records.ENOTFOUND || records.ErrorMessage(err) != "没有这个代表" {
			t.Fatalf("got %v, want NOT_FOUND with the plugin's message", err)
		}
	})
}

// TestSandbox checks that a hostile template ends with a clear error
// within its deadline and leaves the registry working.
func TestSandbox(t *testing.T) {
	ctx := context.Background()
	api, _ := MustSchema(t)
	opts := engine.Options{Timeout: 300 * time.Millisecond}
	params := map[string]any{"township": "t1"}
	for _, c := range []struct{ name, tmpl, want string }{
		{"ErrUntilHuge", `{{ range until 100000000 }}x{{ end }}`, "until"},
		{"ErrRecursion", `{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}`, "include recursion too deep"},
		{"ErrRangeHuge", `{{ range 1000000000 }}{{ end }}`, "exceeds the limit"},
		{"ErrForever", `{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}`, "deadline"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := report.Load(with(plugin(), "report.md.tmpl", c.tmpl), report.Source{Kind: "folder"}, api, opts)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = p.Render(ctx, api, params, report.MARKDOWN)
			if err == nil || records.ErrorCode(err) != records.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want EINVALID mentioning %q", err, c.want)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("took %v; the deadline is %v", took, opts.Timeout)
			}
		})
	}
	t.Run("OthersStillRender", func(t *testing.T) {
		p, err := report.Load(plugin(), report.Source{Kind: "folder"}, api, opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Render(ctx, api, params, report.MARKDOWN); err != nil {
			t.Fatalf("after the hostile templates: %v", err)
		}
	})
	t.Run("ErrQueryRendersReports", func(t *testing.T) {
		files := with(plugin(), "query.graphql", "query Q($township: ID!) {\n  township(id: $township) { name }\n  r: renderReport(template: \"hello\", params: {township: $township}) { content }\n}\n")
		_, err := report.Load(files, report.Source{Kind: "folder"}, api, opts)
		if err == nil || !strings.HasPrefix(err.Error(), "query.graphql:3:3: a report's query cannot ask for renderReport") {
			t.Fatalf("got %v, want the query refused at query.graphql:3:3", err)
		}
		files = with(plugin(), "query.graphql", "query Q($township: ID!) {\n  township(id: $township) { name }\n  __schema { types { name } }\n}\n")
		if _, err := report.Load(files, report.Source{Kind: "folder"}, api, opts); err == nil {
			t.Fatal("a query reading the schema was accepted")
		}
	})
}

func TestHTTP(t *testing.T) {
	api, _ := MustSchema(t)
	dir := t.TempDir()
	MustWritePlugin(t, dir, "hello", with(plugin(), "manifest.yaml", plugin()["manifest.yaml"]+"formats: [MARKDOWN, HTML, DOCX]\n"))
	MustWritePlugin(t, dir, "broken", with(plugin(), "manifest.yaml", "id: broken\ntitel: x\n"))
	log := slog.New(slog.DiscardHandler)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Dirs: []string{dir}, Logger: log})
	mux := http.NewServeMux()
	mux.Handle("GET /reports/{id}", report.Handler(reg, log))
	mux.Handle("GET /reports", report.IndexHandler(reg, log))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	t.Run("OKIndex", func(t *testing.T) {
		rec := get("/reports")
		body := rec.Body.String()
		for _, want := range []string{`action="/reports/hello"`, `name="township"`, `<option value="docx">`, "manifest.yaml:2:1: unknown field"} {
			if !strings.Contains(body, want) {
				t.Errorf("the reports page lacks %q", want)
			}
		}
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("status %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
		}
	})
	t.Run("OKDownload", func(t *testing.T) {
		rec := get("/reports/hello?township=t1&format=docx")
		if cd := rec.Header().Get("Content-Disposition"); rec.Code != 200 || cd != "attachment; filename*=utf-8''%E9%97%AE%E5%80%99-t1.docx" {
			t.Fatalf("got %d, Content-Disposition %q", rec.Code, cd)
		}
		if ex := rec.Header().Get("Access-Control-Expose-Headers"); !strings.Contains(ex, "Content-Disposition") || !strings.Contains(ex, "X-Report-Warnings") {
			t.Fatalf("Access-Control-Expose-Headers %q: a page of another origin could not read the name and warnings", ex)
		}
		if cd := get("/reports/hello?township=t1&format=html").Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") {
			t.Fatalf("HTML Content-Disposition %q, want inline", cd)
		}
	})
	t.Run("ErrStatus", func(t *testing.T) {
		for path, want := range map[string]int{
			"/reports/nope?township=t1":              404,
			"/reports/hello":                         400,
			"/reports/hello?township=t1&format=pdf":  400,
			"/reports/hello?township=t1&format=xlsx": 400,
			"/reports/broken?township=t1":            400,
		} {
			if rec := get(path); rec.Code != want {
				t.Errorf("GET %s: %d %q, want %d", path, rec.Code, rec.Body.String(), want)
			}
		}
	})
}
