package storetest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// Contract is the suite every implementation of records.Store passes. It
// runs subtests that each open a fresh, empty store with open and use it
// only through records.Store, as the API, the analytics and the command
// line do. b names the backend under test: a case the backend is known to
// fail is skipped there with the reason (see skipOn), never weakened.
//
//	func TestContract(t *testing.T) {
//		storetest.Contract(t, storetest.Mongo, func(t *testing.T) *records.Store {
//			return storetest.MustOpenOn(t, storetest.Mongo)
//		})
//	}
func Contract(t *testing.T, b Backend, open func(t *testing.T) *records.Store) {
	c := &contract{b: b, open: open}
	for _, x := range []struct {
		name string
		test func(t *testing.T)
	}{
		// Writes: contract_write.go.
		{"Create", c.testCreate},
		{"Update", c.testUpdate},
		{"ConcurrentUpdates", c.testConcurrentUpdates},
		{"ConcurrentPatches", c.testConcurrentPatches},
		{"Delete", c.testDelete},
		{"DeleteTownship", c.testDeleteTownship},
		{"CreateOnce", c.testCreateOnce},
		{"Bulk", c.testBulk},
		// Reads by id and relation: contract_read.go.
		{"Find", c.testFind},
		{"GetInFindIn", c.testGetInFindIn},
		{"Townships", c.testTownships},
		// Callers and their townships: contract_scope.go.
		{"Scope", c.testScope},
		{"ScopeViewer", c.testScopeViewer},
		{"ScopeAnonymous", c.testScopeAnonymous},
		// Filters: contract_filter.go.
		{"FilterDeputies", c.testFilterDeputies},
		{"FilterVillages", c.testFilterVillages},
		{"FilterProjects", c.testFilterProjects},
		{"FilterInspections", c.testFilterInspections},
		{"FilterSuggestions", c.testFilterSuggestions},
		{"FilterTimes", c.testFilterTimes},
		{"Relations", c.testRelations},
		// Computed fields and ordering by a count: contract_fields.go.
		{"AgeBand", c.testAgeBand},
		{"VoterCount", c.testVoterCount},
		{"OrderByCount", c.testOrderByCount},
		// Order and pages: contract_order.go.
		{"Order", c.testOrder},
		{"OrderMissing", c.testOrderMissing},
		{"PagesStable", c.testPagesStable},
		{"Cursors", c.testCursors},
		// Counts and groups: contract_group.go.
		{"Count", c.testCount},
		{"Group", c.testGroup},
		// History and audit: contract_history.go.
		{"History", c.testHistory},
		{"DeleteRestore", c.testDeleteRestore},
		{"AuditLog", c.testAuditLog},
		{"KindOf", c.testKindOf},
		{"AuditChain", c.testAuditChain},
		{"AuditKept", c.testAuditKept},
		{"AsOf", c.testAsOf},
		// The congress: contract_congress.go.
		{"Sessions", c.testSessions},
		{"PresidiumMeetings", c.testPresidiumMeetings},
		{"LivelihoodProjects", c.testLivelihoodProjects},
		// County services: contract_services.go.
		{"Credentials", c.testCredentials},
		{"Reports", c.testReports},
		{"Attributes", c.testAttributes},
		{"Markers", c.testMarkers},
		// Reception days and their items: contract_reception.go.
		{"Receptions", c.testReceptions},
		{"ReceptionSuggestion", c.testReceptionSuggestion},
		// Terms, training and 述职评议: contract_term.go.
		{"Terms", c.testTerms},
		{"TrainingAndReview", c.testTrainingAndReview},
		// Duty point rules: contract_points.go.
		{"PointRules", c.testPointRules},
		{"PointRulesBulk", c.testPointRulesBulk},
		// Deputies' own submissions and the office's review: contract_submission.go.
		{"Submissions", c.testSubmissions},
	} {
		t.Run(x.name, x.test)
	}
}

type contract struct {
	b    Backend
	open func(t *testing.T) *records.Store
}

// skipOn skips the test on backend b, for a fault of that store the
// contract does not accept; the reason says what it does instead.
func (c *contract) skipOn(t *testing.T, b Backend, reason string) {
	t.Helper()
	if c.b == b {
		t.Skipf("%s: %s", b, reason)
	}
}

// The callers tests act as. A context without an actor is records.Local,
// the county-level admin.
var bg = context.Background()

// as is a caller with id, role and townships (none: the whole county).
func as(id string, role records.Role, towns ...string) context.Context {
	a := records.Actor{ID: id, Role: role}
	if len(towns) > 0 {
		a.Townships = towns
	}
	return records.WithActor(context.Background(), a)
}

// MustCreate creates x in c as the caller in ctx, failing the test on error.
func MustCreate[T any, PT records.Record[T]](tb testing.TB, ctx context.Context, c records.Collection[T, PT], x PT) PT {
	tb.Helper()
	got, err := c.Create(ctx, x)
	if err != nil {
		tb.Fatalf("create %s: %v", x.GetMeta().ID, err)
	}
	return got
}

