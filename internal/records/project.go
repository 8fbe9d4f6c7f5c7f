package records

import "fmt"

// ProjectKind says what a project builds.
type ProjectKind string

const (
	ROAD   ProjectKind = "ROAD"
	SCHOOL ProjectKind = "SCHOOL"
	MARKET ProjectKind = "MARKET"
	OTHER  ProjectKind = "OTHER"
)

// ProjectStatus is where a project stands.
type ProjectStatus string

const (
	PLANNED     ProjectStatus = "PLANNED"
	IN_PROGRESS ProjectStatus = "IN_PROGRESS"
	COMPLETED   ProjectStatus = "COMPLETED"
	SUSPENDED   ProjectStatus = "SUSPENDED"
)

// Surface is a road's pavement.
type Surface string

const (
	CEMENT  Surface = "CEMENT"  // 水泥
	ASPHALT Surface = "ASPHALT" // 沥青
	GRAVEL  Surface = "GRAVEL"  // 砂石
	EARTH   Surface = "EARTH"   // 土路
)

// Project is a public works project in one or more villages.
type Project struct {
	Meta        `bson:",inline"`
	Name        string        `json:"name" bson:"name"`
	NameKey     string        `json:"nameKey" bson:"nameKey" max:"-"`
	Kind        ProjectKind   `json:"kind" bson:"kind"`
	VillageIDs  []string      `json:"villageIds" bson:"villageIds" max:"500"`
	Year        int           `json:"year" bson:"year"`
	Status      ProjectStatus `json:"status" bson:"status"`
	Description string        `json:"description,omitempty" bson:"description,omitempty" max:"20000" text:"multiline"`
	Funding     *Funding      `json:"funding,omitempty" bson:"funding,omitempty"`
	LengthKm    *float64      `json:"lengthKm,omitempty" bson:"lengthKm,omitempty"` // roads only
	Surface     *Surface      `json:"surface,omitempty" bson:"surface,omitempty"`   // roads only
	Bidding     *Bidding      `json:"bidding,omitempty" bson:"bidding,omitempty"`
}

// Funding is a project's money, in yuan (元).
type Funding struct {
	Total   *float64        `json:"total,omitempty" bson:"total,omitempty"`
	Sources []FundingSource `json:"sources" bson:"sources"`
}

// FundingSource is one source of a project's money: 县财政, 村民集资, 山林拍卖 ….
type FundingSource struct {
	Source string   `json:"source" bson:"source"`
	Amount *float64 `json:"amount,omitempty" bson:"amount,omitempty"`
}

// Bidding is how the builder was chosen.
type Bidding struct {
	Teams   int      `json:"teams" bson:"teams"` // how many teams bid
	Bidders []string `json:"bidders" bson:"bidders"`
	Winner  string   `json:"winner,omitempty" bson:"winner,omitempty"`
	Method  string   `json:"method,omitempty" bson:"method,omitempty"` // e.g. 村民代表大会公开招标, 全体代表一致同意
}

func (p *Project) Validate() error {
	if err := checkLimits(p); err != nil {
		return err
	}
	if err := required("name", p.Name); err != nil {
		return err
	}
	switch p.Kind {
	case ROAD, SCHOOL, MARKET, OTHER:
	default:
		return Invalidf("kind", "unknown project kind %q", p.Kind)
	}
	switch p.Status {
	case PLANNED, IN_PROGRESS, COMPLETED, SUSPENDED:
	default:
		return Invalidf("status", "unknown project status %q", p.Status)
	}
	if p.Year < 1949 || p.Year > 2100 {
		return Invalidf("year", "year %d is out of range", p.Year)
	}
	if err := uniqueIDs("villageIds", p.VillageIDs); err != nil {
		return err
	}
	if err := nonNegative("lengthKm", p.LengthKm); err != nil {
		return err
	}
	if p.Kind != ROAD && (p.LengthKm != nil || p.Surface != nil) {
		return Invalidf("lengthKm", "length and surface are for ROAD projects, this one is %s", p.Kind)
	}
	if p.Surface != nil {
		switch *p.Surface {
		case CEMENT, ASPHALT, GRAVEL, EARTH:
		default:
			return Invalidf("surface", "unknown surface %q", *p.Surface)
		}
	}
	if f := p.Funding; f != nil {
		if err := nonNegative("funding.total", f.Total); err != nil {
			return err
		}
		for i, s := range f.Sources {
			field := fmt.Sprintf("funding.sources.%d", i)
			if err := required("source", s.Source); err != nil {
				return Prefix(field, err)
			}
			if err := nonNegative("amount", s.Amount); err != nil {
				return Prefix(field, err)
			}
		}
	}
	if b := p.Bidding; b != nil {
		if b.Teams < 0 {
			return Invalidf("bidding.teams", "teams cannot be negative")
		}
		if len(b.Bidders) > b.Teams {
			return Invalidf("bidding.bidders", "%d bidders named but only %d teams bid", len(b.Bidders), b.Teams)
		}
	}
	return p.Meta.Validate()
}

func (p *Project) Refs() []Ref {
	return []Ref{{Field: "villageIds", Kind: KindVillage, IDs: p.VillageIDs, List: true}}
}

// ProjectPatch changes the fields it sets; nil leaves a field as it is.
type ProjectPatch struct {
	Name        *string
	Kind        *ProjectKind
	VillageIDs  []string
	Year        *int
	Status      *ProjectStatus
	Description *string
	Funding     *Funding
	LengthKm    *float64
	Surface     *Surface
	Bidding     *Bidding
	Tags        []string
	Attributes  map[string]any
}

func (p *ProjectPatch) Apply(x *Project) {
	set(&x.Name, p.Name)
	set(&x.Kind, p.Kind)
	setList(&x.VillageIDs, p.VillageIDs)
	set(&x.Year, p.Year)
	set(&x.Status, p.Status)
	set(&x.Description, p.Description)
	setPtr(&x.Funding, p.Funding)
	setPtr(&x.LengthKm, p.LengthKm)
	setPtr(&x.Surface, p.Surface)
	setPtr(&x.Bidding, p.Bidding)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}
