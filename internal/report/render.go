package report

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"renda/internal/chinese"
	"renda/internal/records"
	"renda/internal/report/document"
	"renda/internal/report/docx"
	"renda/internal/report/engine"
	"renda/internal/report/xlsx"
)

// Rendered is a report as the caller receives it.
type Rendered struct {
	Content  []byte
	Format   Format
	MimeType string
	Filename string
	Warnings []string
	Timing   Timing
}

// Timing splits a render's time between the query and the rest.
type Timing struct {
	Query, Template, Convert time.Duration
}

// Render runs plugin id's query with params and renders it in format
// (the plugin's first format when empty). Bad parameters and formats are
// EINVALID on their field; a template that fails is EINVALID with the
// template's file, line and column, since it is the plugin's author who
// must mend it.
func (r *Registry) Render(ctx context.Context, id string, params map[string]any, format Format) (*Rendered, error) {
	e, err := r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Err != nil {
		if e.Source.Kind == "builtin" {
			r.log.ErrorContext(ctx, "built-in report plugin is broken", "id", id, "err", e.Err)
			return nil, records.Errorf(records.EINTERNAL, "internal error")
		}
		return nil, records.Invalidf("template", "report template %s is broken: %v", id, e.Err)
	}
	select {
	case r.renders <- struct{}{}:
		defer func() { <-r.renders }()
	case <-ctx.Done():
		return nil, records.Errorf(records.ETIMEOUT, "the server is busy rendering other reports and this request ran out of time waiting; try again shortly")
	}
	if err := ctx.Err(); err != nil {
		return nil, timedOut(ctx, err)
	}
	// A render that cannot finish before its request's deadline is not
	// started: it would only take a slot from one that can.
	if typical := r.typical(id); typical > 0 {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < typical {
			return nil, records.Errorf(records.ETIMEOUT, "the report would not finish in the %v left of this request (it takes about %v); try again shortly",
				time.Until(dl).Round(time.Millisecond), typical.Round(time.Millisecond))
		}
	}
	start := time.Now()
	out, err := e.Plugin.Render(ctx, r.schema, params, format)
	if err == nil {
		r.took(id, time.Since(start))
	}
	if err != nil && e.Source.Kind == "builtin" && records.ErrorField(err) == "template" {
		// A built-in's template failing is renda's bug, not the caller's.
		r.log.ErrorContext(ctx, "built-in report failed", "id", id, "err", err)
		return nil, records.Errorf(records.EINTERNAL, "internal error")
	}
	if err == nil {
		r.log.InfoContext(ctx, "report rendered", "id", id, "format", out.Format, "bytes", len(out.Content),
			"query", out.Timing.Query, "template", out.Timing.Template, "convert", out.Timing.Convert, "warnings", len(out.Warnings))
	}
	return out, err
}

