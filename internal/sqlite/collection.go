package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"strings"

	"renda/internal/records"
)

// Collection keeps one kind of record in its table.
type Collection[T any, PT records.Record[T]] struct {
	s     *Store
	kind  records.Kind
	table string
}

var _ records.Collection[records.Deputy, *records.Deputy] = (*Collection[records.Deputy, *records.Deputy])(nil)

func newCollection[T any, PT records.Record[T]](s *Store, kind records.Kind) *Collection[T, PT] {
	return &Collection[T, PT]{s: s, kind: kind, table: string(kind)}
}

// scope narrows a statement to the townships the caller may see. A
// township's own row holds itself as its township.
func scope(ctx context.Context, w *where) {
	a := records.ActorFrom(ctx)
	if a.County() {
		return
	}
	w.sql(" AND ")
	inList(w, "township", a.Townships)
}

// inList writes col IN (values), or false for none.
func inList(w *where, col string, vs []string) {
	if len(vs) == 0 {
		w.sql("0")
		return
	}
	w.sql(col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(vs)), ",") + ")")
	for _, v := range vs {
		w.args = append(w.args, v)
	}
}

// decode reads a stored document. The documents are the store's own,
// written by encoding/json; they are read with the v2 decoder (the
// prototype of encoding/json/v2), which reads them in about a third of
// the time: unknown members are ignored as before, so documents written
// by a later release with more fields still read.
func (c *Collection[T, PT]) decode(ctx context.Context, doc []byte) (PT, error) {
	var x T
	if err := jsonv2.Unmarshal(doc, &x, decodeOptions); err != nil {
		return nil, c.s.internal(ctx, "decode "+c.table, err)
	}
	return &x, nil
}

// get reads the record with id and its document as stored, within the
// caller's scope.
func (c *Collection[T, PT]) get(ctx context.Context, id string) (PT, []byte, error) {
	w := &where{kind: c.kind, asOf: asOfMS(ctx)}
	w.sql("SELECT doc FROM ")
	w.from(c.table)
	w.sql(" WHERE id = ?", id)
	scope(ctx, w)
	c.s.on("find")
	var doc []byte
	err := c.s.reader(ctx).QueryRowContext(ctx, w.b.String(), w.args...).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, nil, records.NotFound(c.kind, id)
	} else if err != nil {
		return nil, nil, c.s.internal(ctx, "get "+c.table, err)
	}
	x, err := c.decode(ctx, doc)
	return x, doc, err
}

// Get returns the record with id, from any township the caller may see.
func (c *Collection[T, PT]) Get(ctx context.Context, id string) (PT, error) {
	x, _, err := c.get(ctx, id)
	return x, err
}

// GetIn returns the records of township t with the given ids that exist.
func (c *Collection[T, PT]) GetIn(ctx context.Context, t string, ids []string) ([]PT, error) {
	return c.FindIn(ctx, t, "_id", ids)
}

// FindIn returns the records of township t whose field at path holds one
// of values, in the kind's default order.
func (c *Collection[T, PT]) FindIn(ctx context.Context, t string, path string, values []string) ([]PT, error) {
	return c.FindInWhere(ctx, t, path, values, records.Expr{})
}

// FindInWhere is FindIn with a filter the records must match as well.
func (c *Collection[T, PT]) FindInWhere(ctx context.Context, t string, path string, values []string, filter records.Expr) ([]PT, error) {
	if len(values) == 0 || !records.ActorFrom(ctx).Sees(t) && c.kind != records.KindTownship {
		return nil, nil
	}
	sorts, _ := records.Sorts(c.kind, nil)
	w := &where{kind: c.kind, asOf: asOfMS(ctx)}
	w.sql("SELECT doc FROM ")
	w.from(c.table)
	w.sql(" WHERE ")
	if c.kind != records.KindTownship {
		w.sql("township = ? AND ", t)
	}
	w.cond(records.Cond{Path: path, Op: records.OpIn, Value: values})
	if !filter.IsZero() {
		w.sql(" AND ")
		w.expr(filter)
	}
	scope(ctx, w)
	w.sql(" ORDER BY " + c.orderBy(sorts))
	return c.query(ctx, w)
}

// query runs a statement selecting doc and decodes the records.
func (c *Collection[T, PT]) query(ctx context.Context, w *where) ([]PT, error) {
	c.s.on("find")
	rows, err := c.s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
	if err != nil {
		return nil, c.s.internal(ctx, "find "+c.table, err)
	}
	defer rows.Close()
	var out []PT
	for rows.Next() {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			return nil, c.s.internal(ctx, "find "+c.table, err)
		}
		x, err := c.decode(ctx, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, c.s.internal(ctx, "find "+c.table, err)
	}
	return out, nil
}

