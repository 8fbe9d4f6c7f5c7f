package records

import "fmt"

// Level is the level of people's congress a deputy sits in. One person can
// be a deputy at several levels at once.
type Level string

const (
	CITY     Level = "CITY"     // 市级
	COUNTY   Level = "COUNTY"   // 县级
	TOWNSHIP Level = "TOWNSHIP" // 镇级
)

func (l Level) valid() bool { return l == CITY || l == COUNTY || l == TOWNSHIP }

// DeputyTally counts deputies who took part in something, as a summary
// words them (“市、县、镇三级代表23人”): how many, and the levels they
// hold, each once, highest first.
type DeputyTally struct {
	Count  int
	Levels []Level
}

// TallyDeputies counts ds (nil entries, deputies not found, are left
// out).
func TallyDeputies(ds []*Deputy) DeputyTally {
	t := DeputyTally{Levels: []Level{}}
	held := map[Level]bool{}
	for _, d := range ds {
		if d == nil {
			continue
		}
		t.Count++
		for _, l := range d.Levels {
			held[l] = true
		}
	}
	for _, l := range []Level{CITY, COUNTY, TOWNSHIP} {
		if held[l] {
			t.Levels = append(t.Levels, l)
		}
	}
	return t
}

// Gender as recorded on the roster.
type Gender string

const (
	MALE   Gender = "MALE"
	FEMALE Gender = "FEMALE"
)

// Deputy is a people's congress deputy elected in (or sitting for) the township.
type Deputy struct {
	Meta       `bson:",inline"`
	Name       string   `json:"name" bson:"name"`
	NameKey    string   `json:"nameKey" bson:"nameKey" max:"-"` // pinyin sort key, derived
	Gender     *Gender  `json:"gender,omitempty" bson:"gender,omitempty"`
	BirthDate  *Date    `json:"birthDate,omitempty" bson:"birthDate,omitempty"`
	Ethnicity  string   `json:"ethnicity,omitempty" bson:"ethnicity,omitempty"`
	Party      string   `json:"party,omitempty" bson:"party,omitempty"`
	Occupation string   `json:"occupation,omitempty" bson:"occupation,omitempty"`
	Phone      string   `json:"phone,omitempty" bson:"phone,omitempty"`
	Levels     []Level  `json:"levels" bson:"levels"`
	Term       string   `json:"term,omitempty" bson:"term,omitempty"`   // 届别, e.g. 第十八届
	Group      string   `json:"group,omitempty" bson:"group,omitempty"` // 代表小组
	VillageID  string   `json:"villageId,omitempty" bson:"villageId,omitempty"`
	Voters     []Voter  `json:"voters" bson:"voters" max:"50"`
	Honours    []Honour `json:"honours" bson:"honours"`
	// VoterCount is len(Voters), derived: what filters, groupings and
	// orders on the number of voters read.
	VoterCount int `json:"voterCount" bson:"voterCount" max:"-"`
	// Terms are the terms served (term.go); ServingFrom and ServingUntil
	// are their span, derived.
	Terms        []Term `json:"terms" bson:"terms" max:"20"`
	ServingFrom  *Date  `json:"servingFrom,omitempty" bson:"servingFrom,omitempty" max:"-"`
	ServingUntil *Date  `json:"servingUntil,omitempty" bson:"servingUntil,omitempty" max:"-"`
}

// Honour is a title awarded to the deputy, such as 优秀人大代表.
type Honour struct {
	Year  int    `json:"year" bson:"year"`
	Title string `json:"title" bson:"title"`
	Level Level  `json:"level" bson:"level"` // who awarded it: CITY, COUNTY or TOWNSHIP
}

// ContactEvent is one time a deputy met or called a voter.
type ContactEvent struct {
	Date         Date   `json:"date" bson:"date"`
	Channel      string `json:"channel,omitempty" bson:"channel,omitempty"` // 走访, 电话, 座谈 …
	Summary      string `json:"summary,omitempty" bson:"summary,omitempty" max:"20000" text:"multiline"`
	SuggestionID string `json:"suggestionId,omitempty" bson:"suggestionId,omitempty"` // what came of it, if anything
}

// Voter is a constituent the deputy keeps in regular contact with.
type Voter struct {
	Name      string         `json:"name" bson:"name"`
	VillageID string         `json:"villageId,omitempty" bson:"villageId,omitempty"`
	Contact   string         `json:"contact,omitempty" bson:"contact,omitempty"`
	Since     *Date          `json:"since,omitempty" bson:"since,omitempty"`
	Contacts  []ContactEvent `json:"contacts" bson:"contacts" max:"200"`
}

