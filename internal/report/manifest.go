// Package report turns records into documents through report plugins: a
// folder (or an upload) holding manifest.yaml, query.graphql and Go
// templates. The query runs in-process against renda's own GraphQL schema
// with the caller's rights; the templates render Markdown, from which
// plain text, HTML, DOCX and XLSX are derived.
package report

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"renda/internal/records"
)

// Manifest describes a plugin: manifest.yaml, decoded strictly.
type Manifest struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Template    string   `yaml:"template"` // the main Markdown template; report.md.tmpl if empty
	Parameters  []Param  `yaml:"parameters"`
	Formats     []Format `yaml:"formats"` // MARKDOWN, TEXT, HTML and DOCX if empty
	// KeepPunctuation leaves ASCII punctuation next to Chinese text as the
	// template wrote it; by default it is written in full width (，；：（）),
	// as official documents are.
	KeepPunctuation bool `yaml:"keepPunctuation"`
}

// Param is one parameter of a report; it reaches the query as the variable
// of the same name and the templates as .params.<name>.
type Param struct {
	Name        string    `yaml:"name"`
	Type        ParamType `yaml:"type"`
	Description string    `yaml:"description"`
	Required    bool      `yaml:"required"`
	Default     any       `yaml:"default"`
}

// ParamType is a parameter's type, named as the GraphQL scalar its query
// variable must have.
type ParamType string

const (
	ParamString  ParamType = "String"
	ParamID      ParamType = "ID"
	ParamInt     ParamType = "Int"
	ParamFloat   ParamType = "Float"
	ParamBoolean ParamType = "Boolean"
	ParamDate    ParamType = "Date"
)

// Format is an output format.
type Format string

const (
	MARKDOWN Format = "MARKDOWN"
	TEXT     Format = "TEXT"
	HTML     Format = "HTML"
	DOCX     Format = "DOCX"
	XLSX     Format = "XLSX"
)

// Formats lists every format renda can produce.
var Formats = []Format{MARKDOWN, TEXT, HTML, DOCX, XLSX}

var defaultFormats = []Format{MARKDOWN, TEXT, HTML, DOCX}

