package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/auth"
	"renda/internal/export"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/storetest"
	"renda/reports"
)

// mixedClients is how many clients the mixed load runs at once (issue
// 17, row 11: 50 clients, mixed reads and writes).
const mixedClients = 50

// BenchmarkMixedLoad: 50 clients at once through the whole HTTP stack —
// a real TCP listener, the gate (each client sends an editor's API key),
// the body budget, request deadline, GraphQL — on the SQLite store
// holding the demo township. An op is one request of one client; the
// clients take ops until b.N are done: three reads (a page of deputies
// with their villages, a page of suggestions with their deputies, one
// deputy, a page of villages, in turn) for each write (a suggestion
// created, or a village renamed: a new version with its audit entry).
//
// Custom metrics: read-p50-ms, read-p99-ms, write-p50-ms, write-p99-ms
// (each request's time as its client saw it), req/s (all clients
// together). Done when write-p99-ms ≤ 1000. Run it alone, with a fixed
// number of requests:
//
//	go test -run '^$' -bench MixedLoad -benchtime 3000x ./bench/
func BenchmarkMixedLoad(b *testing.B) {
	s := storetest.MustDemoOn(b, storetest.SQLite)
	url, key := mixedServer(b, s)
	tr := &http.Transport{MaxIdleConns: 2 * mixedClients, MaxIdleConnsPerHost: 2 * mixedClients, IdleConnTimeout: time.Minute}
	b.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: time.Minute}
	post := func(q string, vars map[string]any) error {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
			return fmt.Errorf("%d: %.300s", resp.StatusCode, out)
		}
		return nil
	}
	villages := []string{"v-qps", "v-ng", "v-xs", "v-29", "v-28", "v-30", "v-g5", "v-g6", "v-g7", "v-lz8"}
	deputies := []string{"d-001", "d-002", "d-003", "d-004"}
	reads := []func(k int) error{
		func(k int) error {
			return post(`query($t: ID!) { deputies(township: $t, first: 20) { nodes { id name phone village { name } } pageInfo { hasNextPage } } }`,
				map[string]any{"t": "qps"})
		},
		func(k int) error {
			return post(`query($t: ID!) { suggestions(township: $t, first: 20) { nodes { id title status submitted deputy { name } } } }`,
				map[string]any{"t": "qps"})
		},
		func(k int) error {
			return post(`query($id: ID!) { deputy(id: $id) { id name gender levels phone village { name } } }`, map[string]any{"id": deputies[k%len(deputies)]})
		},
		func(k int) error {
			return post(`query($t: ID!) { villages(township: $t, first: 50) { nodes { id name population } } }`, map[string]any{"t": "qps"})
		},
	}
	writes := []func(k int) error{
		func(k int) error {
			return post(`mutation($in: CreateSuggestionInput!) { createSuggestion(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"township": "qps", "deputyId": deputies[k%len(deputies)], "title": fmt.Sprintf("关于修缮第%d号水渠的建议", k), "submitted": "2024-03-15"}})
		},
		func(k int) error {
			return post(`mutation($id: ID!, $n: String!) { updateVillage(id: $id, input: {name: $n}) { version } }`,
				map[string]any{"id": villages[k%len(villages)], "n": fmt.Sprintf("村%d", k)})
		},
	}
	// A first request of each kind, so the run measures a warm server.
	for i, f := range append(slices.Clone(reads), writes...) {
		if err := f(i); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	readTimes, writeTimes := mixedRun(b, b.N, reads, writes)
	b.StopTimer()
	if len(readTimes) == 0 || len(writeTimes) == 0 {
		return
	}
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		i := min(len(ds)-1, int(float64(len(ds))*p))
		return float64(ds[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(readTimes, 0.50), "read-p50-ms")
	b.ReportMetric(pct(readTimes, 0.99), "read-p99-ms")
	b.ReportMetric(pct(writeTimes, 0.50), "write-p50-ms")
	b.ReportMetric(pct(writeTimes, 0.99), "write-p99-ms")
	b.ReportMetric(float64(len(readTimes)+len(writeTimes))/b.Elapsed().Seconds(), "req/s")
}

// mixedRun has mixedClients clients send n requests in all, one write
// for three reads, and returns each read's and each write's time.
func mixedRun(b *testing.B, n int, reads, writes []func(k int) error) (readTimes, writeTimes []time.Duration) {
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed atomic.Value
	for range mixedClients {
		wg.Go(func() {
			var rs, ws []time.Duration
			for {
				k := int(next.Add(1)) - 1
				if k >= n || failed.Load() != nil {
					break
				}
				start := time.Now()
				var err error
				if k%4 == 3 {
					err = writes[(k/4)%len(writes)](k)
					ws = append(ws, time.Since(start))
				} else {
					err = reads[(k-k/4)%len(reads)](k)
					rs = append(rs, time.Since(start))
				}
				if err != nil {
					failed.CompareAndSwap(nil, err)
					break
				}
			}
			mu.Lock()
			readTimes, writeTimes = append(readTimes, rs...), append(writeTimes, ws...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return readTimes, writeTimes
}

// mixedServer serves s through renda's whole HTTP stack, as renda serve
// builds it, on a loopback listener; it returns its URL and an editor's
// API key.
func mixedServer(tb testing.TB, s *records.Store) (url, key string) {
	tb.Helper()
	svc := auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, Logger: logger})
	key, _, err := svc.CreateKey(context.Background(), "压测", records.Editor, nil)
	if err != nil {
		tb.Fatal(err)
	}
	api := graph.New(s, logger)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: logger, Builtin: reports.FS, Store: s.Reports})
	api.SetReports(reg)
	gate := auth.NewGate(auth.GateConfig{Service: svc, Logger: logger, Loopback: true})
	api.SetAuth(svc, gate.Open)
	h := server.Handler(server.Config{
		GraphQL:      api,
		Reports:      auth.RequireSignIn(report.Handler(reg, logger)),
		ReportsIndex: auth.RequireSignIn(report.IndexHandler(reg, logger)),
		Export:       auth.RequireSignIn(export.Handler(api, s, logger)),
		Gate:         gate.Handler,
		Ping:         s.Ping,
		Metrics:      server.NewMetrics(),
		Logger:       logger,
		MaxBodyBytes: graph.MaxBodyBytes,
	})
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts.URL, key
}
