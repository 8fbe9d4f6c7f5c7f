package mongo

import (
	"context"

	"renda/internal/records"
)

// Records is the store as the rest of renda sees it: the services of
// records.Store, kept in MongoDB.
func (s *Store) Records() *records.Store {
	return &records.Store{
		Database:    s,
		Townships:   s.Townships,
		Deputies:    s.Deputies,
		Villages:    s.Villages,
		Projects:    s.Projects,
		Inspections: s.Inspections,
		Activities:  s.Activities,
		Suggestions: s.Suggestions,
		Receptions:  s.Receptions,
		PointRules:  s.PointRules,
		Reports:     s.Reports,
		Credentials: s.Credentials,
		Attributes:  s.AttributeDefs(),

		Sessions:           s.Sessions,
		PresidiumMeetings:  s.PresidiumMeetings,
		LivelihoodProjects: s.LivelihoodProjects,
		Submissions:        s.Submissions,
	}
}

var _ records.Database = (*Store)(nil)

// InTx runs f: on MongoDB each write is atomic on its own record, and
// writes across records are not grouped (FerretDB, the stand-in the tests
// run on, has no transactions).
func (s *Store) InTx(ctx context.Context, f func(ctx context.Context) error) error {
	if err := refuseAsOf(ctx); err != nil {
		return err
	}
	return f(ctx)
}
