package report

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"renda/internal/records"
	"renda/internal/report/engine"
)

// Entry is one plugin as the registry knows it: loaded, or broken with the
// reason. A broken plugin is listed with its error and cannot render; the
// others are not affected.
type Entry struct {
	ID     string
	Source Source
	Plugin *Plugin // nil when broken
	Err    error
}

// VersionStore keeps uploaded plugins; store.ReportVersions implements it
// (see records.ReportVersions).
type VersionStore interface {
	Save(ctx context.Context, id string, files []records.ReportFile, note string) (*records.ReportVersion, error)
	Get(ctx context.Context, id string, n int) (*records.ReportVersion, error)
	List(ctx context.Context, id string) ([]*records.ReportVersion, error)
	Heads(ctx context.Context, id string) ([]*records.ReportVersion, error)
	LatestAll(ctx context.Context) ([]*records.ReportVersion, error)
}

// Registry holds the report plugins: the built-in ones, those in plugin
// folders (reloaded when they change), and those uploaded through the API
// (read from the database, so every instance sees the same ones). An
// uploaded plugin takes precedence over a folder of the same id, and a
// folder over a built-in one.
//
// Uploads have a scope: the townships of the admin who saved them, or the
// county. A caller gets the newest upload saved for its townships, else
// the county admins' newest, else the folder or built-in (see pick): a
// township admin's upload changes what its own townships render and
// nothing else; only a county admin's changes what every township renders.
type Registry struct {
	schema  Schema
	opts    engine.Options
	log     *slog.Logger
	builtin fs.FS
	dirs    []string
	store   VersionStore

	mu      sync.RWMutex
	folders map[string]*Entry // by id (or folder name when the manifest is unreadable)

	upMu     sync.Mutex
	uploaded map[string]*Entry // the parsed upload last asked for, by id and scope

	renders chan struct{} // renders running at once

	timesMu sync.Mutex
	times   map[string]time.Duration // typical render time by plugin id
}

// maxConcurrentRenders bounds the renders running at once; more wait.
const maxConcurrentRenders = 4

// RegistryConfig configures NewRegistry.
type RegistryConfig struct {
	Schema  Schema
	Engine  engine.Options
	Logger  *slog.Logger
	Builtin fs.FS    // folders of built-in plugins, e.g. the embedded reports/
	Dirs    []string // more plugin folders on disk (--reports-dir)
	Store   VersionStore
}

// NewRegistry loads every plugin folder. Broken plugins are logged and
// listed; they do not stop the others or the server.
func NewRegistry(c RegistryConfig) *Registry {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	r := &Registry{schema: c.Schema, opts: c.Engine, log: c.Logger, builtin: c.Builtin, dirs: c.Dirs,
		store: c.Store, uploaded: map[string]*Entry{}, renders: make(chan struct{}, maxConcurrentRenders)}
	r.Reload()
	return r
}

// Reload reads every plugin folder again.
func (r *Registry) Reload() {
	entries := map[string]*Entry{}
	add := func(e *Entry) {
		if old, ok := entries[e.ID]; ok {
			r.log.Info("report plugin overrides another of the same id", "id", e.ID, "source", e.Source.String(), "overrides", old.Source.String())
		}
		entries[e.ID] = e
	}
	if r.builtin != nil {
		for _, e := range loadTree(r.builtin, Source{Kind: "builtin"}, r.schema, r.opts) {
			add(e)
		}
	}
	for _, dir := range r.dirs {
		for _, e := range loadTree(os.DirFS(dir), Source{Kind: "folder", Path: dir}, r.schema, r.opts) {
			add(e)
		}
	}
	for _, e := range entries {
		if e.Err != nil {
			r.log.Error("report plugin is broken", "id", e.ID, "source", e.Source.String(), "err", e.Err)
		}
	}
	r.mu.Lock()
	r.folders = entries
	r.mu.Unlock()
}

// loadTree loads every folder of fsys that holds a manifest.yaml.
func loadTree(fsys fs.FS, base Source, schema Schema, opts engine.Options) []*Entry {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return []*Entry{{ID: filepath.Base(base.Path), Source: base, Err: err}}
	}
	var out []*Entry
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(d.Name(), ManifestFile)); err != nil {
			continue // not a plugin folder
		}
		src := base
		src.Path = filepath.Join(base.Path, d.Name())
		out = append(out, loadFolder(fsys, d.Name(), src, schema, opts))
	}
	return out
}

func loadFolder(fsys fs.FS, dir string, src Source, schema Schema, opts engine.Options) *Entry {
	e := &Entry{ID: dir, Source: src}
	files, err := readFolder(fsys, dir)
	if err != nil {
		e.Err = err
		return e
	}
	p, err := Load(files, src, schema, opts)
	if err != nil {
		e.Err = err
		return e
	}
	if p.Manifest.ID != dir {
		e.Err = &FileError{File: ManifestFile, Msg: "id " + p.Manifest.ID + " differs from the folder's name " + dir + "; make them the same"}
		return e
	}
	e.Plugin = p
	return e
}

