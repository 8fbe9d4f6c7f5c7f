package records

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"
)

// The audit trail is a hash chain. Every entry written since the chain
// began carries a sequence number (1, 2, 3 … per store, no gaps), the hash
// of the entry before it (Prev, "" for the first) and its own hash:
// SHA-256 over Prev and the entry's content (ChainDigest). Editing an
// entry breaks its hash; removing one leaves a gap and a link to nothing;
// moving one makes its link point at another place. The store also keeps
// the chain's head (the last sequence number and hash), so removing the
// newest entries shows too. VerifyChain walks the chain and names the
// first broken link.
//
// The hash needs no secret: someone who can rewrite the database can
// recompute every hash after the entry they changed. Write down the head
// `renda audit verify` prints (or keep its output off the machine): a
// later verification that no longer reaches that hash at that number
// shows the rewrite.
//
// Entries written by releases before the chain have no link; they come
// before the first chained entry and are counted, not checked.

// AuditContent is what an entry's hash covers: every field of the entry,
// its documents (before, after) in the store's canonical form.
type AuditContent struct {
	ID       string
	At       time.Time // to the millisecond
	Actor    string
	Action   string
	Kind     string
	RecordID string
	Township string
	Version  int
	Before   []byte
	After    []byte
	Note     string
}

// ChainDigest is the hash of an entry whose predecessor's hash is prev:
// hex SHA-256 over prev and the content's fields, each prefixed with its
// length.
func ChainDigest(prev string, c AuditContent) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(b []byte) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	str := func(s string) { field([]byte(s)) }
	str("renda audit v1")
	str(prev)
	str(c.ID)
	str(strconv.FormatInt(c.At.UnixMilli(), 10))
	str(c.Actor)
	str(c.Action)
	str(c.Kind)
	str(c.RecordID)
	str(c.Township)
	str(strconv.Itoa(c.Version))
	field(c.Before)
	field(c.After)
	str(c.Note)
	return hex.EncodeToString(h.Sum(nil))
}

// CanonicalJSON writes a document of plain values (maps, slices,
// strings, numbers, booleans, times, nil) as JSON with its keys sorted,
// numbers in their shortest form and times in RFC 3339 UTC: the same
// bytes for the same values however the database orders or types them.
// Values of other types are written with their Go type and value.
func CanonicalJSON(v any) []byte {
	return appendCanonical(nil, v)
}

func appendCanonical(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return strconv.AppendQuote(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return strconv.AppendInt(b, int64(x), 10)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case time.Time:
		return strconv.AppendQuote(b, x.UTC().Format(time.RFC3339Nano))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, k)
			b = append(b, ':')
			b = appendCanonical(b, x[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, e)
		}
		return append(b, ']')
	}
	return strconv.AppendQuote(b, fmt.Sprintf("%T:%v", v, v))
}

// ChainLink is an entry as the verification reads it: its place, its
// link and hash as stored, and the hash of its content computed now.
type ChainLink struct {
	Seq  int64 // 0 for an entry written before the chain
	ID   string
	At   time.Time
	Prev string
	Hash string // "" for an entry written before the chain
	// Digest is ChainDigest(Prev, the entry's content as stored now).
	Digest string
}

// ChainHead is the last link the store recorded: the chain must reach it.
type ChainHead struct {
	Seq  int64
	Hash string
}

// AuditCheck is what verifying the audit trail found.
type AuditCheck struct {
	// Unchained are the entries written before the chain began (by an
	// earlier release): they are not checked.
	Unchained int
	// Chained are the chained entries read.
	Chained int
	// First and Last are the sequence numbers of the chain's first and
	// last entries; Head is the last one's hash.
	First, Last int64
	Head        string
	// Broken is the first broken link; nil if the chain holds.
	Broken *ChainBreak
}

// ChainBreak is a broken link: the entry where the chain stops holding
// and what is wrong there.
type ChainBreak struct {
	Seq     int64
	ID      string
	Problem string
}

func (b *ChainBreak) String() string {
	if b.Seq == 0 {
		return fmt.Sprintf("entry %s (not chained): %s", b.ID, b.Problem)
	}
	if b.ID == "" {
		return fmt.Sprintf("entry #%d: %s", b.Seq, b.Problem)
	}
	return fmt.Sprintf("entry #%d (id %s): %s", b.Seq, b.ID, b.Problem)
}

// MayReadAudit checks that the caller in ctx may read the audit log: an
// admin or an auditor (of the townships it sees).
func MayReadAudit(ctx context.Context) error {
	if !ActorFrom(ctx).Has(DutyAudit) {
		return Errorf(EFORBIDDEN, "only an auditor or an admin reads the audit log")
	}
	return nil
}

