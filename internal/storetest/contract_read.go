package storetest

import (
	"fmt"
	"slices"
	"testing"

	"renda/internal/records"
)

// testFind: page sizes are bounded, a page says whether more follow, and
// a township asked for must exist.
func (c *contract) testFind(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta")
	for _, id := range []string{"v1", "v2", "v3"} {
		MustCreate(t, bg, s.Villages, village("ta", id, id+"村"))
	}
	sorts, err := records.Sorts(records.KindVillage, nil)
	wantOK(t, "sorts", err)
	t.Run("HasNextPage", func(t *testing.T) {
		for _, c := range []struct {
			first int
			n     int
			more  bool
		}{{2, 2, true}, {3, 3, false}, {4, 3, false}} {
			p, err := s.Villages.Find(bg, records.Query{Sort: sorts, First: c.first})
			if err != nil || len(p.Items) != c.n || p.HasNextPage != c.more {
				t.Errorf("first %d: %d records, next page %v (%v); want %d, %v", c.first, len(p.Items), p.HasNextPage, err, c.n, c.more)
			}
		}
	})
	t.Run("FirstZero", func(t *testing.T) {
		p, err := s.Villages.Find(bg, records.Query{Sort: sorts, First: 0})
		if err != nil || len(p.Items) != 0 {
			t.Errorf("first 0: %d records (%v), want none", len(p.Items), err)
		}
	})
	t.Run("ErrFirst", func(t *testing.T) {
		_, err := s.Villages.Find(bg, records.Query{Sort: sorts, First: records.MaxPageSize + 1})
		wantErr(t, "first 501", err, records.EINVALID, "first")
		_, err = s.Villages.Find(bg, records.Query{Sort: sorts, First: -1})
		wantErr(t, "first -1", err, records.EINVALID, "first")
	})
	t.Run("ErrUnknownTownship", func(t *testing.T) {
		_, err := s.Villages.Find(bg, records.Query{Townships: []string{"ta", "nowhere"}, Sort: sorts, First: 5})
		wantErr(t, "find in ta and nowhere", err, records.ENOTFOUND, "townships.1")
		_, err = s.Villages.Find(bg, records.Query{Townships: []string{"nowhere"}, Sort: sorts, First: 5})
		wantErr(t, "find in nowhere", err, records.ENOTFOUND, "township")
		_, err = s.Villages.Count(bg, records.Query{Townships: []string{"nowhere"}})
		wantErr(t, "count in nowhere", err, records.ENOTFOUND, "township")
		_, err = s.Villages.Group(bg, records.Grouping{Townships: []string{"ta", "nowhere"}, Paths: []string{"name"}})
		wantErr(t, "group in ta and nowhere", err, records.ENOTFOUND, "townships.1")
	})
}

// testGetInFindIn: the loaders' reads. GetIn answers the records of one
// township among the ids asked; FindIn those whose field (a list: any of
// its items) holds one of the values, in the kind's default order.
func (c *contract) testGetInFindIn(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	MustCreate(t, bg, s.Villages, village("ta", "v1", "一村"))
	MustCreate(t, bg, s.Villages, village("ta", "v2", "二村"))
	MustCreate(t, bg, s.Villages, village("tb", "vb", "别村"))
	for _, d := range []struct{ t, id, name, village string }{
		{"ta", "d1", "张三", "v1"}, {"ta", "d2", "王五", "v2"}, {"ta", "d3", "李四", "v1"}, {"tb", "db", "赵六", "vb"},
	} {
		x := deputy(d.t, d.id, d.name)
		x.VillageID = d.village
		MustCreate(t, bg, s.Deputies, x)
	}
	for _, x := range []struct {
		t, id string
		date  records.Date
		who   []string
	}{
		{"ta", "i1", "2023-05-01", []string{"d1", "d2"}}, {"ta", "i2", "2022-03-01", []string{"d1"}},
		{"ta", "i3", "2023-01-10", []string{"d3"}}, {"tb", "ib", "2023-01-01", []string{"db"}},
	} {
		in := inspection(x.t, x.id, "视察", x.date, records.DAY)
		in.ParticipantIDs = x.who
		MustCreate(t, bg, s.Inspections, in)
	}
	MustCreate(t, bg, s.Suggestions, suggestion("ta", "s1", "d1", "修路", "2023-04-01"))
	MustCreate(t, bg, s.Suggestions, suggestion("ta", "s2", "d1", "修桥", "2022-04-01"))
	year2023 := func(path string) records.Expr {
		return records.Expr{Cond: &records.Cond{Path: path, Op: records.OpEq, Value: 2023}}
	}

	t.Run("GetIn", func(t *testing.T) {
		xs, err := s.Villages.GetIn(bg, "ta", []string{"v2", "nope", "vb", "v1"})
		if got := sorted(idsOf(xs)); err != nil || !slices.Equal(got, list("v1", "v2")) {
			t.Errorf("got %v (%v), want v1 and v2: ta's among those asked", got, err)
		}
		xs, err = s.Villages.GetIn(bg, "ta", nil)
		if err != nil || len(xs) != 0 {
			t.Errorf("no ids: %v (%v), want none", idsOf(xs), err)
		}
		ts, err := s.Townships.GetIn(bg, "", []string{"tb", "nope", "ta"})
		if got := sorted(idsOf(ts)); err != nil || !slices.Equal(got, list("ta", "tb")) {
			t.Errorf("townships: %v (%v), want ta and tb", got, err)
		}
	})
	for _, c := range []struct {
		name string
		find func() ([]string, error)
		want []string
	}{
		{"FindIn/villageId", func() ([]string, error) {
			xs, err := s.Deputies.FindIn(bg, "ta", "villageId", []string{"v1"})
			return idsOf(xs), err
		}, list("d3", "d1")}, // by name: li3 si4, zhang1 san1
		{"FindIn/participantIds", func() ([]string, error) {
			xs, err := s.Inspections.FindIn(bg, "ta", "participantIds", []string{"d1"})
			return idsOf(xs), err
		}, list("i2", "i1")}, // by date
		{"FindIn/participantIds/several", func() ([]string, error) {
			xs, err := s.Inspections.FindIn(bg, "ta", "participantIds", []string{"d3", "d2"})
			return idsOf(xs), err
		}, list("i3", "i1")},
		{"FindIn/id", func() ([]string, error) {
			xs, err := s.Inspections.FindIn(bg, "ta", "_id", []string{"i3", "ib"})
			return idsOf(xs), err
		}, list("i3")},
		{"FindIn/otherTownship", func() ([]string, error) {
			xs, err := s.Inspections.FindIn(bg, "ta", "participantIds", []string{"db"})
			return idsOf(xs), err
		}, list()},
		{"FindIn/noValues", func() ([]string, error) {
			xs, err := s.Deputies.FindIn(bg, "ta", "villageId", nil)
			return idsOf(xs), err
		}, list()},
		{"FindInWhere/date.year", func() ([]string, error) {
			xs, err := s.Inspections.FindInWhere(bg, "ta", "participantIds", []string{"d1", "d3"}, year2023("date.year"))
			return idsOf(xs), err
		}, list("i3", "i1")},
		{"FindInWhere/year", func() ([]string, error) {
			xs, err := s.Suggestions.FindInWhere(bg, "ta", "deputyId", []string{"d1"}, year2023("year"))
			return idsOf(xs), err
		}, list("s1")},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.find()
			if err != nil || !slices.Equal(list(got...), c.want) {
				t.Errorf("got %v (%v), want %v", got, err, c.want)
			}
		})
	}
}

