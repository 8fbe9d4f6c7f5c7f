package records

import (
	"context"
	"time"
)

// As of a moment: a read whose context carries an instant (WithAsOf) sees
// the records as they stood then, rebuilt from the audit trail: a record
// created later is absent, one deleted later is present, one changed
// later reads as it was before its first later change. Every read of a
// store honours it (lists, lookups, counts, groupings, relation filters);
// writes never carry it.

type asOfKey struct{}

// WithAsOf makes the reads of ctx see the records as they stood at t
// (changes made at t included).
func WithAsOf(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, asOfKey{}, t.UTC())
}

// AsOfFrom is the instant the reads of ctx look at, if any.
func AsOfFrom(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(asOfKey{}).(time.Time)
	return t, ok
}

// EndOfDay is the last instant (to the millisecond, as the audit trail
// records them) of day d in Asia/Shanghai, the township's calendar: what
// "as of 2023-06-30" means.
func EndOfDay(d Date) time.Time {
	t := d.Time()
	next := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, shanghai)
	return next.Add(-time.Millisecond).UTC()
}

// ChangingActions are the audit actions that change a record; the others
// (sign-ins, exports) say nothing of a record's state.
var ChangingActions = []string{ActionCreate, ActionUpdate, ActionDelete, ActionRevert, ActionRestore}
