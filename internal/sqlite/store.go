// Package sqlite is renda's embedded store: every record of a county in one
// SQLite file (modernc.org/sqlite, pure Go), as a JSON document beside
// the columns and indexes its lists, filters, sorts and groupings use. It
// is the only package that imports the driver and the only one that knows
// how records are laid out in the file.
//
// A write, its audit entry and its derived fields commit in one
// transaction. The file is in WAL mode with synchronous=FULL, so an
// acknowledged write is on disk; readers never wait for the writer.
// Another process (the CLI beside a running server) may write the same
// file: the store keeps nothing in memory that such a write could make
// stale, so the server's next request sees it.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"renda/internal/chinese"
	"renda/internal/records"
)

// FileName is the store's file in its data folder.
const FileName = "renda.db"

// Options configure Open.
type Options struct {
	// OnCommand, if set, is called with the kind of every statement the
	// store runs on records ("find", "count", "aggregate", "insert",
	// "update", "delete"), so round trips can be counted from outside.
	OnCommand func(name string)
	Logger    *slog.Logger
	// ReadConns bounds the connections reading at once (default: the
	// number of CPUs, at least 2).
	ReadConns int
}

// Store is renda's records in one SQLite file.
type Store struct {
	path string
	r    *sql.DB    // readers
	w    *sql.DB    // the one writer connection
	wmu  sync.Mutex // held by a batch of writes (commit.go) or a load
	// The committer (commit.go).
	stmts   stmtCache // reads prepared once
	jobs    chan *writeJob
	quit    chan struct{}
	stopped chan struct{}
	log     *slog.Logger
	on      func(string)

	Townships   *Collection[records.Township, *records.Township]
	Deputies    *Collection[records.Deputy, *records.Deputy]
	Villages    *Collection[records.Village, *records.Village]
	Projects    *Collection[records.Project, *records.Project]
	Inspections *Collection[records.Inspection, *records.Inspection]
	Activities  *Collection[records.Activity, *records.Activity]
	Suggestions *Collection[records.Suggestion, *records.Suggestion]
	Receptions  *Collection[records.Reception, *records.Reception]
	PointRules  *Collection[records.PointRules, *records.PointRules]

	Sessions           *Collection[records.CongressSession, *records.CongressSession]
	PresidiumMeetings  *Collection[records.PresidiumMeeting, *records.PresidiumMeeting]
	LivelihoodProjects *Collection[records.LivelihoodProject, *records.LivelihoodProject]
	Submissions        *Collection[records.DutySubmission, *records.DutySubmission]
}

// Open opens (creating if needed) the store in the folder dir, made 0700
// with its files 0600.
func Open(ctx context.Context, dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	_ = os.Chmod(dir, 0o700)
	return OpenFile(ctx, filepath.Join(dir, FileName), opts)
}

// OpenFile opens (creating if needed) the store in the file at path.
func OpenFile(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(2, runtime.NumCPU())
	}
	// Create the file with owner-only rights if it is missing, but never
	// open and close an existing one: closing any descriptor of a file
	// releases every POSIX lock this process holds on it, including those
	// of a store already open on it here, and another process would then
	// delete the write-ahead log under that store.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create the store's file: %w", err)
		}
		if f != nil {
			_ = f.Close()
		}
	} else if err != nil {
		return nil, fmt.Errorf("open the store's file: %w", err)
	} else {
		_ = os.Chmod(path, 0o600)
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(30000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "cache_size(-16384)")
		q.Add("_pragma", "temp_store(MEMORY)")
		for _, e := range extra {
			k, v, _ := cut(e)
			q.Add(k, v)
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open the store: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn("_pragma=query_only(1)"))
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open the store: %w", err)
	}
	r.SetMaxOpenConns(opts.ReadConns)
	r.SetMaxIdleConns(opts.ReadConns)
	s := &Store{path: path, r: r, w: w, stmts: stmtCache{db: r}, log: opts.Logger, on: opts.OnCommand}
	if s.on == nil {
		s.on = func(string) {}
	}
	s.Townships = newCollection[records.Township](s, records.KindTownship)
	s.Deputies = newCollection[records.Deputy](s, records.KindDeputy)
	s.Villages = newCollection[records.Village](s, records.KindVillage)
	s.Projects = newCollection[records.Project](s, records.KindProject)
	s.Inspections = newCollection[records.Inspection](s, records.KindInspection)
	s.Activities = newCollection[records.Activity](s, records.KindActivity)
	s.Suggestions = newCollection[records.Suggestion](s, records.KindSuggestion)
	s.startCommitter()
	s.Receptions = newCollection[records.Reception](s, records.KindReception)
	s.PointRules = newCollection[records.PointRules](s, records.KindPointRules)
	s.Sessions = newCollection[records.CongressSession](s, records.KindCongressSession)
	s.PresidiumMeetings = newCollection[records.PresidiumMeeting](s, records.KindPresidiumMeeting)
	s.LivelihoodProjects = newCollection[records.LivelihoodProject](s, records.KindLivelihoodProject)
	s.Submissions = newCollection[records.DutySubmission](s, records.KindSubmission)
	if err := s.migrateSchema(ctx); err != nil {
		_ = s.Close(ctx)
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600)
	}
	return s, nil
}