func readFolder(fsys fs.FS, dir string) (map[string]string, error) {
	des, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, de := range des {
		if de.IsDir() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, de.Name()))
		if err != nil {
			return nil, err
		}
		files[de.Name()] = string(b)
	}
	return files, nil
}

// List returns every plugin by id as the caller in ctx gets it: folders,
// overridden by the uploads that govern the caller.
func (r *Registry) List(ctx context.Context) ([]*Entry, error) {
	byID := map[string]*Entry{}
	r.mu.RLock()
	for id, e := range r.folders {
		byID[id] = e
	}
	r.mu.RUnlock()
	if r.store != nil {
		ups, err := r.store.LatestAll(ctx)
		if err != nil {
			return nil, err
		}
		heads := map[string][]*records.ReportVersion{}
		for _, v := range ups {
			heads[v.PluginID] = append(heads[v.PluginID], v)
		}
		a := records.ActorFrom(ctx)
		for id, vs := range heads {
			if v := pick(vs, a); v != nil {
				byID[id] = r.parseUpload(v)
			}
		}
	}
	out := make([]*Entry, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Get returns the plugin with id as the caller in ctx gets it: the newest
// upload that governs the caller if there is one (see pick), else the
// folder.
func (r *Registry) Get(ctx context.Context, id string) (*Entry, error) {
	if r.store != nil {
		heads, err := r.store.Heads(ctx, id)
		if err != nil {
			return nil, err
		}
		if v := pick(heads, records.ActorFrom(ctx)); v != nil {
			return r.parseUpload(v), nil
		}
	}
	r.mu.RLock()
	e, ok := r.folders[id]
	r.mu.RUnlock()
	if !ok {
		return nil, records.Errorf(records.ENOTFOUND, "no report template %q", id)
	}
	return e, nil
}

// pick chooses among the newest versions of a plugin in each scope (heads)
// the one actor a renders: the newest saved for townships that include
// all of a's, else the county's; nil when none governs a.
func pick(heads []*records.ReportVersion, a records.Actor) *records.ReportVersion {
	var own, county *records.ReportVersion
	for _, v := range heads {
		switch {
		case v.Townships == nil:
			if county == nil || v.Version > county.Version {
				county = v
			}
		case governs(v, a):
			if own == nil || v.Version > own.Version {
				own = v
			}
		}
	}
	if own != nil {
		return own
	}
	return county
}

// governs reports whether version v may decide what actor a renders: a
// county version governs everyone; a township version governs a caller
// limited to townships it was saved for, every one of them (so whoever
// saved it was an admin of all that the caller sees).
func governs(v *records.ReportVersion, a records.Actor) bool {
	if v.Townships == nil {
		return true
	}
	if a.County() || len(a.Townships) == 0 {
		return false
	}
	for _, t := range a.Townships {
		if !slices.Contains(v.Townships, t) {
			return false
		}
	}
	return true
}

// manages reports whether actor a speaks for version v: a county admin for
// every version, a township admin for those saved for its own townships
// only. An admin sees the versions it manages and those that govern it.
func manages(a records.Actor, v *records.ReportVersion) bool {
	if a.County() {
		return true
	}
	if v.Townships == nil {
		return false
	}
	for _, t := range v.Townships {
		if !slices.Contains(a.Townships, t) {
			return false
		}
	}
	return true
}

// parseUpload validates an uploaded version once and keeps the result,
// one version per plugin and scope: the one last asked for.
func (r *Registry) parseUpload(v *records.ReportVersion) *Entry {
	key := v.PluginID + "@" + v.Scope()
	r.upMu.Lock()
	defer r.upMu.Unlock()
	if e, ok := r.uploaded[key]; ok && e.Source.Version == v.Version {
		return e
	}
	src := Source{Kind: "uploaded", Version: v.Version, Townships: v.Townships}
	e := &Entry{ID: v.PluginID, Source: src}
	e.Plugin, e.Err = Load(filesOf(v.Files), src, r.schema, r.opts)
	if e.Err == nil && e.Plugin.Manifest.ID != v.PluginID {
		e.Plugin, e.Err = nil, &FileError{File: ManifestFile, Msg: "id " + e.Plugin.Manifest.ID + " differs from the id it was saved under, " + v.PluginID}
	}
	r.uploaded[key] = e
	return e
}

func filesOf(fs []records.ReportFile) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.Name] = f.Content
	}
	return m
}

