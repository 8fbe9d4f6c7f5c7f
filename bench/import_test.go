package bench_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda"
	"renda/internal/demo"
	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/storetest"
)

const rosterRows = 2000

// roster writes an XLSX roster of n deputies with the sample roster's
// headers, living in the demo's villages.
func roster(tb testing.TB, n int, villages []string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "代表名册"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		tb.Fatal(err)
	}
	rows := [][]any{{"序号", "姓名", "性别", "民族", "出生年月", "政治面貌", "文化程度", "工作单位及职务", "代表层级", "所在代表小组", "所在村", "联系电话"}}
	levels := []string{"镇级", "县级、镇级", "镇级", "市级、县级、镇级"}
	for i := range n {
		rows = append(rows, []any{i + 1, personName(i), []string{"男", "女"}[i%2], "汉族",
			fmt.Sprintf("%d.%02d", 1955+i%45, 1+i%12), []string{"中共党员", "群众", "民盟"}[i%3], []string{"初中", "高中", "大专", "本科"}[i%4],
			fmt.Sprintf("%s村民委员会 委员", villages[i%len(villages)]), levels[i%len(levels)],
			fmt.Sprintf("第%d代表小组", 1+i%8), villages[i%len(villages)], fmt.Sprintf("138%08d", i)})
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport: a 2 000-row roster of deputies (XLSX) imported into a
// township that has none yet — planned, then applied, as renda import
// does — a fresh township each time (made untimed). The floor writes the
// same 2 000 records, encoded, with their audit rows, in one transaction
// of raw INSERTs on the same file.
func BenchmarkImport(b *testing.B) {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		b.Fatal(err)
	}
	var villages []string
	for _, v := range d.Villages {
		villages = append(villages, v.Name)
	}
	data := roster(b, rosterRows, villages)
	for _, be := range backends() {
		b.Run(fmt.Sprintf("rows=%d/%s", rosterRows, be), func(b *testing.B) {
			var s *records.Store
			var path string
			if be == storetest.SQLite {
				sq := storetest.MustSQLite(b)
				s, path = sq.Records(), sq.Path()
			} else {
				s = storetest.MustOpenOn(b, be)
			}
			st := importer.Store{Townships: s.Townships, Deputies: s.Deputies, Villages: s.Villages, Projects: s.Projects, InTx: s.InTx}
			i := 0
			newTownship := func() string {
				i++
				t, err := s.Townships.Create(bg, &records.Township{Name: fmt.Sprintf("导入镇%d", i)})
				if err != nil {
					b.Fatal(err)
				}
				vs := make([]*records.Village, len(villages))
				for j, name := range villages {
					vs[j] = &records.Village{Meta: records.Meta{Township: t.ID}, Name: name}
				}
				if _, err := s.Villages.Bulk(bg, vs); err != nil {
					b.Fatal(err)
				}
				return t.ID
			}
			var t string
			loopWith(b, func() { t = newTownship() }, func() {
				res, err := importer.Import(bg, st, bytes.NewReader(data), importer.Options{Kind: importer.Deputies, Township: t})
				if err != nil {
					b.Fatal(err)
				}
				if n := res.Count(importer.Create); n != rosterRows {
					b.Fatalf("%d rows created of %d: %s", n, rosterRows, res.Summary())
				}
			})
			if be != storetest.SQLite {
				return
			}
			// The floor: the records the import made, written again raw.
			var made []*records.Deputy
			q := records.Query{Townships: []string{t}, First: records.MaxPageSize}
			for {
				page, err := s.Deputies.Find(bg, q)
				if err != nil {
					b.Fatal(err)
				}
				made = append(made, page.Items...)
				if !page.HasNextPage {
					break
				}
				q.After = page.Cursors[len(page.Cursors)-1]
			}
			w := writer(b, path)
			reportFloor(b, func() { t = newTownship() }, func() { floorInsert(b, w, t, made) })
		})
	}
}

// floorInsert writes xs into township t as new records, each JSON-encoded
// into its row with an audit row beside it, in one transaction.
func floorInsert(tb testing.TB, w *sql.DB, t string, xs []*records.Deputy) {
	tb.Helper()
	tx, err := w.BeginTx(bg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	ins, err := tx.PrepareContext(bg, `INSERT INTO deputies (id, township, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	aud, err := tx.PrepareContext(bg, `INSERT INTO audit (id, at, actor, action, kind, record_id, township, version, before, after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '')`)
	if err != nil {
		tb.Fatal(err)
	}
	now := records.Now()
	for _, x := range xs {
		y := *x
		y.ID, y.Township, y.CreatedAt, y.UpdatedAt = records.NewID(), t, now, now
		doc, err := json.Marshal(&y)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := ins.ExecContext(bg, y.ID, t, 1, now.UnixMilli(), now.UnixMilli(), string(doc)); err != nil {
			tb.Fatal(err)
		}
		if _, err := aud.ExecContext(bg, records.NewID(), now.UnixMilli(), "bench", records.ActionCreate, "deputies", y.ID, t, 1, string(doc)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
