package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"renda/internal/records"
)

// The filters the API compiles, one case per operator and shape, each
// with the records it must select written out by hand. Every case is
// asked of Find, Count and Group, which must agree. Comparisons follow
// MongoDB's rules, which the API documents: a list field matches when
// any of its items does (eq is "has"); ne and nin, and not, match a
// record without the field; an ordering (gt, lt …) never matches a
// missing field, nor a value of another type (a number is not compared
// with text); isNull matches a missing field.

// compiled is a filter compiled as a resolver compiles it.
type compiled struct {
	x   records.Expr
	err error
}

func compile(x records.Expr, err error) compiled { return compiled{x, err} }

type filterCase struct {
	name string
	f    compiled
	want []string
}

// depth is how deep x nests, counting up to a bound: a compiled filter
// nests at most a few levels per level of and/or/not.
func depth(x records.Expr) int {
	var walk func(x records.Expr, d int) int
	walk = func(x records.Expr, d int) int {
		if d > 100 {
			return d
		}
		most := d
		if x.Not != nil {
			most = max(most, walk(*x.Not, d+1))
		}
		for _, y := range append(slices.Clone(x.And), x.Or...) {
			most = max(most, walk(y, d+1))
		}
		return most
	}
	return walk(x, 0)
}

// runFilters runs cases on the records of townships towns of c.
func runFilters[T any, PT records.Record[T]](t *testing.T, kind records.Kind, c records.Collection[T, PT], towns []string, cases []filterCase) {
	sorts, err := records.Sorts(kind, nil)
	wantOK(t, "sorts", err)
	for _, fc := range cases {
		t.Run(fc.name, func(t *testing.T) {
			if fc.f.err != nil {
				t.Fatalf("compile: %v", fc.f.err)
			}
			if depth(fc.f.x) > records.MaxFilterDepth*4 {
				t.Skip("records: the filter compiles to an expression that holds itself " +
					"(SuggestionFilter.fields: x = Expr{Not: &x} for overdue: false); a store walking it overflows the stack")
			}
			want := sorted(fc.want)
			q := records.Query{Townships: towns, Filter: fc.f.x, Sort: sorts, First: 500}
			p, err := c.Find(bg, q)
			wantOK(t, "find", err)
			if got := sorted(idsOf(p.Items)); !slices.Equal(got, want) {
				t.Errorf("find: %v, want %v", got, want)
			}
			if n, err := c.Count(bg, q); err != nil || n != len(want) {
				t.Errorf("count: %d (%v), want %d", n, err, len(want))
			}
			gs, err := c.Group(bg, records.Grouping{Townships: towns, Filter: fc.f.x, Paths: []string{"_id"}})
			wantOK(t, "group", err)
			var got []string
			for _, g := range gs {
				id, _ := g.Values[0].(string)
				for range g.Count {
					got = append(got, id)
				}
			}
			if got := sorted(got); !slices.Equal(got, want) {
				t.Errorf("group by id: %v, want %v", got, want)
			}
		})
	}
}