// MustUpdate patches the record with id as the caller in ctx, failing the
// test on error.
func MustUpdate[T any, PT records.Record[T]](tb testing.TB, ctx context.Context, c records.Collection[T, PT], id string, patch func(PT)) PT {
	tb.Helper()
	got, err := c.Update(ctx, id, nil, patch)
	if err != nil {
		tb.Fatalf("update %s: %v", id, err)
	}
	return got
}

// MustGet reads the record with id as the county admin.
func MustGet[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT], id string) PT {
	tb.Helper()
	got, err := c.Get(bg, id)
	if err != nil {
		tb.Fatalf("get %s: %v", id, err)
	}
	return got
}

// MustTownships creates townships with the ids given, named 镇<id>.
func MustTownships(tb testing.TB, s *records.Store, ids ...string) {
	tb.Helper()
	for _, id := range ids {
		MustCreate(tb, bg, s.Townships, &records.Township{Meta: records.Meta{ID: id}, Name: "镇" + id, County: "测试县"})
	}
}

// Record constructors for fixtures: the fields every record of a kind
// needs; tests set the rest.

func village(t, id, name string) *records.Village {
	return &records.Village{Meta: records.Meta{ID: id, Township: t}, Name: name}
}

func deputy(t, id, name string, levels ...records.Level) *records.Deputy {
	if len(levels) == 0 {
		levels = []records.Level{records.TOWNSHIP}
	}
	return &records.Deputy{Meta: records.Meta{ID: id, Township: t}, Name: name, Levels: levels}
}

func project(t, id, name string, kind records.ProjectKind, year int) *records.Project {
	return &records.Project{Meta: records.Meta{ID: id, Township: t}, Name: name, Kind: kind, Year: year, Status: records.PLANNED}
}

func inspection(t, id, topic string, date records.Date, p records.Precision) *records.Inspection {
	return &records.Inspection{Meta: records.Meta{ID: id, Township: t}, Topic: topic, Date: records.DateSpan{Date: date, Precision: p}}
}

func activity(t, id, title string, kind records.ActivityKind, date records.Date) *records.Activity {
	return &records.Activity{Meta: records.Meta{ID: id, Township: t}, Title: title, Kind: kind, Date: records.DateSpan{Date: date, Precision: records.DAY}}
}

func suggestion(t, id, deputyID, title string, submitted records.Date) *records.Suggestion {
	return &records.Suggestion{Meta: records.Meta{ID: id, Township: t}, DeputyID: deputyID, Kind: records.SUGGESTION, Title: title, Submitted: submitted}
}

func ptr[T any](v T) *T { return &v }

// idsOf lists the ids of records, in their order.
func idsOf[T any](xs []*T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = any(x).(interface{ GetMeta() *records.Meta }).GetMeta().ID
	}
	return out
}

// sorted returns a sorted copy of ids, for comparing sets.
func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// list is ids as written in a want, for readability: list("d1", "d2").
func list(ids ...string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// wantErr fails the test unless err has code and, when field is not empty,
// names field.
func wantErr(tb testing.TB, what string, err error, code, field string) {
	tb.Helper()
	gotCode, gotField := records.ErrorCode(err), records.ErrorField(err)
	if gotCode != code || field != "" && gotField != field {
		tb.Errorf("%s: got %v (code %q, field %q), want code %q field %q", what, err, gotCode, gotField, code, field)
	}
}

// wantOK fails the test now if err is not nil.
func wantOK(tb testing.TB, what string, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// findAll reads every page of q (pages of q.First) and returns the ids in
// order, checking that each page has a cursor per record.
func findAll[T any, PT records.Record[T]](tb testing.TB, ctx context.Context, c records.Collection[T, PT], q records.Query) []string {
	tb.Helper()
	var ids []string
	for pages := 0; ; pages++ {
		if pages > 1000 {
			tb.Fatalf("more than 1000 pages: the cursor does not move")
		}
		p, err := c.Find(ctx, q)
		if err != nil {
			tb.Fatalf("find %+v: %v", q, err)
		}
		if len(p.Cursors) != len(p.Items) {
			tb.Fatalf("a page of %d records with %d cursors", len(p.Items), len(p.Cursors))
		}
		ids = append(ids, idsOf(p.Items)...)
		if !p.HasNextPage {
			return list(ids...)
		}
		if len(p.Items) == 0 {
			tb.Fatalf("an empty page says there is a next one")
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}

// canon writes a value a store answered (a group's key) in one form, so
// values decoded as different Go types compare: every number as a float,
// an empty list as no value (a list holding nothing groups with none).
func canon(v any) string {
	if f, ok := records.Number(v); ok {
		return "#" + strconv.FormatFloat(f, 'g', -1, 64)
	}
	switch x := v.(type) {
	case nil:
		return "∅"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any:
		if len(x) == 0 {
			return "∅"
		}
		parts := make([]string, len(x))
		for i, y := range x {
			parts[i] = canon(y)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	if m := records.AsMap(v); m != nil {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + canon(m[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}
