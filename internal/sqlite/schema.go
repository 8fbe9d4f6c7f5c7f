package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"renda/internal/records"
)

// The layout of the file. Each kind of record is a table: id, township,
// version and the two timestamps as columns, the record itself as a JSON
// document (the record's JSON form), and a stored column computed from
// the document for each of its scalar fields (those not inside a list,
// free text and attributes aside): what lists sort on and filters and
// groupings compare and count, read without parsing the document. The
// columns are computed by SQLite when a row is written, so they cannot
// disagree with the document. The sort keys and the most selective fields
// are indexed after the township (every read is a township's or a few
// townships').

// kindTables are the record kinds in the order they are created.
var kindTables = []records.Kind{
	records.KindTownship, records.KindDeputy, records.KindVillage, records.KindProject,
	records.KindInspection, records.KindActivity, records.KindSuggestion,
	records.KindReception, records.KindPointRules,
	records.KindCongressSession, records.KindPresidiumMeeting, records.KindLivelihoodProject, records.KindSubmission,
}

// indexed are, per kind, the columns indexed (township, column, id):
// every sort key, and the fields reads select by most (a year, a
// reference followed back).
var indexed = map[records.Kind][]string{
	records.KindTownship:   {"nameKey"},
	records.KindDeputy:     {"nameKey", "group", "villageId"},
	records.KindVillage:    {"nameKey", "code"},
	records.KindProject:    {"nameKey", "year", "kind"},
	records.KindInspection: {"date.date", "date.year", "topic"},
	records.KindActivity:   {"date.date", "date.year", "kind", "title"},
	records.KindSuggestion: {"submitted", "year", "status", "deputyId"},
	records.KindReception:  {"date", "year", "station"},
	records.KindPointRules: {"effectiveFrom"},

	records.KindCongressSession:   {"start", "year"},
	records.KindPresidiumMeeting:  {"date.date", "date.year"},
	records.KindLivelihoodProject: {"year", "nameKey", "votes", "progress"},
	records.KindSubmission:        {"status", "deputyId", "date"},
}

// countyIndexed are the columns also indexed without the township first,
// for questions across the county that narrow by them (a year's records).
var countyIndexed = map[records.Kind][]string{
	records.KindProject:    {"year"},
	records.KindInspection: {"date.year"},
	records.KindActivity:   {"date.year"},
	records.KindSuggestion: {"year"},
}

// computedColumns are the stored columns computed otherwise than as the
// document's value at their path: a deputy's voterCount is the length of
// its voters, so rows written before renda derived it, and the history's
// documents read as of a past moment, hold it too.
var computedColumns = map[records.Kind]map[string]string{
	records.KindDeputy: {"voterCount": "coalesce(json_array_length(doc, '$.voters'), 0)"},
}

// columnExpr is the expression of the document that kind's column for
// path holds.
func columnExpr(kind records.Kind, path string) string {
	if e, ok := computedColumns[kind][path]; ok {
		return e
	}
	return fmt.Sprintf("json_extract(doc, '%s')", jsonPath(strings.Split(path, ".")))
}

// columnName is the stored column of a document path.
func columnName(path string) string { return `"k_` + strings.ReplaceAll(path, ".", "_") + `"` }

var (
	columnPaths = map[records.Kind][]string{} // kind → its stored columns' paths
	columnSet   = map[records.Kind]map[string]bool{}
)

func init() {
	for _, k := range kindTables {
		columnSet[k] = map[string]bool{}
		scalarPaths(kindTypes[k], "", 0, func(p string) {
			columnPaths[k] = append(columnPaths[k], p)
			columnSet[k][p] = true
		})
	}
}

// scalarPaths calls f with the JSON path of every scalar field of struct
// type t outside lists: texts (free text aside), numbers, booleans,
// dates and enumerations, in nested structs too.
func scalarPaths(t reflect.Type, prefix string, depth int, f func(string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 3 {
		return
	}
	for i := range t.NumField() {
		fd := t.Field(i)
		name, _, _ := strings.Cut(fd.Tag.Get("json"), ",")
		ft := fd.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if fd.Anonymous && name == "" {
			scalarPaths(ft, prefix, depth, f)
			continue
		}
		if name == "-" || !fd.IsExported() {
			continue
		}
		if name == "" {
			name = fd.Name
		}
		path := prefix + name
		switch {
		case path == "id" || path == "township" || path == "version" || path == "createdAt" || path == "updatedAt":
		case ft == timeType || fd.Tag.Get("max") == "20000":
		case ft.Kind() == reflect.Struct:
			scalarPaths(ft, path+".", depth+1, f)
		case ft.Kind() == reflect.String, ft.Kind() == reflect.Bool, ft.Kind() >= reflect.Int && ft.Kind() <= reflect.Float64:
			f(path)
		}
	}
}

// columnOf is the column holding path on kind's table, if any: the
// table's own columns, then the stored ones.
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
	if columnSet[kind][path] {
		return columnName(path), true
	}
	return "", false
}

