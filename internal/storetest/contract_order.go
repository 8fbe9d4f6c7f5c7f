package storetest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"renda/internal/records"
)

// Lists are ordered by the orderBy asked, then by id (ascending, whatever
// the direction), and paged by keyset: walking pages of 2 to the end
// gives the records of one big page, in the same order, across any
// number of townships. A record without the sorted field sorts before any
// value ascending and after every value descending.

// valueAt reads the stored field at a sort path off a record, through its
// JSON form (whose names are the stored ones for every sortable field):
// nil when missing, a time for createdAt and updatedAt.
func valueAt(tb testing.TB, x any, path string) any {
	tb.Helper()
	b, err := json.Marshal(x)
	if err != nil {
		tb.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	for _, p := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	if s, ok := v.(string); ok && (path == "createdAt" || path == "updatedAt") {
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			tb.Fatal(err)
		}
		return at
	}
	return v
}

// compareValues orders two values of one sort field, missing first.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case float64:
		return cmp.Compare(x, b.(float64))
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		return cmp.Compare(fmt.Sprint(x), fmt.Sprint(b))
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	panic(fmt.Sprintf("cannot compare %T", a))
}

// ordered is the ids of xs in townships towns in the order of orders:
// what a list must answer.
func ordered[T any, PT records.Record[T]](tb testing.TB, kind records.Kind, xs []PT, towns []string, orders []records.Order) []string {
	tb.Helper()
	sorts, err := records.Sorts(kind, orders)
	if err != nil {
		tb.Fatal(err)
	}
	var keep []PT
	for _, x := range xs {
		if towns == nil || slices.Contains(towns, x.GetMeta().Township) {
			keep = append(keep, x)
		}
	}
	keys := map[string][]any{}
	for _, x := range keep {
		for _, s := range sorts {
			keys[x.GetMeta().ID] = append(keys[x.GetMeta().ID], valueAt(tb, x, s.Path))
		}
	}
	slices.SortFunc(keep, func(a, b PT) int {
		ka, kb := keys[a.GetMeta().ID], keys[b.GetMeta().ID]
		for i, s := range sorts {
			c := compareValues(ka[i], kb[i])
			if s.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return strings.Compare(a.GetMeta().ID, b.GetMeta().ID)
	})
	out := []string{}
	for _, x := range keep {
		out = append(out, x.GetMeta().ID)
	}
	return out
}

// checkOrders lists c's records in townships towns by each orderBy of
// orders, in one page and in pages of 2, against the order of all (the
// records as stored).
func checkOrders[T any, PT records.Record[T]](t *testing.T, kind records.Kind, c records.Collection[T, PT], all []PT, towns []string, orders [][]records.Order) {
	for _, o := range orders {
		var name []string
		for _, x := range o {
			name = append(name, x.Field+"."+string(cmp.Or(x.Direction, records.ASC)))
		}
		t.Run(strings.Join(name, ","), func(t *testing.T) {
			sorts, err := records.Sorts(kind, o)
			wantOK(t, "sorts", err)
			want := ordered(t, kind, all, towns, o)
			one := findAll(t, bg, c, records.Query{Townships: towns, Sort: sorts, First: 500})
			if !slices.Equal(one, want) {
				t.Errorf("one page: %v, want %v", one, want)
			}
			pages := findAll(t, bg, c, records.Query{Townships: towns, Sort: sorts, First: 2})
			if !slices.Equal(pages, want) {
				t.Errorf("pages of 2: %v, want %v", pages, want)
			}
		})
	}
}

// eachOrder is every sortable field of kind alone, in both directions,
// and the extra orderBys given.
func eachOrder(kind records.Kind, extra ...[]records.Order) [][]records.Order {
	var fields []string
	for f := range records.Sortable[kind] {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	var out [][]records.Order
	for _, f := range fields {
		for _, d := range []records.Direction{records.ASC, records.DESC} {
			out = append(out, []records.Order{{Field: f, Direction: d}})
		}
	}
	return append(out, extra...)
}

// all reads every record of c as stored.
func all[T any, PT records.Record[T]](tb testing.TB, c records.Collection[T, PT]) []PT {
	tb.Helper()
	var out []PT
	for _, id := range findAll(tb, bg, c, records.Query{First: 500}) {
		out = append(out, MustGet(tb, c, id))
	}
	return out
}

// testOrder: every sortable field of every kind, both ways, with ties,
// over one township and two.
func (c *contract) testOrder(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb", "tc")
	for _, v := range []struct{ t, id, name, code string }{
		{"ta", "va1", "白村", "002"}, {"ta", "va2", "陈村", "001"}, {"ta", "va3", "白村", "002"},
		{"tb", "vb1", "邓村", "001"}, {"tb", "vb2", "蔡村", "003"},
	} {
		x := village(v.t, v.id, v.name)
		x.Code = v.code
		MustCreate(t, bg, s.Villages, x)
	}
	for _, d := range []struct{ t, id, name, group string }{
		{"ta", "da1", "张三", "一组"}, {"ta", "da2", "李四", "二组"}, {"ta", "da3", "张三", "一组"},
		{"tb", "db1", "王五", "一组"}, {"tb", "db2", "白六", "三组"},
	} {
		x := deputy(d.t, d.id, d.name)
		x.Group = d.group
		MustCreate(t, bg, s.Deputies, x)
	}
	for _, p := range []struct {
		t, id, name string
		kind        records.ProjectKind
		year        int
	}{
		{"ta", "pa1", "路", records.ROAD, 2023}, {"ta", "pa2", "校", records.SCHOOL, 2022}, {"ta", "pa3", "市场", records.MARKET, 2023},
		{"tb", "pb1", "路", records.ROAD, 2022}, {"tb", "pb2", "其他", records.OTHER, 2023},
	} {
		MustCreate(t, bg, s.Projects, project(p.t, p.id, p.name, p.kind, p.year))
	}
	for _, x := range []struct {
		t, id, topic string
		date         records.Date
		p            records.Precision
	}{
		{"ta", "ia1", "视察", "2023-05-01", records.DAY}, {"ta", "ia2", "调研", "2023-05-01", records.DAY}, {"ta", "ia3", "视察", "2022-01-01", records.YEAR},
		{"tb", "ib1", "视察", "2023-03-01", records.MONTH}, {"tb", "ib2", "检查", "2023-05-01", records.DAY},
	} {
		MustCreate(t, bg, s.Inspections, inspection(x.t, x.id, x.topic, x.date, x.p))
	}
	for _, a := range []struct {
		t, id, title string
		kind         records.ActivityKind
		date         records.Date
	}{
		{"ta", "aa1", "会议", records.MEETING, "2023-05-01"}, {"ta", "aa2", "培训", records.TRAINING, "2023-04-01"}, {"ta", "aa3", "会议", records.MEETING, "2023-05-01"},
		{"tb", "ab1", "走访", records.VISIT, "2023-05-01"}, {"tb", "ab2", "例会", records.MEETING, "2023-01-01"},
	} {
		MustCreate(t, bg, s.Activities, activity(a.t, a.id, a.title, a.kind, a.date))
	}
	for _, x := range []struct {
		t, id, deputy string
		submitted     records.Date
	}{
		{"ta", "sa1", "da1", "2023-03-01"}, {"ta", "sa2", "da2", "2023-03-01"}, {"ta", "sa3", "da1", "2023-01-05"},
		{"tb", "sb1", "db1", "2023-03-01"}, {"tb", "sb2", "db2", "2022-11-11"},
	} {
		MustCreate(t, bg, s.Suggestions, suggestion(x.t, x.id, x.deputy, "建议", x.submitted))
	}
	for id, to := range map[string]records.SuggestionStatus{"sa2": records.ACCEPTED, "sb2": records.REJECTED} {
		if _, err := s.Suggestions.Modify(bg, id, nil, func(x *records.Suggestion) error { return x.Move(to, "", "local", records.Now()) }); err != nil {
			t.Fatal(err)
		}
	}
	// Later changes, so updatedAt differs from createdAt.
	renamed := "改"
	MustUpdate(t, bg, s.Townships, "ta", (&records.TownshipPatch{Name: &renamed}).Apply)
	MustUpdate(t, bg, s.Villages, "va1", (&records.VillagePatch{Name: &renamed}).Apply)
	MustUpdate(t, bg, s.Deputies, "da2", func(x *records.Deputy) { x.Name = renamed })
	MustUpdate(t, bg, s.Projects, "pa2", func(x *records.Project) { x.Year = 2021 })
	MustUpdate(t, bg, s.Inspections, "ia3", func(x *records.Inspection) { x.Topic = renamed })
	MustUpdate(t, bg, s.Activities, "aa2", func(x *records.Activity) { x.Title = renamed })

	both, one := []string{"ta", "tb"}, []string{"tb"}
	for _, towns := range [][]string{both, one} {
		name := strings.Join(towns, "+")
		t.Run("Villages/"+name, func(t *testing.T) {
			checkOrders(t, records.KindVillage, s.Villages, all(t, s.Villages), towns, eachOrder(records.KindVillage,
				[]records.Order{{Field: "CODE"}, {Field: "NAME", Direction: records.DESC}}))
		})
		t.Run("Deputies/"+name, func(t *testing.T) {
			checkOrders(t, records.KindDeputy, s.Deputies, all(t, s.Deputies), towns, eachOrder(records.KindDeputy,
				[]records.Order{{Field: "GROUP", Direction: records.DESC}, {Field: "NAME"}}))
		})
		t.Run("Projects/"+name, func(t *testing.T) {
			checkOrders(t, records.KindProject, s.Projects, all(t, s.Projects), towns, eachOrder(records.KindProject,
				[]records.Order{{Field: "YEAR", Direction: records.DESC}, {Field: "KIND"}, {Field: "NAME", Direction: records.DESC}}))
		})
		t.Run("Inspections/"+name, func(t *testing.T) {
			checkOrders(t, records.KindInspection, s.Inspections, all(t, s.Inspections), towns, eachOrder(records.KindInspection,
				[]records.Order{{Field: "DATE", Direction: records.DESC}, {Field: "TOPIC"}}))
		})
		t.Run("Activities/"+name, func(t *testing.T) {
			checkOrders(t, records.KindActivity, s.Activities, all(t, s.Activities), towns, eachOrder(records.KindActivity,
				[]records.Order{{Field: "KIND"}, {Field: "DATE", Direction: records.DESC}}))
		})
		t.Run("Suggestions/"+name, func(t *testing.T) {
			checkOrders(t, records.KindSuggestion, s.Suggestions, all(t, s.Suggestions), towns, eachOrder(records.KindSuggestion,
				[]records.Order{{Field: "STATUS", Direction: records.DESC}, {Field: "SUBMITTED"}}))
		})
	}
	for _, towns := range [][]string{nil, {"tc", "ta"}} {
		t.Run("Townships/"+strings.Join(towns, "+"), func(t *testing.T) {
			checkOrders(t, records.KindTownship, s.Townships, all(t, s.Townships), towns, eachOrder(records.KindTownship))
		})
	}
	t.Run("Default", func(t *testing.T) {
		// Without orderBy, the kind's default order: by name (pinyin).
		sorts, err := records.Sorts(records.KindVillage, nil)
		wantOK(t, "sorts", err)
		got := findAll(t, bg, s.Villages, records.Query{Townships: both, Sort: sorts, First: 2})
		// bai2 (白村 va3; va1 is now 改 gai3), cai4, chen2, deng4, gai3
		if want := list("va3", "vb2", "va2", "vb1", "va1"); !slices.Equal(got, want) {
			t.Errorf("villages by name: %v, want %v", got, want)
		}
	})
}

// testOrderMissing: records without the sorted field come first
// ascending and last descending, and pages walk past them.
func (c *contract) testOrderMissing(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	for _, d := range []struct{ t, id, name, group string }{
		{"ta", "m1", "张三", "一组"}, {"ta", "m2", "李四", ""}, {"ta", "m3", "王五", "二组"}, {"ta", "m4", "赵六", ""},
		{"ta", "m5", "孙七", "一组"}, {"tb", "m6", "周八", ""}, {"tb", "m7", "吴九", "三组"},
	} {
		x := deputy(d.t, d.id, d.name)
		x.Group = d.group
		MustCreate(t, bg, s.Deputies, x)
	}
	for _, v := range []struct{ t, id, code string }{{"ta", "n1", "001"}, {"ta", "n2", ""}, {"ta", "n3", "002"}, {"ta", "n4", ""}, {"tb", "n5", "001"}} {
		x := village(v.t, v.id, "村"+v.id)
		x.Code = v.code
		MustCreate(t, bg, s.Villages, x)
	}
	asc, desc := []records.Order{{Field: "GROUP"}}, []records.Order{{Field: "GROUP", Direction: records.DESC}}
	t.Run("ByHand", func(t *testing.T) {
		for _, c := range []struct {
			orders []records.Order
			want   []string
		}{
			// 一组 < 三组 < 二组 as UTF-8 bytes: e4b880, e4b889, e4ba8c.
			{asc, list("m2", "m4", "m6", "m1", "m5", "m7", "m3")},
			{desc, list("m3", "m7", "m1", "m5", "m2", "m4", "m6")},
		} {
			sorts, err := records.Sorts(records.KindDeputy, c.orders)
			wantOK(t, "sorts", err)
			got := findAll(t, bg, s.Deputies, records.Query{Sort: sorts, First: 500})
			if !slices.Equal(got, c.want) {
				t.Errorf("%v: %v, want %v", c.orders, got, c.want)
			}
		}
	})
	t.Run("Pages", func(t *testing.T) {
		for _, towns := range [][]string{{"ta"}, {"ta", "tb"}} {
			checkOrders(t, records.KindDeputy, s.Deputies, all(t, s.Deputies), towns, [][]records.Order{asc, desc,
				{{Field: "GROUP"}, {Field: "NAME", Direction: records.DESC}}})
			checkOrders(t, records.KindVillage, s.Villages, all(t, s.Villages), towns, [][]records.Order{
				{{Field: "CODE"}}, {{Field: "CODE", Direction: records.DESC}}})
		}
	})
}

// testPagesStable: a cursor is a position, so records added before it do
// not move the next page, and those added after it are on it.
func (c *contract) testPagesStable(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	for _, name := range []string{"白村", "陈村", "邓村", "方村"} {
		MustCreate(t, bg, s.Villages, village("ta", "", name))
	}
	sorts, err := records.Sorts(records.KindVillage, nil)
	wantOK(t, "sorts", err)
	names := func(xs []*records.Village) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x.Name)
		}
		return list(out...)
	}
	p, err := s.Villages.Find(bg, records.Query{Sort: sorts, First: 2})
	wantOK(t, "first page", err)
	if got := names(p.Items); !slices.Equal(got, list("白村", "陈村")) || !p.HasNextPage {
		t.Fatalf("first page %v (more: %v), want 白村 陈村 and more", got, p.HasNextPage)
	}
	MustCreate(t, bg, s.Villages, village("ta", "", "蔡村")) // cai4: before the cursor (chen2)
	MustCreate(t, bg, s.Villages, village("ta", "", "高村")) // gao1: after it
	var rest []string
	q := records.Query{Sort: sorts, First: 2, After: p.Cursors[1]}
	for {
		p, err := s.Villages.Find(bg, q)
		wantOK(t, "next page", err)
		rest = append(rest, names(p.Items)...)
		if !p.HasNextPage {
			break
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
	if want := list("邓村", "方村", "高村"); !slices.Equal(rest, want) {
		t.Errorf("the pages after 陈村: %v, want %v", rest, want)
	}
}

// testCursors: a cursor is for the orderBy it was made for, and text that
// is no cursor is refused, both as BAD_USER_INPUT on after.
func (c *contract) testCursors(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	for _, id := range []string{"v1", "v2", "v3"} {
		x := village("ta", id, id+"村")
		x.Code = "00" + id[1:]
		MustCreate(t, bg, s.Villages, x)
	}
	byName, _ := records.Sorts(records.KindVillage, nil)
	p, err := s.Villages.Find(bg, records.Query{Sort: byName, First: 2})
	wantOK(t, "first page", err)
	cursor := p.Cursors[1]
	if next, err := s.Villages.Find(bg, records.Query{Sort: byName, First: 2, After: cursor}); err != nil || !slices.Equal(idsOf(next.Items), []string{"v3"}) {
		t.Fatalf("the page after: %v (%v), want v3", idsOf(next.Items), err)
	}
	for _, o := range [][]records.Order{
		{{Field: "NAME", Direction: records.DESC}},
		{{Field: "CODE"}},
		{{Field: "NAME"}, {Field: "CODE"}},
		{{Field: "CREATED_AT"}},
	} {
		sorts, err := records.Sorts(records.KindVillage, o)
		wantOK(t, "sorts", err)
		_, err = s.Villages.Find(bg, records.Query{Sort: sorts, First: 2, After: cursor})
		wantErr(t, fmt.Sprintf("a NAME cursor for %v", o), err, records.EINVALID, "after")
	}
	for _, bad := range []string{
		"garbage", "!!!!", " ", "AAAA", "null", "{}",
		base64.RawURLEncoding.EncodeToString([]byte("hello world")),
		cursor[:len(cursor)/2],
	} {
		_, err := s.Villages.Find(bg, records.Query{Sort: byName, First: 2, After: bad})
		wantErr(t, fmt.Sprintf("cursor %q", bad), err, records.EINVALID, "after")
	}
}