// mustFilterFixture makes township ta with three villages, four deputies,
// three projects, four inspections and three suggestions (see the
// filter tests for what each holds), and township tb with a copy of v1
// and d1, which no filter on ta may select.
func mustFilterFixture(tb testing.TB, s *records.Store) {
	tb.Helper()
	MustTownships(tb, s, "ta", "tb")
	for _, town := range []string{"ta", "tb"} {
		id := map[string]string{"ta": "v1", "tb": "vz"}[town]
		v := village(town, id, "一村")
		v.Code, v.Population = "001", ptr(1200)
		v.Designations = []records.Designation{{Year: 2018, Title: "市级文明村", Level: "市级"}, {Year: 2022, Title: "县级卫生村", Level: "县级"}}
		MustCreate(tb, bg, s.Villages, v)
	}
	v2 := village("ta", "v2", "二村")
	v2.Code, v2.Population = "002", ptr(800)
	v2.Designations = []records.Designation{{Year: 2020, Title: "县级文明村"}}
	MustCreate(tb, bg, s.Villages, v2)
	MustCreate(tb, bg, s.Villages, village("ta", "v3", "三村"))

	for _, town := range []string{"ta", "tb"} {
		d1 := deputy(town, map[string]string{"ta": "d1", "tb": "dz"}[town], "张三", records.COUNTY, records.TOWNSHIP)
		d1.Gender, d1.BirthDate, d1.Party, d1.Occupation = ptr(records.MALE), ptr(records.Date("1970-05-01")), "中共", "村医 (A.B)+*"
		d1.Group, d1.VillageID = "一组", map[string]string{"ta": "v1", "tb": "vz"}[town]
		d1.Honours = []records.Honour{{Year: 2019, Title: "优秀人大代表", Level: records.COUNTY}}
		d1.Tags, d1.Attributes = []string{"a", "b"}, map[string]any{"funding": map[string]any{"county": 150000}, "note": "x.y (1)+"}
		MustCreate(tb, bg, s.Deputies, d1)
	}
	d2 := deputy("ta", "d2", "李四", records.TOWNSHIP)
	d2.Gender, d2.BirthDate, d2.Occupation, d2.Group, d2.VillageID = ptr(records.FEMALE), ptr(records.Date("1985-12-31")), "a.b教师", "二组", "v2"
	d2.Honours = []records.Honour{{Year: 2021, Title: "人大工作先进个人", Level: records.TOWNSHIP}, {Year: 2018, Title: "优秀人大代表", Level: records.CITY}}
	d2.Tags, d2.Attributes = []string{"b"}, map[string]any{"funding": map[string]any{"county": 50000}}
	MustCreate(tb, bg, s.Deputies, d2)
	d3 := deputy("ta", "d3", "王五", records.CITY, records.COUNTY, records.TOWNSHIP)
	d3.Occupation = "AxB农民"
	MustCreate(tb, bg, s.Deputies, d3)
	d4 := deputy("ta", "d4", "赵六", records.COUNTY)
	d4.Gender, d4.BirthDate, d4.Party, d4.Occupation = ptr(records.FEMALE), ptr(records.Date("1960-01-01")), "无党派", "50%_折$"
	d4.Group, d4.VillageID = "一组", "v1"
	d4.Tags, d4.Attributes = []string{"a", "c"}, map[string]any{"funding": map[string]any{"county": "100000"}}
	MustCreate(tb, bg, s.Deputies, d4)

	p1 := project("ta", "p1", "村路", records.ROAD, 2023)
	p1.VillageIDs, p1.Status, p1.LengthKm, p1.Surface = []string{"v1"}, records.COMPLETED, ptr(3.5), ptr(records.CEMENT)
	p1.Funding = &records.Funding{Total: ptr(120000.5), Sources: []records.FundingSource{{Source: "县财政", Amount: ptr(100000.0)}}}
	p1.Bidding = &records.Bidding{Teams: 3, Bidders: []string{"甲", "乙"}}
	MustCreate(tb, bg, s.Projects, p1)
	p2 := project("ta", "p2", "学校", records.SCHOOL, 2022)
	p2.VillageIDs = []string{"v1", "v2"}
	MustCreate(tb, bg, s.Projects, p2)
	p3 := project("ta", "p3", "桥路", records.ROAD, 2023)
	p3.VillageIDs, p3.Status, p3.LengthKm, p3.Surface = []string{"v2"}, records.IN_PROGRESS, ptr(0.8), ptr(records.GRAVEL)
	p3.Funding = &records.Funding{Total: ptr(30000.0)}
	MustCreate(tb, bg, s.Projects, p3)

	for _, x := range []struct {
		id, topic string
		date      records.Date
		p         records.Precision
		who, vs   []string
		findings  string
	}{
		{"i1", "公路视察", "2023-10-11", records.DEKAD, []string{"d1", "d2"}, []string{"v1"}, "路面破损"},
		{"i2", "学校建设", "2023-03-01", records.SEASON, []string{"d2"}, []string{"v1", "v2"}, ""},
		{"i3", "公路养护", "2022-01-01", records.YEAR, nil, nil, ""},
		{"i4", "市场", "2023-06-05", records.DAY, []string{"d3"}, []string{"v2"}, ""},
	} {
		in := inspection("ta", x.id, x.topic, x.date, x.p)
		in.ParticipantIDs, in.VillageIDs, in.Findings = x.who, x.vs, x.findings
		if x.id == "i1" {
			in.Organiser = "人大主席团"
		}
		MustCreate(tb, bg, s.Inspections, in)
	}

	s1 := suggestion("ta", "s1", "d1", "修路", "2023-03-05")
	s1.Deadline, s1.Valuable = ptr(records.Date("2023-04-01")), true
	MustCreate(tb, bg, s.Suggestions, s1)
	replied := time.Date(2023, 3, 20, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	if _, err := s.Suggestions.Modify(bg, "s1", nil, func(x *records.Suggestion) error {
		c := records.CLASS_B
		x.Department, x.Reply, x.ReplyClass = "交通办", "已安排", &c
		for _, to := range []records.SuggestionStatus{records.ACCEPTED, records.ASSIGNED, records.REPLIED} {
			if err := x.Move(to, "", "user:li", replied); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	s2 := suggestion("ta", "s2", "d2", "学校漏雨", "2023-08-10")
	s2.Kind, s2.Deadline = records.CRITICISM, ptr(records.Date("2023-08-20"))
	MustCreate(tb, bg, s.Suggestions, s2)
	s3 := suggestion("ta", "s3", "d1", "民生意见", "2022-12-01")
	s3.Kind, s3.Category = records.OPINION, "民生"
	MustCreate(tb, bg, s.Suggestions, s3)
}

func deputies(f records.DeputyFilter) compiled        { return compile(records.Compile(&f, "filter")) }
func villages(f records.VillageFilter) compiled       { return compile(records.Compile(&f, "filter")) }
func projects(f records.ProjectFilter) compiled       { return compile(records.Compile(&f, "filter")) }
func inspections(f records.InspectionFilter) compiled { return compile(records.Compile(&f, "filter")) }
func suggestions(f records.SuggestionFilter) compiled { return compile(records.Compile(&f, "filter")) }

func attr(f records.AttributeFilter) records.Common {
	return records.Common{Attributes: []*records.AttributeFilter{&f}}
}

func (c *contract) testFilterDeputies(t *testing.T) {
	s := c.open(t)
	mustFilterFixture(t, s)
	str := func(f records.StringFilter) *records.StringFilter { return &f }
	type F = records.DeputyFilter
	runFilters(t, records.KindDeputy, s.Deputies, []string{"ta"}, []filterCase{
		{"none", deputies(F{}), list("d1", "d2", "d3", "d4")},
		{"name.eq", deputies(F{Name: str(records.StringFilter{Eq: ptr("张三")})}), list("d1")},
		{"name.ne", deputies(F{Name: str(records.StringFilter{Ne: ptr("张三")})}), list("d2", "d3", "d4")},
		{"name.in", deputies(F{Name: str(records.StringFilter{In: []string{"张三", "王五"}})}), list("d1", "d3")},
		{"name.contains", deputies(F{Name: str(records.StringFilter{Contains: ptr("三")})}), list("d1")},
		{"occupation.contains/dot", deputies(F{Occupation: str(records.StringFilter{Contains: ptr(".")})}), list("d1", "d2")},
		{"occupation.contains/caseless", deputies(F{Occupation: str(records.StringFilter{Contains: ptr("a.b")})}), list("d1", "d2")},
		{"occupation.contains/metacharacters", deputies(F{Occupation: str(records.StringFilter{Contains: ptr("(a.B)+*")})}), list("d1")},
		{"occupation.contains/percent", deputies(F{Occupation: str(records.StringFilter{Contains: ptr("%")})}), list("d4")},
		{"occupation.contains/underscore", deputies(F{Occupation: str(records.StringFilter{Contains: ptr("_")})}), list("d4")},
		{"occupation.contains/dollar", deputies(F{Occupation: str(records.StringFilter{Contains: ptr("$")})}), list("d4")},
		{"occupation.startsWith", deputies(F{Occupation: str(records.StringFilter{StartsWith: ptr("a.b")})}), list("d2")},
		{"occupation.startsWith/caseless", deputies(F{Occupation: str(records.StringFilter{StartsWith: ptr("AXB")})}), list("d3")},
		{"occupation.startsWith/percent", deputies(F{Occupation: str(records.StringFilter{StartsWith: ptr("50%_")})}), list("d4")},
		{"occupation.startsWith/notInside", deputies(F{Occupation: str(records.StringFilter{StartsWith: ptr("(A.B)")})}), list()},
		{"gender.eq", deputies(F{Gender: &records.GenderFilter{Eq: ptr(records.FEMALE)}}), list("d2", "d4")},
		{"gender.in", deputies(F{Gender: &records.GenderFilter{In: []records.Gender{records.MALE}}}), list("d1")},
		{"gender.ne/missing", deputies(F{Gender: &records.GenderFilter{Ne: ptr(records.MALE)}}), list("d2", "d3", "d4")},
		{"gender.isNull", deputies(F{Gender: &records.GenderFilter{IsNull: ptr(true)}}), list("d3")},
		{"gender.isNull/false", deputies(F{Gender: &records.GenderFilter{IsNull: ptr(false)}}), list("d1", "d2", "d4")},
		{"party.ne/missing", deputies(F{Party: str(records.StringFilter{Ne: ptr("中共")})}), list("d2", "d3", "d4")},
		{"party.isNull", deputies(F{Party: str(records.StringFilter{IsNull: ptr(true)})}), list("d2", "d3")},
		{"group.eq", deputies(F{Group: str(records.StringFilter{Eq: ptr("一组")})}), list("d1", "d4")},
		{"group.isNull", deputies(F{Group: str(records.StringFilter{IsNull: ptr(true)})}), list("d3")},
		{"birthDate.gte", deputies(F{BirthDate: &records.DateFilter{Gte: ptr(records.Date("1970-05-01"))}}), list("d1", "d2")},
		{"birthDate.lt/notMissing", deputies(F{BirthDate: &records.DateFilter{Lt: ptr(records.Date("1970-05-01"))}}), list("d4")},
		{"birthDate.ne/missing", deputies(F{BirthDate: &records.DateFilter{Ne: ptr(records.Date("1970-05-01"))}}), list("d2", "d3", "d4")},
		{"birthDate.in", deputies(F{BirthDate: &records.DateFilter{In: []records.Date{"1960-01-01", "1985-12-31"}}}), list("d2", "d4")},
		{"birthDate.nin/missing", deputies(F{BirthDate: &records.DateFilter{Nin: []records.Date{"1960-01-01"}}}), list("d1", "d2", "d3")},
		{"birthDate.isNull", deputies(F{BirthDate: &records.DateFilter{IsNull: ptr(true)}}), list("d3")},
		{"birthDate.range", deputies(F{BirthDate: &records.DateFilter{Gt: ptr(records.Date("1960-01-01")), Lte: ptr(records.Date("1970-05-01"))}}), list("d1")},
		{"levels.has", deputies(F{Levels: &records.LevelListFilter{Has: ptr(records.COUNTY)}}), list("d1", "d3", "d4")},
		{"levels.hasAny", deputies(F{Levels: &records.LevelListFilter{HasAny: []records.Level{records.CITY}}}), list("d3")},
		{"levels.hasAny/two", deputies(F{Levels: &records.LevelListFilter{HasAny: []records.Level{records.CITY, records.TOWNSHIP}}}), list("d1", "d2", "d3")},
		{"levels.hasAll", deputies(F{Levels: &records.LevelListFilter{HasAll: []records.Level{records.COUNTY, records.TOWNSHIP}}}), list("d1", "d3")},
		{"tags.has", deputies(F{Common: records.Common{Tags: &records.TagFilter{Has: ptr("a")}}}), list("d1", "d4")},
		{"tags.hasAll", deputies(F{Common: records.Common{Tags: &records.TagFilter{HasAll: []string{"a", "b"}}}}), list("d1")},
		{"tags.hasAny", deputies(F{Common: records.Common{Tags: &records.TagFilter{HasAny: []string{"c", "b"}}}}), list("d1", "d2", "d4")},
		{"village.eq", deputies(F{Village: &records.IDFilter{Eq: ptr("v1")}}), list("d1", "d4")},
		{"village.in", deputies(F{Village: &records.IDFilter{In: []string{"v2"}}}), list("d2")},
		{"village.nin/missing", deputies(F{Village: &records.IDFilter{Nin: []string{"v1"}}}), list("d2", "d3")},
		{"village.ne/missing", deputies(F{Village: &records.IDFilter{Ne: ptr("v1")}}), list("d2", "d3")},
		{"village.isNull", deputies(F{Village: &records.IDFilter{IsNull: ptr(true)}}), list("d3")},
		{"id.in", deputies(F{Common: records.Common{ID: &records.IDFilter{In: []string{"d1", "d3", "dz"}}}}), list("d1", "d3")},
		{"id.ne", deputies(F{Common: records.Common{ID: &records.IDFilter{Ne: ptr("d1")}}}), list("d2", "d3", "d4")},
		{"id.eq/otherTownship", deputies(F{Common: records.Common{ID: &records.IDFilter{Eq: ptr("dz")}}}), list()},
		{"honour.eq", deputies(F{Honour: str(records.StringFilter{Eq: ptr("优秀人大代表")})}), list("d1", "d2")},
		{"honour.contains", deputies(F{Honour: str(records.StringFilter{Contains: ptr("先进")})}), list("d2")},
		{"honour.startsWith", deputies(F{Honour: str(records.StringFilter{StartsWith: ptr("人大")})}), list("d2")},
		{"honourYear.eq", deputies(F{HonourYear: &records.IntFilter{Eq: ptr(2019)}}), list("d1")},
		{"honourYear.gte", deputies(F{HonourYear: &records.IntFilter{Gte: ptr(2020)}}), list("d2")},
		{"honourYear.lt", deputies(F{HonourYear: &records.IntFilter{Lt: ptr(2019)}}), list("d2")},
		{"honourYear.in", deputies(F{HonourYear: &records.IntFilter{In: []int{2019, 2021}}}), list("d1", "d2")},
		{"attributes.gte/number", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Gte: 100000})}), list("d1")},
		{"attributes.gte/numericText", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Gte: "100000"})}), list("d1")},
		{"attributes.lt", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Lt: 100000})}), list("d2")},
		{"attributes.eq/number", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Eq: 50000})}), list("d2")},
		{"attributes.eq/numericText", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Eq: "100000"})}), list("d4")},
		{"attributes.ne/missing", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Ne: 50000})}), list("d1", "d3", "d4")},
		{"attributes.in", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", In: []any{50000, 150000}})}), list("d1", "d2")},
		{"attributes.nin/missing", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", Nin: []any{50000}})}), list("d1", "d3", "d4")},
		{"attributes.isNull", deputies(F{Common: attr(records.AttributeFilter{Path: "funding.county", IsNull: ptr(true)})}), list("d3")},
		{"attributes.isNull/false", deputies(F{Common: attr(records.AttributeFilter{Path: "funding", IsNull: ptr(false)})}), list("d1", "d2", "d4")},
		{"attributes.contains", deputies(F{Common: attr(records.AttributeFilter{Path: "note", Contains: ptr("Y (1)+")})}), list("d1")},
		{"attributes.startsWith", deputies(F{Common: attr(records.AttributeFilter{Path: "note", StartsWith: ptr("x.y")})}), list("d1")},
		{"attributes.startsWith/dot", deputies(F{Common: attr(records.AttributeFilter{Path: "note", StartsWith: ptr("xay")})}), list()},
		{"two fields", deputies(F{Gender: &records.GenderFilter{Eq: ptr(records.FEMALE)}, Group: str(records.StringFilter{Eq: ptr("一组")})}), list("d4")},
		{"not", deputies(F{Not: &F{Levels: &records.LevelListFilter{Has: ptr(records.TOWNSHIP)}}}), list("d4")},
		{"not/missing", deputies(F{Not: &F{Group: str(records.StringFilter{Eq: ptr("一组")})}}), list("d2", "d3")},
		{"or", deputies(F{Or: []*F{{Name: str(records.StringFilter{Eq: ptr("张三")})}, {Gender: &records.GenderFilter{Eq: ptr(records.FEMALE)}}}}), list("d1", "d2", "d4")},
		{"and/or", deputies(F{And: []*F{
			{Levels: &records.LevelListFilter{Has: ptr(records.COUNTY)}},
			{Or: []*F{{Group: str(records.StringFilter{Eq: ptr("二组")})}, {Group: str(records.StringFilter{IsNull: ptr(true)})}}},
		}}), list("d3")},
		{"not/or", deputies(F{Not: &F{Or: []*F{{Gender: &records.GenderFilter{IsNull: ptr(true)}}, {Common: records.Common{Tags: &records.TagFilter{Has: ptr("a")}}}}}}), list("d2")},
		{"or/and/not", deputies(F{Or: []*F{
			{And: []*F{{Gender: &records.GenderFilter{Eq: ptr(records.FEMALE)}}, {Not: &F{Party: str(records.StringFilter{IsNull: ptr(true)})}}}},
			{Common: records.Common{ID: &records.IDFilter{Eq: ptr("d3")}}},
		}}), list("d3", "d4")},
	})
}

