// Package importer brings deputies, villages and projects into a township's
// records from the rosters clerks keep in Excel (XLSX) or CSV.
//
// An import first plans, row by row, what it would do — create, update (and
// which fields), leave unchanged, or refuse (and why, in Chinese, naming the
// column) — and then applies the plan unless it is a dry run, or it is
// atomic and a row was refused. Rows are matched to records by a natural key
// (deputies: name and birth date; villages: name; projects: name and year),
// so importing the same file again changes nothing.
//
// The package knows the store only through the small Store interface; it
// imports neither the Mongo driver nor gqlgen.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"renda/internal/records"
)

// Collection is what the importer needs of a store's collection of records:
// *store.Collection satisfies it.
type Collection[T any] interface {
	Find(ctx context.Context, q records.Query) (*records.Page[T], error)
	Create(ctx context.Context, x *T) (*T, error)
	Update(ctx context.Context, id string, expectedVersion *int, patch func(*T)) (*T, error)
}

// Townships finds the township an import goes into.
type Townships interface {
	Get(ctx context.Context, id string) (*records.Township, error)
}

// Store is the part of the store an import reads and writes.
type Store struct {
	Townships Townships
	Deputies  Collection[records.Deputy]
	Villages  Collection[records.Village]
	Projects  Collection[records.Project]
	// InTx, if set, runs the writes of an import in one transaction
	// (records.Database.InTx): an atomic import whose write fails stores
	// nothing, and any import commits once.
	InTx func(ctx context.Context, f func(ctx context.Context) error) error
}

// Kind is what a file holds.
type Kind string

const (
	Deputies Kind = "deputies"
	Villages Kind = "villages"
	Projects Kind = "projects"
)

// ParseKind reads a kind's name.
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case Deputies, Villages, Projects:
		return Kind(s), nil
	}
	return "", invalid("kind", "不能导入“%s”：可以导入 deputies（代表）、villages（村）或 projects（项目）", s)
}

// Mapping says which field a column holds, overriding the headers the
// importer recognises by itself.
type Mapping struct {
	// Column is a header as written in the file (姓名), or a column letter
	// (A, B, … AA).
	Column string
	// Field is a field name (name, birthDate, attributes.education), a
	// field's Chinese header (出生年月), or "-" to ignore the column.
	Field string
}

// Limits bound what one import reads. A zero field takes its default.
type Limits struct {
	FileSize     int64 // bytes of the file
	Rows         int   // data rows, over all sheets
	Columns      int   // a non-empty cell beyond this column is refused
	CellLength   int   // characters in one cell
	Sheets       int   // worksheets in a workbook
	TextSize     int64 // bytes of all cells' text together
	Unzipped     int64 // bytes of an XLSX unpacked
	PartSize     int64 // bytes of one worksheet's XML (or the shared strings) unpacked
	MergedRanges int   // merged ranges in one worksheet
}

// DefaultLimits are generous for a township's roster.
var DefaultLimits = Limits{
	FileSize:     10 << 20,
	Rows:         5000,
	Columns:      100,
	CellLength:   1000,
	Sheets:       50,
	TextSize:     32 << 20,
	Unzipped:     64 << 20,
	PartSize:     16 << 20,
	MergedRanges: 1000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v, def int64) int64 {
		if v > 0 {
			return v
		}
		return def
	}
	pickInt := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Limits{
		FileSize:     pick(l.FileSize, d.FileSize),
		Rows:         pickInt(l.Rows, d.Rows),
		Columns:      pickInt(l.Columns, d.Columns),
		CellLength:   pickInt(l.CellLength, d.CellLength),
		Sheets:       pickInt(l.Sheets, d.Sheets),
		TextSize:     pick(l.TextSize, d.TextSize),
		Unzipped:     pick(l.Unzipped, d.Unzipped),
		PartSize:     min(pick(l.PartSize, d.PartSize), pick(l.Unzipped, d.Unzipped)),
		MergedRanges: pickInt(l.MergedRanges, d.MergedRanges),
	}
}

