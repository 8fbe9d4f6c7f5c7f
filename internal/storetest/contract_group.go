package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"renda/internal/records"
)

// groupKeys writes groups as "township|value,value=count", sorted.
func groupKeys(gs []records.RawGroup) []string {
	out := []string{}
	for _, g := range gs {
		vals := make([]string, len(g.Values))
		for i, v := range g.Values {
			vals[i] = canon(v)
		}
		out = append(out, fmt.Sprintf("%s|%s=%d", g.Township, strings.Join(vals, ","), g.Count))
	}
	slices.Sort(out)
	return out
}

// testCount: a count covers the townships and filter of its query, and
// ignores its page.
func (c *contract) testCount(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	for _, v := range []struct {
		t, id string
		pop   *int
	}{{"ta", "v1", ptr(100)}, {"ta", "v2", ptr(200)}, {"ta", "v3", nil}, {"tb", "v4", ptr(300)}, {"tb", "v5", nil}} {
		x := village(v.t, v.id, "村"+v.id)
		x.Population = v.pop
		MustCreate(t, bg, s.Villages, x)
	}
	big := compile(records.Compile(&records.VillageFilter{Population: &records.IntFilter{Gte: ptr(150)}}, "filter"))
	wantOK(t, "compile", big.err)
	for _, c := range []struct {
		name string
		q    records.Query
		want int
	}{
		{"All", records.Query{}, 5},
		{"One", records.Query{Townships: []string{"ta"}}, 3},
		{"Two", records.Query{Townships: []string{"tb", "ta"}}, 5},
		{"Filter", records.Query{Filter: big.x}, 2},
		{"FilterOne", records.Query{Townships: []string{"ta"}, Filter: big.x}, 1},
		{"IgnoresPage", records.Query{First: 1}, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			if n, err := s.Villages.Count(bg, c.q); err != nil || n != c.want {
				t.Errorf("count: %d (%v), want %d", n, err, c.want)
			}
		})
	}
	if n, err := s.Projects.Count(bg, records.Query{}); err != nil || n != 0 {
		t.Errorf("projects: %d (%v), want 0", n, err)
	}
	if n, err := s.Townships.Count(bg, records.Query{}); err != nil || n != 2 {
		t.Errorf("townships: %d (%v), want 2", n, err)
	}
}

