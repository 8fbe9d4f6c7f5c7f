package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"renda/internal/records"
)

// planner decides, row by row, what an import does. plan returns the row's
// plan and the write that carries it out (nil when there is nothing to do).
type planner interface {
	plan(in *input) (Row, op)
}

// op is one planned write; it returns the id of the record written.
type op func(context.Context) (string, error)

func newPlanner(ctx context.Context, st Store, kind Kind, township string, key []string) (planner, error) {
	villages, err := loadAll(ctx, st.Villages, records.KindVillage, township)
	if err != nil {
		return nil, err
	}
	base := base{township: township, key: key, spec: specs[kind], now: time.Now(),
		villages: newVillageIndex(villages), seenKey: map[string]int{}, seenID: map[string]int{}}
	switch kind {
	case Deputies:
		ds, err := loadAll(ctx, st.Deputies, records.KindDeputy, township)
		if err != nil {
			return nil, err
		}
		return &deputyPlanner{base: base, c: st.Deputies, existing: ds}, nil
	case Villages:
		return &villagePlanner{base: base, c: st.Villages, existing: villages}, nil
	case Projects:
		ps, err := loadAll(ctx, st.Projects, records.KindProject, township)
		if err != nil {
			return nil, err
		}
		return &projectPlanner{base: base, c: st.Projects, existing: ps}, nil
	}
	return nil, invalid("kind", "不能导入“%s”", kind)
}

// maxExisting bounds the records of one kind an import compares a file
// with; a township holds far fewer.
const maxExisting = 100000

