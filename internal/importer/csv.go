package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// decodeText turns a CSV file's bytes into UTF-8: UTF-8 with or without a
// byte-order mark, UTF-16 with one (Excel's "Unicode text"), otherwise
// GB18030, the superset of GBK that Excel on Chinese Windows writes.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", fileError("文件声明为 UTF-8 编码，但其中有无效的字符")
		}
		return string(data), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fileError("文件是 UTF-16 编码，但无法解码")
		}
		return string(out), nil
	case utf8.Valid(data):
		return string(data), nil
	}
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", fileError("无法识别文件的编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入")
	}
	return string(out), nil
}

func readCSV(ctx context.Context, data []byte, lim Limits) (*workbook, error) {
	if bytes.IndexByte(data, 0) >= 0 && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, fileError("这不是 Excel（.xlsx）或 CSV 文件")
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	// A line longer than a full row could be would make the CSV reader
	// split it into fields without bound: refuse it first.
	maxLine := lim.Columns * (4*lim.CellLength + 3)
	for n, rest := 1, text; rest != ""; n++ {
		l, after, _ := strings.Cut(rest, "\n")
		if len(l) > maxLine {
			return nil, fileError("第 %d 行太长（%d 字节），超出了 %d 列、每格 %d 个字的上限", n, len(l), lim.Columns, lim.CellLength)
		}
		rest = after
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	sh := sheet{}
	count := counter{lim: lim}
	// Excel numbers a CSV's records, blank lines included; a line break
	// inside a quoted cell does not start a row.
	inside := 0
	for k := 0; ; k++ {
		if k%256 == 0 && ctx.Err() != nil {
			return nil, stopped(ctx)
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		start, _ := r.FieldPos(0)
		n := start - inside
		if err != nil {
			return nil, fileError("CSV 文件第 %d 行格式有误，无法读取", n)
		}
		cells := make([]cell, len(rec))
		blank := true
		for i, v := range rec {
			inside += strings.Count(v, "\n")
			v = cellValue(v)
			cells[i] = cell{text: v, raw: v}
			blank = blank && v == ""
		}
		if blank {
			continue
		}
		if err := count.line("", n, cells); err != nil {
			return nil, err
		}
		sh.lines = append(sh.lines, line{n: n, cells: cells[:min(len(cells), lim.Columns)]})
	}
	return &workbook{sheets: []sheet{sh}, close: func() {}}, nil
}

// delimiter guesses a CSV file's separator from its start: tab (Excel's
// "Unicode text") or semicolon when they outnumber commas, else comma.
func delimiter(text string) rune {
	head := text[:min(len(text), 64<<10)]
	best, n := ',', strings.Count(head, ",")
	for _, d := range []rune{'\t', ';'} {
		if k := strings.Count(head, string(d)); k > n {
			best, n = d, k
		}
	}
	return best
}