// testGroup: records are counted by the values stored at the paths asked,
// per township: a whole list is one value, a missing one is nil.
func (c *contract) testGroup(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	for _, d := range []struct {
		t, id, name string
		gender      *records.Gender
		group       string
		levels      []records.Level
		honours     []records.Honour
		attrs       map[string]any
	}{
		{"ta", "g1", "张三", ptr(records.MALE), "一组", []records.Level{records.COUNTY, records.TOWNSHIP},
			[]records.Honour{{Year: 2019, Title: "优秀人大代表", Level: records.COUNTY}}, map[string]any{"funding": map[string]any{"county": 150000}}},
		{"ta", "g2", "李四", ptr(records.FEMALE), "二组", []records.Level{records.TOWNSHIP},
			[]records.Honour{{Year: 2021, Title: "人大工作先进个人", Level: records.TOWNSHIP}, {Year: 2018, Title: "优秀人大代表", Level: records.CITY}},
			map[string]any{"funding": map[string]any{"county": "100000"}}},
		{"ta", "g3", "王五", nil, "", []records.Level{records.COUNTY, records.TOWNSHIP}, nil, nil},
		{"ta", "g4", "赵六", ptr(records.FEMALE), "一组", []records.Level{records.TOWNSHIP}, nil, nil},
		{"tb", "g5", "孙七", ptr(records.MALE), "一组", []records.Level{records.TOWNSHIP}, nil, nil},
	} {
		x := deputy(d.t, d.id, d.name, d.levels...)
		x.Gender, x.Group, x.Honours, x.Attributes = d.gender, d.group, d.honours, d.attrs
		MustCreate(t, bg, s.Deputies, x)
	}
	for _, x := range []struct {
		id   string
		date records.Date
		who  []string
	}{{"j1", "2023-05-01", []string{"g1", "g2"}}, {"j2", "2023-10-11", []string{"g1", "g2"}}, {"j3", "2022-03-01", nil}} {
		in := inspection("ta", x.id, "视察", x.date, records.DAY)
		in.ParticipantIDs = x.who
		MustCreate(t, bg, s.Inspections, in)
	}
	q1 := project("ta", "q1", "路", records.ROAD, 2023)
	q1.Funding = &records.Funding{Sources: []records.FundingSource{{Source: "县财政", Amount: ptr(100.0)}, {Source: "村民集资"}}}
	MustCreate(t, bg, s.Projects, q1)
	MustCreate(t, bg, s.Projects, project("ta", "q2", "校", records.SCHOOL, 2023))
	female := compile(records.Compile(&records.DeputyFilter{Gender: &records.GenderFilter{Eq: ptr(records.FEMALE)}}, "filter"))
	wantOK(t, "compile", female.err)
	ta := []string{"ta"}

	for _, c := range []struct {
		name  string
		group func() ([]records.RawGroup, error)
		want  []string
	}{
		{"Scalar", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"group"}})
		}, list(`ta|"一组"=2`, `ta|"二组"=1`, `ta|∅=1`)},
		{"List", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"levels"}})
		}, list(`ta|["COUNTY" "TOWNSHIP"]=2`, `ta|["TOWNSHIP"]=2`)},
		{"TwoPaths", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"gender", "group"}})
		}, list(`ta|"FEMALE","一组"=1`, `ta|"FEMALE","二组"=1`, `ta|"MALE","一组"=1`, `ta|∅,∅=1`)},
		{"Townships", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Paths: []string{"group"}})
		}, list(`ta|"一组"=2`, `ta|"二组"=1`, `ta|∅=1`, `tb|"一组"=1`)},
		{"TownshipsAsked", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: []string{"tb", "ta"}, Paths: []string{"township"}})
		}, list(`ta|"ta"=4`, `tb|"tb"=1`)},
		{"Filter", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Filter: female.x, Paths: []string{"group"}})
		}, list(`ta|"一组"=1`, `ta|"二组"=1`)},
		{"ListOfObjects", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"honours.title"}})
		}, list(`ta|["人大工作先进个人" "优秀人大代表"]=1`, `ta|["优秀人大代表"]=1`, `ta|∅=2`)},
		{"Objects", func() ([]records.RawGroup, error) {
			return s.Projects.Group(bg, records.Grouping{Townships: ta, Paths: []string{"funding.sources"}})
		}, list(`ta|[{amount:#100 source:"县财政"} {source:"村民集资"}]=1`, `ta|∅=1`)},
		{"Attribute", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"attributes.funding.county"}})
		}, list(`ta|"100000"=1`, `ta|#150000=1`, `ta|∅=2`)},
		{"ID", func() ([]records.RawGroup, error) {
			return s.Deputies.Group(bg, records.Grouping{Townships: ta, Paths: []string{"_id", "name"}})
		}, list(`ta|"g1","张三"=1`, `ta|"g2","李四"=1`, `ta|"g3","王五"=1`, `ta|"g4","赵六"=1`)},
		{"Numbers", func() ([]records.RawGroup, error) {
			return s.Inspections.Group(bg, records.Grouping{Townships: ta, Paths: []string{"date.year", "date.month"}})
		}, list(`ta|#2022,#3=1`, `ta|#2023,#10=1`, `ta|#2023,#5=1`)},
		{"IDList", func() ([]records.RawGroup, error) {
			return s.Inspections.Group(bg, records.Grouping{Townships: ta, Paths: []string{"participantIds"}})
		}, list(`ta|["g1" "g2"]=2`, `ta|∅=1`)},
		{"Empty", func() ([]records.RawGroup, error) {
			return s.Activities.Group(bg, records.Grouping{Paths: []string{"kind"}})
		}, list()},
	} {
		t.Run(c.name, func(t *testing.T) {
			gs, err := c.group()
			wantOK(t, "group", err)
			if got, want := groupKeys(gs), slices.Sorted(slices.Values(c.want)); !slices.Equal(got, want) {
				t.Errorf("groups\n got %v\nwant %v", got, want)
			}
		})
	}
	t.Run("ErrTooManyPaths", func(t *testing.T) {
		paths := slices.Repeat([]string{"group"}, records.MaxGroupPaths+1)
		_, err := s.Deputies.Group(bg, records.Grouping{Paths: paths})
		wantErr(t, "13 paths", err, records.EINVALID, "")
	})
}
