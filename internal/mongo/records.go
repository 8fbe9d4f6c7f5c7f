package mongo

import "renda/internal/records"

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
		Reports:     s.Reports,
		Credentials: s.Credentials,
		Attributes:  s.AttributeDefs(),
	}
}

var _ records.Database = (*Store)(nil)
