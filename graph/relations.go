package graph

import (
	"context"

	"renda/internal/records"
)

// Relation lists (an inspection's participants, a deputy's inspections …)
// take first: they answer every item or an error, never a silent cut, and
// their cost is counted from first (see MaxCost).
const (
	DefaultRelationItems = 100
	MaxRelationItems     = 500
	// MaxDutyItems is the most inspections, activities or suggestions a
	// duty record lists for one year.
	MaxDutyItems = 500
)

// relationFirst checks a relation list's first argument.
func relationFirst(first *int) (int, error) {
	n := DefaultRelationItems
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxRelationItems {
		return 0, records.Invalidf("first", "first is 0 to %d, got %d", MaxRelationItems, n)
	}
	return n, nil
}

// tooMany is the error for a relation list longer than first.
func tooMany(what string, n, first int) error {
	if n <= MaxRelationItems {
		return records.Invalidf("first", "there are %d %s, more than first (%d): ask with first: %d", n, what, first, n)
	}
	return records.Invalidf("first", "there are %d %s, more than a list answers (%d): page through them with the top-level list and a filter", n, what, MaxRelationItems)
}

// refList loads the records a list of ids names, after checking its length
// against first.
func refList[T any](ids []string, first *int, what string, load func([]string) ([]*T, error)) ([]*T, error) {
	n, err := relationFirst(first)
	if err != nil {
		return nil, err
	}
	if len(ids) > n {
		return nil, tooMany(what, len(ids), n)
	}
	return load(ids)
}

// backList checks a loaded list of records pointing back at a record
// against first.
func backList[T any](items []*T, err error, first *int, what string) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	n, err := relationFirst(first)
	if err != nil {
		return nil, err
	}
	if len(items) > n {
		return nil, tooMany(what, len(items), n)
	}
	return items, nil
}

// dutyItems refuses a duty record list longer than MaxDutyItems.
func dutyItems[T any](items []*T, what string, year int) ([]*T, error) {
	if len(items) > MaxDutyItems {
		return nil, records.Errorf(records.EINVALID, "%d %s in %d, more than a duty record lists (%d)", len(items), what, year, MaxDutyItems)
	}
	return items, nil
}

// participantTally counts the deputies ids name in township t, read
// through the request's loader (records.TallyDeputies).
func participantTally(ctx context.Context, t string, ids []string) (*records.DeputyTally, error) {
	ds, err := loadMany(ctx, loaders(ctx).Deputy, t, ids)
	if err != nil {
		return nil, err
	}
	tally := records.TallyDeputies(ds)
	return &tally, nil
}