func (c *contract) testFilterVillages(t *testing.T) {
	s := c.open(t)
	mustFilterFixture(t, s)
	str := func(f records.StringFilter) *records.StringFilter { return &f }
	type F = records.VillageFilter
	runFilters(t, records.KindVillage, s.Villages, []string{"ta"}, []filterCase{
		{"designation.eq", villages(F{Designation: str(records.StringFilter{Eq: ptr("市级文明村")})}), list("v1")},
		{"designation.contains", villages(F{Designation: str(records.StringFilter{Contains: ptr("文明")})}), list("v1", "v2")},
		{"designation.isNull", villages(F{Designation: str(records.StringFilter{IsNull: ptr(true)})}), list("v3")},
		{"designationYear.gte", villages(F{DesignationYear: &records.IntFilter{Gte: ptr(2021)}}), list("v1")},
		{"designationYear.lte", villages(F{DesignationYear: &records.IntFilter{Lte: ptr(2018)}}), list("v1")},
		{"designationYear.eq", villages(F{DesignationYear: &records.IntFilter{Eq: ptr(2020)}}), list("v2")},
		{"designationYear.gt/none", villages(F{DesignationYear: &records.IntFilter{Gt: ptr(2022)}}), list()},
		{"population.gt", villages(F{Population: &records.IntFilter{Gt: ptr(1000)}}), list("v1")},
		{"population.lte", villages(F{Population: &records.IntFilter{Lte: ptr(800)}}), list("v2")},
		{"population.isNull", villages(F{Population: &records.IntFilter{IsNull: ptr(true)}}), list("v3")},
		{"population.ne/missing", villages(F{Population: &records.IntFilter{Ne: ptr(800)}}), list("v1", "v3")},
		{"population.nin/missing", villages(F{Population: &records.IntFilter{Nin: []int{800}}}), list("v1", "v3")},
		{"population.in", villages(F{Population: &records.IntFilter{In: []int{800, 1200}}}), list("v1", "v2")},
		{"code.startsWith", villages(F{Code: str(records.StringFilter{StartsWith: ptr("00")})}), list("v1", "v2")},
		{"code.isNull/false", villages(F{Code: str(records.StringFilter{IsNull: ptr(false)})}), list("v1", "v2")},
		{"name.eq", villages(F{Name: str(records.StringFilter{Eq: ptr("三村")})}), list("v3")},
	})
}

