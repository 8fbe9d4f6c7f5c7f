package records

import "slices"

// ListEdit adds or removes items of a record's lists. It is applied inside
// the store's write, to the record as stored, so two clerks adding to one
// list at once both keep what they added; a client that read, appended and
// wrote the whole list would lose one of them.
type ListEdit struct {
	Tags           []string
	ParticipantIDs []string
	VillageIDs     []string
	ProjectIDs     []string
	Suggestions    []string
	DeputyIDs      []string // deputies on duty at a reception
}

// Add adds to x's lists the items not in them yet.
func (e *ListEdit) Add(x any) { e.apply(x, true) }

// Remove removes from x's lists every item named.
func (e *ListEdit) Remove(x any) { e.apply(x, false) }

func (e *ListEdit) apply(x any, add bool) {
	if e == nil {
		return
	}
	edit := func(list *[]string, items []string) {
		for _, it := range items {
			switch {
			case add && !slices.Contains(*list, it):
				*list = append(*list, it)
			case !add:
				*list = slices.DeleteFunc(*list, func(s string) bool { return s == it })
			}
		}
	}
	if m, ok := x.(interface{ GetMeta() *Meta }); ok {
		edit(&m.GetMeta().Tags, e.Tags)
	}
	switch r := x.(type) {
	case *Inspection:
		edit(&r.ParticipantIDs, e.ParticipantIDs)
		edit(&r.VillageIDs, e.VillageIDs)
		edit(&r.ProjectIDs, e.ProjectIDs)
		edit(&r.Suggestions, e.Suggestions)
	case *Activity:
		edit(&r.ParticipantIDs, e.ParticipantIDs)
		edit(&r.VillageIDs, e.VillageIDs)
		edit(&r.ProjectIDs, e.ProjectIDs)
	case *Project:
		edit(&r.VillageIDs, e.VillageIDs)
	case *Reception:
		edit(&r.DeputyIDs, e.DeputyIDs)
	}
}
