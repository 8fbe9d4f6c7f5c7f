package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"renda/internal/records"
)

// mergeTag recognises a merge range's tag of a worksheet's XML, with or
// without a namespace prefix, and mergeRef its reference; both are matched
// at each "mergeCell" found (scanMerges), never run over a whole sheet.
var (
	mergeTag = regexp.MustCompile(`^<(?:[A-Za-z_][\w.-]*:)?mergeCell[\s/>]`)
	mergeRef = regexp.MustCompile(`^<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7}:[A-Za-z]{1,3}[0-9]{1,7})["']`)
)

// sheetPart is a worksheet's part of the zip, and its merged ranges.
type sheetPart struct {
	file   *zip.File
	merges []string
}

// checkZip bounds an XLSX before excelize unpacks it: the parts' declared
// sizes (archive/zip refuses a part that unpacks larger than declared), the
// number of parts and of merged ranges per sheet. excelize's own limits
// (UnzipSizeLimit, UnzipXMLSizeLimit) are set to the same bounds. It
// returns each worksheet's part by sheet name, with its merged ranges read
// from the XML: excelize would parse the whole sheet into memory to list
// them.
func checkZip(ctx context.Context, data []byte, lim Limits) (map[string]sheetPart, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileError("文件以 ZIP 开头但无法解开，可能已损坏；请在 Excel 中重新保存为 .xlsx")
	}
	if len(zr.File) > 10000 {
		return nil, fileError("文件包含的部件过多（%d 个），不像是一张花名册", len(zr.File))
	}
	broken := fileError("文件中的工作表无法解开，可能已损坏")
	var total uint64
	merges := map[string][]string{} // by part name
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		if ctx.Err() != nil {
			return nil, stopped(ctx)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.Unzipped) {
			return nil, fileError("文件解压后超过 %s 的上限（可能是压缩炸弹，或含有大量图片）", size(lim.Unzipped))
		}
		name := strings.ToLower(strings.TrimPrefix(f.Name, "/"))
		parts[name] = f
		if !strings.HasPrefix(name, "xl/worksheets/") && name != "xl/sharedstrings.xml" {
			continue
		}
		if f.UncompressedSize64 > uint64(lim.PartSize) {
			return nil, fileError("文件中的一张工作表解压后超过 %s 的上限", size(lim.PartSize))
		}
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		body, err := readPart(f, lim.PartSize)
		if err != nil {
			return nil, broken
		}
		if err := checkRows(ctx, body); err != nil {
			return nil, err
		}
		if merges[name], err = scanMerges(ctx, body, lim.MergedRanges); err != nil {
			return nil, err
		}
	}
	return bySheetName(parts, merges), nil
}

// scanMerges returns the merged ranges of a worksheet's XML, refusing more
// than limit. It looks for "mergeCell" and matches the tag there, so a sheet
// of many megabytes costs a byte search, and it stops when ctx ends.
func scanMerges(ctx context.Context, body []byte, limit int) ([]string, error) {
	var out []string
	n := 0
	for rest, k := body, 0; ; k++ {
		if k%256 == 0 && ctx.Err() != nil {
			return nil, stopped(ctx)
		}
		i := bytes.Index(rest, []byte("mergeCell"))
		if i < 0 {
			return out, nil
		}
		// The tag starts at the '<' just before: "<" or "<x:" (a short prefix).
		lt := bytes.LastIndexByte(rest[max0(i-64):i], '<')
		tagEnd := bytes.IndexByte(rest[i:], '>')
		if tagEnd < 0 {
			tagEnd = len(rest) - i - 1
		}
		if lt >= 0 {
			tag := rest[max0(i-64)+lt : i+tagEnd+1]
			if mergeTag.Match(tag) {
				if n++; n > limit {
					return nil, fileError("一张工作表中的合并单元格超过 %d 处的上限", limit)
				}
				if m := mergeRef.FindSubmatch(tag); m != nil {
					out = append(out, strings.ToUpper(string(m[1])))
				}
			}
		}
		rest = rest[i+len("mergeCell"):]
	}
}

func max0(i int) int { return max(i, 0) }

// maxRowCells is how many cells a row may hold: Excel's columns, A to XFD.
const maxRowCells = 16384

