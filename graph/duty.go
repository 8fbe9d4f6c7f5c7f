package graph

import "renda/internal/records"

// dutyQuery selects a deputy's records of one year, in the kind's default
// order. A page of MaxPageSize holds a year of one deputy's work.
func dutyQuery(kind records.Kind, d *records.Deputy, refPath, yearPath string, year int) records.Query {
	sorts, _ := records.Sorts(kind, nil)
	return records.Query{
		Township: d.Township,
		Filter: records.Expr{And: []records.Expr{
			{Cond: &records.Cond{Path: refPath, Op: records.OpEq, Value: d.ID}},
			{Cond: &records.Cond{Path: yearPath, Op: records.OpEq, Value: year}},
		}},
		Sort:  sorts,
		First: records.MaxPageSize,
	}
}
