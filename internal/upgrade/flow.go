package upgrade

import (
	"context"
	"fmt"

	"renda/internal/records"
)

// SuggestionFlow writes again every suggestion stored before a
// suggestion's handling derived its flow (records.Flow: the reply due, the
// assignment day, the extension, the rounds after 不满意), so filters and
// counts in the database read it: those without a stored "extended". Each
// is one write with its audit entry; running it twice changes nothing.
func SuggestionFlow(ctx context.Context, s *records.Store) (int, error) {
	before := records.Expr{Cond: &records.Cond{Path: "extended", Op: records.OpIsNull, Value: true}}
	n, err := each(ctx, s.Suggestions, before, func(*records.Suggestion) bool { return true })
	if err != nil {
		return n, fmt.Errorf("suggestions: %w", err)
	}
	return n, nil
}