// formatInfo gives each format its MIME type, file extension and whether
// its content is binary.
var formatInfo = map[Format]struct {
	mime, ext string
	binary    bool
}{
	MARKDOWN: {"text/markdown; charset=utf-8", ".md", false},
	TEXT:     {"text/plain; charset=utf-8", ".txt", false},
	HTML:     {"text/html; charset=utf-8", ".html", false},
	DOCX:     {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", true},
	XLSX:     {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", true},
}

// ParseFormat reads a format by its name or its file extension, in any
// case: DOCX, docx, .docx; md and txt too.
func ParseFormat(s string) (Format, error) {
	up := strings.ToUpper(strings.TrimPrefix(s, "."))
	switch up {
	case "MD":
		return MARKDOWN, nil
	case "TXT":
		return TEXT, nil
	case "HTM":
		return HTML, nil
	}
	if _, ok := formatInfo[Format(up)]; ok {
		return Format(up), nil
	}
	return "", fmt.Errorf("unknown format %q; renda writes md, text, html, docx and xlsx", s)
}

// Binary reports whether the format's content is not text.
func (f Format) Binary() bool { return formatInfo[f].binary }

// MimeType is the format's media type.
func (f Format) MimeType() string { return formatInfo[f].mime }

// Ext is the format's file extension, with the dot.
func (f Format) Ext() string { return formatInfo[f].ext }

var (
	idPattern    = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*$`)
	paramPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// ValidID reports whether id can name a plugin: lower-case words joined
// by hyphens, optionally namespaced with dots (county.quarterly-report).
func ValidID(id string) bool { return len(id) <= 64 && idPattern.MatchString(id) }

// parseManifest decodes manifest.yaml strictly: an unknown key, a wrong
// type or a missing field is an error at its line and column.
func parseManifest(src []byte) (*Manifest, error) {
	var m Manifest
	if err := yaml.UnmarshalWithOptions(src, &m, yaml.Strict()); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			tk := ye.GetToken()
			return nil, &FileError{File: ManifestFile, Line: tk.Position.Line, Col: tk.Position.Column, Msg: ye.GetMessage()}
		}
		return nil, &FileError{File: ManifestFile, Msg: err.Error()}
	}
	if m.Template == "" {
		m.Template = "report.md.tmpl"
	}
	if len(m.Formats) == 0 {
		m.Formats = append([]Format(nil), defaultFormats...)
	}
	if err := m.validate(src); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Manifest) validate(src []byte) error {
	at := func(path string, format string, args ...any) error {
		line, col := position(src, path)
		return &FileError{File: ManifestFile, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case !ValidID(m.ID):
		return at("$.id", "id %q: use lower-case words joined by hyphens (annual-summary), optionally namespaced with dots", m.ID)
	case strings.TrimSpace(m.Title) == "":
		return at("$.title", "title is required")
	case !strings.HasSuffix(m.Template, ".tmpl") || strings.HasPrefix(m.Template, "_"):
		return at("$.template", "template %q: name a .tmpl file that is not a partial (partials start with _)", m.Template)
	}
	seen := map[string]bool{}
	for i, p := range m.Parameters {
		if !paramPattern.MatchString(p.Name) || seen[p.Name] || p.Name == "format" {
			return at(fmt.Sprintf("$.parameters[%d].name", i), "parameters[%d]: name %q is empty, not an identifier, used twice, or format (which names the output)", i, p.Name)
		}
		seen[p.Name] = true
		if _, ok := paramKinds[p.Type]; !ok {
			return at(fmt.Sprintf("$.parameters[%d].type", i), "parameter %s: type %q; use String, ID, Int, Float, Boolean or Date", p.Name, p.Type)
		}
		if p.Default != nil {
			v, err := p.coerce(p.Default)
			if err != nil {
				return at(fmt.Sprintf("$.parameters[%d].default", i), "parameter %s: default: %v", p.Name, err)
			}
			m.Parameters[i].Default = v
		}
	}
	fseen := map[Format]bool{}
	for i, f := range m.Formats {
		if _, ok := formatInfo[f]; !ok || fseen[f] {
			return at(fmt.Sprintf("$.formats[%d]", i), "format %q is unknown or listed twice; use MARKDOWN, TEXT, HTML, DOCX or XLSX", f)
		}
		fseen[f] = true
	}
	return nil
}

// position finds where the value at a YAML path ("$.parameters[1].type")
// is in src, for errors found after decoding; the nearest enclosing value
// when the path is absent (a missing key), and 0, 0 when nothing matches.
func position(src []byte, path string) (line, col int) {
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		return 0, 0
	}
	for p := path; p != "$" && p != ""; {
		if yp, err := yaml.PathString(p); err == nil {
			if node, err := yp.FilterFile(file); err == nil && node != nil {
				tk := node.GetToken()
				return tk.Position.Line, tk.Position.Column
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return 0, 0
}

var paramKinds = map[ParamType]bool{ParamString: true, ParamID: true, ParamInt: true, ParamFloat: true, ParamBoolean: true, ParamDate: true}

// coerce converts a value from JSON, YAML or the command line (where every
// value is a string) into the parameter's type.
func (p Param) coerce(v any) (any, error) {
	s, isString := v.(string)
	switch p.Type {
	case ParamString, ParamID:
		if !isString {
			return nil, fmt.Errorf("want a string, got %v", v)
		}
		return s, nil
	case ParamDate:
		if !isString {
			return nil, fmt.Errorf("want a date YYYY-MM-DD, got %v", v)
		}
		d, err := records.ParseDate(s)
		return string(d), err
	case ParamBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if b, err := strconv.ParseBool(s); isString && err == nil {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %v", v)
	case ParamInt, ParamFloat:
		var f float64
		switch n := v.(type) {
		case int:
			f = float64(n)
		case int64:
			f = float64(n)
		case uint64:
			f = float64(n)
		case float64:
			f = n
		case string:
			var err error
			if f, err = strconv.ParseFloat(strings.TrimSpace(n), 64); err != nil {
				return nil, fmt.Errorf("want a number, got %q", n)
			}
		default:
			return nil, fmt.Errorf("want a number, got %v", v)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("want a finite number, got %v", v)
		}
		if p.Type == ParamFloat {
			return f, nil
		}
		if f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
			return nil, fmt.Errorf("want a whole number, got %v", v)
		}
		return int(f), nil
	}
	return nil, fmt.Errorf("unknown type %q", p.Type)
}

// Params checks the caller's parameters against the manifest: unknown
// names, missing required ones and wrong types are errors on params.<name>;
// defaults fill the rest.
func (m *Manifest) Params(in map[string]any) (map[string]any, error) {
	known := map[string]Param{}
	for _, p := range m.Parameters {
		known[p.Name] = p
	}
	for name := range in {
		if _, ok := known[name]; !ok {
			names := make([]string, 0, len(m.Parameters))
			for _, p := range m.Parameters {
				names = append(names, p.Name)
			}
			return nil, records.Invalidf("params."+name, "report %s has no parameter %q; it takes %s", m.ID, name, strings.Join(names, ", "))
		}
	}
	out := map[string]any{}
	for _, p := range m.Parameters {
		v, ok := in[p.Name]
		if !ok || v == nil {
			if p.Default != nil {
				out[p.Name] = p.Default
			} else if p.Required {
				return nil, records.Invalidf("params."+p.Name, "report %s needs the parameter %s (%s)", m.ID, p.Name, p.Type)
			} else {
				out[p.Name] = nil
			}
			continue
		}
		cv, err := p.coerce(v)
		if err != nil {
			return nil, records.Invalidf("params."+p.Name, "%v", err)
		}
		out[p.Name] = cv
	}
	return out, nil
}
