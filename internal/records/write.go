package records

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
)

// The rules of a write that hold whichever store keeps the record: who may
// write, what a new record starts with, which references to look up.

var (
	idCounter atomic.Uint32
	idProcess [5]byte
)

func init() {
	var b [4]byte
	_, _ = rand.Read(b[:])
	idCounter.Store(binary.BigEndian.Uint32(b[:]) & 0x7fffff)
	_, _ = rand.Read(idProcess[:])
}

// NewID returns a fresh record id: 24 hex digits, 4 bytes of seconds, 5
// random bytes drawn once per process and a 3-byte counter (the form of
// MongoDB's ObjectIDs), so the ids one process makes sort in the order it
// made them.
func NewID() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(time.Now().Unix()))
	copy(b[4:9], idProcess[:])
	c := idCounter.Add(1)
	b[9], b[10], b[11] = byte(c>>16), byte(c>>8), byte(c)
	return hex.EncodeToString(b[:])
}

// Now is the time stamped on writes, at the millisecond both stores keep.
func Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

type clockKey struct{}

// WithClock makes the writes of ctx stamp their records and audit entries
// with now() rather than the time: for tests that build a history over
// days (as of a date, figures of a period). Nothing outside Go code sets
// it.
func WithClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// NowFor is Now, or the clock ctx carries (WithClock).
func NowFor(ctx context.Context) time.Time {
	if f, ok := ctx.Value(clockKey{}).(func() time.Time); ok {
		return f().UTC().Truncate(time.Millisecond)
	}
	return Now()
}

// MayWrite checks that the caller may write a record of kind in township
// t: an editor of t. Creating or deleting a township (townshipItself) is a
// county-level admin's.
func MayWrite(ctx context.Context, kind Kind, t string, townshipItself bool) error {
	a := ActorFrom(ctx)
	if kind == KindTownship && townshipItself {
		if !a.County() || !a.Can(Admin) {
			return Errorf(EFORBIDDEN, "only a county-level admin may create or delete townships")
		}
		return nil
	}
	if kind == KindPointRules {
		return mayWriteRules(ctx, t)
	}
	if kind == KindSubmission && a.Role == DeputyRole {
		if !a.Sees(t) {
			return Errorf(ENOTFOUND, "township %q not found", t)
		}
		return nil // its own only: DutySubmission.Guard
	}
	return CanWrite(ctx, t)
}

// Stamp sets what a new record of kind starts with: an id if it has none
// (a township is its own township), version 1, who and when.
func Stamp[T any, PT Record[T]](ctx context.Context, kind Kind, x PT, now time.Time) {
	m := x.GetMeta()
	if m.ID == "" {
		m.ID = NewID()
	}
	if kind == KindTownship {
		m.Township = m.ID
	}
	actor := ActorFrom(ctx).ID
	if oc, ok := any(x).(interface{ OnCreate(string, time.Time) }); ok {
		oc.OnCreate(actor, now)
	}
	m.Version = 1
	m.CreatedAt, m.UpdatedAt = now, now
	m.CreatedBy, m.UpdatedBy = actor, actor
	if m.Tags == nil {
		m.Tags = []string{}
	}
}

// Restamp keeps what a change cannot move — identity, township, creation —
// and stamps the new version on a record read at version read.
func Restamp(ctx context.Context, m *Meta, id, township string, read int, created time.Time, createdBy string, now time.Time) {
	m.ID, m.Township, m.Version = id, township, read+1
	m.CreatedAt, m.CreatedBy = created, createdBy
	m.UpdatedAt, m.UpdatedBy = now, ActorFrom(ctx).ID
	if m.Tags == nil {
		m.Tags = []string{}
	}
}

// RefSet indexes references by kind and id.
func RefSet(refs []Ref) map[Kind]map[string]bool {
	out := map[Kind]map[string]bool{}
	for _, r := range refs {
		if out[r.Kind] == nil {
			out[r.Kind] = map[string]bool{}
		}
		for _, id := range r.IDs {
			out[r.Kind][id] = true
		}
	}
	return out
}

