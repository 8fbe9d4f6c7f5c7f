package model

import "renda/internal/records"

// Connections of the congress's records (session.graphqls …).
type (
	SessionEdge struct {
		Cursor string
		Node   *records.CongressSession
	}
	SessionConnection struct {
		Edges    []*SessionEdge
		Nodes    []*records.CongressSession
		PageInfo *PageInfo
		Counter
	}
)

type (
	PresidiumMeetingEdge struct {
		Cursor string
		Node   *records.PresidiumMeeting
	}
	PresidiumMeetingConnection struct {
		Edges    []*PresidiumMeetingEdge
		Nodes    []*records.PresidiumMeeting
		PageInfo *PageInfo
		Counter
	}
)

type (
	LivelihoodProjectEdge struct {
		Cursor string
		Node   *records.LivelihoodProject
	}
	LivelihoodProjectConnection struct {
		Edges    []*LivelihoodProjectEdge
		Nodes    []*records.LivelihoodProject
		PageInfo *PageInfo
		Counter
	}
)
