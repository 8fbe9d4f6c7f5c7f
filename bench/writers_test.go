package bench_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/storetest"
)

const writers = 16

// perWriter is how many creates each writer makes in an op: fewer on
// FerretDB, where a create takes tens of milliseconds.
func perWriter(be storetest.Backend) int {
	if be == storetest.Mongo {
		return 10
	}
	return 25
}

// BenchmarkConcurrentCreates: 16 writers at once, each creating deputies
// one Create at a time in a township of its own (16 townships); an op is
// 16 × 25 creates (16 × 10 on FerretDB). creates/s counts all writers together. The floor is
// the same 16 goroutines writing each record raw — its row and its audit
// row in one transaction, committed (WAL, synchronous=FULL) — through one
// writer connection.
func BenchmarkConcurrentCreates(b *testing.B) {
	for _, be := range backends() {
		b.Run(fmt.Sprintf("writers=%d/%s", writers, be), func(b *testing.B) {
			var s *records.Store
			var path string
			if be == storetest.SQLite {
				sq := storetest.MustSQLite(b)
				s, path = sq.Records(), sq.Path()
			} else {
				s = storetest.MustOpenOn(b, be)
			}
			towns := make([]string, writers)
			for i := range towns {
				t, err := s.Townships.Create(bg, &records.Township{Name: fmt.Sprintf("写入镇%02d", i)})
				if err != nil {
					b.Fatal(err)
				}
				towns[i] = t.ID
			}
			seq, perWriter := 0, perWriter(be)
			all := func(create func(w, k int) error) {
				var wg sync.WaitGroup
				errs := make(chan error, writers)
				base := seq
				seq += perWriter
				for w := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for k := range perWriter {
							if err := create(w, base+k); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				all(func(w, k int) error {
					_, err := s.Deputies.Create(bg, &records.Deputy{Meta: records.Meta{Township: towns[w]}, Name: personName(k),
						Levels: []records.Level{records.TOWNSHIP}})
					return err
				})
			}
			rate := func(d time.Duration) float64 { return float64(writers*perWriter) / d.Seconds() }
			b.ReportMetric(rate(b.Elapsed()/time.Duration(b.N)), "creates/s")
			if be != storetest.SQLite {
				return
			}
			db := writer(b, path)
			floor := func() {
				all(func(w, k int) error { return floorCreate(db, towns[w], personName(k)) })
			}
			f := timeIt(b.N, nil, floor)
			b.ReportMetric(rate(f), "floor-creates/s")
			b.ReportMetric(float64(b.Elapsed()/time.Duration(b.N))/float64(f), "x-floor")
		})
	}
}

// floorCreate writes one new deputy raw: its row and its audit row, in a
// transaction of its own.
func floorCreate(db *sql.DB, t, name string) error {
	now := records.Now()
	x := &records.Deputy{Meta: records.Meta{ID: records.NewID(), Township: t, Version: 1, CreatedAt: now, UpdatedAt: now,
		CreatedBy: "bench", UpdatedBy: "bench", Tags: []string{}}, Name: name, Levels: []records.Level{records.TOWNSHIP}}
	doc, err := json.Marshal(x)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(bg, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(bg, `INSERT INTO deputies (id, township, version, created_at, updated_at, doc) VALUES (?, ?, 1, ?, ?, ?)`,
		x.ID, t, now.UnixMilli(), now.UnixMilli(), string(doc)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(bg, `INSERT INTO audit (id, at, actor, action, kind, record_id, township, version, before, after, note) VALUES (?, ?, 'bench', ?, 'deputies', ?, ?, 1, NULL, ?, '')`,
		records.NewID(), now.UnixMilli(), records.ActionCreate, x.ID, t, string(doc)); err != nil {
		return err
	}
	return tx.Commit()
}
