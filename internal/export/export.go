package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"renda/internal/records"
	"renda/internal/report/xlsx"
)

// Runner runs a GraphQL query in-process as the caller in ctx: the API's
// Run, with the caller's rights, the query limits and error mapping.
type Runner interface {
	Run(ctx context.Context, query string, vars map[string]any) (map[string]any, error)
}

// Format is CSV or XLSX.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Request is one export: the lists of Kinds ("deputies", …), each with its
// filter and orderBy as the list takes them (JSON values), of Townships
// (nil: all the caller may see).
type Request struct {
	Kinds     []string
	Townships []string
	Filters   map[string]any
	Orders    map[string]any
	Format    Format
}

// MaxRows bounds the rows of one kind: a longer list is refused (narrow
// the filter), never cut.
const MaxRows = 10_000

// File is an export ready to write: its name, its type, and what it
// holds. Its rows are read; WriteTo writes them.
type File struct {
	Name     string // 代表.xlsx
	MimeType string
	// Rows counts the rows written, by township id and then by kind
	// ("deputies"), for the audit trail.
	Rows map[string]map[string]int

	format Format
	sheets []*sheet
}

// sheet is one kind's table.
type sheet struct {
	kind    string // deputies
	name    string
	columns []column
	rows    [][]any        // cell values as read, before typing
	towns   map[string]int // rows by township id
}

// Kinds lists the kinds an export knows, for messages.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Export runs each kind's list as the caller and writes the rows.
func Export(ctx context.Context, run Runner, req Request) (*File, error) {
	if len(req.Kinds) == 0 {
		return nil, records.Invalidf("kinds", "name what to export: %s", strings.Join(Kinds(), ", "))
	}
	if req.Format != CSV && req.Format != XLSX {
		return nil, records.Invalidf("format", "export as csv or xlsx, not %q", req.Format)
	}
	if req.Format == CSV && len(req.Kinds) > 1 {
		return nil, records.Invalidf("kinds", "a CSV file holds one list; export several as xlsx, a sheet each")
	}
	// Each list is read in as few pages as its query's cost allows (most
	// in one, up to MaxRows+1 records): a list is sorted for every page
	// read, so pages of 500 would cost the rows squared over 500.
	ctx = records.WithPageLimit(ctx, MaxRows+1)
	if req.Townships != nil {
		// The townships are checked once, as a list checks them: an
		// unknown or hidden one is NOT_FOUND on townships.N.
		if _, err := run.Run(ctx, `query($ts: [ID!]) { villagesAggregate(townships: $ts) { __typename } }`, map[string]any{"ts": req.Townships}); err != nil {
			return nil, exportError(err)
		}
	}
	var sheets []*sheet
	for _, k := range req.Kinds {
		spec, ok := kinds[k]
		if !ok {
			return nil, records.Invalidf("kinds", "cannot export %q: export one of %s", k, strings.Join(Kinds(), ", "))
		}
		if slices.ContainsFunc(sheets, func(s *sheet) bool { return s.name == spec.sheet }) {
			return nil, records.Invalidf("kinds", "%s is asked twice", k)
		}
		s, err := rows(ctx, run, spec, req)
		if err != nil {
			return nil, err
		}
		s.kind = k
		sheets = append(sheets, s)
	}
	name := sheets[0].name
	if len(sheets) > 1 {
		name = "导出"
	}
	name = fileName(ctx, run, req.Townships, name)
	counts := map[string]map[string]int{}
	for _, sh := range sheets {
		for t, n := range sh.towns {
			if counts[t] == nil {
				counts[t] = map[string]int{}
			}
			counts[t][sh.kind] = n
		}
	}
	f := &File{Rows: counts, format: req.Format, sheets: sheets}
	if req.Format == CSV {
		f.Name, f.MimeType = name+".csv", "text/csv; charset=utf-8"
	} else {
		f.Name, f.MimeType = name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return f, nil
}

// WriteTo writes the file to w as it goes: a CSV row by row, an XLSX's
// sheets through excelize's StreamWriter and then the workbook. An error
// building an XLSX comes before anything is written.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	var err error
	if f.format == CSV {
		err = writeCSV(cw, f.sheets[0])
	} else {
		err = writeXLSX(cw, f.sheets)
	}
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// rows reads one kind's list, page by page.
func rows(ctx context.Context, run Runner, spec *kindSpec, req Request) (*sheet, error) {
	cols := slices.Clone(spec.columns) // appended to below: never the shared table's array
	if spec.kind != records.KindTownship && len(req.Townships) != 1 {
		cols = append([]column{townshipCol}, cols...)
	}
	attrs, err := attributeColumns(ctx, run, spec, req.Townships)
	if err != nil {
		return nil, err
	}
	cols = append(cols, attrs...)
	cols = append(cols, idCol)
	// Each row's township, for the audit trail's count (not a column),
	// selected with its name, the 乡镇 column's, so it resolves once a row.
	sel := []string{"township { id name }"}
	rowTownship := path("township", "id")
	if spec.kind == records.KindTownship {
		sel, rowTownship = []string{"rowTownship: id"}, field("rowTownship")
	}
	for _, c := range cols {
		if c.sel != "" {
			sel = append(sel, c.sel)
		}
	}
	args, params := "filter: $filter, orderBy: $orderBy", "$filter: "+spec.filter+", $orderBy: ["+spec.order+"!], $after: String"
	if spec.kind != records.KindTownship {
		args, params = "townships: $townships, "+args, "$townships: [ID!], "+params
	}
	// A page as large as the export's page limit lets the query cost: the
	// kind's page at the usual limit, times the pages it stands for.
	first := min(spec.pageSize*records.PageScale(ctx), MaxRows+1)
	query := fmt.Sprintf("query Export(%s) { list: %s(%s, first: %d, after: $after) { pageInfo { hasNextPage endCursor } nodes { %s } } }",
		params, spec.list, args, first, strings.Join(sel, " "))
	vars := map[string]any{"filter": req.Filters[spec.list], "orderBy": req.Orders[spec.list]}
	if spec.kind != records.KindTownship && req.Townships != nil {
		vars["townships"] = req.Townships
	}
	s := &sheet{name: spec.sheet, columns: cols, towns: map[string]int{}}
	for {
		data, err := run.Run(ctx, query, vars)
		if err != nil {
			return nil, exportError(err)
		}
		list, _ := data["list"].(map[string]any)
		nodes, _ := list["nodes"].([]any)
		for _, n := range nodes {
			node, _ := n.(map[string]any)
			row := make([]any, len(cols))
			for i, c := range cols {
				row[i] = c.value(node)
			}
			s.rows = append(s.rows, row)
			s.towns[fmt.Sprint(rowTownship(node))]++
		}
		if len(s.rows) > MaxRows {
			return nil, records.Invalidf("filter", "more than %d %s to export: narrow the filter or the townships", MaxRows, spec.list)
		}
		info, _ := list["pageInfo"].(map[string]any)
		if next, _ := info["hasNextPage"].(bool); !next {
			return s, nil
		}
		vars["after"] = info["endCursor"]
	}
}

// exportError names the export's own variables as the request's
// parameters (query.townships.1 is the townships parameter's second id)
// and drops the in-process query's path from the message.
func exportError(err error) error {
	code := records.ErrorCode(err)
	if code == records.EINTERNAL {
		return err
	}
	msg := records.ErrorMessage(err)
	if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "query ") && i > 0 {
		msg = msg[i+2:]
	}
	field := strings.TrimPrefix(records.ErrorField(err), "query.")
	field = strings.TrimPrefix(field, "ts.") // the townships check's variable
	return &records.Error{Code: code, Message: msg, Field: field}
}

