package graph

import (
	"context"

	"renda/internal/records"
)

// maxRosterItems bounds the deputies one figure of a township's roster
// reads.
const maxRosterItems = 10_000

// deputyContact counts the township's roster for year
// (records.NewDeputyContact). The deputies it reads prime the request's
// loaders, as a list's do: a document that counts the roster also names
// participants from it.
func (r *Resolver) deputyContact(ctx context.Context, township string, year int) (*records.DeputyContact, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	roster, err := records.FindAll(ctx, r.Store.Deputies, records.Query{Townships: []string{township}}, maxRosterItems)
	if err != nil {
		return nil, err
	}
	prime(ctx, roster)
	c := records.NewDeputyContact(roster, year)
	return &c, nil
}
