package graph_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"renda/internal/records"
)

// The checks of Q21–Q23 of docs/analysts.md: a list ordered by a
// relation's count, age bands (on today: the county is written now) and
// voter counts, against the same worked out from the lists.

// bandToday is a deputy's age band today in Asia/Shanghai, "" without a
// birth date.
func bandToday(d *records.Deputy) string {
	if d.BirthDate == nil {
		return ""
	}
	return bandOf(string(*d.BirthDate), time.Now().In(cst).Format(time.DateOnly))
}

func init() {
	analystChecks[21] = func(t *testing.T, c *analystCounty, out map[string]any) {
		_, _, sugs := c.dutyIn()
		ds := slices.Clone(c.deputies)
		slices.SortFunc(ds, func(a, b *records.Deputy) int {
			return cmp.Or(cmp.Compare(sugs[b.ID], sugs[a.ID]), cmp.Compare(a.NameKey, b.NameKey), cmp.Compare(a.ID, b.ID))
		})
		nodes := items(at(out, "deputies", "nodes"))
		wantEqual(t, "deputies listed", len(nodes), min(10, len(ds)))
		for i, n := range nodes {
			d := ds[i]
			wantEqual(t, fmt.Sprintf("place %d", i+1), at(n, "id"), d.ID)
			wantEqual(t, d.Name+"'s suggestions", at(n, "suggestionsAggregate", "count"), sugs[d.ID])
			band, _ := at(n, "ageBand").(string)
			wantEqual(t, d.Name+"'s age band", band, bandToday(d))
			wantEqual(t, d.Name+"'s voters", at(n, "voterCount"), len(d.Voters))
		}
	}
	analystChecks[22] = func(t *testing.T, c *analystCounty, out map[string]any) {
		roster := map[string]int{}
		band := map[string]string{}
		for _, d := range c.deputies {
			roster[bandToday(d)]++
			band[d.ID] = bandToday(d)
		}
		order := []string{"", "UNDER_35", "AGED_35_49", "AGED_50_59", "AGED_60_UP"}
		var want, got []string
		for _, b := range order {
			if roster[b] > 0 {
				want = append(want, b+" "+bandLabels[b]+" "+itoa(roster[b]))
			}
		}
		for _, g := range items(at(out, "deputiesAggregate", "groupBy")) {
			b, _ := at(g, "keys", "ageBand").(string)
			got = append(got, b+" "+at(g, "label").(string)+" "+itoa(int(num(at(g, "count")))))
		}
		wantEqual(t, "the roster by age band, youngest first", got, want)
		bySug := map[string][]*records.Suggestion{}
		deputies := map[string]map[string]bool{}
		for _, s := range c.suggestionsOf(year) {
			b := band[s.DeputyID]
			bySug[b] = append(bySug[b], s)
			if deputies[b] == nil {
				deputies[b] = map[string]bool{}
			}
			deputies[b][s.DeputyID] = true
		}
		groups := items(at(out, "suggestionsAggregate", "groupBy"))
		wantEqual(t, "bands of suggestions", len(groups), len(bySug))
		for _, g := range groups {
			b, _ := at(g, "keys", "deputyAgeBand").(string)
			wantEqual(t, b+" label", at(g, "label"), bandLabels[b])
			wantEqual(t, b+" count", at(g, "count"), len(bySug[b]))
			wantEqual(t, b+" deputies", at(g, "deputies"), len(deputies[b]))
			wantRate(t, b+" satisfied", at(g, "rates", "satisfied"), naiveRates(bySug[b])[2])
		}
	}
	analystChecks[23] = func(t *testing.T, c *analystCounty, out map[string]any) {
		names := map[string]string{}
		for _, tw := range c.townships {
			names[tw.ID] = tw.Name
		}
		byTown := map[string]int{}
		total, young := 0, 0
		for _, d := range c.deputies {
			if len(d.Voters) < 2 && (d.HasLevel(records.COUNTY) || d.HasLevel(records.TOWNSHIP)) {
				byTown[names[d.Township]]++
				total++
			}
			if len(d.Voters) < 2 && bandToday(d) == "UNDER_35" {
				young++
			}
		}
		wantEqual(t, "county and township deputies with fewer than 2 voters", at(out, "deputiesAggregate", "count"), total)
		got := map[string]int{}
		for _, g := range items(at(out, "deputiesAggregate", "groupBy")) {
			got[at(g, "keys", "township", "name").(string)] = int(num(at(g, "count")))
		}
		wantEqual(t, "by township", got, byTown)
		wantEqual(t, "under 35 with fewer than 2 voters", at(out, "deputies", "totalCount"), young)
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
