// Package model holds the GraphQL-only shapes: connections and edges.
package model

import (
	"context"

	"renda/internal/points"
	"renda/internal/records"
)

// PageInfo is the Relay page info.
type PageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// Counter computes totalCount only when a query asks for it: counting
// scans the collection on FerretDB.
type Counter func(ctx context.Context) (int, error)

// TotalCount is resolved lazily.
func (c Counter) TotalCount(ctx context.Context) (int, error) { return c(ctx) }

type (
	TownshipEdge struct {
		Cursor string
		Node   *records.Township
	}
	TownshipConnection struct {
		Edges    []*TownshipEdge
		Nodes    []*records.Township
		PageInfo *PageInfo
		Counter
	}
	DeputyEdge struct {
		Cursor string
		Node   *records.Deputy
	}
	DeputyConnection struct {
		Edges    []*DeputyEdge
		Nodes    []*records.Deputy
		PageInfo *PageInfo
		Counter
	}
	VillageEdge struct {
		Cursor string
		Node   *records.Village
	}
	VillageConnection struct {
		Edges    []*VillageEdge
		Nodes    []*records.Village
		PageInfo *PageInfo
		Counter
	}
	ProjectEdge struct {
		Cursor string
		Node   *records.Project
	}
	ProjectConnection struct {
		Edges    []*ProjectEdge
		Nodes    []*records.Project
		PageInfo *PageInfo
		Counter
	}
	InspectionEdge struct {
		Cursor string
		Node   *records.Inspection
	}
	ActivityEdge struct {
		Cursor string
		Node   *records.Activity
	}
	ActivityConnection struct {
		Edges    []*ActivityEdge
		Nodes    []*records.Activity
		PageInfo *PageInfo
		Counter
	}
	SuggestionEdge struct {
		Cursor string
		Node   *records.Suggestion
	}
	SuggestionConnection struct {
		Edges    []*SuggestionEdge
		Nodes    []*records.Suggestion
		PageInfo *PageInfo
		Counter
	}
	InspectionConnection struct {
		Edges    []*InspectionEdge
		Nodes    []*records.Inspection
		PageInfo *PageInfo
		Counter
	}
	ReceptionEdge struct {
		Cursor string
		Node   *records.Reception
	}
	ReceptionConnection struct {
		Edges    []*ReceptionEdge
		Nodes    []*records.Reception
		PageInfo *PageInfo
		Counter
	}
	DutySubmissionEdge struct {
		Cursor string
		Node   *records.DutySubmission
	}
	DutySubmissionConnection struct {
		Edges    []*DutySubmissionEdge
		Nodes    []*records.DutySubmission
		PageInfo *PageInfo
		Counter
	}
)

// Page splits a store page into edges, nodes and page info.
func Page[T any, E any](p *records.Page[T], edge func(cursor string, node *T) E) ([]E, []*T, *PageInfo) {
	edges := make([]E, len(p.Items))
	for i, x := range p.Items {
		edges[i] = edge(p.Cursors[i], x)
	}
	info := &PageInfo{HasNextPage: p.HasNextPage}
	if n := len(p.Cursors); n > 0 {
		info.EndCursor = &p.Cursors[n-1]
	}
	if p.Items == nil {
		p.Items = []*T{}
	}
	return edges, p.Items, info
}

// Me is the caller, as the me query answers it.
type Me struct {
	ID        string
	Name      string
	Role      Role
	Townships []string // nil: the whole county
	Open      bool
	DeputyID  string // a deputy's own account
}

// DutyPoints is a ranking by duty points: the period's days, its first
// standings and how many deputies it ranks.
type DutyPoints struct {
	From, To   records.Date
	Nodes      []*points.Standing
	TotalCount int
}
