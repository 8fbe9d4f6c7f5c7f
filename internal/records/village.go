package records

import "fmt"

// Village is an administrative village (行政村) of the township.
type Village struct {
	Meta         `bson:",inline"`
	Name         string        `json:"name" bson:"name"`
	NameKey      string        `json:"nameKey" bson:"nameKey" max:"-"`
	Code         string        `json:"code,omitempty" bson:"code,omitempty"`
	Population   *int          `json:"population,omitempty" bson:"population,omitempty"`
	Designations []Designation `json:"designations" bson:"designations"`
}

// Designation is a title a village holds from a year on, such as
// 市级文明生态示范村.
type Designation struct {
	Year  int    `json:"year" bson:"year"`
	Title string `json:"title" bson:"title"`
	Level string `json:"level,omitempty" bson:"level,omitempty"` // 市级, 县级 … as awarded
}

func (v *Village) Validate() error {
	if err := checkLimits(v); err != nil {
		return err
	}
	if err := required("name", v.Name); err != nil {
		return err
	}
	if err := nonNegative("population", v.Population); err != nil {
		return err
	}
	for i, d := range v.Designations {
		field := fmt.Sprintf("designations.%d", i)
		if d.Year < 1949 || d.Year > 2100 {
			return Invalidf(field+".year", "year %d is out of range", d.Year)
		}
		if err := required("title", d.Title); err != nil {
			return Prefix(field, err)
		}
	}
	return v.Meta.Validate()
}

func (v *Village) Refs() []Ref { return nil }

// VillagePatch changes the fields it sets; nil leaves a field as it is.
type VillagePatch struct {
	Name         *string
	Code         *string
	Population   *int
	Designations []Designation
	Tags         []string
	Attributes   map[string]any
}

func (p *VillagePatch) Apply(v *Village) {
	set(&v.Name, p.Name)
	set(&v.Code, p.Code)
	setPtr(&v.Population, p.Population)
	setList(&v.Designations, p.Designations)
	setList(&v.Tags, p.Tags)
	setMap(&v.Attributes, p.Attributes)
}