func (c *contract) testFilterProjects(t *testing.T) {
	s := c.open(t)
	mustFilterFixture(t, s)
	type F = records.ProjectFilter
	runFilters(t, records.KindProject, s.Projects, []string{"ta"}, []filterCase{
		{"kind.eq", projects(F{Kind: &records.ProjectKindFilter{Eq: ptr(records.ROAD)}}), list("p1", "p3")},
		{"kind.ne", projects(F{Kind: &records.ProjectKindFilter{Ne: ptr(records.ROAD)}}), list("p2")},
		{"status.in", projects(F{Status: &records.ProjectStatusFilter{In: []records.ProjectStatus{records.COMPLETED, records.IN_PROGRESS}}}), list("p1", "p3")},
		{"year.in", projects(F{Year: &records.IntFilter{In: []int{2022}}}), list("p2")},
		{"lengthKm.gt", projects(F{LengthKm: &records.FloatFilter{Gt: ptr(1.0)}}), list("p1")},
		{"lengthKm.lte", projects(F{LengthKm: &records.FloatFilter{Lte: ptr(0.8)}}), list("p3")},
		{"lengthKm.isNull", projects(F{LengthKm: &records.FloatFilter{IsNull: ptr(true)}}), list("p2")},
		{"fundingTotal.gte", projects(F{FundingTotal: &records.FloatFilter{Gte: ptr(100000.0)}}), list("p1")},
		{"fundingTotal.eq", projects(F{FundingTotal: &records.FloatFilter{Eq: ptr(120000.5)}}), list("p1")},
		{"fundingTotal.isNull", projects(F{FundingTotal: &records.FloatFilter{IsNull: ptr(true)}}), list("p2")},
		{"villages.has", projects(F{Villages: &records.VillageListFilter{Has: ptr("v2")}}), list("p2", "p3")},
		{"villages.hasAll", projects(F{Villages: &records.VillageListFilter{HasAll: []string{"v1", "v2"}}}), list("p2")},
		{"surface.eq", projects(F{Surface: &records.SurfaceFilter{Eq: ptr(records.GRAVEL)}}), list("p3")},
		{"surface.isNull", projects(F{Surface: &records.SurfaceFilter{IsNull: ptr(true)}}), list("p2")},
		{"biddingTeams.gte", projects(F{BiddingTeams: &records.IntFilter{Gte: ptr(3)}}), list("p1")},
		{"biddingTeams.isNull", projects(F{BiddingTeams: &records.IntFilter{IsNull: ptr(true)}}), list("p2", "p3")},
	})
}

