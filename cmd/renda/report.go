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
	"text/tabwriter"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/reports"
)

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// newReports builds the API and the report registry over s: the built-in
// plugins, those in dirs, and those uploaded to the database.
func newReports(s *records.Store, dirs []string, log *slog.Logger) (*graph.API, *report.Registry) {
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{
		Schema:  api,
		Logger:  log,
		Builtin: reports.FS,
		Dirs:    dirs,
		Store:   s.Reports,
	})
	api.SetReports(reg)
	return api, reg
}

// reportCmd runs `renda report list` and `renda report render`, straight
// against the store: no server needs to run.
func reportCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "render") {
		return errors.New("usage: renda report list | renda report render <id> [--param name=value]... [--format md|text|html|docx|xlsx] [-o FILE] [--demo]")
	}
	fs := flag.NewFlagSet("report "+args[0], flag.ContinueOnError)
	db := dbFlags{quiet: true}
	db.register(fs)
	db.registerDemo(fs)
	var dirs, params stringList
	fs.Var(&dirs, "reports-dir", "a folder of report plugins (repeatable)")
	var id string
	rest := args[1:]
	if args[0] == "render" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return errors.New("usage: renda report render <id> [--param name=value]... [--format md] [-o FILE]")
		}
		id, rest = rest[0], rest[1:]
	}
	fs.Var(&params, "param", "a report parameter, name=value (repeatable)")
	format := fs.String("format", "", "md, text, html, docx or xlsx (default: the report's first format)")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	_, reg := newReports(s, dirs, log)

	if args[0] == "list" {
		entries, err := reg.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTITLE\tPARAMETERS\tFORMATS\tSOURCE")
		for _, e := range entries {
			if e.Err != nil {
				fmt.Fprintf(tw, "%s\tBROKEN: %v\t\t\t%s\n", e.ID, e.Err, e.Source)
				continue
			}
			m := e.Plugin.Manifest
			var ps, fs []string
			for _, p := range m.Parameters {
				ps = append(ps, p.Name+":"+string(p.Type))
			}
			for _, f := range m.Formats {
				fs = append(fs, strings.ToLower(string(f)))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, m.Title, strings.Join(ps, " "), strings.Join(fs, " "), e.Source)
		}
		return tw.Flush()
	}

	var f report.Format
	if *format != "" {
		if f, err = report.ParseFormat(*format); err != nil {
			return err
		}
	}
	values := map[string]any{}
	for _, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			return fmt.Errorf("--param %q: write name=value", p)
		}
		values[name] = value
	}
	res, err := reg.Render(ctx, id, values, f)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		log.Warn("report", "warning", w)
	}
	if *out == "" {
		if res.Format.Binary() {
			return fmt.Errorf("%s is binary; write it to a file with -o %s", res.Format, res.Filename)
		}
		_, err = stdout.Write(res.Content)
		return err
	}
	return os.WriteFile(*out, res.Content, 0o644)
}