// loadAll reads every record of a kind in the township, page by page.
func loadAll[T any](ctx context.Context, c Collection[T], kind records.Kind, township string) ([]*T, error) {
	sorts, err := records.Sorts(kind, nil)
	if err != nil {
		return nil, err
	}
	q := records.Query{Townships: []string{township}, Sort: sorts, First: records.MaxPageSize}
	var out []*T
	for {
		page, err := c.Find(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if !page.HasNextPage || len(page.Cursors) == 0 {
			return out, nil
		}
		if len(out) > maxExisting {
			return nil, invalid("township", "本乡镇已有的记录超过 %d 条，无法比对导入", maxExisting)
		}
		q.After = page.Cursors[len(page.Cursors)-1]
	}
}

// base is what the planners of every kind share.
type base struct {
	township string
	key      []string
	spec     *kindSpec
	now      time.Time
	villages *villageIndex
	seenKey  map[string]int // natural key of a row to create → its line
	seenID   map[string]int // id of a matched record → the line matching it
}

// rowPlan collects a row's problems and changes while it is planned.
type rowPlan[T any] struct {
	spec     *kindSpec
	problems []Problem
	changes  []change[T]
}

// change is a Change with the patch that makes it.
type change[T any] struct {
	Change
	apply func(*T)
}

func (r *rowPlan[T]) refuse(field string, v value, reason string) {
	col := v.column
	r.problems = append(r.problems, Problem{Column: col, Header: v.header, Field: field, Reason: reason})
}

func (r *rowPlan[T]) refuseRow(field, reason string) {
	r.problems = append(r.problems, Problem{Field: field, Reason: reason})
}

// change records that field goes from old to new (as text) when they differ.
func (r *rowPlan[T]) change(field string, v value, old, new string, apply func(*T)) {
	if old == new {
		return
	}
	label := field
	if f := r.spec.field(field); f != nil {
		label = f.label
	}
	r.changes = append(r.changes, change[T]{Change{Field: field, Label: label, Column: v.column, Old: old, New: new}, apply})
}

// cellProblem checks what every cell of a data row must be: not an Excel
// error value.
func cellProblem(v value) string {
	if excelError.MatchString(v.text) {
		return fmt.Sprintf("单元格是 Excel 的错误值 %s（公式出错），请改正后再导入", v.text)
	}
	return ""
}

// plainText is a text field's value; ok is false when the cell is empty or
// a dash.
func plainText(v value, present bool) (string, bool) {
	if !present {
		return "", false
	}
	s := strings.TrimSpace(text(v))
	if nothing(s) {
		return "", false
	}
	return s, true
}

// result turns a planned row into its Row and op.
func result[T any, PT interface {
	*T
	GetMeta() *records.Meta
	Validate() error
}](r *rowPlan[T], record string, c Collection[T], existing PT, created PT) (Row, op) {
	row := Row{Record: record}
	sort.SliceStable(r.problems, func(i, j int) bool { return r.spec.order(r.problems[i].Field) < r.spec.order(r.problems[j].Field) })
	sort.SliceStable(r.changes, func(i, j int) bool { return r.spec.order(r.changes[i].Field) < r.spec.order(r.changes[j].Field) })
	if len(r.problems) > 0 {
		row.Action, row.Problems = Refused, r.problems
		return row, nil
	}
	if existing == nil {
		if err := created.Validate(); err != nil {
			return refusedByRules(row, err), nil
		}
		row.Action = Create
		return row, func(ctx context.Context) (string, error) {
			x, err := c.Create(ctx, (*T)(created))
			if err != nil {
				return "", err
			}
			return PT(x).GetMeta().ID, nil
		}
	}
	m := existing.GetMeta()
	row.ID = m.ID
	if len(r.changes) == 0 {
		row.Action = Unchanged
		return row, nil
	}
	cp := *existing
	for _, ch := range r.changes {
		ch.apply(&cp)
		row.Changes = append(row.Changes, ch.Change)
	}
	if err := PT(&cp).Validate(); err != nil {
		row.Changes = nil
		return refusedByRules(row, err), nil
	}
	row.Action = Update
	id, version, changes := m.ID, m.Version, r.changes
	return row, func(ctx context.Context) (string, error) {
		_, err := c.Update(ctx, id, &version, func(x *T) {
			for _, ch := range changes {
				ch.apply(x)
			}
		})
		return id, err
	}
}

// refusedByRules refuses a row the record's own rules refuse, for what the
// importer's checks did not catch.
func refusedByRules(row Row, err error) Row {
	row.Action = Refused
	row.Problems = []Problem{{Field: records.ErrorField(err), Reason: "记录未通过检查：" + records.ErrorMessage(err)}}
	return row
}

// duplicate refuses a second row for one record: the same new key, or the
// same matched record.
func (b *base) duplicate(key, id string, line int) string {
	if id != "" {
		if first, ok := b.seenID[id]; ok {
			return fmt.Sprintf("与第 %d 行是同一条记录，同一文件中只能出现一次", first)
		}
		b.seenID[id] = line
		return ""
	}
	if first, ok := b.seenKey[key]; ok {
		return fmt.Sprintf("与第 %d 行是同一条新记录（%s相同），同一文件中只能出现一次", first, b.keyLabel())
	}
	b.seenKey[key] = line
	return ""
}

func (b *base) keyLabel() string {
	var ls []string
	for _, k := range b.key {
		ls = append(ls, b.spec.field(k).label)
	}
	return strings.Join(ls, "和")
}

func (b *base) defaultKey() bool {
	return strings.Join(b.key, ",") == strings.Join(b.spec.defaultKey, ",")
}

// attributes sets the row's attributes.X fields on a record.
func attributes[T any](r *rowPlan[T], in *input, meta func(*T) *records.Meta, current *records.Meta, create *records.Meta) {
	for f, v := range in.values {
		key, ok := strings.CutPrefix(f, "attributes.")
		if !ok {
			continue
		}
		s, ok := plainText(v, true)
		if !ok {
			continue
		}
		if create != nil {
			if create.Attributes == nil {
				create.Attributes = map[string]any{}
			}
			create.Attributes[key] = s
			continue
		}
		old := ""
		if a, ok := current.Attributes[key]; ok && a != nil {
			old = fmt.Sprint(a)
		}
		r.change(f, v, old, s, func(x *T) {
			m := meta(x)
			attrs := make(map[string]any, len(m.Attributes)+1)
			for k, a := range m.Attributes {
				attrs[k] = a
			}
			attrs[key] = s
			m.Attributes = attrs
		})
	}
}

// villageIndex finds the township's villages by the names rosters use.
type villageIndex struct {
	byName map[string]*records.Village
	byID   map[string]*records.Village
	names  []string
}

func newVillageIndex(vs []*records.Village) *villageIndex {
	x := &villageIndex{byName: map[string]*records.Village{}, byID: map[string]*records.Village{}}
	for _, v := range vs {
		x.byName[personName(v.Name)] = v
		x.byID[v.ID] = v
		x.names = append(x.names, v.Name)
	}
	return x
}

// find resolves a village by name: 南沟村, 南沟, 南沟村委会, 南沟村民委员会.
func (x *villageIndex) find(name string) *records.Village {
	n := personName(name)
	for _, try := range []string{n, n + "村", strings.TrimSuffix(n, "委会"), strings.TrimSuffix(n, "民委员会")} {
		if v, ok := x.byName[try]; ok {
			return v
		}
	}
	return nil
}

func (x *villageIndex) name(id string) string {
	if v, ok := x.byID[id]; ok {
		return v.Name
	}
	return id
}

// unknown explains a village name the township does not have.
func (x *villageIndex) unknown(name string) string {
	if len(x.names) == 0 {
		return fmt.Sprintf("“%s”不是本乡镇的村：本乡镇还没有录入任何村，请先导入村", name)
	}
	list := x.names
	more := ""
	if len(list) > 30 {
		list, more = list[:30], "等"
	}
	return fmt.Sprintf("“%s”不是本乡镇的村；本乡镇的村有：%s%s", name, strings.Join(list, "、"), more)
}
