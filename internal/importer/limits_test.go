package importer_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/internal/importer"
	"renda/internal/records"
)

// rosterCSV is a roster of n deputies, each cell padded to width
// characters in its name column when width > 0.
func rosterCSV(n int) []byte {
	rows := [][]string{{"姓名", "出生年月", "代表层级"}}
	for i := range n {
		rows = append(rows, []string{fmt.Sprintf("代表%d", i), fmt.Sprintf("19%02d.%02d", 50+i%50, 1+i%12), "镇级"})
	}
	return csvOf(rows...)
}

// TestLimits checks each bound at its edge: just under passes, just over
// is refused with a message naming the limit.
func TestLimits(t *testing.T) {
	s := MustTownship(t)
	dry := func(l importer.Limits) importer.Options { return importer.Options{DryRun: true, Limits: l} }
	over := func(t *testing.T, data []byte, l importer.Limits, want string) {
		t.Helper()
		err := importErr(t, s, data, dry(l))
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "file" || !strings.Contains(records.ErrorMessage(err), want) {
			t.Errorf("got %v, want an invalid file saying %q", err, want)
		}
	}

	t.Run("FileSize", func(t *testing.T) {
		data := rosterCSV(3)
		MustImport(t, s, data, dry(importer.Limits{FileSize: int64(len(data))}))
		over(t, data, importer.Limits{FileSize: int64(len(data) - 1)}, fmt.Sprintf("文件超过 %d 字节 的上限", len(data)-1))
	})
	t.Run("Rows", func(t *testing.T) {
		res := MustImport(t, s, rosterCSV(importer.DefaultLimits.Rows), dry(importer.Limits{}))
		if len(res.Rows) != 5000 || res.Count(importer.Create) != 5000 {
			t.Fatalf("%d rows planned (%s), want 5000 creates", len(res.Rows), res.Summary())
		}
		over(t, rosterCSV(importer.DefaultLimits.Rows+1), importer.Limits{}, "文件超过 5000 行数据的上限")
	})
	t.Run("Columns", func(t *testing.T) {
		header := []string{"姓名", "出生年月", "代表层级"}
		row := []string{"赵一", "1970.01", "镇级"}
		for len(header) < 9 {
			header, row = append(header, ""), append(row, "")
		}
		ok := csvOf(append(header, "x"), append(row, "y")) // a cell in column J, the 10th
		MustImport(t, s, ok, dry(importer.Limits{Columns: 10}))
		over(t, csvOf(append(header, "", "x"), append(row, "", "y")), importer.Limits{Columns: 10}, "K 列超出了 10 列的上限")
	})
	t.Run("CellLength", func(t *testing.T) {
		long := func(n int) []byte {
			return csvOf([]string{"姓名", "出生年月", "代表层级", "职业"}, []string{"赵一", "1970.01", "镇级", strings.Repeat("农", n)})
		}
		MustImport(t, s, long(20), dry(importer.Limits{CellLength: 20}))
		over(t, long(21), importer.Limits{CellLength: 20}, "第 2 行 D 列的内容有 21 个字，超过了每格 20 个字的上限")
	})
	t.Run("CSVLineLength", func(t *testing.T) {
		// 3 columns of 10 characters: a line holds at most 3 × (4×10+3) bytes.
		l := importer.Limits{Columns: 3, CellLength: 10}
		line := func(n int) []byte {
			row := "赵一,1970.01,镇级"
			return []byte("姓名,出生年月,代表层级\n" + row + strings.Repeat(" ", n-len(row)) + "\n")
		}
		MustImport(t, s, line(129), dry(l))
		over(t, line(130), l, "第 2 行太长（130 字节）")
	})
	t.Run("Sheets", func(t *testing.T) {
		sheet := func(name string) sheetRows {
			return sheetRows{name, [][]any{{"姓名", "出生年月", "代表层级"}, {name, "1970.01", "镇级"}}}
		}
		MustImport(t, s, MustXLSX(t, sheet("甲"), sheet("乙")), dry(importer.Limits{Sheets: 2}))
		over(t, MustXLSX(t, sheet("甲"), sheet("乙"), sheet("丙")), importer.Limits{Sheets: 2}, "文件有 3 张工作表，超过了 2 张的上限")
	})
	t.Run("MergedRanges", func(t *testing.T) {
		merged := func(n int) []byte {
			f := excelize.NewFile()
			defer f.Close()
			_ = f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "出生年月", "代表层级", "代表小组"})
			for i := range n {
				_ = f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", 2*i+2), &[]any{fmt.Sprintf("赵%d", i), "1970.01", "镇级", "第一代表小组"})
				_ = f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", 2*i+3), &[]any{fmt.Sprintf("钱%d", i), "1970.01", "镇级"})
				_ = f.MergeCell("Sheet1", fmt.Sprintf("D%d", 2*i+2), fmt.Sprintf("D%d", 2*i+3))
			}
			b, _ := f.WriteToBuffer()
			return b.Bytes()
		}
		res := MustImport(t, s, merged(3), dry(importer.Limits{MergedRanges: 3}))
		if len(res.Rows) != 6 {
			t.Fatalf("%d rows, want 6", len(res.Rows))
		}
		over(t, merged(4), importer.Limits{MergedRanges: 3}, "合并单元格超过 3 处的上限")
	})
	t.Run("ZipBomb", func(t *testing.T) {
		// 65 MiB of zeros packed into a few dozen KiB beside a valid sheet.
		bomb := withPart(t, MustXLSX(t, sheetRows{"花名册", [][]any{{"姓名", "代表层级"}, {"赵一", "镇级"}}}), "xl/media/image1.png", 65<<20, false)
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes, want it small", len(bomb))
		}
		over(t, bomb, importer.Limits{}, "解压后超过 64 MiB 的上限")
	})
	t.Run("SheetXML", func(t *testing.T) {
		data := MustXLSX(t, sheetRows{"花名册", [][]any{{"姓名", "出生年月", "代表层级"}, {"赵一", "1970.01", "镇级"}}})
		MustImport(t, s, data, dry(importer.Limits{PartSize: 4 << 10}))
		over(t, withPart(t, data, "xl/worksheets/sheet1.xml", 5<<10, false), importer.Limits{PartSize: 4 << 10}, "一张工作表解压后超过 4 KiB 的上限")
	})
	t.Run("RowCells", func(t *testing.T) {
		// A row of empty cells after the data: Excel has 16384 columns, so
		// a row of more is a damaged (or hostile) file.
		data := MustXLSX(t, sheetRows{"花名册", [][]any{{"姓名", "出生年月", "代表层级"}, {"赵一", "1970.01", "镇级"}}})
		wide := func(n int) []byte {
			return withRow(t, data, `<row r="3">`+strings.Repeat(`<c/>`, n)+`</row>`)
		}
		if res := MustImport(t, s, wide(16384), dry(importer.Limits{})); len(res.Rows) != 1 {
			t.Fatalf("%d rows planned, want the one deputy", len(res.Rows))
		}
		over(t, wide(16385), importer.Limits{}, "一行超过 16384 个单元格")
	})
	t.Run("LyingZipHeader", func(t *testing.T) {
		// A part that says it is 100 bytes and unpacks to 20 MiB.
		data := withPart(t, MustXLSX(t, sheetRows{"花名册", [][]any{{"姓名", "代表层级"}, {"赵一", "镇级"}}}), "xl/worksheets/sheet1.xml", 20<<20, true)
		over(t, data, importer.Limits{}, "无法解开")
	})
}