// sortExpr is the SQL of the i-th sort: a stored path, or a count of
// related records, joined as rc<i> (countJoins).
func (c *Collection[T, PT]) sortExpr(i int, s records.Sort) string {
	if s.Count != nil {
		return fmt.Sprintf("coalesce(rc%d.n, 0)", i)
	}
	sh := shapeOf(c.kind, s.Path)
	if sh.column != "" {
		return sh.column
	}
	return fmt.Sprintf("json_extract(doc, '%s')", sh.leaf)
}

// orderBy is the ORDER BY of sorts, id last so the order is total.
func (c *Collection[T, PT]) orderBy(sorts []records.Sort) string {
	var parts []string
	for i, s := range sorts {
		e := c.sortExpr(i, s)
		if s.Desc {
			e += " DESC"
		}
		parts = append(parts, e)
	}
	return strings.Join(append(parts, "id"), ", ")
}

// checkWrite validates x, derives its computed fields, encodes it and
// checks that its township and every record it points at exist in its
// township (those in had, the stored record's, are not looked up again:
// a record pointed at cannot be deleted).
func (c *Collection[T, PT]) checkWrite(ctx context.Context, x PT, had map[records.Kind]map[string]bool) ([]byte, error) {
	m := x.GetMeta()
	if err := x.Validate(); err != nil {
		return nil, err
	}
	set, err := AttributeDefs{c.s}.get(ctx, m.Township, c.kind)
	if err != nil {
		return nil, err
	}
	if err := set.CheckAttributes(m.Attributes); err != nil {
		return nil, err
	}
	x.Derive(sortKey)
	doc, err := json.Marshal(x)
	if err != nil {
		return nil, c.s.internal(ctx, "encode "+c.table, err)
	} else if len(doc) > records.MaxRecordBytes {
		return nil, records.TooLarge(c.kind, len(doc))
	}
	if c.kind != records.KindTownship {
		if ok, err := c.s.townshipExists(ctx, m.Township); err != nil {
			return nil, err
		} else if !ok {
			return nil, records.Invalidf("township", "township %q not found", m.Township)
		}
	}
	return doc, c.s.checkRefs(ctx, m.Township, records.NewRefs(x.Refs(), had))
}

// townshipExists reports a township the caller may see.
func (s *Store) townshipExists(ctx context.Context, t string) (bool, error) {
	if !records.ActorFrom(ctx).Sees(t) {
		return false, nil
	}
	var n int
	err := s.reader(ctx).QueryRowContext(ctx, "SELECT count(*) FROM townships WHERE id = ?", t).Scan(&n)
	if err != nil {
		return false, s.internal(ctx, "find township", err)
	}
	return n > 0, nil
}

// checkRefs makes sure every referenced id names a record of the
// township, one statement per kind referenced.
func (s *Store) checkRefs(ctx context.Context, township string, refs []records.Ref) error {
	byKind := map[records.Kind][]string{}
	var kinds []records.Kind
	for _, r := range refs {
		if len(r.IDs) > 0 && byKind[r.Kind] == nil {
			kinds = append(kinds, r.Kind)
		}
		byKind[r.Kind] = append(byKind[r.Kind], r.IDs...)
	}
	for _, kind := range kinds {
		w := &where{kind: kind}
		w.sql("SELECT id FROM "+string(kind)+" WHERE township = ? AND ", township)
		inList(w, "id", byKind[kind])
		rows, err := s.reader(ctx).QueryContext(ctx, w.b.String(), w.args...)
		if err != nil {
			return s.internal(ctx, "check references", err)
		}
		exists := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return s.internal(ctx, "check references", err)
			}
			exists[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.internal(ctx, "check references", err)
		}
		if err := records.MissingRef(refs, kind, township, exists); err != nil {
			return err
		}
	}
	return nil
}

// insert stores a new record's row.
func (c *Collection[T, PT]) insert(ctx context.Context, tx *sql.Tx, m *records.Meta, doc []byte) error {
	c.s.on("insert")
	_, err := tx.ExecContext(ctx, "INSERT INTO "+c.table+" (id, township, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)",
		m.ID, m.Township, m.Version, m.CreatedAt.UnixMilli(), m.UpdatedAt.UnixMilli(), string(doc))
	if isUnique(err) {
		return records.Errorf(records.ECONFLICT, "%s %q exists already", c.kind.Noun(), m.ID)
	} else if err != nil {
		return c.s.internal(ctx, "insert "+c.table, err)
	}
	return nil
}

