package report

import (
	"context"

	"renda/internal/report/engine"
)

// withWarnings gives the template's `warn` calls a list to add to.
func withWarnings(ctx context.Context) (context.Context, *[]string) {
	w := []string{}
	return engine.CollectWarnings(ctx, &w), &w
}
