package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
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

// File is an export's content and name, and what it holds.
type File struct {
	Name     string // 代表.xlsx
	MimeType string
	Content  []byte
	// Rows counts the rows written, by township id and then by kind
	// ("deputies"), for the audit trail.
	Rows map[string]map[string]int
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
	if req.Format == CSV {
		b, err := writeCSV(sheets[0])
		return &File{Name: name + ".csv", MimeType: "text/csv; charset=utf-8", Content: b, Rows: counts}, err
	}
	b, err := writeXLSX(sheets)
	return &File{Name: name + ".xlsx", MimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Content: b, Rows: counts}, err
}

// rows pages through one kind's list.
func rows(ctx context.Context, run Runner, spec *kindSpec, req Request) (*sheet, error) {
	cols := spec.columns
	if spec.kind != records.KindTownship && len(req.Townships) != 1 {
		cols = append([]column{townshipCol}, cols...)
	}
	attrs, err := attributeColumns(ctx, run, spec, req.Townships)
	if err != nil {
		return nil, err
	}
	cols = append(cols, attrs...)
	// Each row's township, for the audit trail's count (not a column).
	sel := []string{"rowTownship: township { id }"}
	rowTownship := path("rowTownship", "id")
	if spec.kind == records.KindTownship {
		sel, rowTownship = []string{"rowTownship: id"}, field("rowTownship")
	}
	for _, c := range cols {
		sel = append(sel, c.sel)
	}
	args, params := "filter: $filter, orderBy: $orderBy", "$filter: "+spec.filter+", $orderBy: ["+spec.order+"!], $after: String"
	if spec.kind != records.KindTownship {
		args, params = "townships: $townships, "+args, "$townships: [ID!], "+params
	}
	query := fmt.Sprintf("query Export(%s) { list: %s(%s, first: %d, after: $after) { pageInfo { hasNextPage endCursor } nodes { %s } } }",
		params, spec.list, args, spec.pageSize, strings.Join(sel, " "))
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
	for _, t := range towns {
		data, err := run.Run(ctx, `query($t: ID!, $k: RecordKind!) { attributeDefinitions(township: $t, kind: $k) { definitions { path label type } } }`,
			map[string]any{"t": t, "k": kind})
		if err != nil {
			return nil, exportError(err)
		}
		set, _ := data["attributeDefinitions"].(map[string]any)
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

// writeCSV writes one sheet as UTF-8 with a byte order mark, so Excel
// reads the Chinese right, and CRLF line ends.
func writeCSV(s *sheet) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	header := make([]string, len(s.columns))
	for i, c := range s.columns {
		header[i] = records.NeutraliseCSV(c.header) // attribute labels are anyone's text
	}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, r := range s.rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = csvText(s.columns[i].typ, v)
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// writeXLSX writes a sheet per kind: header bold and frozen, text cells
// as inline strings in text format (so 0101 and phone numbers stay as
// written, and =… is text, never a formula), dates as date cells shown
// YYYY-MM-DD, numbers as numbers.
func writeXLSX(sheets []*sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "renda", Language: "zh-CN"}); err != nil {
		return nil, err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}})
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return nil, err
		}
		widths := make([]int, len(s.columns))
		for c, col := range s.columns {
			widths[c] = xlsx.DisplayWidth(col.header)
			for _, r := range s.rows {
				widths[c] = max(widths[c], xlsx.DisplayWidth(cellText(col.typ, r[c])))
			}
			if err := sw.SetColWidth(c+1, c+1, float64(min(max(widths[c]+2, 6), 60))); err != nil {
				return nil, err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		head := make([]any, len(s.columns))
		for c, col := range s.columns {
			head[c] = excelize.Cell{StyleID: header, Value: records.NeutraliseXLSX(col.header)}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return nil, err
		}
		for r, row := range s.rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = xlsxCell(s.columns[c].typ, v, textStyle, dateStyle)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, cells); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