// attributeColumns are a column per attribute the townships define for
// the kind, in the order defined (the first township's label wins).
func attributeColumns(ctx context.Context, run Runner, spec *kindSpec, towns []string) ([]column, error) {
	if towns == nil {
		data, err := run.Run(ctx, `{ townships(first: 500) { nodes { id } } }`, nil)
		if err != nil {
			return nil, exportError(err)
		}
		list, _ := data["townships"].(map[string]any)
		nodes, _ := list["nodes"].([]any)
		for _, n := range nodes {
			m, _ := n.(map[string]any)
			towns = append(towns, fmt.Sprint(m["id"]))
		}
	}
	kind := strings.ReplaceAll(strings.ToUpper(spec.kind.Noun()), " ", "_")
	var out []column
	seen := map[string]bool{}
	// The townships' definitions, attributesPerQuery townships a query
	// (each an alias), not a query per township.
	var sets []any
	for len(towns) > 0 {
		batch := towns[:min(len(towns), attributesPerQuery)]
		towns = towns[len(batch):]
		params, fields := []string{"$k: RecordKind!"}, make([]string, len(batch))
		vars := map[string]any{"k": kind}
		for i, t := range batch {
			params = append(params, fmt.Sprintf("$t%d: ID!", i))
			fields[i] = fmt.Sprintf("a%d: attributeDefinitions(township: $t%d, kind: $k) { definitions { path label type } }", i, i)
			vars[fmt.Sprintf("t%d", i)] = t
		}
		data, err := run.Run(ctx, "query("+strings.Join(params, ", ")+") { "+strings.Join(fields, " ")+" }", vars)
		if err != nil {
			return nil, exportError(err)
		}
		for i := range batch {
			sets = append(sets, data[fmt.Sprintf("a%d", i)])
		}
	}
	for _, x := range sets {
		set, _ := x.(map[string]any)
		defs, _ := set["definitions"].([]any)
		for _, d := range defs {
			m, _ := d.(map[string]any)
			p, _ := m["path"].(string)
			if seen[p] {
				continue
			}
			seen[p] = true
			typ := textCell
			switch m["type"] {
			case "NUMBER":
				typ = numberCell
			case "DATE":
				typ = dateCell
			case "BOOLEAN":
				typ = boolCell
			}
			keys := append([]string{"attributes"}, strings.Split(p, ".")...)
			out = append(out, column{header: fmt.Sprint(m["label"]), sel: "attributes", typ: typ, value: path(keys...)})
		}
	}
	return out, nil
}

