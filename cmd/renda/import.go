package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"renda/internal/importer"
	"renda/internal/records"
	"renda/internal/report/xlsx"
)

const importUsage = "usage: renda import deputies|villages|projects FILE --township ID [--dry-run] [--atomic] [--map 表头=field]... [--key field]... [--demo]"

// importCmd runs `renda import KIND FILE`: plans the rows of a roster
// (XLSX or CSV), prints the plan as a table and, unless --dry-run, applies
// it straight to the store.
func importCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New(importUsage)
	}
	kind, err := importer.ParseKind(args[0])
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("import "+args[0], flag.ContinueOnError)
	db := dbFlags{quiet: true}
	db.register(fs)
	db.registerDemo(fs)
	township := fs.String("township", "", "the township to import into (the demo's is qps)")
	dryRun := fs.Bool("dry-run", false, "print the plan, write nothing")
	atomic := fs.Bool("atomic", false, "write nothing if any row is refused")
	var maps, keys stringList
	fs.Var(&maps, "map", "a column's field, 表头=field or 列字母=field (repeatable); field - leaves the column out")
	fs.Var(&keys, "key", "a field that identifies records instead of the natural key (repeatable)")
	// FILE may come before, between or after the flags.
	var files []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files, rest = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return errors.New(importUsage)
	}
	if *township == "" {
		return errors.New("renda import: --township is required\n" + importUsage)
	}
	opts := importer.Options{Kind: kind, Township: *township, DryRun: *dryRun, Atomic: *atomic, Key: keys}
	for _, m := range maps {
		i := strings.LastIndex(m, "=")
		if i <= 0 {
			return fmt.Errorf("--map %q: write 表头=field or a column letter, B=field", m)
		}
		opts.Mapping = append(opts.Mapping, importer.Mapping{Column: m[:i], Field: m[i+1:]})
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()

	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	st := importer.Store{Townships: s.Townships, Deputies: s.Deputies, Villages: s.Villages, Projects: s.Projects, InTx: s.InTx}
	res, err := importer.Import(ctx, st, f, opts)
	if res != nil {
		printPlan(stdout, res)
	}
	if err != nil {
		return err
	}
	if res.DryRun {
		return nil
	}
	switch refused, failed := res.Count(importer.Refused), res.Count(importer.Failed); {
	case refused > 0 && !res.Applied:
		return records.Errorf(records.EINVALID, "%d 行被拒绝，按 --atomic 没有写入任何记录", refused)
	case refused+failed > 0:
		return records.Errorf(records.EINVALID, "%d 行没有导入（见上表），其余已导入", refused+failed)
	}
	return nil
}

// printPlan writes the plan as a table, a row per data row, then the
// warnings and the counts.
func printPlan(w io.Writer, res *importer.Result) {
	sheets := map[string]bool{}
	for _, r := range res.Rows {
		sheets[r.Sheet] = true
	}
	header := []string{"行", "结果", "记录", "说明"}
	withSheet := len(sheets) > 1
	if withSheet {
		header = append([]string{"工作表"}, header...)
	}
	table := [][]string{header}
	for _, r := range res.Rows {
		row := []string{fmt.Sprint(r.Line), r.Action.Label(), r.Record, explain(r)}
		if withSheet {
			row = append([]string{r.Sheet}, row...)
		}
		table = append(table, row)
	}
	writeTable(w, table)
	for _, warning := range res.Warnings {
		fmt.Fprintln(w, "注意："+warning)
	}
	fmt.Fprintln(w, res.Summary())
}

// explain is a row's 说明: what changes, or why it is refused.
func explain(r importer.Row) string {
	var parts []string
	for _, c := range r.Changes {
		old := c.Old
		if old == "" {
			old = "（空）"
		}
		parts = append(parts, fmt.Sprintf("%s%s：%s → %s", where(c.Column, ""), c.Label, old, c.New))
	}
	for _, p := range r.Problems {
		field := ""
		if p.Field != "" {
			field = "（" + p.Field + "）"
		}
		parts = append(parts, where(p.Column, p.Header)+p.Reason+field)
	}
	return strings.Join(parts, "；")
}

func where(column, header string) string {
	switch {
	case column == "":
		return ""
	case header != "":
		return fmt.Sprintf("%s 列“%s”：", column, header)
	case strings.HasSuffix(column, "名"): // 工作表名
		return column + " "
	}
	return column + " 列 "
}

// writeTable pads columns to their width on a terminal, where a Chinese
// character takes two columns (text/tabwriter counts it as one).
func writeTable(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row[:len(row)-1] {
			widths[i] = max(widths[i], xlsx.DisplayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-xlsx.DisplayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
