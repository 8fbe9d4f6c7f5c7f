// Package xlsxtest writes hostile workbooks for the tests of the importer
// and of the endpoints that import.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
)

// Bomb is a workbook of sheets sheets, each a header row (姓名) and then
// blank rows up to a worksheet part of partSize bytes: tens of megabytes
// unpacked, inside every size limit of the importer (4 sheets of
// 16_000_000 bytes: 64 MB, just under the 64 MiB a workbook may unpack
// to), from a file of about a hundred KiB. Reading it whole takes seconds.
func Bomb(sheets, partSize int) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	write := func(name string, parts ...string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		for _, p := range parts {
			_, _ = w.Write([]byte(p))
		}
	}
	var types, wb, rels strings.Builder
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
		fmt.Fprintf(&wb, `<sheet name="表%d" sheetId="%d" r:id="rId%d"/>`, i, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	write("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`, types.String(), `</Types>`)
	write("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	write("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`,
		wb.String(), `</sheets></workbook>`)
	write("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`, rels.String(), `</Relationships>`)
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>`
	tail := `</sheetData></worksheet>`
	blank := `<row><c/></row>`
	rows := strings.Repeat(blank, (partSize-len(head)-len(tail))/len(blank))
	for i := 1; i <= sheets; i++ {
		write(fmt.Sprintf("xl/worksheets/sheet%d.xml", i), head, rows, tail)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return out.Bytes()
}
