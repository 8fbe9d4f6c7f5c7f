package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"renda/internal/records"
)

// Credentials keeps accounts, sessions and API keys. Secrets (password
// hashes, key hashes) are columns of their own: the JSON form of these
// types leaves them out.
type Credentials struct{ s *Store }

// Count returns how many accounts and API keys that can sign in exist.
func (c Credentials) Count(ctx context.Context) (int, error) {
	var n int
	err := c.s.reader(ctx).QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM accounts WHERE coalesce(json_extract(doc, '$.disabled'), 0) = 0) +
		(SELECT count(*) FROM api_keys WHERE json_extract(doc, '$.revokedAt') IS NULL)`).Scan(&n)
	if err != nil {
		return 0, c.s.internal(ctx, "count credentials", err)
	}
	return n, nil
}

// CreateAccount stores a new account; its id taken is a conflict.
func (c Credentials) CreateAccount(ctx context.Context, a *records.Account) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return c.s.internal(ctx, "encode account", err)
	}
	history, err := encodeHistory(a.PasswordHistory)
	if err != nil {
		return c.s.internal(ctx, "encode account", err)
	}
	return c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO accounts (id, password_hash, password_history, doc) VALUES (?, ?, ?, ?)", a.ID, a.PasswordHash, history, string(doc))
		if isUnique(err) {
			return records.Errorf(records.ECONFLICT, "user name %q is taken", a.ID)
		} else if err != nil {
			return c.s.internal(ctx, "insert account", err)
		}
		return nil
	})
}

// encodeHistory is how an account's earlier password hashes are stored:
// a JSON list in a column of their own, beside the hash.
func encodeHistory(h []string) (string, error) {
	if h == nil {
		h = []string{}
	}
	b, err := json.Marshal(h)
	return string(b), err
}

func (c Credentials) scanAccount(ctx context.Context, hash, history string, doc []byte) (*records.Account, error) {
	var a records.Account
	if err := json.Unmarshal(doc, &a); err != nil {
		return nil, c.s.internal(ctx, "decode account", err)
	}
	if err := json.Unmarshal([]byte(history), &a.PasswordHistory); err != nil {
		return nil, c.s.internal(ctx, "decode account", err)
	}
	if len(a.PasswordHistory) == 0 {
		a.PasswordHistory = nil
	}
	a.PasswordHash = hash
	a.Townships = county(a.Townships)
	return &a, nil
}

// Account returns the account with id.
func (c Credentials) Account(ctx context.Context, id string) (*records.Account, error) {
	var hash, history string
	var doc []byte
	err := c.s.reader(ctx).QueryRowContext(ctx, "SELECT password_hash, password_history, doc FROM accounts WHERE id = ?", id).Scan(&hash, &history, &doc)
	if err == sql.ErrNoRows {
		return nil, records.Errorf(records.ENOTFOUND, "no account %q", id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get account", err)
	}
	return c.scanAccount(ctx, hash, history, doc)
}

// Accounts lists every account by id.
func (c Credentials) Accounts(ctx context.Context) ([]*records.Account, error) {
	rows, err := c.s.reader(ctx).QueryContext(ctx, "SELECT password_hash, password_history, doc FROM accounts ORDER BY id LIMIT 10000")
	if err != nil {
		return nil, c.s.internal(ctx, "list accounts", err)
	}
	defer rows.Close()
	var out []*records.Account
	for rows.Next() {
		var hash, history string
		var doc []byte
		if err := rows.Scan(&hash, &history, &doc); err != nil {
			return nil, c.s.internal(ctx, "list accounts", err)
		}
		a, err := c.scanAccount(ctx, hash, history, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateAccount applies change to the account with id in one write
// transaction and returns it as stored.
func (c Credentials) UpdateAccount(ctx context.Context, id string, change func(*records.Account) error) (*records.Account, error) {
	var out *records.Account
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		a, err := c.Account(ctx, id)
		if err != nil {
			return err
		}
		read := a.Version
		if err := change(a); err != nil {
			return err
		}
		a.ID, a.Version, a.UpdatedAt = id, read+1, records.Now()
		doc, err := json.Marshal(a)
		if err != nil {
			return c.s.internal(ctx, "encode account", err)
		}
		history, err := encodeHistory(a.PasswordHistory)
		if err != nil {
			return c.s.internal(ctx, "encode account", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET password_hash = ?, password_history = ?, doc = ? WHERE id = ?", a.PasswordHash, history, string(doc), id); err != nil {
			return c.s.internal(ctx, "update account", err)
		}
		out = a
		return nil
	})
	return out, err
}

// CreateSession stores a session.
func (c Credentials) CreateSession(ctx context.Context, x *records.Session) error {
	doc, err := json.Marshal(x)
	if err != nil {
		return c.s.internal(ctx, "encode session", err)
	}
	return c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sessions (id, account_id, expires_at, doc) VALUES (?, ?, ?, ?)",
			x.ID, x.AccountID, x.ExpiresAt.UnixMilli(), string(doc)); err != nil {
			return c.s.internal(ctx, "insert session", err)
		}
		return nil
	})
}

// Session returns the session with id, or NOT_FOUND.
func (c Credentials) Session(ctx context.Context, id string) (*records.Session, error) {
	var doc []byte
	err := c.s.reader(ctx).QueryRowContext(ctx, "SELECT doc FROM sessions WHERE id = ?", id).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, records.Errorf(records.ENOTFOUND, "no such session")
	} else if err != nil {
		return nil, c.s.internal(ctx, "get session", err)
	}
	var x records.Session
	if err := json.Unmarshal(doc, &x); err != nil {
		return nil, c.s.internal(ctx, "decode session", err)
	}
	x.ID = id
	return &x, nil
}

// TouchSession records that the session with id was used at; a session
// that is gone stays gone.
func (c Credentials) TouchSession(ctx context.Context, id string, at time.Time) error {
	return c.exec(ctx, "touch session", "UPDATE sessions SET doc = json_set(doc, '$.lastUsed', ?) WHERE id = ?", at.UTC().Format(time.RFC3339Nano), id)
}

// DeleteSession ends the session with id.
func (c Credentials) DeleteSession(ctx context.Context, id string) error {
	return c.exec(ctx, "delete session", "DELETE FROM sessions WHERE id = ?", id)
}

// DeleteSessions ends every session of an account, and every session
// expired by now.
func (c Credentials) DeleteSessions(ctx context.Context, accountID string) error {
	return c.exec(ctx, "delete sessions", "DELETE FROM sessions WHERE account_id = ? OR expires_at < ?", accountID, records.Now().UnixMilli())
}

func (c Credentials) exec(ctx context.Context, op, q string, args ...any) error {
	return c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return c.s.internal(ctx, op, err)
		}
		return nil
	})
}

// CreateKey stores an API key.
func (c Credentials) CreateKey(ctx context.Context, k *records.APIKey) error {
	doc, err := json.Marshal(k)
	if err != nil {
		return c.s.internal(ctx, "encode key", err)
	}
	return c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO api_keys (id, hash, created_at, doc) VALUES (?, ?, ?, ?)", k.ID, k.Hash, k.CreatedAt.UnixMilli(), string(doc))
		if isUnique(err) {
			return records.Errorf(records.ECONFLICT, "key %q exists already", k.ID)
		} else if err != nil {
			return c.s.internal(ctx, "insert key", err)
		}
		return nil
	})
}

func (c Credentials) scanKey(ctx context.Context, hash string, doc []byte) (*records.APIKey, error) {
	var k records.APIKey
	if err := json.Unmarshal(doc, &k); err != nil {
		return nil, c.s.internal(ctx, "decode key", err)
	}
	k.Hash = hash
	k.Townships = county(k.Townships)
	return &k, nil
}

// Key returns the API key with id.
func (c Credentials) Key(ctx context.Context, id string) (*records.APIKey, error) {
	var hash string
	var doc []byte
	err := c.s.reader(ctx).QueryRowContext(ctx, "SELECT hash, doc FROM api_keys WHERE id = ?", id).Scan(&hash, &doc)
	if err == sql.ErrNoRows {
		return nil, records.Errorf(records.ENOTFOUND, "no API key %q", id)
	} else if err != nil {
		return nil, c.s.internal(ctx, "get key", err)
	}
	return c.scanKey(ctx, hash, doc)
}

// Keys lists every API key, revoked ones too, newest first.
func (c Credentials) Keys(ctx context.Context) ([]*records.APIKey, error) {
	rows, err := c.s.reader(ctx).QueryContext(ctx, "SELECT hash, doc FROM api_keys ORDER BY created_at DESC, id LIMIT 10000")
	if err != nil {
		return nil, c.s.internal(ctx, "list keys", err)
	}
	defer rows.Close()
	var out []*records.APIKey
	for rows.Next() {
		var hash string
		var doc []byte
		if err := rows.Scan(&hash, &doc); err != nil {
			return nil, c.s.internal(ctx, "list keys", err)
		}
		k, err := c.scanKey(ctx, hash, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey marks the key revoked; it is refused from its next use on.
func (c Credentials) RevokeKey(ctx context.Context, id string) (*records.APIKey, error) {
	var out *records.APIKey
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		k, err := c.Key(ctx, id)
		if err != nil {
			return err
		}
		if k.RevokedAt == nil {
			at := records.Now()
			k.RevokedAt = &at
			if err := c.putKey(ctx, tx, k); err != nil {
				return err
			}
		}
		out = k
		return nil
	})
	return out, err
}

// TouchKey records that the key was used at.
func (c Credentials) TouchKey(ctx context.Context, id string, at time.Time) error {
	return c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		k, err := c.Key(ctx, id)
		if err != nil {
			return err
		}
		k.LastUsed = &at
		return c.putKey(ctx, tx, k)
	})
}

func (c Credentials) putKey(ctx context.Context, tx *sql.Tx, k *records.APIKey) error {
	doc, err := json.Marshal(k)
	if err != nil {
		return c.s.internal(ctx, "encode key", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE api_keys SET doc = ? WHERE id = ?", string(doc), k.ID); err != nil {
		return c.s.internal(ctx, "update key", err)
	}
	return nil
}

// county turns the empty list a credential of the whole county may be
// stored with back into nil.
func county(ts []string) []string {
	if len(ts) == 0 {
		return nil
	}
	return ts
}

// ReportVersions keeps the report plugins uploaded through the API.
type ReportVersions struct{ s *Store }

// Save stores files as the next version of plugin id, scoped to the
// caller's townships, and returns it; only the newest
// records.MaxReportVersions of that scope are kept.
func (r ReportVersions) Save(ctx context.Context, id string, files []records.ReportFile, note string) (*records.ReportVersion, error) {
	var v *records.ReportVersion
	err := r.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var latest int
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM report_versions WHERE plugin_id = ?", id).Scan(&latest); err != nil {
			return r.s.internal(ctx, "find report version", err)
		}
		a := records.ActorFrom(ctx)
		v = &records.ReportVersion{PluginID: id, Version: latest + 1, Files: files, Note: note,
			CreatedAt: records.Now(), CreatedBy: a.ID}
		if !a.County() {
			v.Townships = slices.Sorted(slices.Values(a.Townships))
		}
		v.ID = fmt.Sprintf("%s@%d", id, v.Version)
		doc, err := json.Marshal(v)
		if err != nil {
			return r.s.internal(ctx, "encode report version", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_versions (plugin_id, version, doc) VALUES (?, ?, ?)", id, v.Version, string(doc)); err != nil {
			return r.s.internal(ctx, "insert report version", err)
		}
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		after, _ := json.Marshal(map[string]any{"pluginId": id, "version": v.Version, "files": names})
		if err := r.s.writeAudit(ctx, tx, auditRow{Action: "save", Kind: "reportTemplates", RecordID: id, Version: v.Version, Note: note, After: after}); err != nil {
			return err
		}
		// The versions of the same scope (the one just saved among them)
		// beyond the newest MaxReportVersions go: one township's uploads
		// never push out the county's or another township's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_versions WHERE plugin_id = ?1 AND version IN (
				SELECT version FROM (SELECT version, row_number() OVER (ORDER BY version DESC) AS n FROM report_versions
					WHERE plugin_id = ?1 AND json_extract(doc, '$.townships') IS json_extract(?2, '$.townships'))
				WHERE n > ?3)`, id, string(doc), records.MaxReportVersions); err != nil {
			return r.s.internal(ctx, "prune report versions", err)
		}
		return nil
	})
	return v, err
}

