package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"renda/internal/records"
)

// Loader writes data moved in from another store as it was stored there
// (records.Sink): nothing is validated or stamped again, and a row whose
// key is stored already is left as it is, so a move can run again and
// finish one that stopped. It commits every loadBatch rows.
type Loader struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
	n   int
}

const loadBatch = 2000

var _ records.Sink = (*Loader)(nil)

// Load runs f with a Loader and commits what it wrote.
func (s *Store) Load(ctx context.Context, f func(l *Loader) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	l := &Loader{s: s, ctx: ctx}
	err := f(l)
	if l.tx != nil {
		if err != nil {
			_ = l.tx.Rollback()
			return err
		}
		if err := l.tx.Commit(); err != nil {
			return s.internal(ctx, "commit", err)
		}
	}
	return err
}

func (l *Loader) begin() error {
	if l.tx == nil {
		tx, err := l.s.w.BeginTx(l.ctx, nil)
		if err != nil {
			return l.s.internal(l.ctx, "begin", err)
		}
		l.tx = tx
	}
	return nil
}

func (l *Loader) exec(q string, args ...any) error {
	if err := l.begin(); err != nil {
		return err
	}
	if _, err := l.tx.ExecContext(l.ctx, q, args...); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	return l.count()
}

// count counts a row written, and commits every loadBatch.
func (l *Loader) count() error {
	l.n++
	if l.n%loadBatch == 0 {
		err := l.tx.Commit()
		l.tx = nil
		if err != nil {
			return l.s.internal(l.ctx, "commit", err)
		}
	}
	return nil
}

// Record stores a record as it is.
func (l *Loader) Record(kind records.Kind, x any) error {
	r, ok := x.(interface{ GetMeta() *records.Meta })
	if !ok || records.NewRecord(kind) == nil {
		return fmt.Errorf("load: %T is not a record of kind %q", x, kind)
	}
	m := r.GetMeta()
	if m.Tags == nil {
		m.Tags = []string{}
	}
	if d, ok := x.(interface{ Derive(records.SortKey) }); ok {
		d.Derive(sortKey) // fields an older release may not have derived yet
	}
	if kind == records.KindTownship && m.Township == "" {
		m.Township = m.ID
	}
	doc, err := json.Marshal(x)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO "+string(kind)+" (id, township, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)",
		m.ID, m.Township, m.Version, m.CreatedAt.UnixMilli(), m.UpdatedAt.UnixMilli(), string(doc))
}

// Audit stores an audit entry with its id, linked to the chain as it is
// loaded (the chain of a store it comes from is not carried over: verify
// that one before a move). A record's before and after name its id "id",
// as records are stored here.
func (l *Loader) Audit(e *records.AuditEntry) error {
	enc := func(m map[string]any) ([]byte, error) {
		if len(m) == 0 {
			return nil, nil
		}
		if id, ok := m["_id"]; ok && records.NewRecord(records.Kind(e.Kind)) != nil {
			m["id"] = id
			delete(m, "_id")
		}
		return json.Marshal(m)
	}
	before, err := enc(e.Before)
	if err != nil {
		return err
	}
	after, err := enc(e.After)
	if err != nil {
		return err
	}
	if err := l.begin(); err != nil {
		return err
	}
	var n int
	if err := l.tx.QueryRowContext(l.ctx, "SELECT count(*) FROM audit WHERE id = ?", e.ID).Scan(&n); err != nil {
		return fmt.Errorf("load: %w", err)
	} else if n > 0 {
		return nil
	}
	head, _, err := l.s.head(l.ctx, l.tx)
	if err != nil {
		return err
	}
	a := auditRow{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Kind: e.Kind, RecordID: e.RecordID, Township: e.Township,
		Version: e.Version, Before: before, After: after, Note: e.Note}
	if _, err := l.tx.ExecContext(l.ctx, auditInsert, a.args(l.ctx, head)...); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := l.s.saveHead(l.ctx, l.tx, head); err != nil {
		return err
	}
	return l.count()
}

// Account stores an account with its password hash.
func (l *Loader) Account(a *records.Account) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return err
	}
	history, err := encodeHistory(a.PasswordHistory)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO accounts (id, password_hash, password_history, doc) VALUES (?, ?, ?, ?)", a.ID, a.PasswordHash, history, string(doc))
}

// Session stores a session.
func (l *Loader) Session(x *records.Session) error {
	doc, err := json.Marshal(x)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO sessions (id, account_id, expires_at, doc) VALUES (?, ?, ?, ?)", x.ID, x.AccountID, x.ExpiresAt.UnixMilli(), string(doc))
}

// Key stores an API key with its hash.
func (l *Loader) Key(k *records.APIKey) error {
	doc, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO api_keys (id, hash, created_at, doc) VALUES (?, ?, ?, ?)", k.ID, k.Hash, k.CreatedAt.UnixMilli(), string(doc))
}

// ReportVersion stores a version of an uploaded plugin.
func (l *Loader) ReportVersion(v *records.ReportVersion) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO report_versions (plugin_id, version, doc) VALUES (?, ?, ?)", v.PluginID, v.Version, string(doc))
}

// AttributeSet stores a township's attribute definitions for a kind.
func (l *Loader) AttributeSet(set *records.AttributeSet) error {
	doc, err := json.Marshal(set)
	if err != nil {
		return err
	}
	return l.exec("INSERT OR IGNORE INTO attribute_sets (id, township, kind, version, doc) VALUES (?, ?, ?, ?, ?)", set.ID, set.Township, string(set.Kind), set.Version, string(doc))
}

// Marker stores a marker.
func (l *Loader) Marker(key string, at time.Time) error {
	return l.exec("INSERT OR IGNORE INTO markers (key, at) VALUES (?, ?)", key, at.UnixMilli())
}

// Idempotency stores an idempotency claim.
func (l *Loader) Idempotency(id, recordID string, at time.Time) error {
	return l.exec("INSERT OR IGNORE INTO idempotency (id, record_id, at) VALUES (?, ?, ?)", id, recordID, at.UnixMilli())
}

// Counts are how many rows each table holds, to check a move: record
// kinds by their names, and audit, accounts, sessions, api_keys,
// report_versions, attribute_sets.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	tables := append(kindNames(), "audit", "accounts", "sessions", "api_keys", "report_versions", "attribute_sets", "idempotency", "markers")
	for _, t := range tables {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, s.internal(ctx, "count", err)
		}
		out[t] = n
	}
	return out, nil
}
