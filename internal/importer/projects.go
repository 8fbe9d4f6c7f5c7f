package importer

import (
	"fmt"
	"strconv"
	"strings"

	"renda/internal/records"
)

type projectPlanner struct {
	base
	c        Collection[records.Project]
	existing []*records.Project
}

type projectRow struct {
	name        string
	kind        *records.ProjectKind
	villages    []*records.Village
	year        *int
	status      *records.ProjectStatus
	lengthKm    *float64
	surface     *records.Surface
	description string
}

// projectName compares project names with their spaces collapsed.
func projectName(s string) string { return strings.Join(strings.Fields(s), " ") }

func (p *projectPlanner) read(in *input, r *rowPlan[records.Project]) projectRow {
	var x projectRow
	for f, v := range in.values {
		if why := cellProblem(v); why != "" {
			r.refuse(f, v, why)
			continue
		}
		s, ok := plainText(v, true)
		if !ok {
			continue
		}
		switch f {
		case "name":
			x.name = projectName(s)
		case "kind":
			if k, why := choice(v, "项目类型", kindNames, "公路、学校、市场或其他"); why != "" {
				r.refuse(f, v, why)
			} else {
				x.kind = &k
			}
		case "status":
			if st, why := choice(v, "状态", statusNames, "计划、在建、完工或停工"); why != "" {
				r.refuse(f, v, why)
			} else {
				x.status = &st
			}
		case "surface":
			if su, why := choice(v, "路面", surfaceNames, "水泥、沥青、砂石或土路"); why != "" {
				r.refuse(f, v, why)
			} else {
				x.surface = &su
			}
		case "year":
			if y, why := parseCount(v, "年度", 1949, 2100, "年度", "年"); why != "" {
				r.refuse(f, v, why)
			} else {
				x.year = &y
			}
		case "lengthKm":
			km, ok := number(v, "公里", "km", "千米")
			switch {
			case !ok:
				r.refuse(f, v, fmt.Sprintf("里程“%s”不是数字（单位：公里）", v.text))
			case km < 0 || km > 10000:
				r.refuse(f, v, fmt.Sprintf("里程“%s”不在 0 到 10000 公里之间", v.text))
			default:
				x.lengthKm = &km
			}
		case "villages":
			seen := map[string]bool{}
			for _, name := range splitList.Split(s, -1) {
				if name == "" {
					continue
				}
				vil := p.villages.find(name)
				if vil == nil {
					r.refuse(f, v, "所在村"+p.villages.unknown(name))
					continue
				}
				if !seen[vil.ID] {
					seen[vil.ID] = true
					x.villages = append(x.villages, vil)
				}
			}
		case "description":
			x.description = s
		}
	}
	if x.name == "" {
		r.refuseRow("name", "项目名称为空")
	}
	return x
}

func (x projectRow) record() string {
	if x.year == nil {
		return x.name
	}
	return fmt.Sprintf("%s（%d年）", x.name, *x.year)
}

func (x projectRow) villageIDs() []string {
	ids := make([]string, len(x.villages))
	for i, v := range x.villages {
		ids[i] = v.ID
	}
	return ids
}

