package bench_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renda"
	"renda/graph"
	"renda/internal/demo"
	"renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/sqlite"
	"renda/internal/storetest"
	"renda/reports"
)

// county is a store holding a generated county — the demo township (qps)
// and n-1 townships made from it, each of its own size and habits, years
// years each (renda seed county) — and the API and report registry over
// it, as a server has them.
type county struct {
	backend  storetest.Backend
	n, years int
	name     string

	dir string         // SQLite: the folder of the county's file
	sq  *sqlite.Store  // SQLite
	mg  *mongo.Store   // MongoDB
	db  string         // MongoDB: the database
	rs  *records.Store // either

	api      *graph.API
	reg      *report.Registry
	commands atomic.Int64

	// cacheFiles are the SQLite county's file and its WAL, opened once
	// for dropCache and closed only when the binary ends.
	cacheFiles []*os.File
}

var (
	countiesMu sync.Mutex
	counties   = map[string]*county{}
	logger     = slog.New(slog.DiscardHandler)
)

// spec says which county to make: its store, its size, and deputies
// added to one township (extra in t02) for the page-size benchmark.
type spec struct {
	backend  storetest.Backend
	n, years int
	extra    int
}

func (s spec) String() string {
	k := fmt.Sprintf("%s-%dx%d", s.backend, s.n, s.years)
	if s.extra > 0 {
		k += fmt.Sprintf("+%d", s.extra)
	}
	return k
}

// MustCounty returns the county of n townships and years years on the
// backend b, made once per test binary.
func MustCounty(tb testing.TB, b storetest.Backend, n, years int) *county {
	tb.Helper()
	return mustCounty(tb, spec{backend: b, n: n, years: years})
}

func mustCounty(tb testing.TB, sp spec) *county {
	tb.Helper()
	countiesMu.Lock()
	defer countiesMu.Unlock()
	k := sp.String()
	if c, ok := counties[k]; ok {
		return c
	}
	c := &county{backend: sp.backend, n: sp.n, years: sp.years, name: k}
	switch sp.backend {
	case storetest.SQLite:
		c.dir = benchDir(tb, k)
	case storetest.Mongo:
		c.db = strings.NewReplacer("-", "_", "+", "_").Replace(fmt.Sprintf("bench_%s_%d", k, time.Now().UnixNano()%1e9))
	default:
		tb.Fatalf("no backend %q", sp.backend)
	}
	atExit(func() { // after the store is closed (cleanups run last first)
		for _, f := range c.cacheFiles {
			_ = f.Close()
		}
	})
	c.open(tb)
	atExit(func() { c.close() })
	if sp.backend == storetest.Mongo {
		db, uri := c.db, storetest.URI(tb)
		atExit(func() {
			s, err := mongo.Open(bg, uri, mongo.Options{Database: db, Logger: logger})
			if err == nil {
				_ = s.Drop(bg)
				_ = s.Close(bg)
			}
		})
	}
	start := time.Now()
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	gen, err := demo.County(d, sp.n, sp.years, 1)
	if err != nil {
		tb.Fatal(err)
	}
	for _, x := range append([]*demo.Dataset{d}, gen...) {
		if _, err := demo.Load(bg, c.rs, x); err != nil {
			tb.Fatal(err)
		}
	}
	if sp.extra > 0 {
		addDeputies(tb, c.rs, "t02", sp.extra)
	}
	fmt.Fprintf(os.Stderr, "bench: county %s made in %v\n", k, time.Since(start).Round(time.Millisecond))
	counties[k] = c
	return c
}