func (c *contract) testFilterInspections(t *testing.T) {
	s := c.open(t)
	mustFilterFixture(t, s)
	str := func(f records.StringFilter) *records.StringFilter { return &f }
	date := func(d string) *records.Date { return ptr(records.Date(d)) }
	type F = records.InspectionFilter
	runFilters(t, records.KindInspection, s.Inspections, []string{"ta"}, []filterCase{
		{"year.eq", inspections(F{Year: &records.IntFilter{Eq: ptr(2023)}}), list("i1", "i2", "i4")},
		{"year.in", inspections(F{Year: &records.IntFilter{In: []int{2022}}}), list("i3")},
		{"date.gte", inspections(F{Date: &records.DateFilter{Gte: date("2023-03-01")}}), list("i1", "i2", "i4")},
		{"date.lt", inspections(F{Date: &records.DateFilter{Lt: date("2023-03-01")}}), list("i3")},
		{"date.eq", inspections(F{Date: &records.DateFilter{Eq: date("2023-06-05")}}), list("i4")},
		{"dateEnd.lte", inspections(F{DateEnd: &records.DateFilter{Lte: date("2023-05-31")}}), list("i2", "i3")},
		{"month.eq", inspections(F{Month: &records.IntFilter{Eq: ptr(10)}}), list("i1")},
		{"quarter.eq", inspections(F{Quarter: &records.IntFilter{Eq: ptr(1)}}), list("i2", "i3")},
		{"half.eq", inspections(F{Half: &records.IntFilter{Eq: ptr(2)}}), list("i1")},
		{"precision.eq", inspections(F{Precision: &records.PrecisionFilter{Eq: ptr(records.DAY)}}), list("i4")},
		{"precision.in", inspections(F{Precision: &records.PrecisionFilter{In: []records.Precision{records.SEASON, records.YEAR}}}), list("i2", "i3")},
		{"participants.has", inspections(F{Participants: &records.DeputyListFilter{Has: ptr("d2")}}), list("i1", "i2")},
		{"participants.hasAll", inspections(F{Participants: &records.DeputyListFilter{HasAll: []string{"d1", "d2"}}}), list("i1")},
		{"villages.hasAny", inspections(F{Villages: &records.VillageListFilter{HasAny: []string{"v2"}}}), list("i2", "i4")},
		{"topic.contains", inspections(F{Topic: str(records.StringFilter{Contains: ptr("公路")})}), list("i1", "i3")},
		{"topic.startsWith", inspections(F{Topic: str(records.StringFilter{StartsWith: ptr("公路视")})}), list("i1")},
		{"findings.contains", inspections(F{Findings: str(records.StringFilter{Contains: ptr("破损")})}), list("i1")},
		{"findings.isNull", inspections(F{Findings: str(records.StringFilter{IsNull: ptr(true)})}), list("i2", "i3", "i4")},
		{"organiser.ne", inspections(F{Organiser: str(records.StringFilter{Ne: ptr("人大主席团")})}), list("i2", "i3", "i4")},
		{"and/not", inspections(F{Year: &records.IntFilter{Eq: ptr(2023)}, Not: &F{Precision: &records.PrecisionFilter{Eq: ptr(records.DAY)}}}), list("i1", "i2")},
		{"or", inspections(F{Or: []*F{{Month: &records.IntFilter{Eq: ptr(10)}}, {Quarter: &records.IntFilter{Eq: ptr(2)}}}}), list("i1", "i4")},
	})
}