// testTownships: the townships a request names are checked and resolved
// the same way for every read, naming the field at fault.
func (c *contract) testTownships(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "tc", "ta", "tb")
	one := as("user:a", records.Viewer, "tb")
	for _, c := range []struct {
		name  string
		actor records.Actor
		asked []string
		want  []string
		field string
	}{
		{"All", records.Local, nil, list("ta", "tb", "tc"), ""},
		{"AllOfOne", records.ActorFrom(one), nil, list("tb"), ""},
		{"Asked", records.Local, []string{"tc", "ta"}, list("tc", "ta"), ""},
		{"AskedTwice", records.Local, []string{"tb", "tb"}, list("tb"), ""},
		{"ErrUnknown", records.Local, []string{"nowhere"}, nil, "township"},
		{"ErrUnknownSecond", records.Local, []string{"ta", "nowhere"}, nil, "townships.1"},
		{"ErrHidden", records.ActorFrom(one), []string{"ta"}, nil, "township"},
		{"ErrHiddenSecond", records.ActorFrom(one), []string{"tb", "ta"}, nil, "townships.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := records.WithActor(bg, c.actor)
			got, err := s.ResolveTownships(ctx, c.asked)
			if c.field != "" {
				wantErr(t, "resolve", err, records.ENOTFOUND, c.field)
				return
			}
			if err != nil || !slices.Equal(list(got...), c.want) {
				t.Errorf("resolve %v: %v (%v), want %v", c.asked, got, err, c.want)
			}
		})
	}
	t.Run("Check", func(t *testing.T) {
		wantOK(t, "check ta and tb", s.CheckTownships(bg, []string{"ta", "tb"}, "townships"))
		wantErr(t, "check ta and nowhere", s.CheckTownships(bg, []string{"ta", "nowhere"}, "filter.townships"), records.ENOTFOUND, "filter.townships.1")
		wantErr(t, "check nowhere", s.CheckTownships(bg, []string{"nowhere"}, "township"), records.ENOTFOUND, "township")
		wantErr(t, "check a hidden one", s.CheckTownships(one, []string{"ta"}, "township"), records.ENOTFOUND, "township")
		// Long lists, as an analyst may send: the same answers.
		for _, n := range []int{10, 100} {
			long := slices.Repeat([]string{"tb", "ta"}, n)
			wantOK(t, fmt.Sprintf("check ta and tb ×%d", n), s.CheckTownships(bg, long, "townships"))
			long = append(long, "nowhere")
			wantErr(t, fmt.Sprintf("check ta and tb ×%d and nowhere", n), s.CheckTownships(bg, long, "townships"), records.ENOTFOUND, fmt.Sprintf("townships.%d", 2*n))
			wantErr(t, fmt.Sprintf("check ta and tb ×%d as one who sees tb alone", n), s.CheckTownships(one, long, "townships"), records.ENOTFOUND, "townships.1")
		}
	})
}