// tableDDL is the CREATE TABLE of kind's table, named name.
func tableDDL(kind records.Kind, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE TABLE %s (
		id TEXT PRIMARY KEY,
		township TEXT NOT NULL,
		version INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		doc TEXT NOT NULL`, name)
	for _, p := range columnPaths[kind] {
		fmt.Fprintf(&b, ",\n\t\t%s GENERATED ALWAYS AS (%s) STORED", columnName(p), columnExpr(kind, p))
	}
	b.WriteString(")")
	return b.String()
}

// schemaVersion is the layout's version, kept in the file; Open brings an
// older file up to it.
const schemaVersion = 1

func (s *Store) migrateSchema(ctx context.Context) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var stmts []string
		stmts = append(stmts, `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
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
				note TEXT NOT NULL DEFAULT '',
				chain_seq INTEGER,
				prev TEXT,
				hash TEXT
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
		// Accounts keep their earlier password hashes (a file made before
		// they did gets the column, empty).
		have, err := columns(ctx, tx, "accounts")
		if err != nil {
			return s.internal(ctx, "read columns", err)
		}
		if !have["password_history"] {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE accounts ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]'`); err != nil {
				return s.internal(ctx, "add column", err)
			}
		}
		if err := s.chainAudit(ctx, tx); err != nil {
			return err
		}
		for _, k := range kindTables {
			if err := s.ensureTable(ctx, tx, k); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(schemaVersion))
		if err != nil {
			return s.internal(ctx, "write schema version", err)
		}
		return nil
	})
}

// chainAudit gives the audit table of a file made before the chain its
// columns (its rows stay unchained), the chain's index, and the triggers
// that refuse to change or remove a row: the trail is append-only.
func (s *Store) chainAudit(ctx context.Context, tx *sql.Tx) error {
	have, err := columns(ctx, tx, "audit")
	if err != nil {
		return s.internal(ctx, "read columns", err)
	}
	var stmts []string
	for _, c := range []string{"chain_seq INTEGER", "prev TEXT", "hash TEXT"} {
		if name, _, _ := strings.Cut(c, " "); !have[name] {
			stmts = append(stmts, "ALTER TABLE audit ADD COLUMN "+c)
		}
	}
	stmts = append(stmts,
		`CREATE UNIQUE INDEX IF NOT EXISTS audit_chain ON audit (chain_seq)`,
		`CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		`CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
	)
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return s.internal(ctx, "chain the audit trail", err)
		}
	}
	return nil
}

// ensureTable creates kind's table and its indexes, or rebuilds it when
// its stored columns are not those the kind now has (a field added to
// the record): the rows are copied and the columns computed again.
func (s *Store) ensureTable(ctx context.Context, tx *sql.Tx, k records.Kind) error {
	t := string(k)
	have, err := columns(ctx, tx, t)
	if err != nil {
		return s.internal(ctx, "read columns", err)
	}
	want := map[string]bool{"id": true, "township": true, "version": true, "created_at": true, "updated_at": true, "doc": true}
	for _, p := range columnPaths[k] {
		want[strings.Trim(columnName(p), `"`)] = true
	}
	same := len(have) == len(want)
	for c := range have {
		same = same && want[c]
	}
	switch {
	case len(have) == 0:
		if _, err := tx.ExecContext(ctx, tableDDL(k, t)); err != nil {
			return s.internal(ctx, "create table", err)
		}
	case !same:
		s.log.InfoContext(ctx, "rebuilding a table for its new columns", "table", t)
		for _, q := range []string{
			"DROP TABLE IF EXISTS " + t + "_new",
			tableDDL(k, t+"_new"),
			"INSERT INTO " + t + "_new (id, township, version, created_at, updated_at, doc) SELECT id, township, version, created_at, updated_at, doc FROM " + t,
			"DROP TABLE " + t,
			"ALTER TABLE " + t + "_new RENAME TO " + t,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return s.internal(ctx, "rebuild table", err)
			}
		}
	}
	stmts := []string{
		fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s_created ON %s (township, created_at, id)`, t, t),
		fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s_updated ON %s (township, updated_at, id)`, t, t),
	}
	for _, p := range indexed[k] {
		col := columnName(p)
		stmts = append(stmts, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_%s" ON %s (township, %s, id)`, t, strings.Trim(col, `"`), t, col))
	}
	for _, p := range countyIndexed[k] {
		col := columnName(p)
		stmts = append(stmts, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_county_%s" ON %s (%s, township)`, t, strings.Trim(col, `"`), t, col))
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return s.internal(ctx, "create index", err)
		}
	}
	return nil
}

// columns lists a table's columns, generated ones included.
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