// Options configure an import.
type Options struct {
	Kind     Kind
	Township string
	Mapping  []Mapping
	// Key names the fields that identify a record, instead of the kind's
	// natural key: ["phone"] matches deputies by phone number.
	Key []string
	// DryRun plans and writes nothing.
	DryRun bool
	// Atomic writes nothing if any row is refused.
	Atomic bool
	Limits Limits
}

// Action is what an import does with one row.
type Action string

const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
	Refused   Action = "refused"
	Failed    Action = "failed" // planned, but the store refused the write
)

// Label is the action in Chinese.
func (a Action) Label() string {
	switch a {
	case Create:
		return "新增"
	case Update:
		return "更新"
	case Unchanged:
		return "不变"
	case Refused:
		return "拒绝"
	case Failed:
		return "失败"
	}
	return string(a)
}

// Row is the plan (and, after a real run, the outcome) for one data row.
type Row struct {
	Sheet    string // worksheet name; "" for CSV
	Line     int    // row number as Excel shows it
	Action   Action
	Record   string // the record as the row names it: 张振华（1968.03）
	ID       string // the record's id: the matched one, or the new one after a create
	Changes  []Change
	Problems []Problem
}

// Change is one field an update changes.
type Change struct {
	Field  string // birthDate
	Label  string // 出生年月
	Column string // E, or "工作表名" when the value comes from the sheet's name
	Old    string // as a clerk reads it; "" for nothing
	New    string
}

// Problem is why a row is refused.
type Problem struct {
	Column string // E; "" when about the row as a whole
	Header string // the column's header in the file
	Field  string // birthDate
	Reason string // in Chinese, for the clerk
}

// Result is an import's plan and outcome.
type Result struct {
	Kind     Kind
	Township string
	DryRun   bool
	Atomic   bool
	// Applied is whether the import wrote a record (false for a dry run,
	// and for an atomic run with a refused row).
	Applied bool
	// RolledBack: an atomic import whose write the store refused stored
	// nothing (the rows it had written were taken back).
	RolledBack bool
	Rows       []Row
	Warnings   []string // columns not imported, sheets skipped …
}

// Count returns how many rows have action a.
func (r *Result) Count(a Action) int {
	n := 0
	for _, row := range r.Rows {
		if row.Action == a {
			n++
		}
	}
	return n
}

// Summary is one line in Chinese: 新增 6，更新 0，不变 0，拒绝 0.
func (r *Result) Summary() string {
	s := fmt.Sprintf("新增 %d，更新 %d，不变 %d，拒绝 %d", r.Count(Create), r.Count(Update), r.Count(Unchanged), r.Count(Refused))
	if n := r.Count(Failed); n > 0 {
		s += fmt.Sprintf("，失败 %d", n)
	}
	switch {
	case r.DryRun && r.Atomic && r.Count(Refused) > 0:
		s += "（试导入，未写入；有被拒绝的行，按“全部或全不”要求，正式导入也不会写入任何记录）"
	case r.DryRun:
		s += "（试导入，未写入）"
	case !r.Applied && r.Atomic && r.Count(Refused) > 0:
		s += "（有被拒绝的行，按“全部或全不”要求，未写入任何记录）"
	case r.RolledBack:
		s += "（有保存失败的行，按“全部或全不”要求，已写入的记录全部撤回）"
	}
	return s
}

// invalid is an EINVALID error about field, in Chinese.
func invalid(field, format string, args ...any) error {
	return records.Invalidf(field, format, args...)
}