func cut(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// Records is the store as the rest of renda sees it.
func (s *Store) Records() *records.Store {
	return &records.Store{
		Database:    s,
		Townships:   s.Townships,
		Deputies:    s.Deputies,
		Villages:    s.Villages,
		Projects:    s.Projects,
		Inspections: s.Inspections,
		Activities:  s.Activities,
		Suggestions: s.Suggestions,
		Receptions:  s.Receptions,
		PointRules:  s.PointRules,
		Reports:     ReportVersions{s},
		Credentials: Credentials{s},
		Attributes:  AttributeDefs{s},

		Sessions:           s.Sessions,
		PresidiumMeetings:  s.PresidiumMeetings,
		LivelihoodProjects: s.LivelihoodProjects,
		Submissions:        s.Submissions,
	}
}

var _ records.Database = (*Store)(nil)

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// DB is the file opened for reading, for benchmarks that compare renda
// with raw SQL on the same data. Nothing in renda reads records but
// through a Collection.
func (s *Store) DB() *sql.DB { return s.r }

// Close closes the file.
func (s *Store) Close(context.Context) error {
	s.stopCommitter()
	s.stmts.close()
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ping checks that the file answers.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
		return s.internal(ctx, "ping", err)
	}
	return nil
}

// querier is what reads need: the readers' pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type txKey struct{}

// reader is where a read goes: the write transaction the context carries,
// if any (so a write reads what it wrote), else the readers.
func (s *Store) reader(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return &s.stmts
}

// stmtCache runs reads as statements prepared once per text and
// connection: SQLite's parser and planner cost more than many a query
// they plan (the annual summary spent a tenth of its reads preparing).
// The texts are the store's own, a few hundred shapes; one with many
// arguments (an IN list) is run unprepared, as its shape rarely repeats,
// and past maxStmts texts new ones are too.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const (
	maxStmts    = 512
	maxStmtArgs = 24
)

func (c *stmtCache) stmt(ctx context.Context, q string, args int) *sql.Stmt {
	if args > maxStmtArgs {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[q]
	c.mu.Unlock()
	if ok || len(c.m) >= maxStmts {
		return st
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // run unprepared: the error, if any, is the query's
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.m[q]; ok {
		_ = st.Close()
		return had
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, q, len(args)); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, q, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.stmt(ctx, q, len(args)); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, q, args...)
}

func (c *stmtCache) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.db.ExecContext(ctx, q, args...)
}

// close closes the statements (before the readers' pool).
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// write runs f in a write transaction and commits it, or joins the
// transaction ctx already carries (see InTx). Writes of this process are
// run in turn by the committer, those that wait together committed
// together (commit.go); another process's wait on SQLite's lock. f's
// statements are not interrupted when ctx ends: f checks ctx where it
// runs long.
func (s *Store) write(ctx context.Context, f func(ctx context.Context, tx *sql.Tx) error) error {
	if _, ok := records.AsOfFrom(ctx); ok {
		return records.Errorf(records.EINVALID, "records as they stood at a past moment cannot be changed")
	}
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return f(ctx, tx)
	}
	return s.submit(ctx, f)
}

// InTx runs f with every write it makes through the store in one
// transaction: all are stored, or (f failing) none.
func (s *Store) InTx(ctx context.Context, f func(ctx context.Context) error) error {
	return s.write(ctx, func(ctx context.Context, _ *sql.Tx) error { return f(ctx) })
}

// sortKey is how names become sort keys at write time.
var sortKey records.SortKey = chinese.SortKey

// internal wraps a database failure: logged without the values it may
// quote, returned as a plain EINTERNAL. A request that ran out of time is
// ETIMEOUT.
func (s *Store) internal(ctx context.Context, op string, err error) error {
	return records.DatabaseFailure(ctx, s.log, op, err, dbError)
}

// dbError describes a driver error for the log: SQLite's result code,
// never its message, which may quote values.
func dbError(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("sqlite error %d (%s)", se.Code(), sqlite.ErrorCodeString[se.Code()])
	}
	return records.Redacted(err)
}

// isUnique reports a unique constraint failed: an id taken.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
}
