package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"renda/internal/records"
)

// Group commit. SQLite commits one transaction at a time, and with
// synchronous=FULL each commit waits for the disk (an fsync of the WAL):
// writes that arrive together would each wait for all the fsyncs before
// theirs. So the writes of this process go to one goroutine, the
// committer, which runs those waiting together in one transaction, each
// inside a savepoint of its own, and commits them with one fsync:
//
//   - a write that fails is rolled back to its savepoint and answered
//     its error; the others of the batch go on;
//   - none is answered before the commit: an acknowledged write is on
//     disk, as before;
//   - they run one after another, each seeing those before it, so the
//     batch is the same as the writes made in turn.
//
// A write's statements run with a context SQLite is not told to watch
// (quiet): an interrupted statement (sqlite3_interrupt, what a cancelled
// context does) would roll back the whole transaction, other writes of
// the batch with it. A write still stops at its deadline where it checks
// its context (the importer does between rows); the store answers
// ETIMEOUT for it, as the deadline's error says.

// maxBatch bounds the writes committed together.
const maxBatch = 128

type writeJob struct {
	ctx  context.Context
	f    func(ctx context.Context, tx *sql.Tx) error
	err  error
	pan  any // a panic of f, raised again in the caller
	done chan struct{}
}

// quiet is a context whose end database/sql and the driver do not see
// (no Done channel, no deadline: a context derived from it does not end
// with its parent either), with the values and the Err of its parent.
type quiet struct{ context.Context }

func (quiet) Done() <-chan struct{} { return nil }

func (quiet) Deadline() (time.Time, bool) { return time.Time{}, false }

// startCommitter starts the committer; stopCommitter ends it.
func (s *Store) startCommitter() {
	s.jobs = make(chan *writeJob)
	s.quit = make(chan struct{})
	s.stopped = make(chan struct{})
	go func() {
		defer close(s.stopped)
		for {
			select {
			case j := <-s.jobs:
				s.commitBatch(j)
			case <-s.quit:
				return
			}
		}
	}()
}

func (s *Store) stopCommitter() {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	<-s.stopped
}

// submit runs f in a write transaction through the committer and returns
// once it is committed (or failed).
func (s *Store) submit(ctx context.Context, f func(ctx context.Context, tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return s.internal(ctx, "begin", err)
	}
	j := &writeJob{ctx: ctx, f: f, done: make(chan struct{})}
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		return s.internal(ctx, "begin", ctx.Err())
	case <-s.quit:
		return s.internal(ctx, "begin", fmt.Errorf("the store is closed"))
	}
	<-j.done
	if j.pan != nil {
		panic(j.pan)
	}
	return j.err
}

// commitBatch runs first and the writes waiting behind it in one
// transaction and commits it.
func (s *Store) commitBatch(first *writeJob) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	bg := context.Background()
	tx, err := s.w.BeginTx(bg, nil)
	if err != nil {
		first.err = s.internal(first.ctx, "begin", err)
		close(first.done)
		return
	}
	var ran []*writeJob // run and kept, answered at the commit
	broken := error(nil)
	run := func(j *writeJob) {
		if err := j.ctx.Err(); err != nil {
			j.err = s.internal(j.ctx, "begin", err)
			close(j.done)
			return
		}
		if _, err := tx.ExecContext(bg, "SAVEPOINT w"); err != nil {
			broken = err
			ran = append(ran, j)
			return
		}
		err := s.call(j, tx)
		if err == nil && j.pan == nil {
			if _, err := tx.ExecContext(bg, "RELEASE w"); err != nil {
				broken = err
			}
			ran = append(ran, j)
			return
		}
		// Undo what it wrote; the transaction goes on for the others.
		if _, rerr := tx.ExecContext(bg, "ROLLBACK TO w"); rerr != nil {
			broken = rerr
		} else if _, rerr := tx.ExecContext(bg, "RELEASE w"); rerr != nil {
			broken = rerr
		}
		j.err = err
		close(j.done)
	}
	run(first)
	start := time.Now()
drain:
	for len(ran) < maxBatch && broken == nil && time.Since(start) < time.Second {
		select {
		case j := <-s.jobs:
			run(j)
		default:
			break drain
		}
	}
	if broken != nil {
		_ = tx.Rollback()
		for _, j := range ran {
			j.err = s.internal(j.ctx, "write", broken)
			close(j.done)
		}
		return
	}
	err = tx.Commit()
	for _, j := range ran {
		if err != nil {
			j.err = s.internal(j.ctx, "commit", err)
		}
		close(j.done)
	}
}

// call runs a job's f in tx, quiet (see above), catching a panic.
func (s *Store) call(j *writeJob, tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			j.pan = p
			err = records.Errorf(records.EINTERNAL, "a write panicked")
		}
	}()
	return j.f(context.WithValue(quiet{j.ctx}, txKey{}, tx), tx)
}