// Render renders the plugin; see Registry.Render.
func (p *Plugin) Render(ctx context.Context, schema Schema, params map[string]any, format Format) (*Rendered, error) {
	m := p.Manifest
	if format == "" {
		format = m.Formats[0]
	}
	if !slices.Contains(m.Formats, format) {
		return nil, records.Invalidf("format", "report %s is offered as %s, not %s", m.ID, joinFormats(m.Formats), format)
	}
	vars, err := m.Params(params)
	if err != nil {
		return nil, err
	}
	// The deadline covers the query too, not only the template; the query
	// has three quarters of it, so a slow query leaves the template time
	// to fail clearly rather than the whole render to time out silently.
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	qctx, qcancel := context.WithTimeout(ctx, p.timeout*3/4)
	defer qcancel()
	out := &Rendered{Format: format, MimeType: format.MimeType(), Filename: filename(m, vars, format)}

	start := time.Now()
	data, err := schema.Run(qctx, p.Query, vars)
	if err != nil {
		return nil, timedOut(qctx, err)
	}
	out.Timing.Query = time.Since(start)

	start = time.Now()
	md, name, warnings, err := p.execute(ctx, vars, data)
	if missing(err) != nil {
		// `required` failed: the record the parameters name is not there
		// (or not the caller's to see).
		return nil, missing(err)
	}
	if err != nil {
		err = records.Invalidf("template", "report %s: %v", m.ID, asFileError(err))
		if p.Source.Kind == "builtin" || errors.Is(ctx.Err(), context.Canceled) {
			// A built-in's template is not slow by itself: the server is
			// busy; and a cancelled request (a client gone, a server
			// stopping) is no template's fault.
			err = timedOut(ctx, err)
		}
		return nil, err
	}
	out.Timing.Template = time.Since(start)
	out.Warnings = warnings
	if name != "" {
		out.Filename = name + format.Ext()
	}

	// The conversion is bounded by the document's limits (document.Check),
	// so it ends in about a second; the deadline is checked around it.
	start = time.Now()
	if err := ctx.Err(); err != nil {
		return nil, timedOut(ctx, err)
	}
	out.Content, err = convert(md, format)
	if err != nil {
		return nil, records.Invalidf("format", "report %s as %s: %v", m.ID, format, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, timedOut(ctx, err)
	}
	out.Timing.Convert = time.Since(start)
	return out, nil
}

// missing is NOT_FOUND with the template's message when err is `required`
// failing, else nil.
func missing(err error) error {
	var ee *engine.Error
	if errors.As(err, &ee) && ee.Missing {
		return records.Errorf(records.ENOTFOUND, "%s", ee.Msg)
	}
	return nil
}

// timedOut is err, or ETIMEOUT when the render's context has ended: a
// render stopped by its deadline says so, whichever stage it was in.
func timedOut(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return records.Errorf(records.ETIMEOUT, "the report ran out of time; try again when the server is less busy, or ask for less")
}

// Data is what templates see as "."; Execute gives it to them. Every
// string of the query's result and of the parameters is escaped for
// Markdown (document.Escape), so that what a template prints of it reads as
// written in every format: record text never becomes a heading, a table, a
// link, an image or HTML, and nothing of it vanishes. The template's own
// text stays Markdown; `markdown` takes a value back as Markdown.
func templateData(m *Manifest, params, data map[string]any) map[string]any {
	p, _ := literal(params)
	d, _ := literal(data)
	return map[string]any{
		"params": p,
		"data":   d,
		"report": map[string]any{"id": m.ID, "title": m.Title},
	}
}

// literal is v with every string (map keys aside) escaped for Markdown, and
// whether that changed anything; it copies only the maps and lists that
// change, so the query's result is never written to.
func literal(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		e := document.Escape(x)
		if len(e) == len(x) {
			return v, false // the value as it came: boxing x again would allocate
		}
		return e, true
	case map[string]any:
		var out map[string]any
		for k, val := range x {
			if nv, changed := literal(val); changed {
				if out == nil {
					out = maps.Clone(x)
				}
				out[k] = nv
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case []any:
		var out []any
		for i, val := range x {
			if nv, changed := literal(val); changed {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = nv
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case []string:
		var out []string
		for i, val := range x {
			if e := document.Escape(val); len(e) != len(val) {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = e
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	}
	return v, false
}

// execute renders the main template to Markdown and collects the warnings
// the template raised with `warn`.
func (p *Plugin) execute(ctx context.Context, params, data map[string]any) ([]byte, string, []string, error) {
	ctx, warnings := withWarnings(ctx)
	td := templateData(p.Manifest, params, data)
	names := []string{p.Manifest.Template}
	if p.tmpl.Has(FilenameTemplate) {
		names = append(names, FilenameTemplate)
	}
	outs, err := p.tmpl.ExecuteEach(ctx, td, names...)
	var md []byte
	name := ""
	if err == nil {
		md = outs[0]
		if len(outs) > 1 {
			name = fileName(outs[1])
		}
	}
	if err == nil && !p.Manifest.KeepPunctuation {
		md = []byte(chinese.Punctuate(string(md)))
	}
	// Warnings are plain text: record text in them reads as written.
	for i, w := range *warnings {
		(*warnings)[i] = document.Unescape(w)
	}
	return md, name, *warnings, err
}

// ExecuteTemplate renders the plugin's template on data already fetched;
// benchmarks use it to time the template apart from the query.
func (p *Plugin) ExecuteTemplate(ctx context.Context, params, data map[string]any) ([]byte, error) {
	md, _, _, err := p.execute(ctx, params, data)
	return md, err
}

func convert(md []byte, format Format) ([]byte, error) {
	switch format {
	case MARKDOWN:
		return md, nil
	case HTML:
		return document.HTML(md)
	}
	doc, err := document.Parse(md)
	if err != nil {
		return nil, err
	}
	switch format {
	case TEXT:
		return Text(doc), nil
	case DOCX:
		return docx.Render(doc)
	case XLSX:
		return xlsx.Render(doc)
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// Text writes a document as plain text the way such documents circulate:
// the title, then headings and paragraphs separated by blank lines, tables
// as tab-separated rows.
func Text(d *document.Doc) []byte {
	var b strings.Builder
	if d.Title != "" {
		b.WriteString(d.Title + "\n")
	}
	for _, bl := range d.Blocks {
		switch x := bl.(type) {
		case *document.Heading:
			b.WriteString("\n" + x.Text + "\n")
		case *document.Paragraph:
			b.WriteString("\n")
			if x.Marker != "" {
				b.WriteString(x.Marker + " ")
			}
			b.WriteString(x.Text() + "\n")
		case *document.Table:
			b.WriteString("\n" + strings.Join(x.Header, "\t") + "\n")
			for _, row := range x.Rows {
				b.WriteString(strings.Join(row, "\t") + "\n")
			}
		case *document.PageBreak:
			b.WriteString("\n\f")
		}
	}
	return []byte(b.String())
}

var unsafeName = regexp.MustCompile(`[\\/:*?"<>|\x00-\x1f]+`)

// filename names the file after the report and its parameters, in the
// order the manifest lists them: 年度工作总结-qps-2023.docx.
// FilenameTemplate is the template a plugin may define to name its files
// from the records (棋盘山镇2023年度工作总结): executed like the document,
// its text, on one line, is the name without the extension.
const FilenameTemplate = "filename"

// maxFilename caps a name from FilenameTemplate, in characters.
const maxFilename = 100

// fileName is the file name the plugin's FilenameTemplate wrote, made
// safe and short: "" when it wrote nothing.
func fileName(b []byte) string {
	name := strings.Join(strings.Fields(document.Unescape(string(b))), " ")
	name = unsafeName.ReplaceAllString(name, "_")
	if r := []rune(name); len(r) > maxFilename {
		name = string(r[:maxFilename])
	}
	return strings.Trim(name, ". ")
}

func filename(m *Manifest, params map[string]any, f Format) string {
	parts := []string{m.Title}
	for _, p := range m.Parameters {
		if v := params[p.Name]; v != nil {
			parts = append(parts, fmt.Sprint(v))
		}
	}
	name := unsafeName.ReplaceAllString(strings.Join(parts, "-"), "_")
	return name + f.Ext()
}

func joinFormats(fs []Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// typical is how long renders of plugin id have taken lately (an average
// weighted to the last few), 0 before the first.
func (r *Registry) typical(id string) time.Duration {
	r.timesMu.Lock()
	defer r.timesMu.Unlock()
	return r.times[id]
}

func (r *Registry) took(id string, d time.Duration) {
	r.timesMu.Lock()
	defer r.timesMu.Unlock()
	if r.times == nil {
		r.times = map[string]time.Duration{}
	}
	if old, ok := r.times[id]; ok {
		d = (3*old + d) / 4
	}
	r.times[id] = d
}