func (c *contract) testFilterSuggestions(t *testing.T) {
	s := c.open(t)
	mustFilterFixture(t, s)
	str := func(f records.StringFilter) *records.StringFilter { return &f }
	date := func(d string) *records.Date { return ptr(records.Date(d)) }
	type F = records.SuggestionFilter
	runFilters(t, records.KindSuggestion, s.Suggestions, []string{"ta"}, []filterCase{
		{"deputy.eq", suggestions(F{Deputy: &records.IDFilter{Eq: ptr("d1")}}), list("s1", "s3")},
		{"deputy.in", suggestions(F{Deputy: &records.IDFilter{In: []string{"d2"}}}), list("s2")},
		{"kind.in", suggestions(F{Kind: &records.SuggestionKindFilter{In: []records.SuggestionKind{records.CRITICISM, records.OPINION}}}), list("s2", "s3")},
		{"status.eq", suggestions(F{Status: &records.SuggestionStatusFilter{Eq: ptr(records.REPLIED)}}), list("s1")},
		{"status.ne", suggestions(F{Status: &records.SuggestionStatusFilter{Ne: ptr(records.REPLIED)}}), list("s2", "s3")},
		{"year.eq", suggestions(F{Year: &records.IntFilter{Eq: ptr(2023)}}), list("s1", "s2")},
		{"half.eq", suggestions(F{Half: &records.IntFilter{Eq: ptr(2)}}), list("s2", "s3")},
		{"quarter.eq", suggestions(F{Quarter: &records.IntFilter{Eq: ptr(4)}}), list("s3")},
		{"month.eq", suggestions(F{Month: &records.IntFilter{Eq: ptr(8)}}), list("s2")},
		{"submitted.lt", suggestions(F{Submitted: &records.DateFilter{Lt: date("2023-01-01")}}), list("s3")},
		{"deadline.gte", suggestions(F{Deadline: &records.DateFilter{Gte: date("2023-04-01")}}), list("s1", "s2")},
		{"deadline.isNull", suggestions(F{Deadline: &records.DateFilter{IsNull: ptr(true)}}), list("s3")},
		{"department.eq", suggestions(F{Department: str(records.StringFilter{Eq: ptr("交通办")})}), list("s1")},
		{"department.isNull", suggestions(F{Department: str(records.StringFilter{IsNull: ptr(true)})}), list("s2", "s3")},
		{"category.ne", suggestions(F{Category: str(records.StringFilter{Ne: ptr("民生")})}), list("s1", "s2")},
		{"title.contains", suggestions(F{Title: str(records.StringFilter{Contains: ptr("学校")})}), list("s2")},
		{"valuable.true", suggestions(F{Valuable: &records.BoolFilter{Eq: ptr(true)}}), list("s1")},
		{"valuable.false", suggestions(F{Valuable: &records.BoolFilter{Eq: ptr(false)}}), list("s2", "s3")},
		{"repliedOn.gte", suggestions(F{RepliedOn: &records.DateFilter{Gte: date("2023-03-01")}}), list("s1")},
		{"repliedOn.isNull", suggestions(F{RepliedOn: &records.DateFilter{IsNull: ptr(true)}}), list("s2", "s3")},
		{"onTime.true", suggestions(F{OnTime: &records.BoolFilter{Eq: ptr(true)}}), list("s1")},
		{"onTime.false", suggestions(F{OnTime: &records.BoolFilter{Eq: ptr(false)}}), list()},
		{"overdue.true", suggestions(F{Overdue: ptr(true)}), list("s2")},
		{"overdue.false", suggestions(F{Overdue: ptr(false)}), list("s1", "s3")},
		{"satisfaction.isNull", suggestions(F{Satisfaction: &records.SatisfactionFilter{IsNull: ptr(true)}}), list("s1", "s2", "s3")},
	})
}

