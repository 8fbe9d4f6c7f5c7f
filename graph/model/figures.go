package model

import (
	"errors"

	"renda/internal/analytics"
	"renda/internal/records"
)

// Extremes is every kind's XExtremes: a group's least (or, Max,
// greatest) values of the numbers and dates its request named.
type Extremes struct {
	Refs  []analytics.NumberRef
	Group *analytics.Group
	Max   bool
}

func (e *Extremes) get(ref analytics.NumberRef) (any, error) {
	for i, r := range e.Refs {
		if r == ref {
			if e.Max {
				return e.Group.Max(i), nil
			}
			return e.Group.Min(i), nil
		}
	}
	return nil, errors.New("number not collected") // a selection the resolver did not see: a bug
}

func (e *Extremes) number(ref analytics.NumberRef) (*float64, error) {
	v, err := e.get(ref)
	f, _ := v.(*float64)
	return f, err
}

func (e *Extremes) date(name string) (*records.Date, error) {
	v, err := e.get(analytics.NumberRef{Number: name})
	if d, ok := v.(records.Date); ok {
		return &d, err
	}
	return nil, err
}

func (e *Extremes) n(name string) (*float64, error) {
	return e.number(analytics.NumberRef{Number: name})
}

func (e *Extremes) Population() (*float64, error)            { return e.n("POPULATION") }
func (e *Extremes) LengthKm() (*float64, error)              { return e.n("LENGTH_KM") }
func (e *Extremes) FundingTotal() (*float64, error)          { return e.n("FUNDING_TOTAL") }
func (e *Extremes) BiddingTeams() (*float64, error)          { return e.n("BIDDING_TEAMS") }
func (e *Extremes) ParticipantCount() (*float64, error)      { return e.n("PARTICIPANT_COUNT") }
func (e *Extremes) StandardizationAmount() (*float64, error) { return e.n("STANDARDIZATION_AMOUNT") }
func (e *Extremes) DaysToReply() (*float64, error)           { return e.n("DAYS_TO_REPLY") }
func (e *Extremes) Satisfied() (*float64, error)             { return e.n("SATISFIED") }
func (e *Extremes) BirthDate() (*records.Date, error)        { return e.date("BIRTH_DATE") }
func (e *Extremes) Date() (*records.Date, error)             { return e.date("DATE") }
func (e *Extremes) DateEnd() (*records.Date, error)          { return e.date("DATE_END") }
func (e *Extremes) Submitted() (*records.Date, error)        { return e.date("SUBMITTED") }
func (e *Extremes) Deadline() (*records.Date, error)         { return e.date("DEADLINE") }
func (e *Extremes) RepliedOn() (*records.Date, error)        { return e.date("REPLIED_ON") }

// Attribute is the least or greatest number at an attribute path.
func (e *Extremes) Attribute(path string) (*float64, error) {
	return e.number(analytics.NumberRef{Attribute: path})
}

// Rates is SuggestionRates: records.Handling's rates.
type Rates struct{ H *records.Handling }

func (r *Rates) Handling() *float64  { return r.H.HandlingRate() }
func (r *Rates) OnTime() *float64    { return r.H.OnTimeRate() }
func (r *Rates) Satisfied() *float64 { return r.H.SatisfiedRate() }
