package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"renda/internal/records"
)

// Fields analysts group deputies on: the age band on a day and the
// number of voters (records/age.go), and lists ordered by a relation's
// count (records/countorder.go).

// naiveAge is how old one born on birth is on day, worked out from the
// text: the years between, one less before the birthday's month and day.
func naiveAge(birth, day string) int {
	by, _ := strconv.Atoi(birth[:4])
	dy, _ := strconv.Atoi(day[:4])
	age := dy - by
	if day[5:] < birth[5:] {
		age--
	}
	return age
}

// NaiveAgeBand is the band, on day, of one born on birth (both
// YYYY-MM-DD), worked out from the text: the test oracle the API's and
// the analytics' tests share with the contract.
func NaiveAgeBand(birth, day string) records.AgeBand { return naiveBand(birth, day) }

func naiveBand(birth, day string) records.AgeBand {
	switch age := naiveAge(birth, day); {
	case age >= 60:
		return records.AGED_60_UP
	case age >= 50:
		return records.AGED_50_59
	case age >= 35:
		return records.AGED_35_49
	}
	return records.UNDER_35
}

// testAgeBand: a deputy's age band on a day, filtered on eq, ne, in and
// isNull, on days around the bounds (a leap day, the day after a 02-29
// birthday in a common year), against the ages worked out from the text.
func (c *contract) testAgeBand(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	births := map[string]string{
		"d1": "1989-02-28", "d2": "1989-03-01", "d3": "1964-02-29", "d4": "1974-03-01", "d5": "1974-02-28",
		"d6": "1988-07-15", "d7": "1988-07-16", "d8": "1963-07-15", "d9": "1963-07-16", "d10": "2001-01-01",
		"d11": "1958-12-31", "d12": "", "d13": "1964-03-01",
	}
	for id, b := range births {
		d := deputy("ta", id, "代表"+id)
		if b != "" {
			d.BirthDate = ptr(records.Date(b))
		}
		MustCreate(t, bg, s.Deputies, d)
	}
	MustCreate(t, bg, s.Deputies, func() *records.Deputy { // another township's, never selected
		d := deputy("tb", "dz", "代表dz")
		d.BirthDate = ptr(records.Date("1989-02-28"))
		return d
	}())
	type F = records.DeputyFilter
	bands := []records.AgeBand{records.UNDER_35, records.AGED_35_49, records.AGED_50_59, records.AGED_60_UP}
	for _, day := range []string{"2024-02-29", "2024-02-28", "2023-03-01", "2023-02-28", "2023-07-15", "2023-07-16"} {
		compileOn := func(f F) compiled { return compile(records.CompileOn(&f, "filter", records.Date(day))) }
		var cases []filterCase
		for _, band := range bands {
			var in, out []string
			for id, b := range births {
				switch {
				case b == "":
					out = append(out, id) // ne matches a deputy with no birth date
				case naiveBand(b, day) == band:
					in = append(in, id)
				default:
					out = append(out, id)
				}
			}
			cases = append(cases,
				filterCase{fmt.Sprintf("%s/eq/%s", day, band), compileOn(F{AgeBand: &records.AgeBandFilter{Eq: ptr(band)}}), list(in...)},
				filterCase{fmt.Sprintf("%s/ne/%s", day, band), compileOn(F{AgeBand: &records.AgeBandFilter{Ne: ptr(band)}}), list(out...)})
		}
		var older []string
		for id, b := range births {
			if b != "" && naiveAge(b, day) >= 50 {
				older = append(older, id)
			}
		}
		cases = append(cases,
			filterCase{day + "/in", compileOn(F{AgeBand: &records.AgeBandFilter{In: []records.AgeBand{records.AGED_50_59, records.AGED_60_UP}}}), list(older...)},
			filterCase{day + "/in/none", compileOn(F{AgeBand: &records.AgeBandFilter{In: []records.AgeBand{}}}), list()},
			filterCase{day + "/isNull", compileOn(F{AgeBand: &records.AgeBandFilter{IsNull: ptr(true)}}), list("d12")},
			filterCase{day + "/not", compileOn(F{Not: &F{AgeBand: &records.AgeBandFilter{In: bands}}}), list("d12")})
		runFilters(t, records.KindDeputy, s.Deputies, []string{"ta"}, cases)
	}
	// Spot checks the naive reckoning agrees with, written out.
	for _, x := range []struct {
		birth, day string
		band       records.AgeBand
	}{
		{"1989-02-28", "2024-02-28", records.AGED_35_49}, {"1989-03-01", "2024-02-29", records.UNDER_35},
		{"1964-02-29", "2024-02-28", records.AGED_50_59}, {"1964-02-29", "2024-02-29", records.AGED_60_UP},
		{"1964-02-29", "2023-02-28", records.AGED_50_59}, {"1963-07-16", "2023-07-15", records.AGED_50_59},
	} {
		if got := naiveBand(x.birth, x.day); got != x.band {
			t.Errorf("naive band of %s on %s: %s, want %s", x.birth, x.day, got, x.band)
		}
		if got, _ := records.AgeBandOf(records.Date(x.birth), records.Date(x.day)); got != x.band {
			t.Errorf("AgeBandOf(%s, %s): %s, want %s", x.birth, x.day, got, x.band)
		}
	}
	t.Run("ErrUnknownBand", func(t *testing.T) {
		_, err := records.Compile(&F{AgeBand: &records.AgeBandFilter{In: []records.AgeBand{records.UNDER_35, "OLD"}}}, "filter")
		wantErr(t, "compile", err, records.EINVALID, "filter.ageBand.in.1")
	})
}

