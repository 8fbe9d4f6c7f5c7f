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

// VersionStore keeps uploaded plugins; store.ReportVersions implements it.
type VersionStore interface {
	Save(ctx context.Context, id string, files []records.ReportFile, note string) (*records.ReportVersion, error)
	Latest(ctx context.Context, id string) (*records.ReportVersion, error)
	Get(ctx context.Context, id string, n int) (*records.ReportVersion, error)
	List(ctx context.Context, id string) ([]*records.ReportVersion, error)
	LatestAll(ctx context.Context) ([]*records.ReportVersion, error)
}

// Registry holds the report plugins: the built-in ones, those in plugin
// folders (reloaded when they change), and those uploaded through the API
// (read from the database, so every instance sees the same ones). An
// uploaded plugin takes precedence over a folder of the same id, and a
// folder over a built-in one.
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
	uploaded map[string]*Entry // the parsed newest upload of each id

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

// List returns every plugin by id: folders, overridden by uploads.
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
		for _, v := range ups {
			byID[v.PluginID] = r.parseUpload(v)
		}
	}
	out := make([]*Entry, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Get returns the plugin with id: the newest upload if there is one, else
// the folder.
func (r *Registry) Get(ctx context.Context, id string) (*Entry, error) {
	if r.store != nil {
		v, err := r.store.Latest(ctx, id)
		if err == nil {
			return r.parseUpload(v), nil
		} else if records.ErrorCode(err) != records.ENOTFOUND {
			return nil, err
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

// parseUpload validates an uploaded version once and keeps the result,
// one version per plugin: the one last asked for.
func (r *Registry) parseUpload(v *records.ReportVersion) *Entry {
	r.upMu.Lock()
	defer r.upMu.Unlock()
	if e, ok := r.uploaded[v.PluginID]; ok && e.Source.Version == v.Version {
		return e
	}
	src := Source{Kind: "uploaded", Version: v.Version}
	e := &Entry{ID: v.PluginID, Source: src}
	e.Plugin, e.Err = Load(filesOf(v.Files), src, r.schema, r.opts)
	if e.Err == nil && e.Plugin.Manifest.ID != v.PluginID {
		e.Plugin, e.Err = nil, &FileError{File: ManifestFile, Msg: "id " + e.Plugin.Manifest.ID + " differs from the id it was saved under, " + v.PluginID}
	}
	r.uploaded[v.PluginID] = e
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
// next version of plugin id. A plugin that does not validate is refused
// with the file, line and column at fault.
func (r *Registry) Save(ctx context.Context, id string, files []records.ReportFile, note string, testParams map[string]any) (*Entry, error) {
	if r.store == nil {
		return nil, records.Errorf(records.EINTERNAL, "no database to store report templates in")
	}
	if !records.ActorFrom(ctx).Can(records.Admin) {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin may upload report templates")
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

// Rollback saves version n of plugin id again as its newest version.
func (r *Registry) Rollback(ctx context.Context, id string, n int) (*Entry, error) {
	if r.store == nil {
		return nil, records.Errorf(records.ENOTFOUND, "no uploaded report template %q", id)
	}
	if !records.ActorFrom(ctx).Can(records.Admin) {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin may roll report templates back")
	}
	v, err := r.store.Get(ctx, id, n)
	if err != nil {
		return nil, err
	}
	return r.Save(ctx, id, v.Files, "rollback to version "+strconv.Itoa(n), nil)
}

// Versions lists the uploaded versions of plugin id, newest first.
func (r *Registry) Versions(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	if r.store == nil {
		return nil, nil
	}
	return r.store.List(ctx, id)
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
