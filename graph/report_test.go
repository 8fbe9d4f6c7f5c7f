package graph_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"io/fs"
	"strings"
	"testing"

	"renda/reports"
)

const renderQuery = `query($t: ID!, $p: JSON, $f: ReportFormat) {
  r: renderReport(template: $t, params: $p, format: $f) { content encoding format mimeType filename warnings }
}`

type rendered struct {
	R struct {
		Content, Encoding, Format, MimeType, Filename string
		Warnings                                      []string
	}
}

func TestRenderReport(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 6)
	t.Run("OK", func(t *testing.T) {
		var out rendered
		c.MustDo(renderQuery, map[string]any{"t": "deputy-roster", "p": map[string]any{"township": f.Township}}, &out)
		if out.R.Encoding != "utf-8" || out.R.Format != "MARKDOWN" || !strings.Contains(out.R.Content, "# 测试镇人民代表大会代表花名册") || !strings.Contains(out.R.Content, "代表005") {
			t.Fatalf("got %+v", out.R)
		}
	})
	t.Run("OKBinary", func(t *testing.T) {
		var out rendered
		c.MustDo(renderQuery, map[string]any{"t": "deputy-roster", "p": map[string]any{"township": f.Township}, "f": "DOCX"}, &out)
		b, err := base64.StdEncoding.DecodeString(out.R.Content)
		if err != nil || out.R.Encoding != "base64" || !strings.HasSuffix(out.R.Filename, ".docx") {
			t.Fatalf("got %s %s (%v)", out.R.Encoding, out.R.Filename, err)
		}
		if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatalf("DOCX is not a zip: %v", err)
		}
	})
	t.Run("OKWarnings", func(t *testing.T) {
		var out rendered
		c.MustDo(renderQuery, map[string]any{"t": "annual-summary", "p": map[string]any{"township": f.Township, "year": 2023}}, &out)
		if len(out.R.Warnings) == 0 || !strings.Contains(strings.Join(out.R.Warnings, "\n"), "一节略去") {
			t.Fatalf("warnings %q; want the sections left out for want of records", out.R.Warnings)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		c.MustFail(renderQuery, map[string]any{"t": "nope"}, "NOT_FOUND", "")
	})
	t.Run("ErrParam", func(t *testing.T) {
		c.MustFail(renderQuery, map[string]any{"t": "annual-summary", "p": map[string]any{"township": f.Township}}, "BAD_USER_INPUT", "params.year")
	})
	t.Run("ErrQueryNotFound", func(t *testing.T) {
		e := c.MustFail(renderQuery, map[string]any{"t": "inspection-report", "p": map[string]any{"inspection": "none"}}, "NOT_FOUND", "")
		if e.Message != `query inspection: inspection "none" not found` {
			t.Fatalf("message %q, want the report query's error at its own path", e.Message)
		}
	})
}

const saveQuery = `mutation($id: ID!, $files: [ReportFileInput!]!, $test: JSON) {
  r: saveReportTemplate(id: $id, files: $files, note: "test", testParams: $test) { id source version error title }
}`

func files(tmpl string) []map[string]any {
	return []map[string]any{
		{"name": "manifest.yaml", "content": "id: loop\ntitle: 循环\nparameters:\n  - {name: township, type: ID, required: true}\n"},
		{"name": "query.graphql", "content": "query($township: ID!) { township(id: $township) { name } }"},
		{"name": "report.md.tmpl", "content": tmpl},
	}
}