// open opens the county's store and builds the API and the report
// registry over it, as a server's start does.
func (c *county) open(tb testing.TB) {
	tb.Helper()
	on := func(string) { c.commands.Add(1) }
	switch c.backend {
	case storetest.SQLite:
		s, err := sqlite.Open(bg, c.dir, sqlite.Options{OnCommand: on, Logger: logger})
		if err != nil {
			tb.Fatal(err)
		}
		c.sq, c.rs = s, s.Records()
	case storetest.Mongo:
		s, err := mongo.Open(bg, storetest.URI(tb), mongo.Options{Database: c.db, SerializeWrites: true, OnCommand: on, Logger: logger})
		if err != nil {
			tb.Fatal(err)
		}
		c.mg, c.rs = s, s.Records()
	}
	c.api = newAPI(c.rs)
	c.reg = report.NewRegistry(report.RegistryConfig{Schema: c.api, Logger: logger, Builtin: reports.FS})
	c.api.SetReports(c.reg)
}

// newAPI is the GraphQL API over s, as a server builds it.
func newAPI(s *records.Store) *graph.API { return graph.New(s, logger) }

// close closes the county's store (its data stays).
func (c *county) close() {
	if c.rs != nil {
		_ = c.rs.Close(bg)
	}
	c.rs, c.sq, c.mg, c.api, c.reg = nil, nil, nil, nil, nil
}

// fresh is the county as a server just started on its data has it: a
// store opened anew on the same file (SQLite) or database (MongoDB), a
// new API and registry. Close it after use.
func (c *county) fresh(tb testing.TB) *county {
	tb.Helper()
	f := &county{backend: c.backend, n: c.n, years: c.years, name: c.name, dir: c.dir, db: c.db}
	f.open(tb)
	return f
}

// file is the SQLite county's file.
func (c *county) file() string { return filepath.Join(c.dir, sqlite.FileName) }

// dropCache drops the operating system's cache of the SQLite county's
// file and its WAL. The files are opened once and kept open: closing a
// descriptor of a file would release every POSIX lock this process holds
// on it, those of SQLite's connections too, and another connection could
// then checkpoint the WAL under a reader (SQLite's own connections share
// their descriptors; this one is not SQLite's).
func (c *county) dropCache() {
	if c.cacheFiles == nil {
		for _, p := range []string{c.file(), c.file() + "-wal"} {
			if f, err := os.Open(p); err == nil {
				c.cacheFiles = append(c.cacheFiles, f)
			}
		}
	}
	for _, f := range c.cacheFiles {
		fadviseDontNeed(f)
	}
}

// query runs a GraphQL request through the whole HTTP handler and
// returns the answer's body; an error fails the benchmark.
func (c *county) query(tb testing.TB, q string, vars map[string]any) []byte {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	c.api.ServeHTTP(rec, req)
	if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		tb.Fatalf("query failed: %.300s", rec.Body.String())
	}
	return rec.Body.Bytes()
}

// data runs a query and decodes its data.
func (c *county) data(tb testing.TB, q string, vars map[string]any) map[string]any {
	tb.Helper()
	var r struct{ Data map[string]any }
	if err := json.Unmarshal(c.query(tb, q, vars), &r); err != nil {
		tb.Fatal(err)
	}
	return r.Data
}

// render renders the annual summary of township t for year 2023.
func (c *county) render(tb testing.TB, t string, f report.Format) []byte {
	tb.Helper()
	r, err := c.reg.Render(bg, "annual-summary", map[string]any{"township": t, "year": 2023}, f)
	if err != nil {
		tb.Fatal(err)
	}
	return r.Content
}

// renderable renders the annual summary once and skips the benchmark if
// the render runs out of its time (5 s): FerretDB scans the whole county
// for one township's lists. Before skipping it runs the render's query
// without a deadline, to say how long it takes, and so that FerretDB
// (in this process) has finished the scans the cancelled render left
// running before the next benchmark is timed.
func (c *county) renderable(b *testing.B, t string) {
	b.Helper()
	params := map[string]any{"township": t, "year": 2023}
	_, err := c.reg.Render(bg, "annual-summary", params, report.MARKDOWN)
	if err == nil {
		return
	}
	if records.ErrorCode(err) != records.ETIMEOUT {
		b.Fatal(err)
	}
	e, gerr := c.reg.Get(bg, "annual-summary")
	if gerr != nil || e.Err != nil {
		b.Fatal(gerr, e.Err)
	}
	start := time.Now()
	_, qerr := c.api.Run(bg, e.Plugin.Query, params)
	took := time.Since(start)
	time.Sleep(time.Second)
	fmt.Fprintf(os.Stderr, "bench: %s: the annual summary ran out of its 5 s; its query alone took %v (%v)\n", c.name, took.Round(time.Millisecond), qerr)
	b.Skipf("%s: the render ran out of its time: %v; its query alone took %v", c.name, err, took.Round(time.Millisecond))
}

