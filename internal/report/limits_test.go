package report_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/report/document"
	"renda/internal/report/engine"
)

// uploadFiles is the minimal plugin with tmpl as its template, offered in
// every format.
func uploadFiles(tmpl string) []records.ReportFile {
	var out []records.ReportFile
	for name, content := range with(plugin(), "report.md.tmpl", tmpl) {
		if name == "manifest.yaml" {
			content += "formats: [MARKDOWN, TEXT, HTML, DOCX, XLSX]\n"
		}
		out = append(out, records.ReportFile{Name: name, Content: content})
	}
	return out
}

func MustRegistry(tb testing.TB) (*report.Registry, *records.Store) {
	tb.Helper()
	api, s := MustSchema(tb)
	return report.NewRegistry(report.RegistryConfig{Schema: api, Logger: slog.New(slog.DiscardHandler), Store: s.Reports,
		Engine: engine.Options{Timeout: 2 * time.Second}}), s
}

// TestSaveTestRender: an upload is rendered before it is saved; one whose
// template recurses without end, however it nests, is refused at save time
// with a clear error, and nothing is stored.
func TestSaveTestRender(t *testing.T) {
	reg, s := MustRegistry(t)
	ctx := context.Background()
	frames := func(open, close string) string {
		return `{{define "r"}}` + strings.Repeat(open, 8) + `{{X "r" .}}` + strings.Repeat(close, 8) + `{{end}}{{X "r" .}}`
	}
	for _, tc := range []struct{ name, tmpl string }{
		{"ErrTemplateWith", strings.ReplaceAll(frames("{{with .}}", "{{end}}"), "X", "template")},
		{"ErrTemplateRange", strings.ReplaceAll(frames("{{range list 1}}", "{{end}}"), "X", "template")},
		{"ErrTemplateIf", strings.ReplaceAll(frames("{{if true}}", "{{end}}"), "X", "template")},
		{"ErrIncludeWith", strings.ReplaceAll(frames("{{with .}}", "{{end}}"), "X", "include")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reg.Save(ctx, "hello", uploadFiles(tc.tmpl), "", nil)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "files" ||
				!strings.Contains(records.ErrorMessage(err), "recursion too deep") || !strings.Contains(records.ErrorMessage(err), "test render") {
				t.Fatalf("got %v, want EINVALID on files naming the test render and the recursion", err)
			}
		})
	}
	t.Run("ErrDocumentTooLarge", func(t *testing.T) {
		_, err := reg.Save(ctx, "hello", uploadFiles("|a|b|\n|-|-|\n{{ range 20000 }}|x|y|\n{{ end }}"), "", nil)
		if records.ErrorCode(err) != records.EINVALID || !strings.Contains(records.ErrorMessage(err), "cells") {
			t.Fatalf("got %v, want the document's cell limit named", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if _, err := reg.Save(ctx, "hello", uploadFiles("# {{ .data.township.name }}"), "", map[string]any{"township": "t1"}); err != nil {
			t.Fatal(err)
		}
		vs, err := s.Reports.List(ctx, "hello")
		if err != nil || len(vs) != 1 {
			t.Fatalf("versions %d (%v), want only the good upload", len(vs), err)
		}
	})
	t.Run("ErrTestParams", func(t *testing.T) {
		_, err := reg.Save(ctx, "hello", uploadFiles("# x"), "", map[string]any{"nope": 1})
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "testParams.nope" {
			t.Fatalf("got %v, want EINVALID on testParams.nope", err)
		}
	})
}

// TestUploadLimits: a plugin's files together, and the versions kept.
func TestUploadLimits(t *testing.T) {
	reg, s := MustRegistry(t)
	ctx := context.Background()
	pad := func(n int) []records.ReportFile {
		fs := uploadFiles("# x")
		total := 0
		for _, f := range fs {
			total += len(f.Content)
		}
		// Notes (*.md) of at most 256 KiB each fill up to n bytes in all.
		for i := 0; total < n; i++ {
			k := min(n-total, 256<<10)
			fs = append(fs, records.ReportFile{Name: "note" + strconv.Itoa(i) + ".md", Content: strings.Repeat("x", k)})
			total += k
		}
		return fs
	}
	t.Run("OK", func(t *testing.T) {
		if _, err := reg.Save(ctx, "hello", pad(report.MaxPluginBytes), "", nil); err != nil {
			t.Fatalf("at the limit: %v", err)
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		_, err := reg.Save(ctx, "hello", pad(report.MaxPluginBytes+1), "", nil)
		if records.ErrorCode(err) != records.EINVALID || !strings.Contains(records.ErrorMessage(err), "1024 KiB") {
			t.Fatalf("just over: got %v, want EINVALID naming 1024 KiB", err)
		}
	})
	t.Run("VersionsKept", func(t *testing.T) {
		for i := range records.MaxReportVersions + 5 {
			if _, err := reg.Save(ctx, "kept", uploadFilesID("kept", fmt.Sprintf("# 第%d版", i)), "", nil); err != nil {
				t.Fatal(err)
			}
		}
		vs, err := s.Reports.List(ctx, "kept")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != records.MaxReportVersions || vs[0].Version != records.MaxReportVersions+5 || vs[len(vs)-1].Version != 6 {
			t.Fatalf("%d versions kept, newest %d, oldest %d; want the newest %d", len(vs), vs[0].Version, vs[len(vs)-1].Version, records.MaxReportVersions)
		}
	})
}

func uploadFilesID(id, tmpl string) []records.ReportFile {
	fs := uploadFiles(tmpl)
	for i := range fs {
		if fs[i].Name == "manifest.yaml" {
			fs[i].Content = strings.Replace(fs[i].Content, "id: hello", "id: "+id, 1)
		}
	}
	return fs
}

// rss returns the process's peak resident set size in bytes (VmHWM), after
// resetting it, so each measure starts from the current size.
func peakRSS(tb testing.TB) (reset func(), peak func() int64) {
	reset = func() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }
	peak = func() int64 {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			tb.Skip("no /proc/self/status")
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
				return kb << 10
			}
		}
		return 0
	}
	return reset, peak
}

