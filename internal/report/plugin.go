package report

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"renda/internal/records"
	"renda/internal/report/engine"
)

// The files every plugin has.
const (
	ManifestFile = "manifest.yaml"
	QueryFile    = "query.graphql"
)

// Limits on what a plugin may hold, so an upload cannot fill the database.
const (
	maxFiles    = 64
	maxFileSize = 256 << 10
	// MaxPluginBytes bounds all of a plugin's files together.
	MaxPluginBytes = 1 << 20
)

// defaultTimeout bounds a whole render when the engine options give none;
// it is the engine's own default for the template.
const defaultTimeout = 5 * time.Second

// FileError is a problem in one file of a plugin, at a line and column
// when they are known.
type FileError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *FileError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

// Schema is renda's GraphQL API as plugins see it: Check validates a query
// against the schema and returns its variables with their GraphQL types
// ("Int!"); Run executes it in-process with the caller in ctx.
type Schema interface {
	Check(query string) (vars map[string]string, err error)
	Run(ctx context.Context, query string, vars map[string]any) (map[string]any, error)
}

// Plugin is a validated report plugin, ready to render.
type Plugin struct {
	Manifest *Manifest
	Query    string
	Files    map[string]string // every file by name, as loaded
	Source   Source
	tmpl     *engine.Template
	timeout  time.Duration // for the whole render: query, template, conversion
}

// Source says where a plugin came from.
type Source struct {
	Kind    string // "builtin", "folder" or "uploaded"
	Path    string // the folder, for builtin and folder plugins
	Version int    // the version, for uploaded plugins
	// Townships are the townships an uploaded version is for; nil for a
	// county admin's upload (and for builtin and folder plugins).
	Townships []string
}

func (s Source) String() string {
	if s.Kind == "uploaded" && s.Townships != nil {
		return fmt.Sprintf("uploaded for %s, version %d", strings.Join(s.Townships, ","), s.Version)
	}
	if s.Kind == "uploaded" {
		return fmt.Sprintf("uploaded, version %d", s.Version)
	}
	return s.Kind + " " + s.Path
}

// Load validates a plugin's files: the manifest decodes strictly, the query
// validates against the schema and uses only declared parameters with their
// types, the main template exists, and every template parses. Every error
// names the file, and the line and column where they are known.
func Load(files map[string]string, src Source, schema Schema, opts engine.Options) (*Plugin, error) {
	if len(files) > maxFiles {
		return nil, &FileError{Msg: fmt.Sprintf("a plugin holds at most %d files, this one %d", maxFiles, len(files))}
	}
	total := 0
	for _, content := range files {
		total += len(content)
	}
	if total > MaxPluginBytes {
		return nil, &FileError{Msg: fmt.Sprintf("a plugin's files hold at most %d KiB together, these %d KiB", MaxPluginBytes>>10, total>>10)}
	}
	tmpls := map[string]string{}
	for name, content := range files {
		if len(content) > maxFileSize {
			return nil, &FileError{File: name, Msg: fmt.Sprintf("larger than %d KiB", maxFileSize>>10)}
		}
		if name != path.Base(name) || strings.HasPrefix(name, ".") || name == "" {
			return nil, &FileError{File: name, Msg: "a plugin's files sit directly in its folder; names may not hold slashes or start with a dot"}
		}
		if strings.HasSuffix(name, ".tmpl") {
			tmpls[name] = content
		} else if name != ManifestFile && name != QueryFile && !strings.HasSuffix(name, ".md") {
			return nil, &FileError{File: name, Msg: "unexpected file; a plugin holds manifest.yaml, query.graphql, *.tmpl templates and optional *.md notes"}
		}
	}
	manifestSrc, ok := files[ManifestFile]
	if !ok {
		return nil, &FileError{File: ManifestFile, Msg: "missing"}
	}
	m, err := parseManifest([]byte(manifestSrc))
	if err != nil {
		return nil, err
	}
	if _, ok := tmpls[m.Template]; !ok {
		line, col := position([]byte(manifestSrc), "$.template")
		return nil, &FileError{File: ManifestFile, Line: line, Col: col, Msg: fmt.Sprintf("template %q: no such file in the plugin", m.Template)}
	}
	query, ok := files[QueryFile]
	if !ok {
		return nil, &FileError{File: QueryFile, Msg: "missing"}
	}
	if err := checkQuery(m, manifestSrc, query, schema); err != nil {
		return nil, err
	}
	t, err := engine.Parse(tmpls, opts)
	if err != nil {
		return nil, asFileError(err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	return &Plugin{Manifest: m, Query: query, Files: files, Source: src, tmpl: t, timeout: timeout}, nil
}

// checkQuery validates the query and matches its variables to parameters.
func checkQuery(m *Manifest, manifestSrc, query string, schema Schema) error {
	vars, err := schema.Check(query)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = QueryFile
			return fe
		}
		return &FileError{File: QueryFile, Msg: err.Error()}
	}
	params := map[string]Param{}
	index := map[string]int{}
	for i, p := range m.Parameters {
		params[p.Name] = p
		index[p.Name] = i
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		typ := vars[name]
		p, ok := params[name]
		if !ok {
			return &FileError{File: QueryFile, Msg: fmt.Sprintf("variable $%s is not a parameter in manifest.yaml", name)}
		}
		if strings.TrimSuffix(typ, "!") != string(p.Type) {
			line, col := position([]byte(manifestSrc), fmt.Sprintf("$.parameters[%d].type", index[name]))
			return &FileError{File: ManifestFile, Line: line, Col: col, Msg: fmt.Sprintf("parameter %s is %s but query.graphql declares $%s: %s", name, p.Type, name, typ)}
		}
		if strings.HasSuffix(typ, "!") && !p.Required && p.Default == nil {
			line, col := position([]byte(manifestSrc), fmt.Sprintf("$.parameters[%d]", index[name]))
			return &FileError{File: ManifestFile, Line: line, Col: col, Msg: fmt.Sprintf("parameter %s must be required or have a default: query.graphql declares $%s: %s", name, name, typ)}
		}
	}
	return nil
}

// asFileError turns the engine's errors into FileErrors.
func asFileError(err error) error {
	var ee *engine.Error
	if errors.As(err, &ee) {
		return &FileError{File: ee.File, Line: ee.Line, Col: ee.Col, Msg: ee.Msg}
	}
	return err
}

// SortedFiles lists a plugin's files by name.
func SortedFiles(files map[string]string) []*records.ReportFile {
	out := make([]*records.ReportFile, 0, len(files))
	for name, content := range files {
		out = append(out, &records.ReportFile{Name: name, Content: content})
	}
	slices.SortFunc(out, func(a, b *records.ReportFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}
