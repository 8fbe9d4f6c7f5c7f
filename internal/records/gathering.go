package records

import "fmt"

// Inspections and activities are both gatherings: deputies named, others
// counted by kind, villages and projects concerned. These check and count
// what they share.

// validateGathering checks the id lists for blanks and repeats and the
// headcounts for a kind and a non-negative count.
func validateGathering(participantIDs, villageIDs, projectIDs []string, others []Headcount) error {
	for _, f := range []struct {
		name string
		ids  []string
	}{{"participantIds", participantIDs}, {"villageIds", villageIDs}, {"projectIds", projectIDs}} {
		if err := uniqueIDs(f.name, f.ids); err != nil {
			return err
		}
	}
	for i, h := range others {
		field := fmt.Sprintf("otherParticipants.%d", i)
		if err := required("kind", h.Kind); err != nil {
			return Prefix(field, err)
		}
		if h.Count < 0 {
			return Invalidf(field+".count", "count cannot be negative")
		}
	}
	return nil
}

// headcount adds up the people counted by kind.
func headcount(others []Headcount) int {
	n := 0
	for _, h := range others {
		n += h.Count
	}
	return n
}

// gatheringRefs are the records a gathering points at.
func gatheringRefs(participantIDs, villageIDs, projectIDs []string) []Ref {
	return []Ref{
		{Field: "participantIds", Kind: KindDeputy, IDs: participantIDs, List: true},
		{Field: "villageIds", Kind: KindVillage, IDs: villageIDs, List: true},
		{Field: "projectIds", Kind: KindProject, IDs: projectIDs, List: true},
	}
}