// testFilterTimes: createdAt and updatedAt compare as instants, to the
// millisecond the store keeps, whatever zone the value is written in.
func (c *contract) testFilterTimes(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	start := records.Now()
	var ws []*records.Village
	for i := range 4 {
		ws = append(ws, MustCreate(t, bg, s.Villages, village("ta", fmt.Sprintf("w%d", i), fmt.Sprintf("村%d", i))))
	}
	for i, w := range ws {
		ws[i] = MustGet(t, s.Villages, w.ID)
	}
	name := "改名"
	up, err := s.Villages.Update(bg, "w0", nil, (&records.VillagePatch{Name: &name}).Apply)
	wantOK(t, "update", err)
	ws[0] = MustGet(t, s.Villages, "w0")
	if !ws[0].UpdatedAt.Equal(up.UpdatedAt) {
		t.Errorf("updatedAt %v read back, %v answered by the update", ws[0].UpdatedAt, up.UpdatedAt)
	}
	later := time.Now().Add(time.Hour)
	cst := time.FixedZone("CST", 8*3600)
	where := func(keep func(w *records.Village) bool) []string {
		var out []string
		for _, w := range ws {
			if keep(w) {
				out = append(out, w.ID)
			}
		}
		return list(out...)
	}
	tf := func(f records.TimeFilter) *records.TimeFilter { return &f }
	type F = records.VillageFilter
	w2 := ws[2].CreatedAt
	runFilters(t, records.KindVillage, s.Villages, []string{"ta"}, []filterCase{
		{"createdAt.gte/start", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Gte: &start})}}), list("w0", "w1", "w2", "w3")},
		{"createdAt.lt/start", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Lt: &start})}}), list()},
		{"createdAt.gt/later", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Gt: &later})}}), list()},
		{"createdAt.eq", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Eq: &w2})}}),
			where(func(w *records.Village) bool { return w.CreatedAt.Equal(w2) })},
		{"createdAt.eq/zone", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Eq: ptr(w2.In(cst))})}}),
			where(func(w *records.Village) bool { return w.CreatedAt.Equal(w2) })},
		{"createdAt.gte", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Gte: &w2})}}),
			where(func(w *records.Village) bool { return !w.CreatedAt.Before(w2) })},
		{"createdAt.lt", villages(F{Common: records.Common{CreatedAt: tf(records.TimeFilter{Lt: &w2})}}),
			where(func(w *records.Village) bool { return w.CreatedAt.Before(w2) })},
		{"updatedAt.gte", villages(F{Common: records.Common{UpdatedAt: tf(records.TimeFilter{Gte: &ws[0].UpdatedAt})}}),
			where(func(w *records.Village) bool { return !w.UpdatedAt.Before(ws[0].UpdatedAt) })},
	})
}
