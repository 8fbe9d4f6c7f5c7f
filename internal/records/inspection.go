package records

// Inspection is a 视察: deputies going to see how work is done on the ground.
type Inspection struct {
	Meta              `bson:",inline"`
	Topic             string      `json:"topic" bson:"topic"`
	Date              DateSpan    `json:"date" bson:"date"`
	Organiser         string      `json:"organiser" bson:"organiser"`
	ParticipantIDs    []string    `json:"participantIds" bson:"participantIds" max:"500"`
	OtherParticipants []Headcount `json:"otherParticipants" bson:"otherParticipants"`
	VillageIDs        []string    `json:"villageIds" bson:"villageIds" max:"500"`
	ProjectIDs        []string    `json:"projectIds" bson:"projectIds" max:"500"`
	Findings          string      `json:"findings,omitempty" bson:"findings,omitempty" max:"20000" text:"multiline"`
	Suggestions       []string    `json:"suggestions" bson:"suggestions" itemMax:"2000" text:"multiline"`
	FollowUp          string      `json:"followUp,omitempty" bson:"followUp,omitempty" max:"20000" text:"multiline"`
	// Order places the record in its section of a document (the summary's
	// 一是, 二是 …): those with one first, by it; nil is none.
	Order *int `json:"order,omitempty" bson:"order,omitempty"`
	// ParticipantTotal is ParticipantCount, derived at write time so aggregates
	// can add it up in the database.
	ParticipantTotal int `json:"participantCount" bson:"participantCount"`
}

// Headcount counts participants who are not deputies on the roster:
// 执法部门人员, 村支部书记, 村民代表 ….
type Headcount struct {
	Kind  string `json:"kind" bson:"kind"`
	Count int    `json:"count" bson:"count"`
}

// ParticipantCount is everyone who took part: deputies named plus headcounts.
func (x *Inspection) ParticipantCount() int {
	return len(x.ParticipantIDs) + headcount(x.OtherParticipants)
}

func (x *Inspection) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if err := required("topic", x.Topic); err != nil {
		return err
	}
	if err := checkOrder(x.Order); err != nil {
		return err
	}
	if err := x.Date.Validate(); err != nil {
		return Prefix("date", err)
	}
	if err := validateGathering(x.ParticipantIDs, x.VillageIDs, x.ProjectIDs, x.OtherParticipants); err != nil {
		return err
	}
	return x.Meta.Validate()
}

func (x *Inspection) Refs() []Ref {
	return gatheringRefs(x.ParticipantIDs, x.VillageIDs, x.ProjectIDs)
}

// InspectionPatch changes the fields it sets; nil leaves a field as it is.
type InspectionPatch struct {
	Topic             *string
	Date              *DateSpan
	Organiser         *string
	ParticipantIDs    []string
	OtherParticipants []Headcount
	VillageIDs        []string
	ProjectIDs        []string
	Findings          *string
	Suggestions       []string
	FollowUp          *string
	Order             *int
	Tags              []string
	Attributes        map[string]any
}

func (p *InspectionPatch) Apply(x *Inspection) {
	set(&x.Topic, p.Topic)
	set(&x.Date, p.Date)
	set(&x.Organiser, p.Organiser)
	setList(&x.ParticipantIDs, p.ParticipantIDs)
	setList(&x.OtherParticipants, p.OtherParticipants)
	setList(&x.VillageIDs, p.VillageIDs)
	setList(&x.ProjectIDs, p.ProjectIDs)
	set(&x.Findings, p.Findings)
	setList(&x.Suggestions, p.Suggestions)
	set(&x.FollowUp, p.FollowUp)
	setOrder(&x.Order, p.Order)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}