// Create stores a new record. An empty id gets a fresh one; a record with
// an id that exists already is a conflict.
func (c *Collection[T, PT]) Create(ctx context.Context, x PT) (PT, error) {
	if err := records.MayWrite(ctx, c.kind, x.GetMeta().Township, true); err != nil {
		return nil, err
	}
	records.Stamp(ctx, c.kind, x, records.NowFor(ctx))
	if err := records.CheckGuard(ctx, x); err != nil {
		return nil, err
	}
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		doc, err := c.checkWrite(ctx, x, nil)
		if err != nil {
			return err
		}
		m := x.GetMeta()
		if err := c.insert(ctx, tx, m, doc); err != nil {
			return err
		}
		return c.s.writeAudit(ctx, tx, auditRow{Action: records.ActionCreate, Kind: c.table, RecordID: m.ID, Township: m.Township, Version: m.Version, After: doc})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Update applies patch to the record with id and stores it with its
// version raised by one. With expectedVersion, a record at another version
// is a conflict and nothing changes; without, the patch is applied to the
// record as stored, under the write lock, so no change is ever lost.
func (c *Collection[T, PT]) Update(ctx context.Context, id string, expectedVersion *int, patch func(PT)) (PT, error) {
	return c.Modify(ctx, id, expectedVersion, func(x PT) error { patch(x); return nil })
}

// Modify is Update with a change that may refuse; a refusal stores nothing.
func (c *Collection[T, PT]) Modify(ctx context.Context, id string, expectedVersion *int, change func(PT) error) (PT, error) {
	return c.modify(ctx, id, expectedVersion, records.ActionUpdate, "", change)
}

func (c *Collection[T, PT]) modify(ctx context.Context, id string, expectedVersion *int, action, note string, change func(PT) error) (PT, error) {
	var out PT
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		x, before, err := c.get(ctx, id)
		if err != nil {
			return err
		}
		m := x.GetMeta()
		if err := records.MayWrite(ctx, c.kind, m.Township, false); err != nil {
			return err
		}
		if err := records.CheckGuard(ctx, x); err != nil {
			return err
		}
		if expectedVersion != nil && *expectedVersion != m.Version {
			return records.Conflict(c.kind, id, *expectedVersion, m.Version)
		}
		read, township, created, createdBy := m.Version, m.Township, m.CreatedAt, m.CreatedBy
		had := records.RefSet(x.Refs())
		if err := change(x); err != nil {
			return err
		}
		m = x.GetMeta() // a revert replaces the whole record
		records.Restamp(ctx, m, id, township, read, created, createdBy, records.NowFor(ctx))
		if err := records.CheckGuard(ctx, x); err != nil {
			return err
		}
		doc, err := c.checkWrite(ctx, x, had)
		if err != nil {
			return err
		}
		c.s.on("update")
		res, err := tx.ExecContext(ctx, "UPDATE "+c.table+" SET version = ?, updated_at = ?, doc = ? WHERE id = ? AND version = ?",
			m.Version, m.UpdatedAt.UnixMilli(), string(doc), id, read)
		if err != nil {
			return c.s.internal(ctx, "update "+c.table, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return records.Errorf(records.ECONFLICT, "%s %q was changed by someone else while you saved; reload and try again", c.kind.Noun(), id)
		}
		out = x
		return c.s.writeAudit(ctx, tx, auditRow{Action: action, Kind: c.table, RecordID: id, Township: township, Version: m.Version,
			Before: before, After: doc, Note: note})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes the record with id, unless other records still point at
// it. Its last version stays in its history, for Restore.
func (c *Collection[T, PT]) Delete(ctx context.Context, id string, expectedVersion *int) (PT, error) {
	var out PT
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		x, before, err := c.get(ctx, id)
		if err != nil {
			return err
		}
		m := x.GetMeta()
		if err := records.MayWrite(ctx, c.kind, m.Township, c.kind == records.KindTownship); err != nil {
			return err
		}
		if err := records.CheckGuard(ctx, x); err != nil {
			return err
		}
		if expectedVersion != nil && *expectedVersion != m.Version {
			return records.Conflict(c.kind, id, *expectedVersion, m.Version)
		}
		for _, br := range records.Backrefs[c.kind] {
			w := &where{kind: br.Kind}
			w.sql("SELECT count(*) FROM "+string(br.Kind)+" WHERE township = ?", m.Township)
			if c.kind != records.KindTownship {
				w.sql(" AND ")
				w.cond(records.Cond{Path: br.Path, Op: records.OpEq, Value: id})
			}
			var n int
			if err := tx.QueryRowContext(ctx, w.b.String(), w.args...).Scan(&n); err != nil {
				return c.s.internal(ctx, "check references", err)
			}
			if n > 0 {
				return records.Errorf(records.ECONFLICT, "%s %q is still referenced by %d %s (%s); change those first", c.kind.Noun(), id, n, br.Kind, br.Path)
			}
		}
		c.s.on("delete")
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+c.table+" WHERE id = ?", id); err != nil {
			return c.s.internal(ctx, "delete "+c.table, err)
		}
		out = x
		return c.s.writeAudit(ctx, tx, auditRow{Action: records.ActionDelete, Kind: c.table, RecordID: id, Township: m.Township, Version: m.Version, Before: before})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Bulk stores records of one township as given (ids, versions, stamps),
// for loading generated or moved data in bulk, in one transaction: each is
// validated and its references checked, and those whose id is stored
// already are left as they are. Meta fields left empty are stamped as
// Create would. It returns how many records were stored.
func (c *Collection[T, PT]) Bulk(ctx context.Context, xs []PT) (int, error) {
	if len(xs) == 0 {
		return 0, nil
	}
	t := xs[0].GetMeta().Township
	if c.kind == records.KindTownship {
		return 0, records.Errorf(records.EINVALID, "townships are created one at a time")
	}
	if err := records.MayWrite(ctx, c.kind, t, false); err != nil {
		return 0, err
	}
	stored := 0
	err := c.s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if ok, err := c.s.townshipExists(ctx, t); err != nil {
			return err
		} else if !ok {
			return records.Invalidf("township", "township %q not found", t)
		}
		set, err := AttributeDefs{c.s}.get(ctx, t, c.kind)
		if err != nil {
			return err
		}
		refs, err := records.PrepareBulk(ctx, c.kind, xs, set, sortKey)
		if err != nil {
			return err
		}
		docs := make([][]byte, len(xs))
		ids := make([]string, len(xs))
		for i, x := range xs {
			doc, err := json.Marshal(x)
			if err != nil {
				return c.s.internal(ctx, "encode "+c.table, err)
			} else if len(doc) > records.MaxRecordBytes {
				return records.Prefix(fmt.Sprint(i), records.TooLarge(c.kind, len(doc)))
			}
			docs[i], ids[i] = doc, x.GetMeta().ID
		}
		if err := c.s.checkRefs(ctx, t, refs); err != nil {
			return err
		}
		have, err := c.storedIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, "INSERT INTO "+c.table+" (id, township, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)")
		if err != nil {
			return c.s.internal(ctx, "insert "+c.table, err)
		}
		defer ins.Close()
		aud, err := tx.PrepareContext(ctx, auditInsert)
		if err != nil {
			return c.s.internal(ctx, "insert "+c.table, err)
		}
		defer aud.Close()
		head, _, err := c.s.head(ctx, tx)
		if err != nil {
			return err
		}
		c.s.on("insert")
		for i, x := range xs {
			m := x.GetMeta()
			if have[m.ID] {
				continue
			}
			have[m.ID] = true
			if _, err := ins.ExecContext(ctx, m.ID, t, m.Version, m.CreatedAt.UnixMilli(), m.UpdatedAt.UnixMilli(), string(docs[i])); err != nil {
				return c.s.internal(ctx, "insert "+c.table, err)
			}
			a := auditRow{At: m.CreatedAt, Actor: m.CreatedBy, Action: records.ActionCreate, Kind: c.table, RecordID: m.ID,
				Township: t, Version: m.Version, After: docs[i], Note: "bulk load"}
			if _, err := aud.ExecContext(ctx, a.args(ctx, head)...); err != nil {
				return c.s.internal(ctx, "audit "+c.table, err)
			}
			stored++
		}
		if stored == 0 {
			return nil
		}
		return c.s.saveHead(ctx, tx, head)
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

// storedIDs reports which of ids the table holds already.
func (c *Collection[T, PT]) storedIDs(ctx context.Context, tx *sql.Tx, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for i := 0; i < len(ids); i += 500 {
		w := &where{}
		w.sql("SELECT id FROM " + c.table + " WHERE ")
		inList(w, "id", ids[i:min(i+500, len(ids))])
		rows, err := tx.QueryContext(ctx, w.b.String(), w.args...)
		if err != nil {
			return nil, c.s.internal(ctx, "find "+c.table, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, c.s.internal(ctx, "find "+c.table, err)
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, c.s.internal(ctx, "find "+c.table, err)
		}
	}
	return out, nil
}