func (d *Deputy) Validate() error {
	if err := checkLimits(d); err != nil {
		return err
	}
	if err := required("name", d.Name); err != nil {
		return err
	}
	if d.Gender != nil && *d.Gender != MALE && *d.Gender != FEMALE {
		return Invalidf("gender", "unknown gender %q", *d.Gender)
	}
	if d.BirthDate != nil && !d.BirthDate.Valid() {
		return Invalidf("birthDate", "%q is not a date in YYYY-MM-DD form", *d.BirthDate)
	}
	if len(d.Levels) == 0 {
		return Invalidf("levels", "a deputy holds at least one level (CITY, COUNTY, TOWNSHIP)")
	}
	seen := map[Level]bool{}
	for i, l := range d.Levels {
		if !l.valid() || seen[l] {
			return Invalidf(fmt.Sprintf("levels.%d", i), "level %q is unknown or given twice", l)
		}
		seen[l] = true
	}
	for i, v := range d.Voters {
		if err := required("name", v.Name); err != nil {
			return Prefix(fmt.Sprintf("voters.%d", i), err)
		}
		if v.Since != nil && !v.Since.Valid() {
			return Invalidf(fmt.Sprintf("voters.%d.since", i), "%q is not a date in YYYY-MM-DD form", *v.Since)
		}
		for j, c := range v.Contacts {
			if !c.Date.Valid() {
				return Invalidf(fmt.Sprintf("voters.%d.contacts.%d.date", i, j), "%q is not a date in YYYY-MM-DD form", c.Date)
			}
		}
	}
	for i, h := range d.Honours {
		field := fmt.Sprintf("honours.%d", i)
		if h.Year < 1949 || h.Year > 2100 {
			return Invalidf(field+".year", "year %d is out of range", h.Year)
		}
		if err := required("title", h.Title); err != nil {
			return Prefix(field, err)
		}
		if !h.Level.valid() {
			return Invalidf(field+".level", "level is CITY, COUNTY or TOWNSHIP")
		}
	}
	if err := validateTerms(d.Terms); err != nil {
		return err
	}
	return d.Meta.Validate()
}

// HasLevel reports whether the deputy sits at level l.
func (d *Deputy) HasLevel(l Level) bool {
	for _, x := range d.Levels {
		if x == l {
			return true
		}
	}
	return false
}

func (d *Deputy) Refs() []Ref {
	refs := []Ref{}
	if d.VillageID != "" {
		refs = append(refs, Ref{Field: "villageId", Kind: KindVillage, IDs: []string{d.VillageID}})
	}
	for i, v := range d.Voters {
		if v.VillageID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("voters.%d.villageId", i), Kind: KindVillage, IDs: []string{v.VillageID}})
		}
		for j, c := range v.Contacts {
			if c.SuggestionID != "" {
				refs = append(refs, Ref{Field: fmt.Sprintf("voters.%d.contacts.%d.suggestionId", i, j), Kind: KindSuggestion, IDs: []string{c.SuggestionID}})
			}
		}
	}
	return refs
}

// DeputyPatch changes the fields it sets; nil leaves a field as it is.
type DeputyPatch struct {
	Name       *string
	Gender     *Gender
	BirthDate  *Date
	Ethnicity  *string
	Party      *string
	Occupation *string
	Phone      *string
	Levels     []Level
	Term       *string
	Group      *string
	VillageID  *string
	Voters     []Voter
	Honours    []Honour
	Terms      []Term
	Tags       []string
	Attributes map[string]any
}

func (p *DeputyPatch) Apply(d *Deputy) {
	set(&d.Name, p.Name)
	setPtr(&d.Gender, p.Gender)
	setPtr(&d.BirthDate, p.BirthDate)
	set(&d.Ethnicity, p.Ethnicity)
	set(&d.Party, p.Party)
	set(&d.Occupation, p.Occupation)
	set(&d.Phone, p.Phone)
	setList(&d.Levels, p.Levels)
	set(&d.Term, p.Term)
	set(&d.Group, p.Group)
	set(&d.VillageID, p.VillageID)
	setList(&d.Voters, p.Voters)
	setList(&d.Honours, p.Honours)
	setList(&d.Terms, p.Terms)
	setList(&d.Tags, p.Tags)
	setMap(&d.Attributes, p.Attributes)
}