// testVoterCount: how many voters a deputy keeps in contact with,
// derived at write time: filtered, grouped on, and following the voters
// as they are changed.
func (c *contract) testVoterCount(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	voters := map[string]int{"d1": 0, "d2": 1, "d3": 2, "d4": 2, "d5": 3}
	for id, n := range voters {
		d := deputy("ta", id, "代表"+id)
		for i := range n {
			d.Voters = append(d.Voters, records.Voter{Name: fmt.Sprintf("选民%d", i)})
		}
		MustCreate(t, bg, s.Deputies, d)
	}
	if got := MustGet(t, s.Deputies, "d5").VoterCount; got != 3 {
		t.Fatalf("d5's voterCount %d, want 3", got)
	}
	type F = records.DeputyFilter
	deps := func(f F) compiled { return compile(records.Compile(&f, "filter")) }
	runFilters(t, records.KindDeputy, s.Deputies, nil, []filterCase{
		{"eq0", deps(F{VoterCount: &records.IntFilter{Eq: ptr(0)}}), list("d1")},
		{"gte2", deps(F{VoterCount: &records.IntFilter{Gte: ptr(2)}}), list("d3", "d4", "d5")},
		{"lt2", deps(F{VoterCount: &records.IntFilter{Lt: ptr(2)}}), list("d1", "d2")},
		{"in", deps(F{VoterCount: &records.IntFilter{In: []int{1, 3}}}), list("d2", "d5")},
	})
	groups := func() map[string]int {
		gs, err := s.Deputies.Group(bg, records.Grouping{Paths: []string{"voterCount"}})
		wantOK(t, "group", err)
		out := map[string]int{}
		for _, g := range gs {
			out[canon(g.Values[0])] += g.Count
		}
		return out
	}
	if got, want := groups(), map[string]int{"#0": 1, "#1": 1, "#2": 2, "#3": 1}; !mapsEqual(got, want) {
		t.Errorf("grouped by voterCount: %v, want %v", got, want)
	}
	MustUpdate(t, bg, s.Deputies, "d5", func(d *records.Deputy) { d.Voters = d.Voters[:1] })
	MustUpdate(t, bg, s.Deputies, "d1", func(d *records.Deputy) { d.Voters = []records.Voter{{Name: "新选民"}} })
	if got, want := groups(), map[string]int{"#1": 3, "#2": 2}; !mapsEqual(got, want) {
		t.Errorf("after the changes, grouped by voterCount: %v, want %v", got, want)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// testOrderByCount: lists ordered by how many related records match a
// filter — a deputy's suggestions (one id) and inspections (a list of
// ids), a village's deputies, a township's suggestions — each way, with a
// second order and ties by id, paged through one record at a time and
// all at once, against the order worked out from the fixture. A cursor
// of another count is refused.
func (c *contract) testOrderByCount(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	for _, v := range []struct{ t, id string }{{"ta", "v1"}, {"ta", "v2"}, {"ta", "v3"}, {"tb", "v4"}} {
		MustCreate(t, bg, s.Villages, village(v.t, v.id, "村"+v.id))
	}
	type dep struct{ t, id, name, village string }
	deps := []dep{{"ta", "d1", "甲", "v1"}, {"ta", "d2", "乙", "v1"}, {"ta", "d3", "丙", "v2"}, {"ta", "d4", "丁", ""},
		{"ta", "d5", "戊", "v1"}, {"tb", "d6", "己", "v4"}, {"tb", "d7", "庚", "v4"}}
	for _, d := range deps {
		x := deputy(d.t, d.id, d.name)
		x.VillageID = d.village
		MustCreate(t, bg, s.Deputies, x)
	}
	type sug struct {
		t, id, deputy string
		on            records.Date
	}
	sugs := []sug{{"ta", "s1", "d1", "2023-03-01"}, {"ta", "s2", "d1", "2023-05-01"}, {"ta", "s3", "d1", "2022-05-01"},
		{"ta", "s4", "d2", "2023-01-10"}, {"ta", "s5", "d3", "2022-02-01"}, {"ta", "s6", "d3", "2022-03-01"}, {"ta", "s7", "d3", "2022-04-01"},
		{"ta", "s8", "d5", "2023-08-01"}, {"tb", "s9", "d6", "2023-02-01"}, {"tb", "s10", "d6", "2023-03-01"}, {"tb", "s11", "d6", "2023-04-01"}}
	for _, x := range sugs {
		MustCreate(t, bg, s.Suggestions, suggestion(x.t, x.id, x.deputy, "建议"+x.id, x.on))
	}
	type insp struct {
		t, id string
		who   []string
	}
	insps := []insp{{"ta", "i1", list("d1", "d2", "d3")}, {"ta", "i2", list("d2", "d3")}, {"ta", "i3", list("d2", "d5")}, {"tb", "i4", list("d7")}}
	for _, x := range insps {
		i := inspection(x.t, x.id, "视察"+x.id, "2023-06-01", records.DAY)
		i.ParticipantIDs = x.who
		MustCreate(t, bg, s.Inspections, i)
	}
	nameKey := map[string]string{}
	for _, d := range deps {
		nameKey[d.id] = MustGet(t, s.Deputies, d.id).NameKey
	}
	// want orders the ids by count (desc or not), then by name key when
	// byName, then by id.
	want := func(ids []string, count func(id string) int, desc, byName bool) []string {
		out := slices.Clone(ids)
		slices.SortFunc(out, func(a, b string) int {
			c := cmp.Compare(count(a), count(b))
			if desc {
				c = -c
			}
			if c == 0 && byName {
				c = cmp.Compare(nameKey[a], nameKey[b])
			}
			return cmp.Or(c, cmp.Compare(a, b))
		})
		return out
	}
	sugCount := func(year int) func(string) int {
		return func(id string) int {
			n := 0
			for _, x := range sugs {
				if x.deputy == id && (year == 0 || x.on.Time().Year() == year) {
					n++
				}
			}
			return n
		}
	}
	inspCount := func(id string) int {
		n := 0
		for _, x := range insps {
			if slices.Contains(x.who, id) {
				n++
			}
		}
		return n
	}
	y2023 := &records.SuggestionFilter{Year: &records.IntFilter{Eq: ptr(2023)}}
	ta := list("d1", "d2", "d3", "d4", "d5")
	all := list("d1", "d2", "d3", "d4", "d5", "d6", "d7")
	for _, x := range []struct {
		name   string
		towns  []string
		ids    []string
		orders []records.Order
		want   []string
	}{
		{"suggestions2023/desc", []string{"ta"}, ta, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}, Direction: records.DESC}},
			want(ta, sugCount(2023), true, false)},
		{"suggestions2023/desc+name", []string{"ta"}, ta, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}, Direction: records.DESC}, {Field: "NAME"}},
			want(ta, sugCount(2023), true, true)},
		{"suggestions/asc+name", nil, all, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{}}, {Field: "NAME"}},
			want(all, sugCount(0), false, true)},
		{"suggestions/county/desc", nil, all, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}, Direction: records.DESC}},
			want(all, sugCount(2023), true, false)},
		{"inspections/desc", nil, all, []records.Order{{InspectionsCount: &records.InspectionCountOrder{}, Direction: records.DESC}, {Field: "NAME"}},
			want(all, inspCount, true, true)},
		{"two counts", []string{"ta"}, ta, []records.Order{{InspectionsCount: &records.InspectionCountOrder{}, Direction: records.DESC},
			{SuggestionsCount: &records.SuggestionCountOrder{}, Direction: records.DESC}},
			want(ta, func(id string) int { return inspCount(id)*100 + sugCount(0)(id) }, true, false)},
	} {
		t.Run(x.name, func(t *testing.T) {
			sorts, err := records.Sorts(records.KindDeputy, x.orders)
			wantOK(t, "sorts", err)
			q := records.Query{Townships: x.towns, Sort: sorts, First: 500}
			if got := findAll(t, bg, s.Deputies, q); !slices.Equal(got, x.want) {
				t.Errorf("all at once: %v, want %v", got, x.want)
			}
			for _, first := range []int{1, 2, 3} {
				q.First = first
				if got := findAll(t, bg, s.Deputies, q); !slices.Equal(got, x.want) {
					t.Errorf("%d a page: %v, want %v", first, got, x.want)
				}
			}
		})
	}
	t.Run("filtered", func(t *testing.T) {
		sorts, err := records.Sorts(records.KindDeputy, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}, Direction: records.DESC}})
		wantOK(t, "sorts", err)
		f, err := records.Compile(&records.DeputyFilter{Village: &records.IDFilter{Eq: ptr("v1")}}, "filter")
		wantOK(t, "compile", err)
		got := findAll(t, bg, s.Deputies, records.Query{Filter: f, Sort: sorts, First: 1})
		if w := want(list("d1", "d2", "d5"), sugCount(2023), true, false); !slices.Equal(got, w) {
			t.Errorf("in v1: %v, want %v", got, w)
		}
	})
	t.Run("villages/deputies", func(t *testing.T) {
		sorts, err := records.Sorts(records.KindVillage, []records.Order{{DeputiesCount: &records.DeputyCountOrder{
			Filter: &records.DeputyFilter{Suggestions: &records.SuggestionRelation{Some: y2023}}}, Direction: records.DESC}})
		wantOK(t, "sorts", err)
		// v1: d1, d2, d5 submitted in 2023; v4: d6; v2 (d3), v3 none.
		if got := findAll(t, bg, s.Villages, records.Query{Sort: sorts, First: 1}); !slices.Equal(got, list("v1", "v4", "v2", "v3")) {
			t.Errorf("villages: %v, want v1 v4 v2 v3", got)
		}
	})
	t.Run("townships/suggestions", func(t *testing.T) {
		sorts, err := records.Sorts(records.KindTownship, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}, Direction: records.DESC}})
		wantOK(t, "sorts", err)
		// ta: s1 s2 s4 s8; tb: s9 s10 s11.
		if got := findAll(t, bg, s.Townships, records.Query{Sort: sorts, First: 1}); !slices.Equal(got, list("ta", "tb")) {
			t.Errorf("townships: %v, want ta tb", got)
		}
	})
	t.Run("cursor moves past a count that changed", func(t *testing.T) {
		sorts, err := records.Sorts(records.KindDeputy, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{}, Direction: records.DESC}})
		wantOK(t, "sorts", err)
		q := records.Query{Townships: []string{"ta"}, Sort: sorts, First: 2}
		p, err := s.Deputies.Find(bg, q)
		wantOK(t, "find", err)
		// d1 (3), d3 (3); then d2, d5 (1 each), d4 (0). d4 gains two: the
		// next page still starts after d3, in the order as it now is.
		if got := idsOf(p.Items); !slices.Equal(got, list("d1", "d3")) {
			t.Fatalf("first page %v, want d1 d3", got)
		}
		MustCreate(t, bg, s.Suggestions, suggestion("ta", "s20", "d4", "新建议", "2023-09-01"))
		MustCreate(t, bg, s.Suggestions, suggestion("ta", "s21", "d4", "新建议", "2023-09-02"))
		q.After = p.Cursors[1]
		if got := findAll(t, bg, s.Deputies, q); !slices.Equal(got, list("d4", "d2", "d5")) {
			t.Errorf("after d3: %v, want d4 d2 d5", got)
		}
	})
	t.Run("ErrCursorOfAnotherCount", func(t *testing.T) {
		a, err := records.Sorts(records.KindDeputy, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{Filter: y2023}}})
		wantOK(t, "sorts", err)
		b, err := records.Sorts(records.KindDeputy, []records.Order{{SuggestionsCount: &records.SuggestionCountOrder{}}})
		wantOK(t, "sorts", err)
		p, err := s.Deputies.Find(bg, records.Query{Sort: a, First: 1})
		wantOK(t, "find", err)
		_, err = s.Deputies.Find(bg, records.Query{Sort: b, First: 1, After: p.Cursors[0]})
		wantErr(t, "find with another count's cursor", err, records.EINVALID, "after")
	})
	t.Run("ErrOrders", func(t *testing.T) {
		_, err := records.Sorts(records.KindDeputy, []records.Order{{Field: "NAME", SuggestionsCount: &records.SuggestionCountOrder{}}})
		wantErr(t, "field and count", err, records.EINVALID, "orderBy.0")
		_, err = records.Sorts(records.KindDeputy, []records.Order{{ProjectsCount: &records.ProjectCountOrder{}}})
		wantErr(t, "a count the kind has not", err, records.EINVALID, "orderBy.0.projectsCount")
		_, err = records.Sorts(records.KindDeputy, []records.Order{{Field: "NAME"}, {SuggestionsCount: &records.SuggestionCountOrder{
			Filter: &records.SuggestionFilter{Submitted: &records.DateFilter{Eq: ptr(records.Date("2023-02-30"))}}}}})
		wantErr(t, "a bad filter", err, records.EINVALID, "orderBy.1.suggestionsCount.filter.submitted.eq")
		_, err = records.Sorts(records.KindDeputy, []records.Order{{Direction: records.DESC}})
		wantErr(t, "neither", err, records.EINVALID, "orderBy.0.field")
	})
}
