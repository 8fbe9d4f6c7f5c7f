package bench_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"

	"renda/graph"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

// BenchmarkAnnualSummary renders the demo township's 2023 summary and
// splits the time: Query is the plugin's GraphQL query run in-process,
// Template the templates on data already fetched, Markdown and DOCX the
// whole render. Compare Query with Template within one run.
func BenchmarkAnnualSummary(b *testing.B) {
	ctx := context.Background()
	var finds atomic.Int64
	s := storetest.MustDemo(b, storetest.OnCommand(func(name string) {
		if name == "find" {
			finds.Add(1)
		}
	}))
	log := slog.New(slog.DiscardHandler)
	api := graph.New(s, log)
	reg := report.NewRegistry(report.RegistryConfig{Schema: api, Logger: log, Builtin: reports.FS})
	e, err := reg.Get(ctx, "annual-summary")
	if err != nil || e.Err != nil {
		b.Fatal(err, e.Err)
	}
	p := e.Plugin
	params := map[string]any{"township": "qps", "year": 2023}
	data, err := api.Run(ctx, p.Query, params)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Query", func(b *testing.B) {
		finds.Store(0)
		n := 0
		for b.Loop() {
			if _, err := api.Run(ctx, p.Query, params); err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(finds.Load())/float64(n), "finds/op")
	})
	b.Run("Template", func(b *testing.B) {
		for b.Loop() {
			if _, err := p.ExecuteTemplate(ctx, params, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, f := range []report.Format{report.MARKDOWN, report.DOCX} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := reg.Render(ctx, "annual-summary", params, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
