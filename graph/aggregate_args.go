package graph

import (
	"fmt"
	"reflect"
	"strings"

	"renda/graph/model"
	"renda/internal/analytics"
	"renda/internal/records"
)

// havingOf turns a kind's XGroupHaving (a pointer to a generated struct:
// count, then sum, average, min and max, each a struct of filters named
// as the kind's numbers and dates, and attributes) into analytics'.
func havingOf(h any) (*analytics.Having, error) {
	v := reflect.ValueOf(h)
	if !v.IsValid() || v.IsNil() {
		return nil, nil
	}
	v = v.Elem()
	out := &analytics.Having{}
	if c, ok := v.FieldByName("Count").Interface().(*records.IntFilter); ok {
		out.Count = c
	}
	if r := v.FieldByName("Rates"); r.IsValid() && !r.IsNil() {
		r = r.Elem()
		for i := 0; i < r.NumField(); i++ {
			if f, ok := r.Field(i).Interface().(*records.FloatFilter); ok && f != nil {
				name := r.Type().Field(i).Name
				out.Rates = append(out.Rates, analytics.RateHaving{Rate: analytics.Rate(upperSnake(name)), Float: f,
					Field: "having.rates." + strings.ToLower(name[:1]) + name[1:]})
			}
		}
	}
	for _, stat := range []analytics.Stat{analytics.StatSum, analytics.StatAverage, analytics.StatMin, analytics.StatMax} {
		name := strings.ToLower(string(stat))
		f := v.FieldByName(strings.ToUpper(name[:1]) + name[1:])
		if !f.IsValid() || f.IsNil() {
			continue
		}
		f = f.Elem()
		for i := 0; i < f.NumField(); i++ {
			field, x := f.Type().Field(i), f.Field(i)
			if x.IsNil() {
				continue
			}
			at := "having." + name + "." + strings.ToLower(field.Name[:1]) + field.Name[1:]
			switch y := x.Interface().(type) {
			case *records.FloatFilter:
				out.Numbers = append(out.Numbers, analytics.NumberHaving{Stat: stat, Number: analytics.NumberRef{Number: upperSnake(field.Name)}, Float: y, Field: at})
			case *records.DateFilter:
				out.Numbers = append(out.Numbers, analytics.NumberHaving{Stat: stat, Number: analytics.NumberRef{Number: upperSnake(field.Name)}, Date: y, Field: at})
			case []*model.AttributeNumberHaving:
				for j, a := range y {
					out.Numbers = append(out.Numbers, analytics.NumberHaving{Stat: stat, Number: analytics.NumberRef{Attribute: a.Path},
						Float: &records.FloatFilter{Eq: a.Eq, Ne: a.Ne, Gt: a.Gt, Gte: a.Gte, Lt: a.Lt, Lte: a.Lte, IsNull: a.IsNull}, Field: fmt.Sprintf("%s.%d", at, j)})
				}
			}
		}
	}
	return out, nil
}

// byNumber reports orders by a figure of a number.
func byNumber(by analytics.OrderBy) bool {
	return by == analytics.BySum || by == analytics.ByAverage || by == analytics.ByMin || by == analytics.ByMax
}

func townshipOrder(o *model.TownshipGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, nil, o.Attribute, o.Direction)
}

func newTownshipGroup(g model.Group, k *model.TownshipGroupKeys) *model.TownshipGroup {
	return &model.TownshipGroup{Group: g, Keys: k}
}

func deputyOrder(o *model.DeputyGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, nil, o.Attribute, o.Direction)
}

func newDeputyGroup(g model.Group, k *model.DeputyGroupKeys) *model.DeputyGroup {
	return &model.DeputyGroup{Group: g, Keys: k}
}

func villageOrder(o *model.VillageGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, enumPtr(o.Number), o.Attribute, o.Direction)
}

func newVillageGroup(g model.Group, k *model.VillageGroupKeys) *model.VillageGroup {
	return &model.VillageGroup{Group: g, Keys: k}
}

func projectOrder(o *model.ProjectGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, enumPtr(o.Number), o.Attribute, o.Direction)
}

func newProjectGroup(g model.Group, k *model.ProjectGroupKeys) *model.ProjectGroup {
	return &model.ProjectGroup{Group: g, Keys: k}
}

func inspectionOrder(o *model.InspectionGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, enumPtr(o.Number), o.Attribute, o.Direction)
}

func newInspectionGroup(g model.Group, k *model.InspectionGroupKeys) *model.InspectionGroup {
	return &model.InspectionGroup{Group: g, Keys: k}
}

func activityOrder(o *model.ActivityGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, enumPtr(o.Number), o.Attribute, o.Direction)
}

func newActivityGroup(g model.Group, k *model.ActivityGroupKeys) *model.ActivityGroup {
	return &model.ActivityGroup{Group: g, Keys: k}
}

func suggestionOrder(o *model.SuggestionGroupOrder) (analytics.Order, error) {
	if o == nil {
		return groupOrder(false, "", nil, nil, records.ASC)
	}
	return groupOrder(true, o.By, enumPtr(o.Number), o.Attribute, o.Direction)
}

func newSuggestionGroup(g model.Group, k *model.SuggestionGroupKeys) *model.SuggestionGroup {
	return &model.SuggestionGroup{Group: g, Keys: k}
}
