package graph

import (
	"context"
	"fmt"

	"renda/internal/chinese"
	"renda/internal/records"
)

// checkYear refuses a year a figure of a township's year cannot be of.
func checkYear(year int) error {
	if year < 1949 || year > 2100 {
		return records.Invalidf("year", "a year from 1949 to 2100")
	}
	return nil
}

// maxHandlingItems bounds the suggestions one handling report reads: a
// township's period is far fewer.
const maxHandlingItems = 10_000

// suggestionHandling counts the township's suggestions of a period as they
// stood on day (records.NewHandlingReport).
func (r *Resolver) suggestionHandling(ctx context.Context, township string, year int, period *string, day *records.Date) (*records.HandlingReport, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	from, to := records.Date(fmt.Sprintf("%d-01-01", year)), records.Date(fmt.Sprintf("%d-12-31", year))
	if period != nil {
		switch *period {
		case "", "全年":
		case "上半年":
			to = records.Date(fmt.Sprintf("%d-06-30", year))
		case "下半年":
			from = records.Date(fmt.Sprintf("%d-07-01", year))
		default:
			return nil, records.Invalidf("period", "全年, 上半年 or 下半年, not %q", *period)
		}
	}
	d := records.Today()
	if d > to {
		d = to
	}
	if day != nil {
		d = *day
	}
	f, err := records.Compile(&records.SuggestionFilter{Submitted: &records.DateFilter{Gte: &from, Lte: &to}}, "filter")
	if err != nil {
		return nil, err
	}
	// In submission order, the order of the index the filter reads (and of
	// the report), so the store need not sort the documents.
	xs, err := records.FindAll(ctx, r.Store.Suggestions, records.Query{Townships: []string{township}, Filter: f, Sort: []records.Sort{{Path: "submitted"}}}, maxHandlingItems)
	if err != nil {
		return nil, err
	}
	h := records.NewHandlingReport(xs, from, to, d)
	h.SortDepartments(chinese.SortKey)
	return h, nil
}
