package auth

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"renda/internal/records"
)

// Lock-out: after MaxFailures failed sign-ins in a row an account waits a
// minute before the next try, twice as long after each further failure,
// at most an hour.
//
// An attempt is counted before its password is checked: the count goes up
// in the store, in one transaction (SQLite) or guarded by the account's
// version (MongoDB), and only an attempt that found the account unlocked
// is checked. However many guesses arrive at once, from however many
// server instances, at most MaxFailures of them are checked before the
// lock holds. A right password then clears the count.
//
// An unknown user name is counted and locked the same way, in memory
// (strangers), and its attempt checks the password against a dummy hash,
// so its answers, and their time, are those of a known name.
const (
	MaxFailures = 5
	maxLockout  = time.Hour
)

// lockout is how long an account waits after its failures-th failure in
// a row (0 if it need not).
func lockout(failures int) time.Duration {
	n := failures - MaxFailures
	if n < 0 {
		return 0
	}
	return min(time.Minute<<min(n, 10), maxLockout)
}

// lockedErr is the answer to an attempt while locked: the same for a known
// and an unknown name.
func lockedErr(until, now time.Time) error {
	return records.Errorf(records.EUNAUTHORIZED, lockedPrefix+"try again in %v", until.Sub(now).Round(time.Second))
}

const lockedPrefix = "too many failed sign-ins: "

// isLocked reports the answer to an attempt while locked.
func isLocked(err error) bool {
	return records.ErrorCode(err) == records.EUNAUTHORIZED && strings.HasPrefix(records.ErrorMessage(err), lockedPrefix)
}

// attempt counts a sign-in attempt of account id with password and checks
// it; it returns the account, still counted as failed (the caller clears
// the count with what it writes next), or errSignIn, or the lock-out.
func (s *Service) attempt(ctx context.Context, id, password string) (*records.Account, error) {
	now := s.c.Now()
	start := time.Now()
	a, err := s.c.Store.UpdateAccount(ctx, id, func(a *records.Account) error {
		if a.LockedUntil.After(now) {
			return lockedErr(a.LockedUntil, now)
		}
		a.FailedLogins++
		if d := lockout(a.FailedLogins); d > 0 {
			a.LockedUntil = now.Add(d)
		}
		return nil
	})
	if records.ErrorCode(err) == records.ENOTFOUND {
		return nil, &unknownName{s.stranger(ctx, id, password, now, time.Since(start))}
	} else if err != nil {
		return nil, err
	}
	s.counting.observe(time.Since(start))
	if !verifyPassword(a.PasswordHash, password) || a.Disabled {
		s.c.Logger.InfoContext(ctx, "failed sign-in", "account", a.ID)
		return nil, errSignIn
	}
	return a, nil
}

// unknownName wraps the answer to an attempt for a name no account has,
// for the audit entry; the caller answers the error inside, the same as
// for a known name.
type unknownName struct{ err error }

func (u *unknownName) Error() string { return u.err.Error() }
func (u *unknownName) Unwrap() error { return u.err }

// stranger answers an attempt for a name no account has as attempt does
// for one that has: counted, locked after MaxFailures, a password checked
// (against dummyHash), and as long (took is what the store took to say the
// name is unknown; a known name's count takes a write more).
func (s *Service) stranger(ctx context.Context, name, password string, now time.Time, took time.Duration) error {
	if err := s.strangers.count(name, now); err != nil {
		return err
	}
	verifyPassword(dummyHash, password)
	if d := s.counting.estimate() - took; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	s.c.Logger.InfoContext(ctx, "failed sign-in", "account", "(unknown)")
	return errSignIn
}

// maxStrangers bounds the unknown names whose failures are remembered.
const maxStrangers = 10000

// strangers are the failed sign-ins of unknown names, by the SHA-256 of
// the name (the names themselves, often mistyped passwords, are not kept).
type strangers struct {
	mu sync.Mutex
	m  map[[32]byte]*strangerRecord
}

type strangerRecord struct {
	failures    int
	lockedUntil time.Time
	last        time.Time
}

// count counts a failed attempt of name at now, or answers the lock-out.
func (b *strangers) count(name string, now time.Time) error {
	key := sha256.Sum256([]byte(name))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[[32]byte]*strangerRecord{}
	}
	r := b.m[key]
	if r == nil {
		if len(b.m) >= maxStrangers {
			b.evict(now)
		}
		r = &strangerRecord{}
		b.m[key] = r
	}
	if r.lockedUntil.After(now) {
		return lockedErr(r.lockedUntil, now)
	}
	r.failures++
	r.last = now
	if d := lockout(r.failures); d > 0 {
		r.lockedUntil = now.Add(d)
	}
	return nil
}

// evict makes room, a tenth of maxStrangers at a time: the names with the
// fewest failures go first (the oldest of those), so a flood of new names
// pushes out new names, not those close to their lock or locked.
func (b *strangers) evict(now time.Time) {
	type entry struct {
		k [32]byte
		r *strangerRecord
	}
	all := make([]entry, 0, len(b.m))
	for k, r := range b.m {
		all = append(all, entry{k, r})
	}
	slices.SortFunc(all, func(x, y entry) int {
		if less(x.r, y.r, now) {
			return -1
		} else if less(y.r, x.r, now) {
			return 1
		}
		return 0
	})
	for _, e := range all[:maxStrangers/10] {
		delete(b.m, e.k)
	}
}

// less reports whether a goes before b when making room.
func less(a, b *strangerRecord, now time.Time) bool {
	if la, lb := a.lockedUntil.After(now), b.lockedUntil.After(now); la != lb {
		return lb
	}
	if a.failures != b.failures {
		return a.failures < b.failures
	}
	return a.last.Before(b.last)
}

// cost is a running estimate of how long counting an attempt in the store
// takes (an exponentially weighted mean, in nanoseconds).
type cost struct{ ns atomic.Int64 }

func (c *cost) observe(d time.Duration) {
	for {
		old := c.ns.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/8
		}
		if c.ns.CompareAndSwap(old, next) {
			return
		}
	}
}

func (c *cost) estimate() time.Duration { return time.Duration(c.ns.Load()) }