// TestUploadedTemplates saves plugins through the API: valid ones get
// versions, invalid ones are refused with their location, and a template
// that never ends is stopped while the server goes on answering.
func TestUploadedTemplates(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	t.Run("OK", func(t *testing.T) {
		var out struct {
			R struct {
				ID, Source, Title string
				Version           int
			}
		}
		c.MustDo(saveQuery, map[string]any{"id": "loop", "files": files("# {{ .data.township.name }}")}, &out)
		if out.R.Source != "uploaded" || out.R.Version != 1 || out.R.Title != "循环" {
			t.Fatalf("got %+v", out.R)
		}
	})
	t.Run("ErrBuiltinID", func(t *testing.T) {
		fs := files("# x")
		fs[0]["content"] = "id: annual-summary\ntitle: 改过的\nparameters:\n  - {name: township, type: ID, required: true}\n"
		c.MustFail(saveQuery, map[string]any{"id": "annual-summary", "files": fs}, "BAD_USER_INPUT", "id")
	})
	t.Run("ErrEnvRefused", func(t *testing.T) {
		e := c.MustFail(saveQuery, map[string]any{"id": "loop", "files": files("{{ env \"HOME\" }}")}, "BAD_USER_INPUT", "files")
		if !strings.Contains(e.Message, "report.md.tmpl:1:4") {
			t.Fatalf("message %q, want report.md.tmpl:1:4", e.Message)
		}
	})
	t.Run("ErrRunsForeverRefusedAtSave", func(t *testing.T) {
		e := c.MustFail(saveQuery, map[string]any{"id": "loop", "files": files("{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}")}, "BAD_USER_INPUT", "files")
		if !strings.Contains(e.Message, "test render") {
			t.Fatalf("message %q, want the test render named", e.Message)
		}
	})
	t.Run("ErrRunsForeverStopped", func(t *testing.T) {
		// The test render cannot judge an upload whose query fails on the
		// test parameters; a render that loops is then stopped when it runs.
		loop := files("{{ if .data.township }}{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}{{ end }}")
		c.MustDo(saveQuery, map[string]any{"id": "loop", "files": loop, "test": map[string]any{"township": "nowhere"}}, nil)
		e := c.MustFail(renderQuery, map[string]any{"t": "loop", "p": map[string]any{"township": f.Township}}, "BAD_USER_INPUT", "template")
		if !strings.Contains(e.Message, "deadline") && !strings.Contains(e.Message, "time") {
			t.Fatalf("message %q, want the deadline named", e.Message)
		}
		var out rendered
		c.MustDo(renderQuery, map[string]any{"t": "deputy-roster", "p": map[string]any{"township": f.Township}}, &out)
	})
	t.Run("Versions", func(t *testing.T) {
		var out struct {
			V []struct {
				Version int
				Note    string
			}
		}
		c.MustDo(`{ v: reportTemplateVersions(id: "loop") { version note } }`, nil, &out)
		if len(out.V) != 2 || out.V[0].Version != 2 || out.V[1].Version != 1 {
			t.Fatalf("versions %+v, want 2 then 1 (the refused upload is not one)", out.V)
		}
		var rb struct{ R struct{ Version int } }
		c.MustDo(`mutation { r: rollbackReportTemplate(id: "loop", version: 1) { version } }`, nil, &rb)
		var r rendered
		c.MustDo(renderQuery, map[string]any{"t": "loop", "p": map[string]any{"township": f.Township}}, &r)
		if rb.R.Version != 3 || r.R.Content != "# 测试镇" {
			t.Fatalf("after rollback: version %d, content %q", rb.R.Version, r.R.Content)
		}
	})
	t.Run("List", func(t *testing.T) {
		var out struct {
			T []struct {
				ID, Source string
				Error      *string
			}
		}
		c.MustDo(`{ t: reportTemplates { id source error } }`, nil, &out)
		builtins, _ := fs.Glob(reports.FS, "*/manifest.yaml")
		if len(out.T) != len(builtins)+1 {
			t.Fatalf("templates %+v, want the %d built-ins and the upload", out.T, len(builtins))
		}
	})
}

// TestComplexity: a page's cost is its nodes' cost times the page size,
// so nested pages multiply and an outsized query is refused before it runs.
func TestComplexity(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 3)
	t.Run("OK", func(t *testing.T) {
		c.MustDo(`query($t: ID) { deputies(township: $t, first: 500) { nodes { id name village { name } inspections { topic } } } }`, map[string]any{"t": f.Township}, nil)
		c.MustDo(`{ townships(first: 20) { nodes { deputies(first: 100) { nodes { name } } } } }`, nil, nil)
	})
	t.Run("ErrNestedPages", func(t *testing.T) {
		e := c.MustFail(`{ townships(first: 500) { nodes { deputies(first: 500) { nodes { name } } } } }`, nil, "BAD_USER_INPUT", "")
		if !strings.Contains(e.Message, "exceeds the limit") {
			t.Fatalf("message %q, want the cost limit named", e.Message)
		}
	})
	t.Run("ErrManyRenders", func(t *testing.T) {
		c.MustFail(`{ a: reportTemplates { id } r1: renderReport(template: "deputy-roster", params: {township: "x"}) { content }
			r2: renderReport(template: "deputy-roster", params: {township: "x"}) { content }
			r3: renderReport(template: "deputy-roster", params: {township: "x"}) { content }
			r4: renderReport(template: "deputy-roster", params: {township: "x"}) { content }
			r5: renderReport(template: "deputy-roster", params: {township: "x"}) { content } }`, nil, "BAD_USER_INPUT", "")
	})
}
