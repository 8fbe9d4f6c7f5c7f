package legacy_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda"
	"renda/internal/demo"
	"renda/internal/embedded"
	"renda/internal/legacy"
	"renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/sqlite"
)

var bg = context.Background()

// MustOldFolder writes a data folder as the release before the SQLite
// store did — FerretDB's files, a database per township — holding the
// demo township and something of every kind of data: a record changed
// twice, a deleted one, an account, a session, a key, two versions of an
// uploaded plugin, an attribute definition, an idempotency key, markers.
// It returns the folder and the store's contents as read through it.
func MustOldFolder(tb testing.TB) (string, *snapshot) {
	tb.Helper()
	dir := tb.TempDir()
	srv, err := embedded.Start(dir, false, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	defer srv.Stop()
	ms, err := mongo.Open(bg, srv.URI(), mongo.Options{SerializeWrites: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	defer ms.Close(bg)
	s := ms.Records()
	defer MustSplit(tb, srv.URI())
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Load(bg, s, d); err != nil {
		tb.Fatal(err)
	}
	if err := s.Mark(bg, "demo:qps"); err != nil {
		tb.Fatal(err)
	}
	deps, err := s.Deputies.Find(bg, records.Query{Townships: []string{"qps"}, First: 1})
	if err != nil {
		tb.Fatal(err)
	}
	dep := deps.Items[0]
	for _, g := range []string{"第一组", "第二组"} {
		if _, err := s.Deputies.Update(bg, dep.ID, nil, func(x *records.Deputy) { x.Group = g }); err != nil {
			tb.Fatal(err)
		}
	}
	v, err := s.Villages.Create(bg, &records.Village{Meta: records.Meta{Township: "qps", Attributes: map[string]any{"片区": "东", "人口": 1200}}, Name: "拆并村"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Villages.Delete(bg, v.ID, nil); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Attributes.Put(bg, "qps", records.KindDeputy, records.AttributeDef{Path: "education", Label: "文化程度", Type: records.AttrChoice, Values: []string{"高中", "本科"}}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Villages.CreateOnce(bg, "retry-1", &records.Village{Meta: records.Meta{Township: "qps"}, Name: "新村"}); err != nil {
		tb.Fatal(err)
	}
	now := records.Now()
	if err := s.Credentials.CreateAccount(bg, &records.Account{ID: "wangxl", Name: "王秀兰", Role: records.Editor, Townships: []string{"qps"},
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Version: 1, CreatedAt: now, CreatedBy: "local"}); err != nil {
		tb.Fatal(err)
	}
	if err := s.Credentials.CreateSession(bg, &records.Session{ID: "sess1", AccountID: "wangxl", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	if err := s.Credentials.CreateKey(bg, &records.APIKey{ID: "k1", Name: "大屏", Role: records.Viewer, Hash: "abc123", CreatedAt: now, CreatedBy: "local"}); err != nil {
		tb.Fatal(err)
	}
	for _, body := range []string{"# one", "# two"} {
		if _, err := s.Reports.Save(bg, "my-brief", []records.ReportFile{{Name: "manifest.yaml", Content: "id: my-brief"}, {Name: "a.tmpl", Content: body}}, "up"); err != nil {
			tb.Fatal(err)
		}
	}
	return dir, MustSnapshot(tb, s, dep.ID, v.ID)
}

// MustSplit lays the records out as the release before the SQLite store
// did on its embedded FerretDB: each township's records, and their audit
// entries, in a database of its own (renda_t_qps), a registry of their
// ids in the county's database beside the townships, accounts, keys and
// plugins.
func MustSplit(tb testing.TB, uri string) {
	tb.Helper()
	client, err := driver.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		tb.Fatal(err)
	}
	defer client.Disconnect(bg)
	county := client.Database("renda")
	move := func(coll string, filter bson.D, township func(bson.Raw) string) {
		cur, err := county.Collection(coll).Find(bg, filter)
		if err != nil {
			tb.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(bg, &docs); err != nil {
			tb.Fatal(err)
		}
		for _, d := range docs {
			t := township(d)
			if _, err := client.Database("renda_t_"+t).Collection(coll).InsertOne(bg, d); err != nil {
				tb.Fatal(err)
			}
			if coll != "audit" {
				id := d.Lookup("_id").StringValue()
				if _, err := county.Collection("recordIds").InsertOne(bg, bson.D{{Key: "_id", Value: id}, {Key: "township", Value: t}, {Key: "kind", Value: coll}}); err != nil {
					tb.Fatal(err)
				}
			}
			if _, err := county.Collection(coll).DeleteOne(bg, bson.D{{Key: "_id", Value: d.Lookup("_id")}}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	byTownship := func(d bson.Raw) string { return d.Lookup("township").StringValue() }
	for _, k := range records.RecordKinds[1:] {
		move(string(k), bson.D{}, byTownship)
	}
	var kinds bson.A
	for _, k := range records.RecordKinds[1:] {
		kinds = append(kinds, string(k))
	}
	move("audit", bson.D{{Key: "kind", Value: bson.D{{Key: "$in", Value: kinds}}}}, byTownship)
	if _, err := county.Collection("meta").InsertOne(bg, bson.D{{Key: "_id", Value: "layout:split"}, {Key: "at", Value: time.Now()}}); err != nil {
		tb.Fatal(err)
	}
}

// snapshot is what a store holds, read through its services.
type snapshot struct {
	Records  map[records.Kind][]string // JSON of each record, by id order
	History  []string                  // the changed deputy's: action and version
	Deleted  []string                  // deleted villages' ids
	Account  *records.Account
	Key      *records.APIKey
	Session  *records.Session
	Plugin   []string // versions of my-brief and their last file
	Defs     *records.AttributeSet
	Marked   bool
	Deputy   string
	Village  string
	AuditLen int
}

func MustSnapshot(tb testing.TB, s *records.Store, depID, villageID string) *snapshot {
	tb.Helper()
	out := &snapshot{Records: map[records.Kind][]string{}, Deputy: depID, Village: villageID}
	all := func(kind records.Kind, find func(records.Query) (int, []any, error)) {
		// the demo holds fewer than 500 of a kind
		n, items, err := find(records.Query{First: 500, Sort: []records.Sort{{Path: "createdAt"}}})
		if err != nil || n == 500 {
			tb.Fatalf("%s: %d records, %v", kind, n, err)
		}
		for _, x := range items {
			b, err := json.Marshal(x)
			if err != nil {
				tb.Fatal(err)
			}
			out.Records[kind] = append(out.Records[kind], string(b))
		}
		slices.Sort(out.Records[kind])
	}
	all(records.KindTownship, pageOf(s.Townships))
	all(records.KindDeputy, pageOf(s.Deputies))
	all(records.KindVillage, pageOf(s.Villages))
	all(records.KindProject, pageOf(s.Projects))
	all(records.KindInspection, pageOf(s.Inspections))
	all(records.KindActivity, pageOf(s.Activities))
	all(records.KindSuggestion, pageOf(s.Suggestions))
	h, err := s.Deputies.History(bg, depID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range h {
		out.History = append(out.History, e.Action+"@"+itoa(e.Version))
	}
	del, err := s.Villages.Deleted(bg, "qps", 50)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range del {
		out.Deleted = append(out.Deleted, e.RecordID)
	}
	if out.Account, err = s.Credentials.Account(bg, "wangxl"); err != nil {
		tb.Fatal(err)
	}
	if out.Key, err = s.Credentials.Key(bg, "k1"); err != nil {
		tb.Fatal(err)
	}
	if out.Session, err = s.Credentials.Session(bg, "sess1"); err != nil {
		tb.Fatal(err)
	}
	vs, err := s.Reports.List(bg, "my-brief")
	if err != nil {
		tb.Fatal(err)
	}
	for _, v := range vs {
		out.Plugin = append(out.Plugin, itoa(v.Version)+":"+v.Files[len(v.Files)-1].Content)
	}
	if out.Defs, err = s.Attributes.Get(bg, "qps", records.KindDeputy); err != nil {
		tb.Fatal(err)
	}
	if out.Marked, err = s.Marked(bg, "demo:qps"); err != nil {
		tb.Fatal(err)
	}
	log, _, err := s.AuditLog(bg, records.AuditFilter{}, 500, "")
	if err != nil {
		tb.Fatal(err)
	}
	out.AuditLen = len(log)
	return out
}

func pageOf[T any, PT records.Record[T]](c records.Collection[T, PT]) func(records.Query) (int, []any, error) {
	return func(q records.Query) (int, []any, error) {
		p, err := c.Find(bg, q)
		if err != nil {
			return 0, nil, err
		}
		out := make([]any, len(p.Items))
		for i, x := range p.Items {
			out[i] = x
		}
		return len(out), out, nil
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func MustSQLite(tb testing.TB, dir string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(bg, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close(bg) })
	return s
}

// TestMove: a folder the earlier release wrote starts with everything in
// it intact: the same records, histories (a revert reaches back), deleted
// records (and their restore), credentials, plugins, definitions, keys.
func TestMove(t *testing.T) {
	dir, want := MustOldFolder(t)
	ss := MustSQLite(t, dir)
	n, err := legacy.Move(bg, dir, ss, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Errorf("moved %d rows, want the demo's 258 records and their audit trail", n)
	}
	s := ss.Records()
	got := MustSnapshot(t, s, want.Deputy, want.Village)
	for kind, xs := range want.Records {
		if !reflect.DeepEqual(got.Records[kind], xs) {
			t.Errorf("%s: %d records differ after the move (want %d)", kind, len(got.Records[kind]), len(xs))
			for i := range min(len(xs), len(got.Records[kind])) {
				if xs[i] != got.Records[kind][i] {
					t.Errorf("first difference:\n got %s\nwant %s", got.Records[kind][i], xs[i])
					break
				}
			}
		}
	}
	for name, pair := range map[string][2]any{
		"history": {got.History, want.History}, "deleted": {got.Deleted, want.Deleted}, "plugin": {got.Plugin, want.Plugin},
		"account": {got.Account, want.Account}, "key": {got.Key, want.Key}, "session": {got.Session, want.Session},
		"attribute definitions": {got.Defs, want.Defs}, "marker": {got.Marked, want.Marked}, "audit entries": {got.AuditLen, want.AuditLen},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s: got %+v, want %+v", name, pair[0], pair[1])
		}
	}
	t.Run("RevertReachesBack", func(t *testing.T) {
		x, err := s.Deputies.Revert(bg, want.Deputy, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if x.Version != 4 || x.Group == "第二组" {
			t.Errorf("reverted to version 1: version %d, group %q; want version 4 and the group it had", x.Version, x.Group)
		}
	})
	t.Run("DeletedRestores", func(t *testing.T) {
		x, err := s.Villages.Restore(bg, want.Village)
		if err != nil {
			t.Fatal(err)
		}
		if x.Name != "拆并村" || x.Attributes["片区"] != "东" {
			t.Errorf("restored %+v", x)
		}
	})
	t.Run("IdempotencyKeyAnswersTheFirst", func(t *testing.T) {
		x, err := s.Villages.CreateOnce(bg, "retry-1", &records.Village{Meta: records.Meta{Township: "qps"}, Name: "新村"})
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.Villages.Count(bg, records.Query{Filter: records.Expr{Cond: &records.Cond{Path: "name", Op: records.OpEq, Value: "新村"}}})
		if err != nil || n != 1 {
			t.Errorf("%d villages named 新村 (%v), want the one the first create made (%s)", n, err, x.ID)
		}
	})
	t.Run("OldFilesSetAside", func(t *testing.T) {
		if legacy.Found(dir) {
			t.Error("the old files are still where the next start would move them again")
		}
		if _, err := os.Stat(filepath.Join(dir, legacy.OldFolder, "renda.sqlite")); err != nil {
			t.Errorf("the old files are not kept: %v", err)
		}
		again, err := legacy.Move(bg, dir, ss, nil)
		if err != nil || again != 0 {
			t.Errorf("a second start moved %d rows (%v), want none", again, err)
		}
	})
}

// TestMoveResumes: a move that stopped after committing part of the rows
// finishes on the next start, with nothing twice.
func TestMoveResumes(t *testing.T) {
	dir, want := MustOldFolder(t)
	ss := MustSQLite(t, dir)
	srv, err := embedded.Start(dir, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := mongo.Open(bg, srv.URI(), mongo.Options{SerializeWrites: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	err = ss.Load(bg, func(l *sqlite.Loader) error {
		if err := ms.Dump(bg, &stopAfter{Sink: l, n: 120}); err != errStopped {
			return err
		}
		return nil // what was loaded commits, as before a crash
	})
	_ = ms.Close(bg)
	srv.Stop()
	if err != nil {
		t.Fatalf("partial move: %v", err)
	}
	if n, _ := ss.Records().Deputies.Count(bg, records.Query{}); n == 0 {
		t.Fatal("the partial move committed nothing")
	}
	if done, _ := ss.Marked(bg, legacy.Marker); done {
		t.Fatal("a partial move is marked done")
	}
	if _, err := legacy.Move(bg, dir, ss, nil); err != nil {
		t.Fatal(err)
	}
	got := MustSnapshot(t, ss.Records(), want.Deputy, want.Village)
	for kind, xs := range want.Records {
		if len(got.Records[kind]) != len(xs) || !reflect.DeepEqual(got.Records[kind], xs) {
			t.Errorf("%s: %d records after the resumed move, want %d, the same", kind, len(got.Records[kind]), len(xs))
		}
	}
	if got.AuditLen != want.AuditLen {
		t.Errorf("%d audit entries, want %d", got.AuditLen, want.AuditLen)
	}
}

var errStopped = &records.Error{Code: records.EINTERNAL, Message: "stopped"}

// stopAfter passes n records on, then stops the move as a crash would,
// after what was passed is committed.
type stopAfter struct {
	records.Sink
	n int
}

func (s *stopAfter) Record(kind records.Kind, x any) error {
	if s.n == 0 {
		return errStopped
	}
	s.n--
	return s.Sink.Record(kind, x)
}
