package storetest

import (
	"testing"

	"renda/internal/records"
)

// testRelations: some, none and count through every kind of relation
// list — a list of ids in the related records (an inspection's
// participants) and one id (a suggestion's deputy) — nested, negated, in
// one township or several, each by find, count and grouping.
func (c *contract) testRelations(t *testing.T) {
	s := c.open(t)
	MustTownships(t, s, "ta", "tb")
	for _, v := range []struct{ t, id string }{{"ta", "v1"}, {"ta", "v2"}, {"ta", "v3"}, {"tb", "v4"}} {
		MustCreate(t, bg, s.Villages, village(v.t, v.id, "村"+v.id))
	}
	for _, d := range []struct{ t, id, village string }{{"ta", "d1", "v1"}, {"ta", "d2", "v1"}, {"ta", "d3", ""}, {"ta", "d4", "v2"}, {"tb", "d5", "v4"}} {
		x := deputy(d.t, d.id, "代表"+d.id)
		if d.village != "" {
			x.VillageID = d.village
		}
		MustCreate(t, bg, s.Deputies, x)
	}
	for _, i := range []struct {
		t, id string
		date  records.Date
		who   []string
	}{{"ta", "i1", "2023-03-01", list("d1", "d2")}, {"ta", "i2", "2022-05-01", list("d2", "d3")}, {"ta", "i3", "2023-09-01", list("d1")}, {"tb", "i4", "2023-04-01", list("d5")},
		{"ta", "i5", "2021-04-01", nil}} {
		x := inspection(i.t, i.id, "视察"+i.id, i.date, records.DAY)
		x.ParticipantIDs = i.who
		MustCreate(t, bg, s.Inspections, x)
	}
	for _, x := range []struct{ t, id, deputy string }{{"ta", "s1", "d1"}, {"ta", "s2", "d1"}, {"ta", "s3", "d3"}} {
		MustCreate(t, bg, s.Suggestions, suggestion(x.t, x.id, x.deputy, "建议"+x.id, "2023-06-01"))
	}
	type F = records.DeputyFilter
	type I = records.InspectionFilter
	type S = records.SuggestionFilter
	y2023 := &I{Year: &records.IntFilter{Eq: ptr(2023)}}
	count := func(f records.IntFilter, where *I) *records.InspectionRelation {
		return &records.InspectionRelation{Count: &records.InspectionCount{IntFilter: f, Where: where}}
	}
	for _, towns := range [][]string{nil, {"ta", "tb"}} {
		runFilters(t, records.KindDeputy, s.Deputies, towns, []filterCase{
			{"none", deputies(F{Inspections: &records.InspectionRelation{None: y2023}}), list("d3", "d4")},
			{"some", deputies(F{Inspections: &records.InspectionRelation{Some: y2023}}), list("d1", "d2", "d5")},
			{"some/empty", deputies(F{Inspections: &records.InspectionRelation{Some: &I{}}}), list("d1", "d2", "d3", "d5")},
			{"not/some", deputies(F{Not: &F{Inspections: &records.InspectionRelation{Some: y2023}}}), list("d3", "d4")},
			{"count.gte", deputies(F{Inspections: count(records.IntFilter{Gte: ptr(2)}, nil)}), list("d1", "d2")},
			{"count.eq0", deputies(F{Inspections: count(records.IntFilter{Eq: ptr(0)}, nil)}), list("d4")},
			{"count.where", deputies(F{Inspections: count(records.IntFilter{Eq: ptr(1)}, y2023)}), list("d2", "d5")},
			{"count.lt", deputies(F{Inspections: count(records.IntFilter{Lt: ptr(2)}, nil)}), list("d3", "d4", "d5")},
			{"count.in", deputies(F{Inspections: count(records.IntFilter{In: []int{0, 2}}, nil)}), list("d1", "d2", "d4")},
			{"one id/count", deputies(F{Suggestions: &records.SuggestionRelation{Count: &records.SuggestionCount{IntFilter: records.IntFilter{Gte: ptr(2)}}}}), list("d1")},
			{"one id/none", deputies(F{Suggestions: &records.SuggestionRelation{None: &S{}}}), list("d2", "d4", "d5")},
			{"and", deputies(F{Inspections: &records.InspectionRelation{Some: y2023}, Suggestions: &records.SuggestionRelation{None: &S{}}}), list("d2", "d5")},
			{"or", deputies(F{Or: []*F{{Suggestions: &records.SuggestionRelation{Some: &S{}}}, {Village: &records.IDFilter{Eq: ptr("v2")}}}}), list("d1", "d3", "d4")},
		})
		type V = records.VillageFilter
		runFilters(t, records.KindVillage, s.Villages, towns, []filterCase{
			{"none", villages(V{Deputies: &records.DeputyRelation{None: &F{}}}), list("v3")},
			{"nested", villages(V{Deputies: &records.DeputyRelation{Some: &F{Inspections: &records.InspectionRelation{None: &I{}}}}}), list("v2")},
			{"nested/count", villages(V{Deputies: &records.DeputyRelation{Count: &records.DeputyCount{IntFilter: records.IntFilter{Gte: ptr(2)},
				Where: &F{Inspections: &records.InspectionRelation{Some: y2023}}}}}), list("v1")},
		})
		// The other way: the deputies an inspection's list names.
		inV1 := &F{Village: &records.IDFilter{Eq: ptr("v1")}}
		runFilters(t, records.KindInspection, s.Inspections, towns, []filterCase{
			{"list/some", inspections(I{Participants: &records.DeputyListFilter{Some: inV1}}), list("i1", "i2", "i3")},
			{"list/none", inspections(I{Participants: &records.DeputyListFilter{None: inV1}}), list("i4", "i5")},
			{"list/count.where", inspections(I{Participants: &records.DeputyListFilter{Count: &records.DeputyCount{IntFilter: records.IntFilter{Gte: ptr(2)}, Where: inV1}}}), list("i1")},
			{"list/count.eq1", inspections(I{Participants: &records.DeputyListFilter{Count: &records.DeputyCount{IntFilter: records.IntFilter{Eq: ptr(1)}}}}), list("i3", "i4")},
			{"list/count.eq0", inspections(I{Participants: &records.DeputyListFilter{Count: &records.DeputyCount{IntFilter: records.IntFilter{Eq: ptr(0)}}}}), list("i5")},
			{"list/has+some", inspections(I{Participants: &records.DeputyListFilter{Has: ptr("d2"), Some: &F{Village: &records.IDFilter{IsNull: ptr(true)}}}}), list("i2")},
			{"list/nested", inspections(I{Participants: &records.DeputyListFilter{Some: &F{Inspections: &records.InspectionRelation{Some: &I{Year: &records.IntFilter{Eq: ptr(2022)}}}}}}), list("i1", "i2")},
		})
	}
	// Townships through their records.
	type T = records.TownshipFilter
	townships := func(f T) compiled { return compile(records.Compile(&f, "filter")) }
	runFilters(t, records.KindTownship, s.Townships, nil, []filterCase{
		{"townships/some", townships(T{Suggestions: &records.SuggestionRelation{Some: &S{}}}), list("ta")},
		{"townships/none", townships(T{Inspections: &records.InspectionRelation{None: &I{Year: &records.IntFilter{Eq: ptr(2022)}}}}), list("tb")},
		{"townships/count", townships(T{Deputies: &records.DeputyRelation{Count: &records.DeputyCount{IntFilter: records.IntFilter{Gte: ptr(2)}}}}), list("ta")},
	})
	// One township: the related records are read in it only.
	runFilters(t, records.KindDeputy, s.Deputies, []string{"tb"}, []filterCase{
		{"scoped/some", deputies(F{Inspections: &records.InspectionRelation{Some: y2023}}), list("d5")},
		{"scoped/none", deputies(F{Inspections: &records.InspectionRelation{None: y2023}}), list()},
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		var and []*F
		for range records.MaxRelations + 1 {
			and = append(and, &F{Inspections: &records.InspectionRelation{Some: y2023}})
		}
		_, err := records.Compile(&F{And: and}, "filter")
		wantErr(t, "compile", err, records.EINVALID, "filter")
	})
	t.Run("ErrCountIsNull", func(t *testing.T) {
		_, err := records.Compile(&F{Inspections: count(records.IntFilter{IsNull: ptr(true)}, nil)}, "filter")
		wantErr(t, "compile", err, records.EINVALID, "filter.inspections.count.isNull")
	})
	t.Run("ErrNested", func(t *testing.T) {
		_, err := records.Compile(&F{Inspections: &records.InspectionRelation{None: &I{Date: &records.DateFilter{Eq: ptr(records.Date("2023-02-30"))}}}}, "filter")
		wantErr(t, "compile", err, records.EINVALID, "filter.inspections.none.date.eq")
	})
}
