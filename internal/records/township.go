package records

// Township is the tenant: one township people's congress and its presidium.
// Its Meta.Township is its own id, so scoping works the same for every kind.
type Township struct {
	Meta      `bson:",inline"`
	Name      string            `json:"name" bson:"name"`
	NameKey   string            `json:"nameKey" bson:"nameKey" max:"-"`
	County    string            `json:"county" bson:"county"`
	Presidium []PresidiumMember `json:"presidium" bson:"presidium"`
}

// PresidiumMember is one member of the township congress presidium.
type PresidiumMember struct {
	Name string `json:"name" bson:"name"`
	Role string `json:"role" bson:"role"` // 主席, 副主席, 委员, 专职秘书 …
}

func (t *Township) Validate() error {
	if err := checkLimits(t); err != nil {
		return err
	}
	if err := required("name", t.Name); err != nil {
		return err
	}
	if t.Township == "" {
		t.Township = t.ID
	}
	for i, m := range t.Presidium {
		if err := required("name", m.Name); err != nil {
			return Prefix("presidium."+itoa(i), err)
		}
	}
	return t.Meta.Validate()
}

func (t *Township) Refs() []Ref { return nil }

// TownshipPatch changes the fields it sets; nil leaves a field as it is.
type TownshipPatch struct {
	Name       *string
	County     *string
	Presidium  []PresidiumMember
	Tags       []string
	Attributes map[string]any
}

func (p *TownshipPatch) Apply(t *Township) {
	set(&t.Name, p.Name)
	set(&t.County, p.County)
	setList(&t.Presidium, p.Presidium)
	setList(&t.Tags, p.Tags)
	setMap(&t.Attributes, p.Attributes)
}