// checkRows refuses a worksheet with a row of more cells than Excel has
// columns: excelize reads a row whole, so one row of millions of empty
// cells would take seconds no deadline could cut short. It looks at each
// tag's name only, and stops when ctx ends.
func checkRows(ctx context.Context, body []byte) error {
	cells := 0
	for rest, k := body, 0; ; k++ {
		if k%65536 == 0 && ctx.Err() != nil {
			return stopped(ctx)
		}
		i := bytes.IndexByte(rest, '<')
		if i < 0 {
			return nil
		}
		rest = rest[i+1:]
		end := bytes.IndexAny(rest[:min(len(rest), 64)], " \t\r\n/>")
		if end < 0 {
			continue
		}
		name := rest[:end]
		if j := bytes.IndexByte(name, ':'); j >= 0 {
			name = name[j+1:] // a namespace prefix: x:c
		}
		switch string(name) {
		case "row":
			cells = 0
		case "c":
			if cells++; cells > maxRowCells {
				return fileError("工作表中有一行超过 %d 个单元格（Excel 最多 %d 列），文件可能已损坏；请在 Excel 中重新保存后再导入", maxRowCells, maxRowCells)
			}
		}
	}
}

func readPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil || int64(len(b)) > limit {
		return nil, errors.New("part too large or broken")
	}
	return b, nil
}

// bySheetName finds the worksheet parts by sheet name, through the
// workbook and its relationships. A workbook it cannot follow gets none:
// filling merged cells and telling number cells from text ones are
// conveniences.
func bySheetName(parts map[string]*zip.File, merges map[string][]string) map[string]sheetPart {
	out := map[string]sheetPart{}
	wbf, relf := parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"]
	if wbf == nil || relf == nil {
		return out
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for _, x := range []struct {
		f *zip.File
		v any
	}{{wbf, &wb}, {relf, &rels}} {
		b, err := readPart(x.f, 4<<20)
		if err != nil || xml.Unmarshal(b, x.v) != nil {
			return out
		}
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := strings.ToLower(r.Target)
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Clean("xl/" + t)
		}
		target[r.ID] = t
	}
	for _, sh := range wb.Sheets {
		if f, ok := parts[target[sh.ID]]; ok {
			out[sh.Name] = sheetPart{file: f, merges: merges[target[sh.ID]]}
		}
	}
	return out
}

func readXLSX(ctx context.Context, data []byte, lim Limits) (*workbook, error) {
	parts, err := checkZip(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	// Unpacking takes a moment at most: checkZip bounded what it unpacks.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.Unzipped,
		UnzipXMLSizeLimit: lim.PartSize, // parts stay in memory: none is larger
	})
	if err != nil {
		return nil, fileError("无法读取这个 Excel 文件，可能已损坏或不是 .xlsx 格式；请在 Excel 中重新保存后再导入")
	}
	wb := &workbook{close: func() { _ = f.Close() }}
	ok := false
	defer func() {
		if !ok {
			wb.close()
		}
	}()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	names := f.GetSheetList()
	if len(names) > lim.Sheets {
		return nil, fileError("文件有 %d 张工作表，超过了 %d 张的上限", len(names), lim.Sheets)
	}
	count := counter{lim: lim}
	for _, name := range names {
		if ctx.Err() != nil {
			return nil, stopped(ctx)
		}
		if visible, err := f.GetSheetVisible(name); err == nil && !visible {
			wb.warnings = append(wb.warnings, fmt.Sprintf("工作表“%s”是隐藏的，没有导入", name))
			continue
		}
		sh, err := readSheet(ctx, f, name, parts[name], lim, &count)
		if err != nil {
			return nil, err
		}
		sh.date1904 = date1904
		wb.sheets = append(wb.sheets, *sh)
	}
	ok = true
	return wb, nil
}

