package records

// CongressSessionPatch changes the fields it sets; nil leaves a field as it is.
type CongressSessionPatch struct {
	Term        *int
	Sitting     *int
	Start       *Date
	End         *Date
	Place       *string
	DeputyCount *int
	AgendaItems []AgendaItem
	Roll        []RollEntry
	Guests      []Guest
	Votes       []SessionVote
	Elections   []Election
	Resolutions []Resolution
	Summary     *string
	Tags        []string
	Attributes  map[string]any
}

func (p *CongressSessionPatch) Apply(x *CongressSession) {
	set(&x.Term, p.Term)
	set(&x.Sitting, p.Sitting)
	set(&x.Start, p.Start)
	set(&x.End, p.End)
	set(&x.Place, p.Place)
	set(&x.DeputyCount, p.DeputyCount)
	setList(&x.AgendaItems, p.AgendaItems)
	setList(&x.Roll, p.Roll)
	setList(&x.Guests, p.Guests)
	setList(&x.Votes, p.Votes)
	setList(&x.Elections, p.Elections)
	setList(&x.Resolutions, p.Resolutions)
	set(&x.Summary, p.Summary)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}

// CongressSessionFilter selects sessions.
type CongressSessionFilter struct {
	Common
	And     []*CongressSessionFilter
	Or      []*CongressSessionFilter
	Not     *CongressSessionFilter
	Year    *IntFilter
	Term    *IntFilter
	Sitting *IntFilter
	Start   *DateFilter
	Place   *StringFilter
	Deputy  *TagFilter // ids of deputies on the roll call
}

func (f *CongressSessionFilter) parts() (and, or []*CongressSessionFilter, not *CongressSessionFilter) {
	return f.And, f.Or, f.Not
}

func (f *CongressSessionFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Year.build(b, "year", "year")
	f.Term.build(b, "term", "term")
	f.Sitting.build(b, "sitting", "sitting")
	f.Start.build(b, "start", "start")
	f.Place.build(b, "place", "place")
	(*ListFilter[string])(f.Deputy).build(b, "deputy", "roll.deputyId")
}

// The congress's kinds point at these (kept here, added to Backrefs, so
// the shared table stays as it is).
func init() {
	for target, brs := range map[Kind][]Backref{
		KindTownship:        {{KindCongressSession, "township"}, {KindPresidiumMeeting, "township"}},
		KindDeputy:          {{KindCongressSession, "roll.deputyId"}, {KindCongressSession, "elections.candidates.deputyId"}, {KindPresidiumMeeting, "attendeeIds"}},
		KindInspection:      {{KindPresidiumMeeting, "inspectionIds"}},
		KindCongressSession: {{KindPresidiumMeeting, "sessionId"}},
	} {
		Backrefs[target] = append(Backrefs[target], brs...)
	}
}
