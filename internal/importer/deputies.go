package importer

import (
	"fmt"
	"strings"

	"renda/internal/records"
)

type deputyPlanner struct {
	base
	c        Collection[records.Deputy]
	existing []*records.Deputy
	// created holds, by name, the rows of the file that create a deputy,
	// with their birth months ("" for none).
	created map[string][]createdRow
	// changed says, by id, whether the row that matched the deputy first
	// changes it: a later row that matches it too and changes nothing (a
	// 花名册 lists a deputy of two levels in each list) is that row again.
	changed map[string]bool
}

type createdRow struct {
	line  int
	month string
}

// deputyTexts are the deputy's plain text fields.
var deputyTexts = map[string]func(*records.Deputy) *string{
	"ethnicity":  func(d *records.Deputy) *string { return &d.Ethnicity },
	"party":      func(d *records.Deputy) *string { return &d.Party },
	"occupation": func(d *records.Deputy) *string { return &d.Occupation },
	"phone":      func(d *records.Deputy) *string { return &d.Phone },
	"term":       func(d *records.Deputy) *string { return &d.Term },
	"group":      func(d *records.Deputy) *string { return &d.Group },
}

// deputyRow is a row's values, read and checked.
type deputyRow struct {
	name    string
	gender  *records.Gender
	birth   *birth
	levels  []records.Level
	village *records.Village
	texts   map[string]string
	// maskedPhone is a phone cell masked as exports show it to viewers
	// (138****5678).
	maskedPhone string
}

// masked reports a number masked as renda shows it to readers who may not
// see it whole.
func masked(s string) bool { return strings.Contains(s, "*") }

const maskedPhoneWhy = "联系电话是脱敏后的号码（含 *），不是完整号码"

func (p *deputyPlanner) read(in *input, r *rowPlan[records.Deputy]) deputyRow {
	var d deputyRow
	d.texts = map[string]string{}
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
			d.name = personName(s)
		case "gender":
			if g, why := parseGender(s); why != "" {
				r.refuse(f, v, why)
			} else {
				d.gender = &g
			}
		case "birthDate":
			if b, why := parseBirth(v, p.now); why != "" {
				r.refuse(f, v, why)
			} else {
				d.birth = &b
			}
		case "levels":
			if ls, why := parseLevels(s); why != "" {
				r.refuse(f, v, why)
			} else {
				d.levels = ls
			}
		case "village":
			if vil := p.villages.find(s); vil == nil {
				r.refuse(f, v, "所在村"+p.villages.unknown(s))
			} else {
				d.village = vil
			}
		case "phone":
			if masked(s) {
				// An export made by a reader who sees phones masked: the
				// number is not in it, so it changes nothing (see diff).
				d.maskedPhone = s
			} else {
				d.texts[f] = s
			}
		default:
			if _, ok := deputyTexts[f]; ok {
				d.texts[f] = s
			}
		}
	}
	if d.name == "" {
		r.refuseRow("name", "姓名为空")
	}
	return d
}

func (p *deputyPlanner) plan(in *input) (Row, op) {
	r := &rowPlan[records.Deputy]{spec: p.spec}
	d := p.read(in, r)
	record := d.name
	if d.birth != nil {
		record += "（" + d.birth.String() + "）"
	}
	if len(r.problems) > 0 {
		return result(r, record, p.c, nil, nil)
	}
	match, why := p.match(in, d)
	if why == "" {
		id := ""
		if match != nil {
			id = match.ID
		}
		why = p.duplicate(p.keyOf(in, d), id, in.line)
	}
	if why == "" && match == nil && p.defaultKey() {
		why = p.sameNewName(d, in.line)
	}
	if why != "" && match != nil {
		if changed, seen := p.changed[match.ID]; seen && !changed {
			again := &rowPlan[records.Deputy]{spec: p.spec}
			p.read(in, again)
			p.diff(in, d, match, again)
			if len(again.changes) == 0 && len(again.problems) == 0 {
				return result(again, record, p.c, match, nil)
			}
		}
	}
	if why != "" {
		r.refuseRow(strings.Join(p.key, ","), why)
		return result(r, record, p.c, nil, nil)
	}
	if match == nil {
		return result(r, record, p.c, nil, p.create(in, d, r))
	}
	p.diff(in, d, match, r)
	if p.changed == nil {
		p.changed = map[string]bool{}
	}
	p.changed[match.ID] = len(r.changes) > 0
	return result(r, record, p.c, match, nil)
}