// MayVerifyAudit checks that the caller in ctx may read the whole audit
// trail: a county-level admin or auditor.
func MayVerifyAudit(ctx context.Context) error {
	a := ActorFrom(ctx)
	if !a.Has(DutyAudit) || !a.County() {
		return Errorf(EFORBIDDEN, "only a county-level auditor or admin verifies the audit trail")
	}
	return nil
}

// VerifyChain walks links — the unchained entries first, oldest first,
// then the chained ones by sequence number — and checks every link and
// hash, then that the chain reaches head (nil: the store recorded none)
// and passes through noted (a head verification printed earlier, kept
// elsewhere; nil for none). byHash finds a chained entry by its hash, to
// tell a moved entry from a removed one.
func VerifyChain(links iter.Seq2[ChainLink, error], head, noted *ChainHead, byHash func(hash string) (ChainLink, bool, error)) (*AuditCheck, error) {
	out := &AuditCheck{}
	var last *ChainLink
	var firstChainedAt time.Time
	var newest *ChainLink // the newest unchained entry
	brk := func(seq int64, id, format string, args ...any) {
		out.Broken = &ChainBreak{Seq: seq, ID: id, Problem: fmt.Sprintf(format, args...)}
	}
	for l, err := range links {
		if err != nil {
			return nil, err
		}
		if l.Hash == "" {
			out.Unchained++
			if newest == nil || l.At.After(newest.At) {
				newest = &l
			}
			continue
		}
		if out.Chained == 0 {
			firstChainedAt = l.At
		}
		out.Chained++
		var prevSeq int64
		var prevHash string
		if last != nil {
			prevSeq, prevHash = last.Seq, last.Hash
		}
		switch {
		case l.Prev != prevHash:
			o, ok, err := byHash(l.Prev)
			if err != nil {
				return nil, err
			}
			switch {
			case ok && o.Seq > l.Seq:
				brk(l.Seq, l.ID, "it links to #%d (id %s), which comes after it: entries were reordered", o.Seq, o.ID)
			case ok:
				brk(l.Seq, l.ID, "it links to #%d (id %s), not to the entry before it (#%d): entries were reordered or inserted", o.Seq, o.ID, prevSeq)
			case l.Seq > prevSeq+1 && last == nil:
				brk(prevSeq+1, "", "missing: the chain begins at #%d, which links to an entry that is gone (removed)", l.Seq)
			case l.Seq > prevSeq+1:
				brk(prevSeq+1, "", "missing: #%d follows #%d and links to an entry that is gone (removed)", l.Seq, prevSeq)
			default:
				brk(l.Seq, l.ID, "it links to an entry that is gone: the entry before it was removed or replaced")
			}
		case l.Seq != prevSeq+1:
			brk(l.Seq, l.ID, "numbered #%d after #%d: the entries were renumbered", l.Seq, prevSeq)
		case l.Digest != l.Hash:
			brk(l.Seq, l.ID, "edited: its content no longer matches its hash")
		case head != nil && l.Seq > head.Seq:
			brk(l.Seq, l.ID, "it comes after the chain's head (#%d): inserted behind renda's back", head.Seq)
		case head != nil && l.Seq == head.Seq && l.Hash != head.Hash:
			brk(l.Seq, l.ID, "it is not the entry the chain's head names: entries were replaced")
		case noted != nil && l.Seq == noted.Seq && l.Hash != noted.Hash:
			brk(l.Seq, l.ID, "its hash is not the one noted for #%d (%.12s…): the trail was rewritten here or before", noted.Seq, noted.Hash)
		}
		if out.Broken != nil {
			return out, nil
		}
		if last == nil {
			out.First = l.Seq
		}
		last = &l
		out.Last, out.Head = l.Seq, l.Hash
	}
	switch {
	case newest != nil && out.Chained > 0 && newest.At.After(firstChainedAt):
		late := newest
		brk(0, late.ID, "written at %s, after the chain began, without a link: inserted behind renda's back, or by an earlier release still running",
			late.At.Format(time.RFC3339))
	case head != nil && head.Seq > out.Last:
		brk(out.Last+1, "", "missing: the chain's head is #%d, but the chain ends at #%d (the newest entries were removed)", head.Seq, out.Last)
	case head == nil && out.Chained > 0:
		brk(out.Last, "", "the chain's head is gone")
	case noted != nil && noted.Seq > out.Last:
		brk(out.Last+1, "", "missing: the head noted earlier is #%d, but the chain ends at #%d (entries were removed)", noted.Seq, out.Last)
	}
	return out, nil
}
