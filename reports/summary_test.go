package reports_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/storetest"
	"renda/reports"
)

// TestAnnualSummaryLongHistory: the summary reads a township's activities
// in one list that also holds the years before (group days, visits). A
// township with more history than the list holds still has its year told
// in full, with a warning that the list was cut; the years just before it
// still count; and the year's records on one day keep the store's order.
func TestAnnualSummaryLongHistory(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t)
	log := slog.New(slog.DiscardHandler)
	reg := report.NewRegistry(report.RegistryConfig{Schema: graph.New(s, log), Logger: log, Builtin: reports.FS})
	tw, err := s.Townships.Create(ctx, &records.Township{Name: "老镇", County: "某县"})
	if err != nil {
		t.Fatal(err)
	}
	act := func(id string, kind records.ActivityKind, title, date string, p records.Precision) *records.Activity {
		return &records.Activity{Meta: records.Meta{ID: id, Township: tw.ID}, Kind: kind, Title: title,
			Date: records.DateSpan{Date: records.Date(date), Precision: p}}
	}
	var acts []*records.Activity
	// A visit a month from 1972 to 2021: 600, more than the list holds.
	for y := 1972; y <= 2021; y++ {
		for m := 1; m <= 12; m++ {
			acts = append(acts, act(fmt.Sprintf("v-%d-%02d", y, m), records.VISIT, "走访代表", fmt.Sprintf("%d-%02d-01", y, m), records.MONTH))
		}
	}
	// Last year one visit; this year two on one day, the later id written first.
	acts = append(acts, act("v-2022", records.VISIT, "走访代表", "2022-06-01", records.MONTH),
		act("v-2023-b", records.VISIT, "走访乙村代表", "2023-06-01", records.MONTH),
		act("v-2023-a", records.VISIT, "走访甲村代表", "2023-06-01", records.MONTH))
	// Group days every quarter for five years up to this one.
	for y := 2019; y <= 2023; y++ {
		for _, m := range []int{1, 4, 7, 10} {
			acts = append(acts, act(fmt.Sprintf("g-%d-%02d", y, m), records.GROUP_DAY, "代表小组活动日", fmt.Sprintf("%d-%02d-10", y, m), records.DAY))
		}
	}
	if _, err := s.Activities.Bulk(ctx, acts); err != nil {
		t.Fatal(err)
	}
	out, err := reg.Render(ctx, "annual-summary", map[string]any{"township": tw.ID, "year": 2023}, report.MARKDOWN)
	if err != nil {
		t.Fatal(err)
	}
	md := string(out.Content)
	for _, want := range []string{"由每年一次改为两次", "第一次走访甲村代表；第二次走访乙村代表。", "每季度第一个月的10日", "坚持了五年，从未间断"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	warnings := strings.Join(out.Warnings, "|")
	if !strings.Contains(warnings, "activities: 记录多于一页,只统计了前500条") {
		t.Errorf("warnings %q, want one that the activities list was cut", out.Warnings)
	}
}
