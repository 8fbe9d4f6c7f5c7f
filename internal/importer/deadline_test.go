package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"renda/internal/importer"
	"renda/internal/importer/xlsxtest"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestImportDeadline: an import stops when its context ends, however long
// its file would take to read, and writes nothing.
func TestImportDeadline(t *testing.T) {
	s := MustTownship(t)
	// Four sheets of 16 MB of blank rows: 64 MB unpacked, just inside
	// the 64 MiB a workbook may unpack to. Read whole, it takes several
	// seconds (10–15 s on a shared two-core machine).
	bomb := xlsxtest.Bomb(4, 16_000_000)
	t.Logf("the workbook is %d KiB", len(bomb)>>10)
	before := count(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	res, err := importer.Import(ctx, storeOf(s), bytes.NewReader(bomb), importer.Options{Kind: importer.Deputies, Township: "qps", Atomic: true})
	took := time.Since(start)
	t.Logf("stopped after %v", took)
	if records.ErrorCode(err) != records.ETIMEOUT || !strings.Contains(records.ErrorMessage(err), "没有写入任何记录") {
		t.Fatalf("got %v (result %v), want TIMEOUT saying nothing was written", err, res != nil)
	}
	// A generous bound: without the deadline the import runs on.
	if took > 4*time.Second {
		t.Errorf("the import stopped %v after it started, its deadline 2 s", took)
	}
	if n := count(t, s); n != before {
		t.Errorf("%d deputies after the import, %d before", n, before)
	}
}

// cancelAfter is a store's deputies whose request ends (its context is
// cancelled, as a deadline passing would) once n have been created.
type cancelAfter struct {
	importer.Collection[records.Deputy]
	n       int32
	created atomic.Int32
	cancel  context.CancelFunc
}

func (c *cancelAfter) Create(ctx context.Context, x *records.Deputy) (*records.Deputy, error) {
	d, err := c.Collection.Create(ctx, x)
	if c.created.Add(1) == c.n {
		c.cancel()
	}
	return d, err
}

// TestImportDeadlineWhileWriting: an import whose request ends half way
// through its writes answers TIMEOUT, and the transaction takes back the
// rows it wrote, atomic or not.
func TestImportDeadlineWhileWriting(t *testing.T) {
	if storetest.Default() == storetest.Mongo {
		t.Skip("MongoDB's writes across records are not one transaction (records.Database.InTx)")
	}
	for _, atomic := range []bool{true, false} {
		t.Run(fmt.Sprintf("atomic=%v", atomic), func(t *testing.T) {
			s := MustTownship(t)
			before := count(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st := storeOf(s)
			deputies := &cancelAfter{Collection: s.Deputies, n: 5, cancel: cancel}
			st.Deputies = deputies
			_, err := importer.Import(ctx, st, bytes.NewReader(rosterCSV(20)), importer.Options{Kind: importer.Deputies, Township: "qps", Atomic: atomic})
			if records.ErrorCode(err) != records.ETIMEOUT || !strings.Contains(records.ErrorMessage(err), "导入在写入记录时被取消") {
				t.Fatalf("got %v, want TIMEOUT while writing", err)
			}
			if deputies.created.Load() != 5 {
				t.Errorf("%d creates, want the import to stop after the 5th", deputies.created.Load())
			}
			if n := count(t, s); n != before {
				t.Errorf("%d deputies stored, want none: the transaction takes them back", n-before)
			}
		})
	}
}

// TestSlots: imports take turns; one that gets none before its deadline
// is TIMEOUT, and a slot given back goes to the next.
func TestSlots(t *testing.T) {
	slots := importer.NewSlots(2)
	r1, err1 := slots.Acquire(context.Background())
	r2, err2 := slots.Acquire(context.Background())
	if err1 != nil || err2 != nil || slots.Running() != 2 {
		t.Fatalf("two slots: %v %v, running %d", err1, err2, slots.Running())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := slots.Acquire(ctx); records.ErrorCode(err) != records.ETIMEOUT || !strings.Contains(records.ErrorMessage(err), "同时最多 2 个") {
		t.Fatalf("a third while two run: %v, want TIMEOUT naming the limit", err)
	}
	got := make(chan error, 1)
	go func() {
		release, err := slots.Acquire(context.Background())
		if err == nil {
			release()
		}
		got <- err
	}()
	for slots.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	r1()
	if err := <-got; err != nil {
		t.Fatalf("the waiting one after a slot came free: %v", err)
	}
	r2()
	if slots.Running() != 0 || slots.Waiting() != 0 {
		t.Fatalf("running %d, waiting %d after all gave back", slots.Running(), slots.Waiting())
	}
}

func count(tb testing.TB, s *records.Store) int {
	tb.Helper()
	n, err := s.Deputies.Count(context.Background(), records.Query{})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
