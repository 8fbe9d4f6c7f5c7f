package report

import "context"

// withWarnings gives the template's `warn` calls a list to add to.
func withWarnings(ctx context.Context) (context.Context, *[]string) {
	w := []string{}
	return ctx, &w
}