// sameNewName refuses a new deputy without a birth month beside another
// new one of the same name (or the other way round): the two rows may be
// one person, and the next import could not tell them apart.
func (p *deputyPlanner) sameNewName(d deputyRow, line int) string {
	if p.created == nil {
		p.created = map[string][]createdRow{}
	}
	month := ""
	if d.birth != nil {
		month = d.birth.month()
	}
	for _, c := range p.created[d.name] {
		if month == "" || c.month == "" {
			return fmt.Sprintf("与第 %d 行姓名相同，其中一行没有出生年月，无法判断是不是同一人；请填写出生年月", c.line)
		}
	}
	p.created[d.name] = append(p.created[d.name], createdRow{line, month})
	return ""
}

// keyOf is the row's key as text, to find a second row for one new record.
func (p *deputyPlanner) keyOf(in *input, d deputyRow) string {
	var parts []string
	for _, k := range p.key {
		switch k {
		case "name":
			parts = append(parts, d.name)
		case "birthDate":
			if d.birth != nil {
				parts = append(parts, d.birth.month())
			} else {
				parts = append(parts, "")
			}
		case "village":
			if d.village != nil {
				parts = append(parts, d.village.ID)
			}
		default:
			s, _ := plainText(in.values[k], hasValue(in, k))
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\x00")
}

func hasValue(in *input, field string) bool { _, ok := in.values[field]; return ok }

// match finds the deputy a row is about. With the natural key a row names
// the deputy of that name born in the row's birth month;
// a row without a birth date, or a deputy stored without one, matches
// when the name alone is unique.
func (p *deputyPlanner) match(in *input, d deputyRow) (*records.Deputy, string) {
	if p.defaultKey() {
		var sameName, sameBirth, noBirth []*records.Deputy
		for _, x := range p.existing {
			if personName(x.Name) != d.name {
				continue
			}
			sameName = append(sameName, x)
			if d.birth != nil && d.birth.sameMonth(x.BirthDate) {
				sameBirth = append(sameBirth, x)
			}
			if x.BirthDate == nil {
				noBirth = append(noBirth, x)
			}
		}
		switch {
		case d.birth == nil && len(sameName) == 1:
			return sameName[0], ""
		case d.birth == nil && len(sameName) > 1:
			return nil, fmt.Sprintf("本乡镇有 %d 名叫“%s”的代表，请填写出生年月以区分", len(sameName), d.name)
		case d.birth == nil:
			return nil, ""
		case len(sameBirth) == 1:
			return sameBirth[0], ""
		case len(sameBirth) > 1:
			return nil, fmt.Sprintf("本乡镇有 %d 名叫“%s”且出生年月为 %s 的代表，无法区分；请用匹配字段（如联系电话）区分", len(sameBirth), d.name, d.birth)
		case len(noBirth) == 1:
			return noBirth[0], ""
		}
		return nil, ""
	}
	var found []*records.Deputy
	for _, x := range p.existing {
		same := true
		for _, k := range p.key {
			v, ok := in.values[k]
			if !ok || !p.keyAgrees(x, k, v, d) {
				same = false
				break
			}
		}
		if same {
			found = append(found, x)
		}
	}
	for _, k := range p.key {
		if s, ok := plainText(in.values[k], hasValue(in, k)); !ok || s == "" {
			return nil, fmt.Sprintf("用来匹配记录的“%s”为空", p.spec.field(k).label)
		}
	}
	if len(found) > 1 {
		return nil, fmt.Sprintf("本乡镇有 %d 名代表的%s与这一行相同，无法区分", len(found), p.keyLabel())
	}
	if len(found) == 1 {
		return found[0], ""
	}
	return nil, ""
}

func (p *deputyPlanner) keyAgrees(x *records.Deputy, field string, v value, d deputyRow) bool {
	switch field {
	case "name":
		return personName(x.Name) == d.name
	case "birthDate":
		return d.birth != nil && d.birth.sameMonth(x.BirthDate)
	case "village":
		return d.village != nil && x.VillageID == d.village.ID
	}
	s, _ := plainText(v, true)
	if acc, ok := deputyTexts[field]; ok {
		return *acc(x) == s
	}
	if key, ok := strings.CutPrefix(field, "attributes."); ok {
		a, ok := x.Attributes[key]
		return ok && a != nil && fmt.Sprint(a) == s
	}
	return false
}

func (p *deputyPlanner) create(in *input, d deputyRow, r *rowPlan[records.Deputy]) *records.Deputy {
	x := &records.Deputy{Meta: records.Meta{Township: p.township, Tags: []string{}}, Name: d.name,
		Gender: d.gender, Levels: d.levels, Voters: []records.Voter{}, Honours: []records.Honour{}}
	if d.birth != nil {
		x.BirthDate = &d.birth.date
	}
	if d.village != nil {
		x.VillageID = d.village.ID
	}
	for f, s := range d.texts {
		*deputyTexts[f](x) = s
	}
	if d.maskedPhone != "" {
		r.refuse("phone", in.values["phone"], maskedPhoneWhy+"；请填写完整号码，或留空")
	}
	if len(d.levels) == 0 {
		if v, ok := in.values["levels"]; ok {
			r.refuse("levels", v, "代表层级为空；新增代表需要写明市级、县级或镇级")
		} else {
			r.refuseRow("levels", "文件中没有“代表层级”一列，新增代表需要写明市级、县级或镇级")
		}
	}
	attributes(r, in, func(x *records.Deputy) *records.Meta { return &x.Meta }, nil, &x.Meta)
	return x
}

// diff records what the row changes on the deputy x. A cell left empty (or
// a dash) changes nothing; so does a column the file does not have.
func (p *deputyPlanner) diff(in *input, d deputyRow, x *records.Deputy, r *rowPlan[records.Deputy]) {
	v := in.values
	if d.name != "" && personName(x.Name) != d.name {
		name := d.name
		r.change("name", v["name"], x.Name, name, func(y *records.Deputy) { y.Name = name })
	}
	if d.gender != nil {
		g := *d.gender
		r.change("gender", v["gender"], genderText(x.Gender), genderText(&g), func(y *records.Deputy) { y.Gender = &g })
	}
	if d.birth != nil && !d.birth.same(x.BirthDate) {
		date, old := d.birth.date, ""
		if x.BirthDate != nil {
			old = dateText(*x.BirthDate)
		}
		r.change("birthDate", v["birthDate"], old, d.birth.String(), func(y *records.Deputy) { y.BirthDate = &date })
	}
	if d.levels != nil && !sameLevels(x.Levels, d.levels) {
		ls := d.levels
		r.change("levels", v["levels"], levelsText(x.Levels), levelsText(ls), func(y *records.Deputy) { y.Levels = ls })
	}
	if d.village != nil && x.VillageID != d.village.ID {
		id := d.village.ID
		old := ""
		if x.VillageID != "" {
			old = p.villages.name(x.VillageID)
		}
		r.change("village", v["village"], old, d.village.Name, func(y *records.Deputy) { y.VillageID = id })
	}
	for f, s := range d.texts {
		acc, s := deputyTexts[f], s
		r.change(f, v[f], *acc(x), s, func(y *records.Deputy) { *acc(y) = s })
	}
	// A masked phone that masks the stored number is that number: the row
	// changes nothing. One that does not is refused, never stored.
	if d.maskedPhone != "" && records.MaskPhone(x.Phone) != d.maskedPhone {
		r.refuse("phone", v["phone"], maskedPhoneWhy+"，与这名代表现有的号码也不相符；请填写完整号码，或留空以保留原号码")
	}
	attributes(r, in, func(y *records.Deputy) *records.Meta { return &y.Meta }, &x.Meta, nil)
}
