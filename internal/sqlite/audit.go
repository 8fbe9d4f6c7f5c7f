package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"renda/internal/records"
)

// The audit log: every change to a record, an account, a key or a report
// plugin is a row with who made it, when, and the thing before and after
// (records as stored). A record's rows are its history: every version it
// had, so any can be restored, and a deleted record can be brought back. A
// record's row is written in the transaction of its change.

type auditRow struct {
	ID       string
	At       time.Time
	Actor    string
	Action   string
	Kind     string
	RecordID string
	Township string
	Version  int
	Before   []byte // JSON
	After    []byte
	Note     string
}

const auditInsert = `INSERT INTO audit (id, at, actor, action, kind, record_id, township, version, before, after, note, chain_seq, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// fill gives the row its id, time and actor where it has none.
func (a *auditRow) fill(ctx context.Context) {
	if a.ID == "" {
		a.ID = records.NewID()
	}
	if a.At.IsZero() {
		a.At = records.NowFor(ctx)
	}
	if a.Actor == "" {
		a.Actor = records.ActorFrom(ctx).ID
	}
}

// content is what the row's hash covers: its columns as stored (the
// documents as their JSON text).
func (a *auditRow) content() records.AuditContent {
	return records.AuditContent{ID: a.ID, At: time.UnixMilli(a.At.UnixMilli()), Actor: a.Actor, Action: a.Action, Kind: a.Kind,
		RecordID: a.RecordID, Township: a.Township, Version: a.Version, Before: a.Before, After: a.After, Note: a.Note}
}

// args are the row's values for auditInsert, linked after head, which
// moves on to it.
func (a *auditRow) args(ctx context.Context, head *chainHead) []any {
	a.fill(ctx)
	nullable := func(b []byte) any {
		if len(b) == 0 {
			return nil
		}
		return string(b)
	}
	prev := head.Hash
	head.Seq++
	head.Hash = records.ChainDigest(prev, a.content())
	return []any{a.ID, a.At.UnixMilli(), a.Actor, a.Action, a.Kind, a.RecordID, a.Township, a.Version,
		nullable(a.Before), nullable(a.After), a.Note, head.Seq, prev, head.Hash}
}

// The chain's head (see records.ChainDigest) is a row of meta, written in
// the transaction of every entry: the last sequence number and hash. A
// new entry links to the head, not to the last row, so an entry removed
// at the end leaves the next one linking to a hash that is gone.
const chainKey = "audit_chain"

type chainHead = records.ChainHead

// head reads the chain's head in the write transaction tx (zero: no
// chained entry yet; the next is #1).
func (s *Store) head(ctx context.Context, tx querier) (*chainHead, bool, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, chainKey).Scan(&v)
	if err == sql.ErrNoRows {
		return &chainHead{}, false, nil
	} else if err != nil {
		return nil, false, s.internal(ctx, "audit chain", err)
	}
	var h chainHead
	if err := json.Unmarshal([]byte(v), &h); err != nil {
		return nil, false, s.internal(ctx, "audit chain", err)
	}
	return &h, true, nil
}

// saveHead writes the chain's head in tx.
func (s *Store) saveHead(ctx context.Context, tx *sql.Tx, h *chainHead) error {
	b, _ := json.Marshal(h)
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, chainKey, string(b)); err != nil {
		return s.internal(ctx, "audit chain", err)
	}
	return nil
}

// writeAudit appends a row in the write's transaction, linked to the
// chain's head.
func (s *Store) writeAudit(ctx context.Context, tx *sql.Tx, a auditRow) error {
	h, _, err := s.head(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, auditInsert, a.args(ctx, h)...); err != nil {
		return s.internal(ctx, "audit", err)
	}
	return s.saveHead(ctx, tx, h)
}

// Audit records a change to something kept outside the record kinds: an
// account, an API key, a report plugin. Before and after are written as
// given (leave secrets out). It never fails the change it records; a
// failure is logged.
func (s *Store) Audit(ctx context.Context, e records.AuditEntry) {
	enc := func(m map[string]any) []byte {
		if len(m) == 0 {
			return nil
		}
		b, _ := json.Marshal(m)
		return b
	}
	ctx = context.WithoutCancel(ctx)
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, auditRow{At: e.At, Actor: e.Actor, Action: e.Action, Kind: e.Kind, RecordID: e.RecordID,
			Township: e.Township, Version: e.Version, Before: enc(e.Before), After: enc(e.After), Note: e.Note})
	})
	if err != nil {
		s.log.ErrorContext(ctx, "audit entry not written", "kind", e.Kind, "id", e.RecordID, "action", e.Action)
	}
}

// maxAuditPage bounds one page of the audit log or of a history.
const maxAuditPage = 500

const auditCols = "id, at, actor, action, kind, record_id, township, version, before, after, note"

func (s *Store) readAudit(ctx context.Context, w *where) ([]*records.AuditEntry, error) {
	rows, err := s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
	if err != nil {
		return nil, s.internal(ctx, "audit log", err)
	}
	defer rows.Close()
	var out []*records.AuditEntry
	for rows.Next() {
		var e records.AuditEntry
		var at int64
		var before, after sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Kind, &e.RecordID, &e.Township, &e.Version, &before, &after, &e.Note); err != nil {
			return nil, s.internal(ctx, "audit log", err)
		}
		e.At = time.UnixMilli(at).UTC()
		for _, x := range []struct {
			src sql.NullString
			dst *map[string]any
		}{{before, &e.Before}, {after, &e.After}} {
			if x.src.Valid {
				v, err := jsonValue([]byte(x.src.String))
				if err != nil {
					return nil, s.internal(ctx, "audit log", err)
				}
				*x.dst, _ = v.(map[string]any)
			}
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal(ctx, "audit log", err)
	}
	return out, nil
}

// History returns the entries of the record with id, newest first: its
// versions, and its deletion and restoration if any. A record of a
// township the caller may not see is NOT_FOUND.
func (c *Collection[T, PT]) History(ctx context.Context, id string) ([]*records.AuditEntry, error) {
	w := &where{}
	w.sql("SELECT "+auditCols+" FROM audit WHERE record_id = ? AND kind = ?", id, c.table)
	scope(ctx, w)
	w.sql(fmt.Sprintf(" ORDER BY at DESC, seq DESC LIMIT %d", maxAuditPage))
	out, err := c.s.readAudit(ctx, w)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, records.NotFound(c.kind, id)
	}
	return out, nil
}

// version is the record as it was at version v, from its history.
func (c *Collection[T, PT]) version(ctx context.Context, id string, v int) (PT, error) {
	w := &where{}
	w.sql("SELECT after FROM audit WHERE record_id = ? AND kind = ? AND version = ? AND after IS NOT NULL", id, c.table, v)
	scope(ctx, w)
	w.sql(" ORDER BY at DESC, seq DESC LIMIT 1")
	var doc []byte
	err := c.s.reader(ctx).QueryRowContext(ctx, w.b.String(), w.args...).Scan(&doc)
	if err == sql.ErrNoRows {
		if _, err := c.History(ctx, id); err != nil {
			return nil, err
		}
		return nil, records.Invalidf("version", "%s %q has no version %d in its history", c.kind.Noun(), id, v)
	} else if err != nil {
		return nil, c.s.internal(ctx, "history", err)
	}
	return c.decode(ctx, doc)
}

// Revert stores version v of a record again, as a new version.
func (c *Collection[T, PT]) Revert(ctx context.Context, id string, v int, expectedVersion *int) (PT, error) {
	old, err := c.version(ctx, id, v)
	if err != nil {
		return nil, err
	}
	return c.modify(ctx, id, expectedVersion, records.ActionRevert, fmt.Sprintf("reverted to version %d", v), func(x PT) error {
		*x = *old
		return nil
	})
}

// Deleted lists the deleted records of township t ("" for every one the
// caller may see) — the entries of their deletions — newest first, those
// restored since left out.
func (c *Collection[T, PT]) Deleted(ctx context.Context, t string, first int) ([]*records.AuditEntry, error) {
	var asked []string
	if t != "" {
		asked = []string{t}
	}
	towns, err := c.s.townshipsFor(ctx, asked, "township")
	if err != nil {
		return nil, err
	}
	first = max(1, min(first, maxAuditPage))
	w := &where{}
	w.sql("SELECT "+auditCols+" FROM audit a WHERE kind = ? AND action = ? AND ", c.table, records.ActionDelete)
	inList(w, "township", towns)
	w.sql(" AND NOT EXISTS (SELECT 1 FROM " + c.table + " r WHERE r.id = a.record_id)")
	w.sql(" AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.record_id = a.record_id AND b.kind = a.kind AND b.action = a.action AND (b.at > a.at OR b.at = a.at AND b.id > a.id))")
	w.sql(fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT %d", first))
	return c.s.readAudit(ctx, w)
}

// Restore brings a deleted record back as it was deleted, as a new version.
func (c *Collection[T, PT]) Restore(ctx context.Context, id string) (PT, error) {
	var out PT
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := c.Get(ctx, id); err == nil {
			return records.Errorf(records.ECONFLICT, "%s %q is not deleted", c.kind.Noun(), id)
		}
		w := &where{}
		w.sql("SELECT before FROM audit WHERE record_id = ? AND kind = ? AND action = ? AND before IS NOT NULL", id, c.table, records.ActionDelete)
		scope(ctx, w)
		w.sql(" ORDER BY at DESC, seq DESC LIMIT 1")
		var doc []byte
		err := tx.QueryRowContext(ctx, w.b.String(), w.args...).Scan(&doc)
		if err == sql.ErrNoRows {
			return records.NotFound(c.kind, id)
		} else if err != nil {
			return c.s.internal(ctx, "restore "+c.table, err)
		}
		x, err := c.decode(ctx, doc)
		if err != nil {
			return err
		}
		m := x.GetMeta()
		if err := records.MayWrite(ctx, c.kind, m.Township, c.kind == records.KindTownship); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt, m.UpdatedBy = records.NowFor(ctx), records.ActorFrom(ctx).ID
		after, err := c.checkWrite(ctx, x, nil)
		if err != nil {
			return err
		}
		if err := c.insert(ctx, tx, m, after); err != nil {
			return err
		}
		out = x
		return c.s.writeAudit(ctx, tx, auditRow{Action: records.ActionRestore, Kind: c.table, RecordID: id, Township: m.Township, Version: m.Version, After: after})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AuditLog lists entries matching f, newest first, first at most, after
// the cursor of a previous page; it returns the next page's cursor ("" at
// the end). County-level entries (accounts, keys, plugins) are listed for
// county-level callers who ask for no township only.
func (s *Store) AuditLog(ctx context.Context, f records.AuditFilter, first int, after string) ([]*records.AuditEntry, string, error) {
	if err := records.MayReadAudit(ctx); err != nil {
		return nil, "", err
	}
	first = max(1, min(first, maxAuditPage))
	towns, err := s.townshipsFor(ctx, f.Townships, "filter.townships")
	if err != nil {
		return nil, "", err
	}
	w := &where{}
	w.sql("SELECT " + auditCols + " FROM audit WHERE 1")
	for _, c := range []struct{ col, v string }{{"kind", f.Kind}, {"record_id", f.RecordID}, {"actor", f.Actor}, {"action", f.Action}} {
		if c.v != "" {
			w.sql(" AND "+c.col+" = ?", c.v)
		}
	}
	if f.From != nil {
		w.sql(" AND at >= ?", f.From.UTC().UnixMilli())
	}
	if f.To != nil {
		w.sql(" AND at < ?", f.To.UTC().UnixMilli())
	}
	if !records.ActorFrom(ctx).County() || f.Townships != nil {
		w.sql(" AND ")
		inList(w, "township", towns)
	}
	if after != "" {
		at, id, err := records.DecodeAuditCursor(after)
		if err != nil {
			return nil, "", err
		}
		w.sql(" AND (at < ? OR at = ? AND id < ?)", at.UnixMilli(), at.UnixMilli(), id)
	}
	w.sql(fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT %d", first+1))
	out, err := s.readAudit(ctx, w)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > first {
		out = out[:first]
		last := out[len(out)-1]
		next = records.EncodeAuditCursor(last.At, last.ID)
	}
	return out, next, nil
}

// KindOf is the kind of the record with id, deleted ones included;
// NOT_FOUND if none the caller may see has it.
func (s *Store) KindOf(ctx context.Context, id string) (records.Kind, error) {
	for _, k := range kindTables {
		w := &where{}
		w.sql("SELECT count(*) FROM "+string(k)+" WHERE id = ?", id)
		scope(ctx, w)
		var n int
		if err := s.reader(ctx).QueryRowContext(ctx, w.b.String(), w.args...).Scan(&n); err != nil {
			return "", s.internal(ctx, "kind of", err)
		}
		if n > 0 {
			return k, nil
		}
	}
	w := &where{}
	w.sql("SELECT kind FROM audit WHERE record_id = ?", id)
	w.sql(" AND ")
	inList(w, "kind", kindNames())
	scope(ctx, w)
	w.sql(" ORDER BY at DESC LIMIT 1")
	var k string
	err := s.reader(ctx).QueryRowContext(ctx, w.b.String(), w.args...).Scan(&k)
	if err == sql.ErrNoRows {
		return "", records.Errorf(records.ENOTFOUND, "no record %q", id)
	} else if err != nil {
		return "", s.internal(ctx, "kind of", err)
	}
	return records.Kind(k), nil
}

func kindNames() []string {
	out := make([]string, len(kindTables))
	for i, k := range kindTables {
		out[i] = string(k)
	}
	return out
}

// VerifyAudit walks the audit trail's chain and reports the first broken
// link (see records.VerifyChain). For a county-level auditor or admin.
func (s *Store) VerifyAudit(ctx context.Context, noted *records.ChainHead) (*records.AuditCheck, error) {
	if err := records.MayVerifyAudit(ctx); err != nil {
		return nil, err
	}
	// One read transaction: entries written meanwhile are not half seen.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.internal(ctx, "verify the audit trail", err)
	}
	defer func() { _ = tx.Rollback() }()
	head, ok, err := s.head(ctx, tx)
	if err != nil {
		return nil, err
	}
	if !ok {
		head = nil
	}
	const cols = "id, at, actor, action, kind, record_id, township, version, before, after, note, chain_seq, prev, hash"
	scan := func(rows *sql.Rows) (records.ChainLink, error) {
		var a auditRow
		var at int64
		var before, after, prev, hash sql.NullString
		var seq sql.NullInt64
		if err := rows.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.Kind, &a.RecordID, &a.Township, &a.Version, &before, &after, &a.Note,
			&seq, &prev, &hash); err != nil {
			return records.ChainLink{}, err
		}
		a.At = time.UnixMilli(at).UTC()
		if before.Valid {
			a.Before = []byte(before.String)
		}
		if after.Valid {
			a.After = []byte(after.String)
		}
		l := records.ChainLink{Seq: seq.Int64, ID: a.ID, At: a.At, Prev: prev.String, Hash: hash.String}
		if hash.Valid {
			l.Digest = records.ChainDigest(prev.String, a.content())
		}
		return l, nil
	}
	links := func(yield func(records.ChainLink, error) bool) {
		for _, q := range []string{
			"SELECT " + cols + " FROM audit WHERE hash IS NULL ORDER BY at, seq",
			"SELECT " + cols + " FROM audit WHERE hash IS NOT NULL ORDER BY chain_seq",
		} {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
				return
			}
			for rows.Next() {
				l, err := scan(rows)
				if err != nil {
					rows.Close()
					yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
					return
				}
				if !yield(l, nil) {
					rows.Close()
					return
				}
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				yield(records.ChainLink{}, s.internal(ctx, "verify the audit trail", err))
				return
			}
		}
	}
	byHash := func(h string) (records.ChainLink, bool, error) {
		var l records.ChainLink
		err := tx.QueryRowContext(ctx, "SELECT id, chain_seq FROM audit WHERE hash = ? LIMIT 1", h).Scan(&l.ID, &l.Seq)
		if err == sql.ErrNoRows {
			return l, false, nil
		} else if err != nil {
			return l, false, s.internal(ctx, "verify the audit trail", err)
		}
		return l, true, nil
	}
	return records.VerifyChain(links, head, noted, byHash)
}