// perOp reports the statements or commands each op sent.
func (c *county) perOp(b *testing.B, before int64) {
	if b.N > 0 && c.commands.Load() > before {
		b.ReportMetric(float64(c.commands.Load()-before)/float64(b.N), "cmds/op")
	}
}

// addDeputies bulk-creates n deputies in township t, spread over its
// villages, with names that sort all over the roster.
func addDeputies(tb testing.TB, s *records.Store, t string, n int) {
	tb.Helper()
	vs, err := s.Villages.Find(bg, records.Query{Townships: []string{t}, First: records.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	xs := make([]*records.Deputy, n)
	for i := range xs {
		g := []records.Gender{records.MALE, records.FEMALE}[i%2]
		x := &records.Deputy{Meta: records.Meta{Township: t}, Name: personName(i),
			Levels: []records.Level{records.TOWNSHIP}, Gender: &g}
		if len(vs.Items) > 0 {
			x.VillageID = vs.Items[i%len(vs.Items)].ID
		}
		xs[i] = x
	}
	if _, err := s.Deputies.Bulk(bg, xs); err != nil {
		tb.Fatal(err)
	}
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
)

// personName is the i-th of many distinct Chinese names.
func personName(i int) string {
	s := surnames[i%len(surnames)]
	j := i / len(surnames)
	g1 := given[j%len(given)]
	g2 := given[(j/len(given)+i)%len(given)]
	return string([]rune{s, g1, g2}) + fmt.Sprintf("%d", i)
}

// writer opens a connection of its own that may write the SQLite county's
// file, as the store's writer is opened (WAL, synchronous=FULL), for the
// floors of writes: the store's DB() only reads.
func writer(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	q := url.Values{}
	for _, p := range []string{"busy_timeout(30000)", "journal_mode(WAL)", "synchronous(FULL)", "cache_size(-16384)"} {
		q.Add("_pragma", p)
	}
	q.Add("_txlock", "immediate")
	// The driver is registered by internal/sqlite, which imports it.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// rawDocs runs a statement selecting documents and decodes each into T.
func rawDocs[T any](tb testing.TB, db *sql.DB, q string, args ...any) []*T {
	tb.Helper()
	return rawDocsWith[T](tb, db, q, false, args...)
}

// rawDocsWith is rawDocs decoding with encoding/json, or with the v2
// decoder the SQLite store uses (v2).
func rawDocsWith[T any](tb testing.TB, db *sql.DB, q string, v2 bool, args ...any) []*T {
	tb.Helper()
	unmarshal := json.Unmarshal
	if v2 {
		unmarshal = func(b []byte, x any) error { return jsonv2.Unmarshal(b, x) }
	}
	rows, err := db.QueryContext(bg, q, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			tb.Fatal(err)
		}
		x := new(T)
		if err := unmarshal(doc, x); err != nil {
			tb.Fatal(err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// rawBytes runs a statement selecting documents and returns how many
// bytes they hold, reading without decoding.
func rawBytes(tb testing.TB, db *sql.DB, q string, args ...any) int {
	tb.Helper()
	rows, err := db.QueryContext(bg, q, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			tb.Fatal(err)
		}
		n += len(doc)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// inArgs writes "?,?,?" for the ids and returns them as arguments.
func inArgs(ids []string) (string, []any) {
	if len(ids) == 0 {
		return "NULL", nil
	}
	var b bytes.Buffer
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args[i] = id
	}
	return b.String(), args
}

// ctxTimeout is the server's request deadline.
func ctxTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(bg, 30*time.Second)
}