func (p *projectPlanner) plan(in *input) (Row, op) {
	r := &rowPlan[records.Project]{spec: p.spec}
	x := p.read(in, r)
	if len(r.problems) > 0 {
		return result(r, x.record(), p.c, nil, nil)
	}
	match, why := p.match(in, x)
	if why == "" {
		id := ""
		if match != nil {
			id = match.ID
		}
		why = p.duplicate(p.keyOf(in, x), id, in.line)
	}
	if why != "" {
		r.refuseRow(strings.Join(p.key, ","), why)
		return result(r, x.record(), p.c, nil, nil)
	}
	// Length and surface are for roads: the kind is the row's, or the
	// stored one when the row leaves it out.
	kind := x.kind
	if kind == nil && match != nil {
		kind = &match.Kind
	}
	if (x.lengthKm != nil || x.surface != nil) && kind != nil && *kind != records.ROAD {
		v, f := in.values["lengthKm"], "lengthKm"
		if x.lengthKm == nil {
			v, f = in.values["surface"], "surface"
		}
		r.refuse(f, v, fmt.Sprintf("只有公路项目才填写里程和路面，这个项目是%s", kindText[*kind]))
	}
	meta := func(y *records.Project) *records.Meta { return &y.Meta }
	if match == nil {
		return result(r, x.record(), p.c, nil, p.create(in, x, r))
	}
	v := in.values
	if projectName(match.Name) != x.name {
		name := x.name
		r.change("name", v["name"], match.Name, name, func(y *records.Project) { y.Name = name })
	}
	if x.kind != nil {
		k := *x.kind
		r.change("kind", v["kind"], kindText[match.Kind], kindText[k], func(y *records.Project) { y.Kind = k })
	}
	if x.status != nil {
		st := *x.status
		r.change("status", v["status"], statusText[match.Status], statusText[st], func(y *records.Project) { y.Status = st })
	}
	if x.year != nil {
		y := *x.year
		r.change("year", v["year"], strconv.Itoa(match.Year), strconv.Itoa(y), func(z *records.Project) { z.Year = y })
	}
	if x.villages != nil && !sameSet(match.VillageIDs, x.villageIDs()) {
		ids := x.villageIDs()
		r.change("villages", v["villages"], p.villageNames(match.VillageIDs), p.villageNames(ids), func(y *records.Project) { y.VillageIDs = ids })
	}
	if x.lengthKm != nil {
		km := *x.lengthKm
		r.change("lengthKm", v["lengthKm"], floatText(match.LengthKm), floatText(&km), func(y *records.Project) { y.LengthKm = &km })
	}
	if x.surface != nil {
		su, old := *x.surface, ""
		if match.Surface != nil {
			old = surfaceText[*match.Surface]
		}
		r.change("surface", v["surface"], old, surfaceText[su], func(y *records.Project) { y.Surface = &su })
	}
	if x.description != "" {
		d := x.description
		r.change("description", v["description"], match.Description, d, func(y *records.Project) { y.Description = d })
	}
	attributes(r, in, meta, &match.Meta, nil)
	return result(r, x.record(), p.c, match, nil)
}

func (p *projectPlanner) create(in *input, x projectRow, r *rowPlan[records.Project]) *records.Project {
	y := &records.Project{Meta: records.Meta{Township: p.township, Tags: []string{}}, Name: x.name,
		VillageIDs: x.villageIDs(), Description: x.description, LengthKm: x.lengthKm, Surface: x.surface}
	required := func(field string, missing bool, what string) {
		if !missing {
			return
		}
		if v, ok := in.values[field]; ok {
			r.refuse(field, v, what+"为空；新增项目需要填写")
		} else {
			r.refuseRow(field, fmt.Sprintf("文件中没有“%s”一列，新增项目需要填写", what))
		}
	}
	required("kind", x.kind == nil, "类型")
	required("status", x.status == nil, "状态")
	required("year", x.year == nil, "年度")
	if x.kind != nil {
		y.Kind = *x.kind
	}
	if x.status != nil {
		y.Status = *x.status
	}
	if x.year != nil {
		y.Year = *x.year
	}
	attributes(r, in, func(z *records.Project) *records.Meta { return &z.Meta }, nil, &y.Meta)
	return y
}

func (p *projectPlanner) villageNames(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = p.villages.name(id)
	}
	return strings.Join(names, "、")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	return true
}

func (p *projectPlanner) value(x *records.Project, field string) string {
	switch field {
	case "name":
		return projectName(x.Name)
	case "year":
		return strconv.Itoa(x.Year)
	}
	if key, ok := strings.CutPrefix(field, "attributes."); ok {
		if a, ok := x.Attributes[key]; ok && a != nil {
			return fmt.Sprint(a)
		}
	}
	return ""
}

func (p *projectPlanner) rowValue(in *input, x projectRow, field string) string {
	switch field {
	case "name":
		return x.name
	case "year":
		if x.year == nil {
			return ""
		}
		return strconv.Itoa(*x.year)
	}
	s, _ := plainText(in.values[field], hasValue(in, field))
	return s
}

func (p *projectPlanner) keyOf(in *input, x projectRow) string {
	var parts []string
	for _, k := range p.key {
		parts = append(parts, p.rowValue(in, x, k))
	}
	return strings.Join(parts, "\x00")
}

// match finds the project a row is about: by name and year, or the key.
func (p *projectPlanner) match(in *input, x projectRow) (*records.Project, string) {
	for _, k := range p.key {
		if p.rowValue(in, x, k) == "" {
			return nil, fmt.Sprintf("用来匹配记录的“%s”为空", p.spec.field(k).label)
		}
	}
	var found []*records.Project
	for _, y := range p.existing {
		same := true
		for _, k := range p.key {
			if p.value(y, k) != p.rowValue(in, x, k) {
				same = false
				break
			}
		}
		if same {
			found = append(found, y)
		}
	}
	switch len(found) {
	case 0:
		return nil, ""
	case 1:
		return found[0], ""
	}
	return nil, fmt.Sprintf("本乡镇有 %d 个项目的%s与这一行相同，无法区分", len(found), p.keyLabel())
}