// Import reads src (XLSX or CSV, told apart by content), plans the rows and,
// unless opts say otherwise, applies the plan through st. An error is about
// the file or the options as a whole; problems of single rows are in the
// result.
func Import(ctx context.Context, st Store, src io.Reader, opts Options) (*Result, error) {
	lim := opts.Limits.withDefaults()
	if _, err := ParseKind(string(opts.Kind)); err != nil {
		return nil, err
	}
	if opts.Township == "" {
		return nil, invalid("township", "请指定要导入到哪个乡镇")
	}
	data, err := io.ReadAll(io.LimitReader(src, lim.FileSize+1))
	if err != nil {
		return nil, fileError("无法读取文件")
	}
	if int64(len(data)) > lim.FileSize {
		return nil, fileError("文件超过 %s 的上限", size(lim.FileSize))
	}
	spec := specs[opts.Kind]
	mapping, err := resolveMapping(spec, opts.Mapping)
	if err != nil {
		return nil, err
	}
	key, err := resolveKey(spec, opts.Key)
	if err != nil {
		return nil, err
	}
	if _, err := st.Townships.Get(ctx, opts.Township); err != nil {
		if records.ErrorCode(err) == records.ENOTFOUND {
			return nil, invalid("township", "乡镇“%s”不存在", opts.Township)
		}
		return nil, err
	}
	wb, err := readWorkbook(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	defer wb.close()
	tables, warnings, err := layout(wb, spec, mapping, lim)
	if err != nil {
		return nil, err
	}
	p, err := newPlanner(ctx, st, opts.Kind, opts.Township, key)
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: opts.Kind, Township: opts.Township, DryRun: opts.DryRun, Atomic: opts.Atomic, Warnings: append(wb.warnings, warnings...)}
	var ops []func(context.Context) (string, error)
	for _, t := range tables {
		for i, in := range t.rows {
			if i%64 == 0 && ctx.Err() != nil {
				return nil, stopped(ctx)
			}
			row, op := p.plan(in)
			row.Sheet, row.Line = t.sheet.name, in.line
			res.Rows = append(res.Rows, row)
			ops = append(ops, op)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, stopped(ctx)
	}
	if opts.DryRun || (opts.Atomic && res.Count(Refused) > 0) {
		return res, nil
	}
	apply := func(ctx context.Context) error {
		for i, op := range ops {
			if op == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			id, err := op(ctx)
			if ctx.Err() != nil || records.ErrorCode(err) == records.ETIMEOUT {
				// Out of time: the import stops here (the transaction,
				// where the store has one, takes back what it wrote).
				return errOutOfTime
			}
			if err != nil {
				row := &res.Rows[i]
				row.Action = Failed
				row.Problems = append(row.Problems, Problem{Field: records.ErrorField(err), Reason: storeReason(err)})
				if opts.Atomic && st.InTx != nil {
					return errRollBack
				}
				continue
			}
			res.Rows[i].ID = id
			res.Applied = true
		}
		return nil
	}
	if st.InTx == nil {
		err = apply(ctx)
	} else {
		err = st.InTx(ctx, apply)
	}
	if errors.Is(err, errOutOfTime) || (err != nil && ctx.Err() != nil) {
		return nil, outOfTime(ctx)
	}
	if st.InTx == nil {
		return res, err
	}
	if err == errRollBack {
		res.Applied, res.RolledBack = false, true
		for i := range res.Rows {
			res.Rows[i].ID = ""
		}
		return res, nil
	}
	return res, err
}

// errRollBack ends the transaction of an atomic import whose write failed.
var errRollBack = errors.New("an atomic import's write failed")

// errOutOfTime ends the writes of an import whose context ended.
var errOutOfTime = errors.New("the import ran out of time while writing")

// outOfTime is the error of an import whose context ended while it wrote:
// TIMEOUT. In one transaction (the embedded store) nothing is stored;
// where writes are one by one (MongoDB) those made stay, and importing the
// file again finds them unchanged.
func outOfTime(ctx context.Context) error {
	what := "超过了本次请求的时限"
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		what = "被取消"
	}
	return records.Errorf(records.ETIMEOUT, "导入在写入记录时%s；请稍后再导入一次：已经写入的记录会显示为“不变”，不会重复创建", what)
}

// storeReason says in Chinese why the store refused a planned write.
func storeReason(err error) string {
	switch records.ErrorCode(err) {
	case records.ECONFLICT:
		return "这条记录在导入期间被他人修改了；请重新试导入后再导入"
	case records.EFORBIDDEN:
		return "没有权限修改这个乡镇的记录"
	case records.EINVALID:
		return "记录未通过检查：" + records.ErrorMessage(err)
	case records.EINTERNAL:
		return "保存时出错，请稍后重试"
	}
	return records.ErrorMessage(err)
}