// TestConversionBounded: a template that writes 4 MiB (the output cap) of
// tiny table cells, rendered as DOCX, XLSX and HTML, ends within the render
// deadline with a clear error, and the process stays far below 1 GB; a
// document just within the limits converts within the deadline too.
func TestConversionBounded(t *testing.T) {
	api, _ := MustSchema(t)
	tiny := "|a|b|c|d|e|f|g|h|\n|-|-|-|-|-|-|-|-|\n{{ range 466 }}{{ range 500 }}|1|2|3|4|5|6|7|8|\n{{ end }}{{ end }}" // just under 4 MiB, the cap
	rows := document.MaxCells/8 - 1
	within := fmt.Sprintf("|a|b|c|d|e|f|g|h|\n|-|-|-|-|-|-|-|-|\n{{ range %d }}|1|2|3|4|5|6|7|8|\n{{ end }}", rows)
	reset, peak := peakRSS(t)
	const deadline = 5 * time.Second
	for _, tc := range []struct {
		name, tmpl string
		ok         bool
	}{
		{"ErrTinyCells", tiny, false},
		{"OK", within, true},
	} {
		files := with(plugin(), "report.md.tmpl", tc.tmpl)
		files["manifest.yaml"] += "formats: [MARKDOWN, HTML, DOCX, XLSX]\n"
		p, err := report.Load(files, report.Source{Kind: "folder"}, api, engine.Options{Timeout: deadline})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []report.Format{report.DOCX, report.XLSX, report.HTML} {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				runtime.GC()
				reset()
				start := time.Now()
				out, err := p.Render(context.Background(), api, map[string]any{"township": "t1"}, f)
				took := time.Since(start)
				t.Logf("%s: %v, %d bytes, peak RSS %d MiB, err %v", f, took, len(outContent(out)), peak()>>20, err)
				if took > deadline {
					t.Errorf("took %v, more than the %v deadline", took, deadline)
				}
				if p := peak(); p > 1<<30 {
					t.Errorf("peak RSS %d MiB, want under 1 GiB", p>>20)
				}
				switch {
				case tc.ok && err != nil:
					t.Errorf("within the limits: %v", err)
				case !tc.ok && (records.ErrorCode(err) != records.EINVALID || !strings.Contains(records.ErrorMessage(err), "cells")):
					t.Errorf("got %v, want EINVALID naming the cell limit", err)
				}
			})
		}
	}
}

func outContent(r *report.Rendered) []byte {
	if r == nil {
		return nil
	}
	return r.Content
}

// TestRenderNotStartedLate: a render that cannot finish before its
// request's deadline is refused at once with TIMEOUT (HTTP 503 on
// /reports/…), instead of taking a slot and failing later.
func TestRenderNotStartedLate(t *testing.T) {
	api, _ := MustSchema(t)
	dir := t.TempDir()
	MustWritePlugin(t, dir, "hello", with(plugin(), "report.md.tmpl", "# {{ .data.township.name }}\n\n{{ range 100000 }}{{ end }}完。\n"))
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: slog.New(slog.DiscardHandler), Dirs: []string{dir}})
	params := map[string]any{"township": "t1"}
	start := time.Now()
	if _, err := reg.Render(context.Background(), "hello", params, report.MARKDOWN); err != nil {
		t.Fatal(err)
	}
	typical := time.Since(start)
	ctx, cancel := context.WithTimeout(context.Background(), typical/4)
	defer cancel()
	_, err := reg.Render(ctx, "hello", params, report.MARKDOWN)
	if records.ErrorCode(err) != records.ETIMEOUT || !strings.Contains(records.ErrorMessage(err), "would not finish") {
		t.Fatalf("with %v left for a render of %v: %v, want TIMEOUT saying it would not finish", typical/4, typical, err)
	}
	h := report.Handler(reg, slog.New(slog.DiscardHandler))
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/reports/hello?township=t1", nil)
	req.SetPathValue("id", "hello")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET /reports/hello out of time: %d %s, want 503", rec.Code, rec.Body.String())
	}
}
