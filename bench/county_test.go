package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda"
	"renda/graph"
	"renda/internal/demo"
	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

// county is a store holding a generated county: the demo township (qps)
// and n-1 townships of its shape (renda seed county), and the API over it.
type county struct {
	s        *store.Store
	rs       *records.Store
	api      *graph.API
	reg      *report.Registry
	commands atomic.Int64
}

var (
	countiesMu sync.Mutex
	counties   = map[string]*county{}
)

// MustCounty returns the county of n townships and years years, made once
// per test binary.
func MustCounty(tb testing.TB, n, years int) *county {
	tb.Helper()
	countiesMu.Lock()
	defer countiesMu.Unlock()
	k := fmt.Sprintf("%d/%d", n, years)
	if c, ok := counties[k]; ok {
		return c
	}
	c := &county{}
	// The store outlives the test that made it: the binary's other
	// benchmarks share it. Its database is dropped with the server's files.
	s, err := store.Open(context.Background(), storetest.URI(tb), store.Options{
		Database: fmt.Sprintf("county%d_%d_%d", n, years, time.Now().UnixNano()%1e6), SerializeWrites: true,
		OnCommand: func(string) { c.commands.Add(1) }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if _, err := demo.Load(ctx, s.Records(), d); err != nil {
		tb.Fatal(err)
	}
	gen, err := demo.County(d, n, years, 1)
	if err != nil {
		tb.Fatal(err)
	}
	for _, g := range gen {
		if _, err := demo.Load(ctx, s.Records(), g); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Logf("county of %d townships × %d years generated in %v", n, years, time.Since(start).Round(time.Millisecond))
	log := slog.New(slog.DiscardHandler)
	c.s, c.rs, c.api = s, s.Records(), graph.New(s.Records(), log)
	c.reg = report.NewRegistry(report.RegistryConfig{Schema: c.api, Logger: log, Builtin: reports.FS})
	c.api.SetReports(c.reg)
	counties[k] = c
	return c
}

// query runs a GraphQL request through the whole HTTP handler.
func (c *county) query(tb testing.TB, q string, vars map[string]any) []byte {
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

// rawFind runs a find with the driver and decodes every document.
func rawFind(tb testing.TB, coll *mongo.Collection, filter bson.D, opts ...options.Lister[options.FindOptions]) []bson.M {
	ctx := context.Background()
	cur, err := coll.Find(ctx, filter, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	var out []bson.M
	if err := cur.All(ctx, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func ids(docs []bson.M, field string) bson.A {
	var out bson.A
	for _, d := range docs {
		switch v := d[field].(type) {
		case bson.A:
			out = append(out, v...)
		case nil:
		default:
			out = append(out, v)
		}
	}
	return out
}

const (
	deputiesQuery    = `{ deputies(township: "qps", first: 20) { nodes { name village { name } } } }`
	inspectionsQuery = `{ inspections(township: "qps", filter: { year: { eq: 2023 }, topic: { contains: "公路" } }) { nodes { topic date { text fullText } villages { name } projects { name lengthKm surface } } } }`
	updateMutation   = `mutation($id: ID!, $f: String) { updateInspection(id: $id, input: {followUp: $f}) { version } }`
)

// BenchmarkCounty measures one township's requests as the county grows:
// each request at 1, 10 and 30 townships, renda beside the raw driver doing
// the same finds on the same data, in one run. Compare a row's 30 with its
// 1: go test -run '^$' -bench County -benchtime 20x ./bench/
func BenchmarkCounty(b *testing.B) {
	sizes := []int{1, 10, 30}
	cs := map[int]*county{}
	for _, n := range sizes { // all made first: every size is measured on the same server
		cs[n] = MustCounty(b, n, 1)
	}
	perOp := func(b *testing.B, c *county, run func()) {
		before := c.commands.Load()
		ops := 0
		for b.Loop() {
			run()
			ops++
		}
		b.ReportMetric(float64(c.commands.Load()-before)/float64(ops), "cmds/op")
	}
	type request struct {
		name string
		run  func(b *testing.B, c *county, qps func(records.Kind) *mongo.Collection) func()
	}
	target := "i-2023-05" // the demo's 7月中旬 road inspection
	i := 0
	requests := []request{
		{"Deputies/graphql", func(b *testing.B, c *county, _ func(records.Kind) *mongo.Collection) func() {
			return func() { c.query(b, deputiesQuery, nil) }
		}},
		{"Deputies/raw", func(b *testing.B, c *county, qps func(records.Kind) *mongo.Collection) func() {
			return func() {
				deps := rawFind(b, qps(records.KindDeputy), bson.D{{Key: "township", Value: "qps"}},
					options.Find().SetSort(bson.D{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(21))
				rawFind(b, qps(records.KindVillage), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids(deps, "villageId")}}}})
			}
		}},
		{"Inspections/graphql", func(b *testing.B, c *county, _ func(records.Kind) *mongo.Collection) func() {
			return func() { c.query(b, inspectionsQuery, nil) }
		}},
		{"Inspections/raw", func(b *testing.B, c *county, qps func(records.Kind) *mongo.Collection) func() {
			return func() {
				ins := rawFind(b, qps(records.KindInspection), bson.D{{Key: "township", Value: "qps"}, {Key: "date.year", Value: 2023},
					{Key: "topic", Value: bson.D{{Key: "$regex", Value: "公路"}, {Key: "$options", Value: "i"}}}},
					options.Find().SetSort(bson.D{{Key: "date.date", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(51))
				rawFind(b, qps(records.KindVillage), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids(ins, "villageIds")}}}})
				rawFind(b, qps(records.KindProject), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids(ins, "projectIds")}}}})
			}
		}},
		{"AnnualSummary/graphql", func(b *testing.B, c *county, _ func(records.Kind) *mongo.Collection) func() {
			params := map[string]any{"township": "qps", "year": 2023}
			return func() {
				if _, err := c.reg.Render(context.Background(), "annual-summary", params, report.MARKDOWN); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"UpdateInspection/graphql", func(b *testing.B, c *county, _ func(records.Kind) *mongo.Collection) func() {
			return func() {
				i++
				c.query(b, updateMutation, map[string]any{"id": target, "f": fmt.Sprintf("跟进%d", i)})
			}
		}},
		{"UpdateInspection/raw", func(b *testing.B, c *county, qps func(records.Kind) *mongo.Collection) func() {
			ctx := context.Background()
			return func() {
				i++
				var doc bson.M
				if err := qps(records.KindInspection).FindOne(ctx, bson.D{{Key: "_id", Value: target}}).Decode(&doc); err != nil {
					b.Fatal(err)
				}
				v := doc["version"]
				doc["followUp"], doc["version"] = fmt.Sprintf("跟进%d", i), v.(int32)+1
				if _, err := qps(records.KindInspection).ReplaceOne(ctx, bson.D{{Key: "_id", Value: target}, {Key: "version", Value: v}}, doc); err != nil {
					b.Fatal(err)
				}
			}
		}},
	}
	for _, r := range requests {
		for _, n := range sizes {
			c := cs[n]
			qps := func(k records.Kind) *mongo.Collection { return c.s.Collection(k) }
			b.Run(fmt.Sprintf("%s/townships=%d", r.name, n), func(b *testing.B) { perOp(b, c, r.run(b, c, qps)) })
		}
	}
}

// BenchmarkCountyConcurrentRenders renders eight annual summaries at once
// at 30 townships: ns/op is the time for all eight.
func BenchmarkCountyConcurrentRenders(b *testing.B) {
	c := MustCounty(b, 30, 1)
	for b.Loop() {
		if failed := renderAtOnce(c, 8); len(failed) > 0 {
			b.Fatalf("%d of 8 renders failed: %v", len(failed), failed[0])
		}
	}
}

// renderAtOnce renders n annual summaries of qps at once, each within the
// server's request deadline, and returns the errors.
func renderAtOnce(c *county, n int) []error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := c.reg.Render(ctx, "annual-summary", map[string]any{"township": "qps", "year": 2023}, report.MARKDOWN)
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// TestCountyConcurrentRenders: eight annual summaries rendered at once at
// 30 townships all succeed.
func TestCountyConcurrentRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a county of 30 townships")
	}
	// On the embedded store (the county of MustCounty is FerretDB's, for
	// the benchmarks that compare with it).
	s := storetest.MustOpen(t)
	ctx := context.Background()
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.County(d, 30, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range append([]*demo.Dataset{d}, gen...) {
		if _, err := demo.Load(ctx, s, x); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.DiscardHandler)
	c := &county{api: graph.New(s, log)}
	c.reg = report.NewRegistry(report.RegistryConfig{Schema: c.api, Logger: log, Builtin: reports.FS})
	c.api.SetReports(c.reg)
	start := time.Now()
	if failed := renderAtOnce(c, 8); len(failed) > 0 {
		t.Fatalf("%d of 8 renders failed, the first: %v", len(failed), failed[0])
	}
	t.Logf("8 renders at 30 townships in %v", time.Since(start))
}

// BenchmarkTownshipYears: one township's annual summary and a page of
// inspections as its records pile up over the years, the measure of the
// embedded store's ceiling (a township's requests scan its own
// collections): go test -run '^$' -bench TownshipYears -benchtime 10x ./bench/
func BenchmarkTownshipYears(b *testing.B) {
	for _, years := range []int{1, 5, 10, 20} {
		c := MustCounty(b, 2, years) // t01 holds the years; qps is the demo
		n, _ := c.s.Activities.Count(context.Background(), records.Query{Townships: []string{"t01"}})
		b.Run(fmt.Sprintf("AnnualSummary/years=%d/activities=%d", years, n), func(b *testing.B) {
			for b.Loop() {
				if _, err := c.reg.Render(context.Background(), "annual-summary", map[string]any{"township": "t01", "year": 2023}, report.MARKDOWN); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Inspections/years=%d", years), func(b *testing.B) {
			for b.Loop() {
				c.query(b, `{ inspections(township: "t01", filter: {year: {eq: 2023}}) { nodes { topic villages { name } } } }`, nil)
			}
		})
	}
}
