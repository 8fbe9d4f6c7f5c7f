// Package bench measures renda's stores on the county generator (the demo
// township and generated ones, renda seed county), each request beside the
// same figure from raw SQL on the same SQLite file (the floor: what the
// database costs, hand-written) and beside the MongoDB store on the
// embedded FerretDB v1, in one run:
//
//	go test -run '^$' -bench . -benchtime 5x -count 3 ./bench/
//
// Sub-benchmarks are named after what serves: sqlite (renda on its SQLite
// store, through the GraphQL handler in-process), floor (raw SQL through
// the store's DB(), or a writer of its own on the same file), mongo
// (renda on the MongoDB store, FerretDB embedded in the test binary).
// cold is a store opened afresh on the built file before every request:
// nothing of renda's or SQLite's own caches survives, the operating
// system's page cache does (the file was just read); cold-disk drops that
// too (posix_fadvise DONTNEED on the file, where the kernel honours it).
// warm is the same store asked again.
//
// Custom metrics: x-floor is renda's time over the floor's, measured in
// the same sub-benchmark; cmds/op the statements (SQLite) or commands
// (MongoDB) a request sent; creates/s the creates of all writers together;
// MB-heap and MB-RSS the memory of a fresh process after one cold county
// dashboard.
//
// FerretDB is slow to load (a county of 30 townships × 10 years takes
// five minutes) and to ask (seconds a county-wide figure), so its county
// is smaller by default. RENDA_BENCH_MONGO sets it:
//
//	RENDA_BENCH_MONGO=0    no FerretDB at all (the SQLite store and its floor only)
//	RENDA_BENCH_MONGO=10   (default) county-wide figures on 10 townships × 10 years on FerretDB
//	                       (the SQLite store is measured at 10 and at 30 townships beside it);
//	                       the county table on FerretDB at 1 and 10 townships
//	RENDA_BENCH_MONGO=30   everything on FerretDB at the SQLite store's size (a long run)
//
// On FerretDB the county-wide figures are asked cold only (a store opened
// afresh each time: renda keeps no cache on the MongoDB path, so warm is
// the same), the annual summary is measured on the demo township alone
// (at 10 townships its render runs out of its 5 s: one township's lists
// scan the county's collections), and FerretDB runs in this process, so
// its rows come after the SQLite rows they are compared with.
//
// The whole run takes about 16 minutes on two cores (FerretDB's county
// a minute to make, its import of 2 000 rows 20 s a time);
// RENDA_BENCH_MONGO=0 about 4. Each county is made once per test binary
// and shared by the benchmarks; its files are removed when the binary
// ends. go test ./... runs the Test functions here only (quick);
// benchmarks run with -bench.
package bench_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"renda/internal/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	cleanupMu.Lock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	cleanupMu.Unlock()
	os.Exit(code)
}

var (
	cleanupMu sync.Mutex
	cleanups  []func()
)

// atExit runs f when the test binary ends: counties outlive the
// benchmark that made them.
func atExit(f func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	cleanups = append(cleanups, f)
}

var (
	rootOnce sync.Once
	root     string
	rootErr  error
)

// benchDir returns a fresh folder under the binary's temporary root,
// removed when the binary ends.
func benchDir(tb testing.TB, name string) string {
	tb.Helper()
	rootOnce.Do(func() {
		root, rootErr = os.MkdirTemp("", "renda-bench-")
		if rootErr == nil {
			atExit(func() { _ = os.RemoveAll(root) })
		}
	})
	if rootErr != nil {
		tb.Fatal(rootErr)
	}
	dir, err := os.MkdirTemp(root, name+"-")
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// mongoScale is the number of townships of FerretDB's county (see the
// package comment); 0 leaves FerretDB out.
func mongoScale() int {
	switch v := os.Getenv("RENDA_BENCH_MONGO"); v {
	case "":
		return 10
	case "0", "off", "false":
		return 0
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 10
		}
		return n
	}
}

// backends are the stores a benchmark compares: SQLite always, MongoDB on
// FerretDB unless RENDA_BENCH_MONGO=0.
func backends() []storetest.Backend {
	if mongoScale() == 0 {
		return []storetest.Backend{storetest.SQLite}
	}
	return []storetest.Backend{storetest.SQLite, storetest.Mongo}
}

// countyScales are the county sizes (townships) of the county-wide
// benchmarks for backend b: 30 on SQLite, and also the FerretDB scale
// when smaller, so the two stores are compared on the same data.
func countyScales(b storetest.Backend) []int {
	m := mongoScale()
	switch {
	case b == storetest.Mongo:
		return []int{m}
	case m > 0 && m < 30:
		return []int{m, 30}
	}
	return []int{30}
}

// timeIt runs f n times, each after prep (untimed), and returns the mean
// time of f.
func timeIt(n int, prep, f func()) time.Duration {
	var total time.Duration
	for range max(n, 1) {
		if prep != nil {
			prep()
		}
		start := time.Now()
		f()
		total += time.Since(start)
	}
	return total / time.Duration(max(n, 1))
}

// reportFloor measures floor as many times as the benchmark ran (each
// after prep, untimed) and reports its time per op and renda's time over
// it (x-floor). Call it after the timed loop.
func reportFloor(b *testing.B, prep, floor func()) {
	b.Helper()
	reportFloorAs(b, prep, floor, "floor")
}

// reportFloorAs is reportFloor under another name (name-ms/op, x-name).
func reportFloorAs(b *testing.B, prep, floor func(), name string) {
	b.Helper()
	if b.N == 0 {
		return
	}
	per := b.Elapsed() / time.Duration(b.N)
	if prep == nil {
		floor() // warm, as renda was
	}
	f := timeIt(b.N, prep, floor)
	b.ReportMetric(float64(f.Microseconds())/1000, name+"-ms/op")
	b.ReportMetric(float64(per)/float64(f), "x-"+name)
}

// loopWith is b.Loop with prep before each iteration, untimed.
func loopWith(b *testing.B, prep, f func()) {
	b.Helper()
	for b.Loop() {
		if prep != nil {
			b.StopTimer()
			prep()
			b.StartTimer()
		}
		f()
	}
}

// fadviseDontNeed asks the kernel to drop the page cache of the open file
// f (posix_fadvise DONTNEED), so the next read of it goes to the disk.
// Pages not yet written back stay.
//
// The file must stay open while any SQLite connection of this process
// has it open: closing a descriptor drops every POSIX lock the process
// holds on the file, SQLite's included (see county.dropCache).
func fadviseDontNeed(f *os.File) {
	const dontNeed = 4 // POSIX_FADV_DONTNEED
	_, _, _ = syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, dontNeed, 0, 0)
}

// procStatus reads a field of /proc/self/status in MB (VmRSS, VmHWM);
// 0 where there is none.
func procStatus(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		var kb float64
		if _, err := fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb); err == nil {
			return kb / 1024
		}
	}
	return 0
}

var bg = context.Background()