// readSheet reads one worksheet twice through excelize's streaming reader,
// for the text shown and the values stored, then fills vertically merged
// cells down their column.
func readSheet(ctx context.Context, f *excelize.File, name string, part sheetPart, lim Limits, count *counter) (*sheet, error) {
	broken := fileError("工作表“%s”无法读取，可能已损坏", name)
	shown, err := sheetRows(ctx, f, name, false, count, 0)
	if err != nil {
		return nil, err
	}
	// A number format can hide a value (;;;): the stored values may hold
	// a few more rows than the text shown, not many.
	raws, err := sheetRows(ctx, f, name, true, nil, len(shown)+maxHeadRows)
	if records.ErrorCode(err) == records.ETIMEOUT {
		return nil, err
	}
	if err != nil {
		return nil, broken
	}
	raw := make(map[int][]string, len(raws))
	for _, r := range raws {
		raw[r.n] = r.values
	}
	sh := &sheet{name: name}
	byLine := map[int]int{}
	for _, texts := range shown {
		ln := line{n: texts.n, cells: make([]cell, len(texts.values))}
		for c, t := range texts.values {
			r := t
			if c < len(raw[texts.n]) {
				r = raw[texts.n][c]
			}
			ln.cells[c] = cell{text: cellValue(t), raw: cellValue(r)}
		}
		byLine[ln.n] = len(sh.lines)
		sh.lines = append(sh.lines, ln)
	}
	for _, m := range part.merges {
		start, end, _ := strings.Cut(m, ":")
		c1, r1, err1 := excelize.CellNameToCoordinates(start)
		c2, r2, err2 := excelize.CellNameToCoordinates(end)
		if err1 != nil || err2 != nil || r2 <= r1 || c1 > count.lim.Columns || c2 < c1 {
			continue
		}
		top, ok := byLine[r1]
		if !ok || c1-1 >= len(sh.lines[top].cells) {
			continue
		}
		v := sh.lines[top].cells[c1-1]
		// Only rows that hold something else: a merged block reaching into
		// blank rows does not make them data. The lines are in order, so
		// the range costs the lines it holds, not the rows it spans.
		for i := top + 1; i < len(sh.lines) && sh.lines[i].n <= r2; i++ {
			ln := &sh.lines[i]
			for len(ln.cells) < c1 {
				ln.cells = append(ln.cells, cell{})
			}
			if ln.cells[c1-1].empty() {
				ln.cells[c1-1] = v
			}
		}
	}
	if part.file != nil {
		sh.isNumber = numberCells(ctx, part.file, lim.PartSize)
	}
	return sh, nil
}

var (
	cellTag  = regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*)>`)
	cellRef  = regexp.MustCompile(`(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']`)
	cellType = regexp.MustCompile(`(?:^|\s)t\s*=\s*["']([A-Za-z]*)["']`)
)

// numberCells tells number cells from text ones (1975.1 as a number is
// what Excel makes of 1975.10). The first question about a column scans the
// sheet's XML once for that column's cells; excelize would parse the whole
// sheet into memory for each cell asked about.
//
// When ctx ends it answers false: the import stops at its next check.
func numberCells(ctx context.Context, f *zip.File, limit int64) func(col, n int) bool {
	columns := map[int]map[int]bool{} // column → row → holds a number
	return func(col, n int) bool {
		rows, ok := columns[col]
		if !ok {
			rows = map[int]bool{}
			columns[col] = rows
			if ctx.Err() != nil {
				return false
			}
			body, err := readPart(f, limit)
			if err != nil {
				return false
			}
			want := columnLetter(col)
			for rest, k := body, 0; ; k++ {
				if k%1024 == 0 && ctx.Err() != nil {
					return false
				}
				loc := cellTag.FindSubmatchIndex(rest)
				if loc == nil {
					break
				}
				attrs := rest[loc[2]:loc[3]]
				rest = rest[loc[1]:]
				ref := cellRef.FindSubmatch(attrs)
				if ref == nil || !strings.EqualFold(string(ref[1]), want) {
					continue
				}
				row := 0
				for _, d := range ref[2] {
					row = row*10 + int(d-'0')
				}
				t := cellType.FindSubmatch(attrs)
				rows[row] = t == nil || string(t[1]) == "n" || string(t[1]) == ""
			}
		}
		return rows[n]
	}
}

type rowValues struct {
	n      int
	values []string
}

// sheetRows streams the non-empty rows of a sheet; with a counter it
// enforces the limits as it goes, so a huge sheet stops early, and so does
// a limit on the rows (0 for none). It stops when ctx ends, blank rows
// included: a sheet of a million blank rows is read within the deadline.
func sheetRows(ctx context.Context, f *excelize.File, name string, raw bool, count *counter, limit int) ([]rowValues, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fileError("工作表“%s”无法读取，可能已损坏", name)
	}
	defer rows.Close()
	var out []rowValues
	n := 0
	for rows.Next() {
		if ctx.Err() != nil {
			return nil, stopped(ctx)
		}
		n++
		values, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, fileError("工作表“%s”第 %d 行无法读取，可能已损坏", name, n)
		}
		blank := true
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		if count != nil {
			cells := make([]cell, len(values))
			for i, v := range values {
				cells[i] = cell{text: clean(v), raw: v}
			}
			if err := count.line(name, n, cells); err != nil {
				return nil, err
			}
		}
		out = append(out, rowValues{n: n, values: values})
		if limit > 0 && len(out) > limit {
			return nil, fileError("工作表“%s”无法读取，可能已损坏", name)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fileError("工作表“%s”无法读取，可能已损坏", name)
	}
	return out, nil
}
