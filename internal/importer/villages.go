package importer

import (
	"fmt"
	"strings"

	"renda/internal/records"
)

type villagePlanner struct {
	base
	c        Collection[records.Village]
	existing []*records.Village
}

type villageRow struct {
	name, code string
	population *int
}

func (p *villagePlanner) read(in *input, r *rowPlan[records.Village]) villageRow {
	var x villageRow
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
			x.name = personName(s)
		case "code":
			x.code = s
		case "population":
			if n, why := parseCount(v, "人口", 0, 10_000_000, "人"); why != "" {
				r.refuse(f, v, why)
			} else {
				x.population = &n
			}
		}
	}
	if x.name == "" {
		r.refuseRow("name", "村名为空")
	}
	return x
}

func (p *villagePlanner) plan(in *input) (Row, op) {
	r := &rowPlan[records.Village]{spec: p.spec}
	x := p.read(in, r)
	if len(r.problems) > 0 {
		return result(r, x.name, p.c, nil, nil)
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
		return result(r, x.name, p.c, nil, nil)
	}
	meta := func(v *records.Village) *records.Meta { return &v.Meta }
	if match == nil {
		v := &records.Village{Meta: records.Meta{Township: p.township, Tags: []string{}}, Name: x.name, Code: x.code,
			Population: x.population, Designations: []records.Designation{}}
		attributes(r, in, meta, nil, &v.Meta)
		return result(r, x.name, p.c, nil, v)
	}
	v := in.values
	if personName(match.Name) != x.name {
		name := x.name
		r.change("name", v["name"], match.Name, name, func(y *records.Village) { y.Name = name })
	}
	if x.code != "" {
		code := x.code
		r.change("code", v["code"], match.Code, code, func(y *records.Village) { y.Code = code })
	}
	if x.population != nil {
		n := *x.population
		r.change("population", v["population"], intText(match.Population), intText(&n), func(y *records.Village) { y.Population = &n })
	}
	attributes(r, in, meta, &match.Meta, nil)
	return result(r, x.name, p.c, match, nil)
}

func (p *villagePlanner) value(x *records.Village, field string) string {
	switch field {
	case "name":
		return personName(x.Name)
	case "code":
		return x.Code
	}
	if key, ok := strings.CutPrefix(field, "attributes."); ok {
		if a, ok := x.Attributes[key]; ok && a != nil {
			return fmt.Sprint(a)
		}
	}
	return ""
}

func (p *villagePlanner) rowValue(in *input, x villageRow, field string) string {
	if field == "name" {
		return x.name
	}
	s, _ := plainText(in.values[field], hasValue(in, field))
	return s
}

func (p *villagePlanner) keyOf(in *input, x villageRow) string {
	var parts []string
	for _, k := range p.key {
		parts = append(parts, p.rowValue(in, x, k))
	}
	return strings.Join(parts, "\x00")
}

// match finds the village a row is about: by name, or by the key fields.
func (p *villagePlanner) match(in *input, x villageRow) (*records.Village, string) {
	for _, k := range p.key {
		if p.rowValue(in, x, k) == "" {
			return nil, fmt.Sprintf("用来匹配记录的“%s”为空", p.spec.field(k).label)
		}
	}
	var found []*records.Village
	for _, v := range p.existing {
		same := true
		for _, k := range p.key {
			if p.value(v, k) != p.rowValue(in, x, k) {
				same = false
				break
			}
		}
		if same {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 0:
		return nil, ""
	case 1:
		return found[0], ""
	}
	return nil, fmt.Sprintf("本乡镇有 %d 个村的%s与这一行相同，无法区分", len(found), p.keyLabel())
}