// NewRefs keeps, of refs, those holding an id not in had: the references
// a change adds, the only ones to look up (a record pointed at cannot have
// been deleted since).
func NewRefs(refs []Ref, had map[Kind]map[string]bool) []Ref {
	if len(had) == 0 {
		return refs
	}
	var out []Ref
	for _, r := range refs {
		keep := false
		for _, id := range r.IDs {
			keep = keep || !had[r.Kind][id]
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// MissingRef is the error for the first id of refs of kind not in exists.
func MissingRef(refs []Ref, kind Kind, township string, exists map[string]bool) error {
	for _, r := range refs {
		if r.Kind != kind {
			continue
		}
		for i, id := range r.IDs {
			if !exists[id] {
				field := r.Field
				if r.List {
					field = fmt.Sprintf("%s.%d", r.Field, i)
				}
				return Invalidf(field, "%s %q not found in township %q", kind.Noun(), id, township)
			}
		}
	}
	return nil
}

// TooLarge is the error for a record past MaxRecordBytes as stored.
func TooLarge(kind Kind, n int) error {
	return Invalidf("", "a %s is at most %d KiB as stored, this one %d KiB: shorten its texts or lists", kind.Noun(), MaxRecordBytes>>10, n>>10)
}

// Conflict is the error for a write expecting another version.
func Conflict(kind Kind, id string, expected, current int) error {
	return Errorf(ECONFLICT, "%s %q is at version %d, not %d: it was changed since you read it", kind.Noun(), id, current, expected)
}

// NotFound is the error for a record not found (or not visible).
func NotFound(kind Kind, id string) error {
	return Errorf(ENOTFOUND, "%s %q not found", kind.Noun(), id)
}

// TownshipNotFound is the error for a township asked for that does not
// exist or that the caller may not see, on field.
func TownshipNotFound(field, t string) error {
	return &Error{Code: ENOTFOUND, Field: field, Message: fmt.Sprintf("township %q not found", t)}
}

// ResolveTownships turns the townships a read asks for (nil: every one the
// caller may see) into those it covers, given all the county's, sorted.
// One that does not exist or that the caller may not see is NOT_FOUND on
// field (field.N when several are asked), so a typo is never an empty
// answer and another township's existence is never revealed.
func ResolveTownships(ctx context.Context, all []string, asked []string, field string) ([]string, error) {
	a := ActorFrom(ctx)
	if asked == nil {
		if a.County() {
			return all, nil
		}
		var out []string
		for _, t := range all {
			if a.Sees(t) {
				out = append(out, t)
			}
		}
		return out, nil
	}
	known := make(map[string]bool, len(all))
	for _, t := range all {
		known[t] = true
	}
	out := make([]string, 0, len(asked))
	seen := map[string]bool{}
	for i, t := range asked {
		if !known[t] || !a.Sees(t) {
			f := field
			if len(asked) > 1 {
				f = fmt.Sprintf("%s.%d", field, i)
			}
			return nil, TownshipNotFound(f, t)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// SortName names a sort, for the cursors made for it: "nameKey,-date.date".
func SortName(sorts []Sort) string {
	parts := make([]string, len(sorts))
	for i, s := range sorts {
		parts[i] = s.Path
		if s.Desc {
			parts[i] = "-" + s.Path
		}
	}
	return strings.Join(parts, ",")
}

// BadCursor is the error for a cursor renda did not give out.
func BadCursor() error {
	return Invalidf("after", "this cursor is not one renda gave out; start again without after")
}

// EncodeAuditCursor is the position after an audit entry in the log,
// newest first.
func EncodeAuditCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

// DecodeAuditCursor reads a position EncodeAuditCursor made.
func DecodeAuditCursor(s string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", BadCursor()
	}
	ts, id, ok := strings.Cut(string(b), "|")
	at, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", BadCursor()
	}
	return at, id, nil
}

// TypedBy is x with the attributes it compares typed as the townships'
// sets define them (see TypeAttributes and SharedDef).
func (x Expr) TypedBy(sets []*AttributeSet) (Expr, error) {
	return x.TypeAttributes(func(path string) (*AttributeDef, error) { return SharedDef(sets, path) })
}

// DatabaseFailure maps a database's failure for the caller: a request out
// of time or cancelled is ETIMEOUT; anything else is logged by log (with
// describe's account of it, which must quote no value) and is a plain
// EINTERNAL, so nothing of the database reaches the caller. A records
// error passes as it is.
func DatabaseFailure(ctx context.Context, log *slog.Logger, op string, err error, describe func(error) string) error {
	var re *Error
	if errors.As(err, &re) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return Errorf(ETIMEOUT, "the request ran out of time")
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return Errorf(ETIMEOUT, "the request was cancelled")
	}
	log.ErrorContext(ctx, "database error", "op", op, "err", describe(err))
	return Errorf(EINTERNAL, "internal error")
}

// PrepareBulk readies records of one township for a bulk load: each is
// stamped where its fields are empty (as Create would), validated, its
// attributes checked against set, and derived; it returns the references
// they hold, for the store to look up at once.
func PrepareBulk[T any, PT Record[T]](ctx context.Context, kind Kind, xs []PT, set *AttributeSet, key SortKey) ([]Ref, error) {
	if kind == KindTownship {
		return nil, Errorf(EINVALID, "townships are created one at a time")
	}
	t := xs[0].GetMeta().Township
	actor := ActorFrom(ctx).ID
	var refs []Ref
	for i, x := range xs {
		m := x.GetMeta()
		if m.Township != t {
			return nil, Invalidf(fmt.Sprintf("%d.township", i), "a bulk load holds one township's records")
		}
		if m.ID == "" {
			m.ID = NewID()
		}
		if m.Version == 0 {
			m.Version = 1
		}
		if m.CreatedAt.IsZero() {
			now := Now()
			m.CreatedAt, m.UpdatedAt = now, now
		}
		if m.CreatedBy == "" {
			m.CreatedBy, m.UpdatedBy = actor, actor
		}
		if m.Tags == nil {
			m.Tags = []string{}
		}
		if err := x.Validate(); err != nil {
			return nil, Prefix(fmt.Sprint(i), err)
		}
		if err := set.CheckAttributes(m.Attributes); err != nil {
			return nil, Prefix(fmt.Sprint(i), err)
		}
		x.Derive(key)
		refs = append(refs, x.Refs()...)
	}
	return refs, nil
}