func (r ReportVersions) find(ctx context.Context, q string, args ...any) ([]*records.ReportVersion, error) {
	rows, err := r.s.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, r.s.internal(ctx, "find report versions", err)
	}
	defer rows.Close()
	var out []*records.ReportVersion
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, r.s.internal(ctx, "find report versions", err)
		}
		var v records.ReportVersion
		if err := json.Unmarshal(doc, &v); err != nil {
			return nil, r.s.internal(ctx, "decode report version", err)
		}
		out = append(out, &v)
	}
	return out, rows.Err()
}

// Latest returns the newest version of plugin id.
func (r ReportVersions) Latest(ctx context.Context, id string) (*records.ReportVersion, error) {
	vs, err := r.find(ctx, "SELECT doc FROM report_versions WHERE plugin_id = ? ORDER BY version DESC LIMIT 1", id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, records.Errorf(records.ENOTFOUND, "no uploaded report template %q", id)
	}
	return vs[0], nil
}

// Get returns version n of plugin id.
func (r ReportVersions) Get(ctx context.Context, id string, n int) (*records.ReportVersion, error) {
	vs, err := r.find(ctx, "SELECT doc FROM report_versions WHERE plugin_id = ? AND version = ?", id, n)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, records.Errorf(records.ENOTFOUND, "report template %q has no version %d", id, n)
	}
	return vs[0], nil
}

// List returns every version of plugin id, newest first.
func (r ReportVersions) List(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	return r.find(ctx, "SELECT doc FROM report_versions WHERE plugin_id = ? ORDER BY version DESC", id)
}

// heads selects the newest version of each plugin in each scope.
const heads = `SELECT doc FROM (SELECT doc, plugin_id, version, row_number() OVER (
		PARTITION BY plugin_id, json_extract(doc, '$.townships') ORDER BY version DESC) AS n
	FROM report_versions WHERE plugin_id = ?1 OR ?1 IS NULL) WHERE n = 1 ORDER BY plugin_id, version DESC`

// Heads returns the newest version of plugin id in each scope, newest first.
func (r ReportVersions) Heads(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	return r.find(ctx, heads, id)
}

// LatestAll returns the newest version of every uploaded plugin in each
// scope.
func (r ReportVersions) LatestAll(ctx context.Context) ([]*records.ReportVersion, error) {
	return r.find(ctx, heads, nil)
}
