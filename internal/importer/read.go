package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"renda/internal/records"
)

// cell is one cell of a sheet: text as the clerk sees it (an XLSX cell with
// its number format applied), raw as stored (a number's digits, a date's
// serial number; for text and CSV the same as text).
type cell struct {
	text string
	raw  string
}

func (c cell) empty() bool { return c.text == "" }

// line is one non-empty row of a sheet, numbered as Excel or a text editor
// shows it.
type line struct {
	n     int
	cells []cell
}

// sheet is one worksheet (a CSV file is one sheet without a name).
type sheet struct {
	name  string
	lines []line
	// isNumber reports whether the cell at column col (0-based) of line n
	// holds a number rather than text; nil when the file cannot tell (CSV).
	isNumber func(col, n int) bool
	date1904 bool // serial dates count from 1904 (old Excel for Mac)
}

// workbook is what a file holds, read within the limits.
type workbook struct {
	sheets   []sheet
	warnings []string
	close    func()
}

var (
	xlsMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// stopped is the error of an import whose context ended before it wrote
// anything: TIMEOUT, in words for the clerk.
func stopped(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return records.Errorf(records.ETIMEOUT, "导入没能在本次请求的时限内读完并比对文件，没有写入任何记录；请把文件拆成几个较小的文件再导入，或稍后重试")
	}
	return records.Errorf(records.ETIMEOUT, "导入被取消，没有写入任何记录")
}

// fileError is an error about the file as a whole, in words for the clerk.
func fileError(format string, args ...any) error {
	return invalid("file", format, args...)
}

// readWorkbook reads an XLSX or CSV file, telling them apart by content.
// It stops when ctx ends (between rows, parts and sheets), with stopped's
// error.
func readWorkbook(ctx context.Context, data []byte, lim Limits) (*workbook, error) {
	switch {
	case len(data) == 0:
		return nil, fileError("文件是空的")
	case bytes.HasPrefix(data, xlsMagic):
		return nil, fileError("这是旧版 Excel（.xls）文件或加了密码的文件；请在 Excel 中“另存为”Excel 工作簿（.xlsx）或 CSV 后再导入")
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(ctx, data, lim)
	}
	return readCSV(ctx, data, lim)
}

// counter enforces the limits on what a file holds while it is read.
type counter struct {
	lim   Limits
	rows  int
	chars int64
}

// maxHeadRows is how many rows above the data (titles, headers, notes) a
// file may hold on top of Limits.Rows.
const maxHeadRows = 50

func (c *counter) line(sheetName string, n int, cells []cell) error {
	c.rows++
	if c.rows > c.lim.Rows+maxHeadRows {
		return fileError("文件超过 %d 行的上限；请分成几个文件导入", c.lim.Rows)
	}
	for i, x := range cells {
		if x.empty() {
			continue
		}
		if i >= c.lim.Columns {
			return fileError("%s第 %d 行的 %s 列超出了 %d 列的上限", where(sheetName), n, columnLetter(i), c.lim.Columns)
		}
		k := utf8.RuneCountInString(x.text)
		if k > c.lim.CellLength {
			return fileError("%s第 %d 行 %s 列的内容有 %d 个字，超过了每格 %d 个字的上限", where(sheetName), n, columnLetter(i), k, c.lim.CellLength)
		}
		c.chars += int64(len(x.text) + len(x.raw))
		if c.chars > c.lim.TextSize {
			return fileError("文件中的文字总量超过了 %s 的上限", size(c.lim.TextSize))
		}
	}
	return nil
}

// size writes a number of bytes for a message: 10 MiB, 4 KiB, 100 字节.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

func where(sheetName string) string {
	if sheetName == "" {
		return ""
	}
	return "工作表“" + sheetName + "”"
}

// columnLetter names a 0-based column as Excel does: A … Z, AA ….
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return "第" + strconv.Itoa(i+1)
	}
	return name
}

// cellValue is a cell's text as the import reads it: cleaned, and with
// the apostrophe an export puts before text that starts as a formula
// ('=…, '+…, '-…, '@…) taken away again, so an exported roster imports
// back unchanged.
func cellValue(s string) string { return records.UnneutraliseCell(clean(s)) }

// clean trims a cell's text: spaces (full-width too), zero-width
// characters and a byte-order mark around it.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200c' || r == '\u200d'
	})
}
