package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"renda/internal/records"
)

// The layout of the file. Each kind of record is a table: id, township,
// version and the two timestamps as columns, the record itself as a JSON
// document (the record's JSON form), and virtual columns computed from the
// document for the paths lists sort on and filters and groupings narrow
// by, each indexed after the township (every read is a township's or a
// few townships'). Virtual columns cost nothing to store and cannot
// disagree with the document.

// kindTables are the record kinds in the order they are created.
var kindTables = []records.Kind{
	records.KindTownship, records.KindDeputy, records.KindVillage, records.KindProject,
	records.KindInspection, records.KindActivity, records.KindSuggestion,
}

// indexed are, per kind, the document paths that get a column and an
// index (township, column, id): every sort key, and the fields reads
// select by most (a year, a reference followed back).
var indexed = map[records.Kind][]string{
	records.KindTownship:   {"nameKey"},
	records.KindDeputy:     {"nameKey", "group", "villageId"},
	records.KindVillage:    {"nameKey", "code"},
	records.KindProject:    {"nameKey", "year", "kind"},
	records.KindInspection: {"date.date", "date.year", "topic"},
	records.KindActivity:   {"date.date", "date.year", "kind", "title"},
	records.KindSuggestion: {"submitted", "year", "status", "deputyId"},
}

// countyIndexed are the columns also indexed without the township first,
// for questions across the county that narrow by them (a year's records).
var countyIndexed = map[records.Kind][]string{
	records.KindProject:    {"year"},
	records.KindInspection: {"date.year"},
	records.KindActivity:   {"date.year"},
	records.KindSuggestion: {"year"},
}

// columnName is the virtual column of a document path.
func columnName(path string) string { return `"k_` + strings.ReplaceAll(path, ".", "_") + `"` }

// columnOf is the column holding path on kind's table, if any: the real
// columns, then the virtual ones.
func columnOf(kind records.Kind, path string) (string, bool) {
	switch path {
	case "_id", "id":
		return "id", true
	case "township":
		return "township", true
	case "version":
		return "version", true
	case "createdAt":
		return "created_at", true
	case "updatedAt":
		return "updated_at", true
	}
	for _, p := range indexed[kind] {
		if p == path {
			return columnName(path), true
		}
	}
	return "", false
}

// schemaVersion is the layout's version, kept in the file; Open brings an
// older file up to it.
const schemaVersion = 1

func (s *Store) migrateSchema(ctx context.Context) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var stmts []string
		stmts = append(stmts, `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
		for _, k := range kindTables {
			t := string(k)
			stmts = append(stmts,
				fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
					id TEXT PRIMARY KEY,
					township TEXT NOT NULL,
					version INTEGER NOT NULL,
					created_at INTEGER NOT NULL,
					updated_at INTEGER NOT NULL,
					doc TEXT NOT NULL
				)`, t),
				fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s_created ON %s (township, created_at, id)`, t, t),
				fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s_updated ON %s (township, updated_at, id)`, t, t))
		}
		stmts = append(stmts,
			`CREATE TABLE IF NOT EXISTS audit (
				seq INTEGER PRIMARY KEY,
				id TEXT NOT NULL UNIQUE,
				at INTEGER NOT NULL,
				actor TEXT NOT NULL,
				action TEXT NOT NULL,
				kind TEXT NOT NULL,
				record_id TEXT NOT NULL,
				township TEXT NOT NULL DEFAULT '',
				version INTEGER NOT NULL,
				before TEXT,
				after TEXT,
				note TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX IF NOT EXISTS audit_record ON audit (record_id, at)`,
			`CREATE INDEX IF NOT EXISTS audit_deleted ON audit (kind, action, township, at)`,
			`CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id)`,
			`CREATE INDEX IF NOT EXISTS audit_township ON audit (township, at, id)`,
			`CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, password_hash TEXT NOT NULL, doc TEXT NOT NULL)`,
			`CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires_at INTEGER NOT NULL, doc TEXT NOT NULL)`,
			`CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id)`,
			`CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at)`,
			`CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL)`,
			`CREATE TABLE IF NOT EXISTS report_versions (plugin_id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (plugin_id, version))`,
			`CREATE TABLE IF NOT EXISTS attribute_sets (id TEXT PRIMARY KEY, township TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)`,
			`CREATE TABLE IF NOT EXISTS markers (key TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
			`CREATE TABLE IF NOT EXISTS idempotency (id TEXT PRIMARY KEY, record_id TEXT NOT NULL, at INTEGER NOT NULL)`,
		)
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return s.internal(ctx, "create tables", err)
			}
		}
		for _, k := range kindTables {
			have, err := columns(ctx, tx, string(k))
			if err != nil {
				return s.internal(ctx, "read columns", err)
			}
			for _, p := range indexed[k] {
				col := columnName(p)
				if !have[strings.Trim(col, `"`)] {
					q := fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s GENERATED ALWAYS AS (json_extract(doc, '$.%s')) VIRTUAL`, k, col, p)
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return s.internal(ctx, "add column", err)
					}
				}
				name := strings.Trim(col, `"`)
				q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_%s" ON %s (township, %s, id)`, k, name, k, col)
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return s.internal(ctx, "create index", err)
				}
			}
			for _, p := range countyIndexed[k] {
				col := columnName(p)
				name := strings.Trim(col, `"`)
				q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_county_%s" ON %s (%s, township)`, k, name, k, col)
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return s.internal(ctx, "create index", err)
				}
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(schemaVersion))
		if err != nil {
			return s.internal(ctx, "write schema version", err)
		}
		return nil
	})
}

// columns lists a table's columns, virtual ones included.
func columns(ctx context.Context, tx *sql.Tx, table string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_xinfo(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}