// BenchmarkMergedRangesTall: 1000 merged ranges from the data rows down to
// Excel's last row (the same two, repeated: a hostile file). Filling them
// costs the rows the sheet holds, not the million each spans: 5 s a file
// before (a billion steps), about 10 ms now.
func BenchmarkMergedRangesTall(b *testing.B) {
	s := MustTownship(b)
	data := MustXLSX(b, sheetRows{"花名册", [][]any{{"姓名", "出生年月", "代表层级", "代表小组"}, {"赵一", "1970.01", "镇级", "第一代表小组"}, {"钱二", "1970.01", "镇级"}}})
	var merges strings.Builder
	merges.WriteString(`<mergeCells count="1000">`)
	for i := range 1000 {
		fmt.Fprintf(&merges, `<mergeCell ref="D%d:D1048576"/>`, 2+i%2)
	}
	merges.WriteString(`</mergeCells>`)
	data = withAfterSheetData(b, data, merges.String())
	for b.Loop() {
		res := MustImport(b, s, data, importer.Options{DryRun: true})
		if len(res.Rows) != 2 || rowAt(b, res, 3).Action != importer.Create {
			b.Fatalf("planned %s, want the two deputies created", plan(res))
		}
	}
}

// withRow returns an XLSX whose first worksheet ends with the row XML.
func withRow(t testing.TB, xlsx []byte, row string) []byte {
	t.Helper()
	return withSheetXML(t, xlsx, "</sheetData>", row, false)
}

// withAfterSheetData returns an XLSX whose first worksheet holds the XML
// right after its cells (merged ranges go there).
func withAfterSheetData(t testing.TB, xlsx []byte, x string) []byte {
	t.Helper()
	return withSheetXML(t, xlsx, "</sheetData>", x, true)
}

// withSheetXML inserts x before (or after) the first mark in the first
// worksheet of an XLSX.
func withSheetXML(t testing.TB, xlsx []byte, mark, x string, after bool) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(b, []byte(mark))
			if after {
				i += len(mark)
			}
			b = append(append(append([]byte{}, b[:i]...), x...), b[i:]...)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// withPart returns an XLSX with the part name replaced (or added) by size
// bytes of padding — XML whitespace inside the worksheet for a sheet. With
// lie, the part's header declares 100 bytes.
func withPart(t *testing.T, xlsx []byte, name string, size int, lie bool) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	body := func() []byte {
		if !strings.HasPrefix(name, "xl/worksheets/") {
			return make([]byte, size)
		}
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				i := bytes.Index(b, []byte("<sheetData"))
				return append(append(append([]byte{}, b[:i]...), bytes.Repeat([]byte(" "), size)...), b[i:]...)
			}
		}
		t.Fatalf("no part %s", name)
		return nil
	}()
	write := func(fname string, b []byte) {
		if !lie || fname != name {
			w, err := zw.Create(fname)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = w.Write(b)
			return
		}
		var packed bytes.Buffer
		fw, _ := flate.NewWriter(&packed, flate.BestCompression)
		_, _ = fw.Write(b)
		_ = fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fname, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(b),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: 100})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(packed.Bytes())
	}
	replaced := false
	for _, f := range zr.File {
		if f.Name == name {
			write(name, body)
			replaced = true
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		write(f.Name, b)
	}
	if !replaced {
		write(name, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
