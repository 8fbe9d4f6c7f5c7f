// Package changes tells dashboards which townships' records changed, so
// they refetch when something changed rather than poll.
//
// The feed reads the audit trail, where every write of a record leaves an
// entry: the writes of this server and of any other process on the same
// store (the CLI importing beside a running server, another server on the
// same MongoDB). While someone listens it reads the entries newer than the
// last it saw every Interval (one indexed read), and sends each listener
// the townships and kinds changed since, once per read however many
// records changed. Nobody listening, it reads nothing.
package changes

import (
	"context"
	"slices"
	"sync"
	"time"

	"renda/internal/records"
)

// Change says that records of a kind in a township changed (created,
// updated, deleted, reverted or restored) at At, the latest such write.
type Change struct {
	Township string
	Kind     records.Kind
	At       time.Time
}

// Limits of the feed: each listener is a held connection.
const (
	// Interval is how often the audit trail is read while someone
	// listens: a change reaches dashboards within about this.
	Interval = 250 * time.Millisecond
	// MaxListeners bounds the listeners of one server.
	MaxListeners = 256
	// MaxPerActor bounds one caller's listeners (a browser's tabs).
	MaxPerActor = 8
	// pageSize is how many entries one read takes; more are paged.
	pageSize = 500
)

// Feed is the audit trail read for changes.
type Feed struct {
	db       records.Database
	interval time.Duration
	log      func(msg string, err error)

	mu        sync.Mutex
	listeners map[*listener]struct{}
	perActor  map[string]int
	running   bool
	last      time.Time       // newest entry seen
	seen      map[string]bool // ids of the entries at last (same millisecond)
	started   bool            // last is when listening started: entries at it are older
}

type listener struct {
	actor     records.Actor
	townships map[string]bool // nil: all the actor sees
	kinds     map[records.Kind]bool
	ch        chan []Change
}

// New returns a feed of db's audit trail; log (may be nil) hears read
// errors, which the feed survives.
func New(db records.Database, log func(msg string, err error)) *Feed {
	if log == nil {
		log = func(string, error) {}
	}
	return &Feed{db: db, interval: Interval, log: log, listeners: map[*listener]struct{}{}, perActor: map[string]int{}}
}

// ErrBusy is the error of a listen past the limits.
var ErrBusy = records.Errorf(records.EBUSY, "too many listeners for changes; close another dashboard or try again later")

// Listen sends the changes the caller of ctx may see — in townships
// (none: all it sees) and of kinds (none: all) — until ctx ends, when the
// channel is closed. A send finding the listener's channel full drops
// the batch for it: a listener that cannot keep up refetches anyway.
func (f *Feed) Listen(ctx context.Context, townships []string, kinds []records.Kind) (<-chan []Change, error) {
	actor := records.ActorFrom(ctx)
	l := &listener{actor: actor, ch: make(chan []Change, 16)}
	if len(townships) > 0 {
		l.townships = map[string]bool{}
		for _, t := range townships {
			l.townships[t] = true
		}
	}
	if len(kinds) > 0 {
		l.kinds = map[records.Kind]bool{}
		for _, k := range kinds {
			l.kinds[k] = true
		}
	}
	f.mu.Lock()
	if len(f.listeners) >= MaxListeners || f.perActor[actor.ID] >= MaxPerActor {
		f.mu.Unlock()
		return nil, ErrBusy
	}
	f.listeners[l] = struct{}{}
	f.perActor[actor.ID]++
	if !f.running {
		f.running = true
		f.last, f.seen, f.started = records.Now(), map[string]bool{}, true
		go f.run()
	}
	f.mu.Unlock()
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		delete(f.listeners, l)
		if f.perActor[actor.ID]--; f.perActor[actor.ID] <= 0 {
			delete(f.perActor, actor.ID)
		}
		close(l.ch)
		f.mu.Unlock()
	}()
	return l.ch, nil
}

// run reads the trail while anyone listens.
func (f *Feed) run() {
	t := time.NewTicker(f.interval)
	defer t.Stop()
	for range t.C {
		f.mu.Lock()
		if len(f.listeners) == 0 {
			f.running = false
			f.mu.Unlock()
			return
		}
		from := f.last
		f.mu.Unlock()
		changes, last, seen, err := f.read(from)
		if err != nil {
			f.log("read the audit trail for changes", err)
			continue
		}
		f.mu.Lock()
		f.last, f.seen, f.started = last, seen, false
		for l := range f.listeners {
			if mine := l.filter(changes); len(mine) > 0 {
				select {
				case l.ch <- mine:
				default:
				}
			}
		}
		f.mu.Unlock()
	}
}

// read collects the changes of the entries at or after from that it has
// not seen; it returns the newest time read and the ids at it.
func (f *Feed) read(from time.Time) ([]Change, time.Time, map[string]bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	f.mu.Lock()
	seen, started := f.seen, f.started
	f.mu.Unlock()
	latest := map[[2]string]time.Time{}
	last, lastSeen := from, map[string]bool{}
	for id := range seen {
		lastSeen[id] = true
	}
	after := ""
	for {
		es, next, err := f.db.AuditLog(ctx, records.AuditFilter{From: &from}, pageSize, after)
		if err != nil {
			return nil, from, seen, err
		}
		for _, e := range es {
			if seen[e.ID] || started && !e.At.After(from) {
				continue
			}
			switch {
			case e.At.After(last):
				last, lastSeen = e.At, map[string]bool{e.ID: true}
			case e.At.Equal(last):
				lastSeen[e.ID] = true
			}
			if !slices.Contains(records.ChangingActions, e.Action) || e.Township == "" {
				continue
			}
			k := [2]string{e.Township, e.Kind}
			if e.At.After(latest[k]) {
				latest[k] = e.At
			}
		}
		if next == "" || len(es) < pageSize {
			break
		}
		after = next
	}
	out := make([]Change, 0, len(latest))
	for k, at := range latest {
		out = append(out, Change{Township: k[0], Kind: records.Kind(k[1]), At: at})
	}
	slices.SortFunc(out, func(a, b Change) int {
		if a.Township != b.Township {
			if a.Township < b.Township {
				return -1
			}
			return 1
		}
		if a.Kind < b.Kind {
			return -1
		} else if a.Kind > b.Kind {
			return 1
		}
		return 0
	})
	return out, last, lastSeen, nil
}

// filter keeps the changes the listener asked for and may see.
func (l *listener) filter(cs []Change) []Change {
	var out []Change
	for _, c := range cs {
		if !l.actor.Sees(c.Township) || l.townships != nil && !l.townships[c.Township] || l.kinds != nil && !l.kinds[c.Kind] {
			continue
		}
		out = append(out, c)
	}
	return out
}