// Save validates files exactly as a folder would be and, if they pass and
// a test render with testParams passes (see testRender), stores them as the
// next version of plugin id, for the caller's townships (a county admin's:
// for every township). A plugin that does not validate is refused with the
// file, line and column at fault.
func (r *Registry) Save(ctx context.Context, id string, files []records.ReportFile, note string, testParams map[string]any) (*Entry, error) {
	if r.store == nil {
		return nil, records.Errorf(records.EINTERNAL, "no database to store report templates in")
	}
	a := records.ActorFrom(ctx)
	if !a.Has(records.DutySystem) {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin or a sysadmin may upload report templates")
	}
	if !a.County() && len(a.Townships) == 0 {
		// Saved without townships, the upload would be the county's.
		return nil, records.Errorf(records.EFORBIDDEN, "an admin of no township may not upload report templates")
	}
	if !ValidID(id) {
		return nil, records.Invalidf("id", "%q: use lower-case words joined by hyphens, optionally namespaced with dots", id)
	}
	r.mu.RLock()
	e, ok := r.folders[id]
	r.mu.RUnlock()
	if ok && e.Source.Kind == "builtin" {
		return nil, records.Invalidf("id", "%s is a built-in report; save your version under another id, e.g. %s.%s", id, "my", id)
	}
	m := filesOf(files)
	if len(m) != len(files) {
		return nil, records.Invalidf("files", "a file name is given twice")
	}
	p, err := Load(m, Source{Kind: "uploaded"}, r.schema, r.opts)
	if err != nil {
		return nil, records.Invalidf("files", "%v", err)
	}
	if p.Manifest.ID != id {
		return nil, records.Invalidf("files", "manifest.yaml says id %s, but it is saved as %s", p.Manifest.ID, id)
	}
	if err := r.testRender(ctx, p, testParams); err != nil {
		return nil, err
	}
	v, err := r.store.Save(ctx, id, files, note)
	if err != nil {
		return nil, err
	}
	return r.parseUpload(v), nil
}

// Rollback saves version n of plugin id again as its newest version, in
// the caller's scope (see Save). A township admin rolls back only versions
// saved for its own townships: a county version is the county admins' to
// roll back, and other townships' versions are NOT_FOUND.
func (r *Registry) Rollback(ctx context.Context, id string, n int) (*Entry, error) {
	if r.store == nil {
		return nil, records.Errorf(records.ENOTFOUND, "no uploaded report template %q", id)
	}
	a := records.ActorFrom(ctx)
	if !a.Has(records.DutySystem) {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin or a sysadmin may roll report templates back")
	}
	v, err := r.store.Get(ctx, id, n)
	if err == nil && !visible(a, v) {
		err = records.Errorf(records.ENOTFOUND, "report template %q has no version %d", id, n)
	}
	if err != nil {
		return nil, err
	}
	if !manages(a, v) {
		return nil, records.Prefix("version", records.Errorf(records.EFORBIDDEN,
			"version %d of %s was uploaded by a county admin (or for more townships than yours); only a county admin may roll it back. Upload its files (reportTemplateVersions) to keep a version of your own", n, id))
	}
	return r.Save(ctx, id, v.Files, "rollback to version "+strconv.Itoa(n), nil)
}

// visible: an admin sees the versions it manages and those that govern it.
func visible(a records.Actor, v *records.ReportVersion) bool { return manages(a, v) || governs(v, a) }

// Versions lists the uploaded versions of plugin id the caller sees (see
// visible), newest first.
func (r *Registry) Versions(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	if r.store == nil {
		return nil, nil
	}
	vs, err := r.store.List(ctx, id)
	if err != nil {
		return nil, err
	}
	a := records.ActorFrom(ctx)
	return slices.DeleteFunc(vs, func(v *records.ReportVersion) bool { return !visible(a, v) }), nil
}

// Watch reloads the plugin folders when a file in them changes, until ctx
// ends. Bursts of events (an editor saving) cause one reload.
func (r *Registry) Watch(ctx context.Context) error {
	if len(r.dirs) == 0 {
		return nil
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	watchAll := func() {
		for _, dir := range r.dirs {
			if err := w.Add(dir); err != nil {
				// Not there yet: watch where it will appear.
				_ = w.Add(filepath.Dir(dir))
				continue
			}
			des, _ := os.ReadDir(dir)
			for _, de := range des {
				if de.IsDir() && !slices.Contains(w.WatchList(), filepath.Join(dir, de.Name())) {
					_ = w.Add(filepath.Join(dir, de.Name()))
				}
			}
		}
	}
	watchAll()
	go func() {
		defer w.Close()
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Op != fsnotify.Chmod {
					timer = time.After(200 * time.Millisecond)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				r.log.Warn("watching report folders", "err", err)
			case <-timer:
				timer = nil
				watchAll() // new plugin folders
				r.Reload()
				r.log.Info("report plugins reloaded")
			}
		}
	}()
	return nil
}
