package records_test

import (
	"testing"

	"renda/internal/records"
)

// TestDeputyContact: county and township deputies and their voters, the
// same number each or not, and the year's 优秀 honours by level; a city
// deputy's voters and other years' or other titles' honours do not count.
func TestDeputyContact(t *testing.T) {
	voters := func(n int) []records.Voter { return make([]records.Voter, n) }
	town := &records.Deputy{Levels: []records.Level{records.TOWNSHIP}, Voters: voters(2),
		Honours: []records.Honour{{Year: 2023, Title: "优秀人大代表", Level: records.TOWNSHIP}, {Year: 2022, Title: "优秀人大代表", Level: records.TOWNSHIP}}}
	county := &records.Deputy{Levels: []records.Level{records.COUNTY, records.TOWNSHIP}, Voters: voters(2),
		Honours: []records.Honour{{Year: 2023, Title: "县优秀代表", Level: records.COUNTY}, {Year: 2023, Title: "先进个人", Level: records.COUNTY}}}
	city := &records.Deputy{Levels: []records.Level{records.CITY}, Voters: voters(9),
		Honours: []records.Honour{{Year: 2023, Title: "优秀代表", Level: records.CITY}}}
	each := func(c records.DeputyContact) int {
		if c.VotersEach == nil {
			return -1
		}
		return *c.VotersEach
	}
	for _, tc := range []struct {
		name   string
		roster []*records.Deputy
		want   [5]int // deputies, voters, each (-1: none), county, township
	}{
		{"same number each", []*records.Deputy{town, county, city}, [5]int{2, 4, 2, 1, 1}},
		{"different numbers", []*records.Deputy{town, county, {Levels: []records.Level{records.TOWNSHIP}, Voters: voters(5)}}, [5]int{3, 9, -1, 1, 1}},
		{"city deputies only", []*records.Deputy{city}, [5]int{0, 0, -1, 0, 0}},
		{"none", nil, [5]int{0, 0, -1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := records.NewDeputyContact(tc.roster, 2023)
			if got := [5]int{c.Deputies, c.Voters, each(c), c.ExcellentCounty, c.ExcellentTownship}; got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
