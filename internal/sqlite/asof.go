package sqlite

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"renda/internal/records"
)

// Reads as of an instant (records.WithAsOf). A kind's table is then read
// through a view of it as it stood at that instant, rebuilt from the audit
// trail, which holds every change with the record before and after it:
//
//   - a row no change has touched since the instant, and created by then,
//     is as it is;
//   - a record changed since (updated, deleted, reverted, restored) is the
//     "before" of its first change after the instant — none when that
//     change created or restored it (it did not exist then).
//
// The view has the table's columns, the stored ones computed from the
// document as the table computes them, so every query, filter, order,
// grouping and relation filter reads it unchanged. The audit trail's
// indexes (record, time; kind, action, township, time) keep it to the
// records changed since the instant.

// asOfMS is the instant ctx reads as of, in the audit trail's
// milliseconds; 0 when it reads what is stored.
func asOfMS(ctx context.Context) int64 {
	if t, ok := records.AsOfFrom(ctx); ok {
		return max(t.UnixMilli(), 1)
	}
	return 0
}

// from writes the source of kind's table: the table, or as of w.asOf the
// view described above, named as the table.
func (w *where) from(table string) {
	if w.asOf == 0 {
		w.sql(table)
		return
	}
	at := w.asOf
	acts := changing()
	w.sql("(SELECT id, township, version, created_at, updated_at, doc"+viewColumns(records.Kind(table))+" FROM ("+
		"SELECT id, township, version, created_at, updated_at, doc FROM "+table+" r WHERE r.created_at <= ? AND NOT EXISTS ("+
		"SELECT 1 FROM audit a WHERE a.record_id = r.id AND a.kind = ? AND a.at > ? AND a.action IN "+acts+")"+
		" UNION ALL "+
		"SELECT a.record_id, a.township, json_extract(a.before, '$.version'), "+msOf("a.before", "createdAt")+", "+msOf("a.before", "updatedAt")+", a.before FROM audit a"+
		" WHERE a.kind = ? AND a.at > ? AND a.action IN "+acts+" AND a.before IS NOT NULL AND NOT EXISTS ("+
		"SELECT 1 FROM audit b WHERE b.record_id = a.record_id AND b.kind = a.kind AND b.at > ? AND b.action IN "+acts+" AND b.seq < a.seq)"+
		")) AS "+table,
		at, table, at, table, at, at)
}

// msOf is the time at member of doc as Unix milliseconds, as the table's
// created_at and updated_at hold it.
func msOf(doc, member string) string {
	return fmt.Sprintf("CAST(round((julianday(json_extract(%s, '$.%s')) - 2440587.5) * 86400000) AS INTEGER)", doc, member)
}

var changing = sync.OnceValue(func() string {
	q := make([]string, len(records.ChangingActions))
	for i, a := range records.ChangingActions {
		q[i] = "'" + a + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
})

var viewCols sync.Map // kind → string

// viewColumns are the stored columns of kind's table as expressions of
// the document: ", json_extract(doc, '$.a') AS a, …".
func viewColumns(kind records.Kind) string {
	if s, ok := viewCols.Load(kind); ok {
		return s.(string)
	}
	var b strings.Builder
	for _, p := range columnPaths[kind] {
		fmt.Fprintf(&b, ", %s AS %s", columnExpr(kind, p), columnName(p))
	}
	viewCols.Store(kind, b.String())
	return b.String()
}
