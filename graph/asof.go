package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"renda/internal/records"
)

// As of a date: every list, lookup, aggregate, the dashboard and
// renderReport take asOf: Date, the records as they stood at the end of
// that day in Asia/Shanghai, rebuilt by the store from the audit trail
// (records.WithAsOf). What a field reads under such a field — a deputy's
// village, a page's relations, nested aggregates, a report's query — is as
// of the same day: asOfExtension puts the instant in the field's context,
// which gqlgen passes on to the fields under it, and the loaders keep one
// set per instant so no batch mixes two.

type asOfExtension struct{}

// eventAsOf are the fields whose asOf is a day in the records' own dates,
// not in their history: dutyPoints counts the duty done by that day
// (records dated later do not count; the rules are those in effect), from
// the records as they now stand — a clerk enters a quarter's work after
// it.
var eventAsOf = map[string]bool{"dutyPoints": true}

var _ interface {
	graphql.HandlerExtension
	graphql.FieldInterceptor
} = asOfExtension{}

func (asOfExtension) ExtensionName() string                          { return "AsOf" }
func (asOfExtension) Validate(schema graphql.ExecutableSchema) error { return nil }

// InterceptField reads the field as of the day its asOf names; what is
// read under it (its children are resolved in the context it passes on)
// is as of the same day. A day not yet over reads what is stored.
func (asOfExtension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || eventAsOf[fc.Field.Name] {
		return next(ctx)
	}
	if d, ok := fc.Args["asOf"].(*records.Date); ok && d != nil {
		if t := records.EndOfDay(*d); t.Before(time.Now()) {
			ctx = records.WithAsOf(ctx, t)
		}
	}
	return next(ctx)
}