// attributesPerQuery is how many townships' attribute definitions one
// query asks, within the API's aliases a query (MaxAliases, 40).
const attributesPerQuery = 30

// cellText is a value as CSV writes it.
func cellText(typ cellType, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if typ == enumCell {
			return records.EnumLabel(x)
		}
		return x
	case bool:
		return records.BoolLabel(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// csvText is a value as a CSV cell holds it: text that starts as a
// formula (=, +, -, @, a tab, a carriage return) with a leading
// apostrophe, so no spreadsheet runs it; numbers as they are (-3 stays a
// number).
func csvText(typ cellType, v any) string {
	switch v.(type) {
	case int, float64:
		return cellText(typ, v)
	}
	return records.NeutraliseCSV(cellText(typ, v))
}

// writeCSV writes one sheet to w row by row, as UTF-8 with a byte order
// mark, so Excel reads the Chinese right, and CRLF line ends.
func writeCSV(w io.Writer, s *sheet) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(s.columns))
	for i, c := range s.columns {
		rec[i] = records.NeutraliseCSV(c.header) // attribute labels are anyone's text
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range s.rows {
		for i, v := range r {
			rec[i] = csvText(s.columns[i].typ, v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeXLSX writes a sheet per kind: header bold and frozen, text cells
// as inline strings in text format (so 0101 and phone numbers stay as
// written, and =… is text, never a formula), dates as date cells shown
// YYYY-MM-DD, numbers as numbers. Each sheet's rows go through excelize's
// StreamWriter; the workbook is written to w once they are all in, so an
// error comes before anything is written.
func writeXLSX(w io.Writer, sheets []*sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "renda", Language: "zh-CN"}); err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	// The first sheet is the active one as made; no SetActiveSheet after
	// the rows are streamed, which would read every streamed row back.
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		for c, col := range s.columns {
			width := xlsx.DisplayWidth(col.header)
			for _, r := range s.rows {
				width = max(width, xlsx.DisplayWidth(cellText(col.typ, r[c])))
			}
			if err := sw.SetColWidth(c+1, c+1, float64(min(max(width+2, 6), 60))); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		cells := make([]any, len(s.columns))
		for c, col := range s.columns {
			cells[c] = excelize.Cell{StyleID: header, Value: records.NeutraliseXLSX(col.header)}
		}
		if err := sw.SetRow("A1", cells); err != nil {
			return err
		}
		for r, row := range s.rows {
			for c, v := range row {
				cells[c] = xlsxCell(s.columns[c].typ, v, textStyle, dateStyle)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func xlsxCell(typ cellType, v any, textStyle, dateStyle int) excelize.Cell {
	switch typ {
	case numberCell:
		switch x := v.(type) {
		case int, float64:
			return excelize.Cell{Value: x}
		}
	case dateCell:
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return excelize.Cell{StyleID: dateStyle, Value: t}
			}
		}
	}
	if v == nil {
		return excelize.Cell{}
	}
	switch v.(type) {
	case int, float64: // a number in a text column: as written
		return excelize.Cell{StyleID: textStyle, Value: cellText(typ, v)}
	}
	// An inline string cell: never a formula, whatever it starts with.
	return excelize.Cell{StyleID: textStyle, Value: records.NeutraliseXLSX(cellText(typ, v))}
}

// fileName names an export as a clerk files it: whose records, of what,
// as of which day (棋盘山镇代表-20261205); 全县 for all the caller may see, the
// count for several townships.
func fileName(ctx context.Context, run Runner, townships []string, what string) string {
	whose := "全县"
	switch len(townships) {
	case 0:
		if townships != nil {
			whose = ""
		}
	case 1:
		whose = ""
		if d, err := run.Run(ctx, `query($t: ID!) { township(id: $t) { name } }`, map[string]any{"t": townships[0]}); err == nil {
			if t, ok := d["township"].(map[string]any); ok {
				whose, _ = t["name"].(string)
			}
		}
	default:
		whose = fmt.Sprintf("%d个乡镇", len(townships))
	}
	day := strings.ReplaceAll(string(records.Today()), "-", "")
	return unsafeName.ReplaceAllString(whose+what+"-"+day, "_")
}

var unsafeName = regexp.MustCompile(`[\\/:*?"<>|\x00-\x1f]+`)
