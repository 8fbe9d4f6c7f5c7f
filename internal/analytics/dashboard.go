package analytics

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"renda/internal/records"
)

// Dashboard figures: each is one grouping per township in the database,
// rolled up here into the figures a dashboard shows.

// Count is one labelled count: Key is the stored value (nil for none).
type Count struct {
	Key   any
	Label string
	Count int
}

// DeputyFigures are the roster's make-up.
type DeputyFigures struct {
	Total    int
	ByLevel  []Count // CITY, COUNTY, TOWNSHIP: a deputy at several levels counts at each
	ByGroup  []Count // by count, most first; deputies in no group last
	ByGender []Count // MALE, FEMALE, then any not recorded
	ByParty  []Count // by count, most first
}

// Deputies counts the deputies of the townships (nil: all the caller may
// see) by level, group, gender and party, from one grouping.
func Deputies(ctx context.Context, s *records.Store, towns []string) (*DeputyFigures, error) {
	raw, err := s.Deputies.Group(ctx, records.Grouping{Townships: towns, Paths: []string{"levels", "group", "gender", "party"}})
	if err != nil {
		return nil, err
	}
	f := &DeputyFigures{}
	levels, groups, genders, parties := counter{}, counter{}, counter{}, counter{}
	for _, r := range raw {
		f.Total += r.Count
		xs, _ := r.Values[0].([]any)
		for _, l := range distinct(xs, normalize) {
			if l != nil {
				levels.add(l, r.Count)
			}
		}
		groups.add(blank(r.Values[1]), r.Count)
		genders.add(r.Values[2], r.Count)
		parties.add(blank(r.Values[3]), r.Count)
	}
	f.ByLevel = levels.fixed([]any{string(records.CITY), string(records.COUNTY), string(records.TOWNSHIP)}, enum)
	f.ByGender = genders.fixed([]any{string(records.MALE), string(records.FEMALE)}, enum)
	f.ByGroup = groups.byCount(text)
	f.ByParty = parties.byCount(text)
	return f, nil
}

// blank makes an empty text no value: the roster leaves it out.
func blank(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	return v
}

// counter adds counts by value.
type counter map[string]*Count

func (c counter) add(v any, n int) {
	v = normalize(v)
	id := valueID(v)
	if c[id] == nil {
		c[id] = &Count{Key: v}
	}
	c[id].Count += n
}

// fixed lists the values given, zero or not, in that order, then any
// others (none last).
func (c counter) fixed(values []any, label func(any) string) []Count {
	var out []Count
	for _, v := range values {
		x := Count{Key: v}
		if got := c[valueID(v)]; got != nil {
			x.Count = got.Count
			delete(c, valueID(v))
		}
		x.Label = label(v)
		out = append(out, x)
	}
	return append(out, c.byCount(label)...)
}

// byCount lists the values by count, most first, ties and none by value.
func (c counter) byCount(label func(any) string) []Count {
	out := make([]Count, 0, len(c))
	for _, x := range c {
		out = append(out, Count{Key: x.Key, Label: label(x.Key), Count: x.Count})
	}
	slices.SortFunc(out, func(a, b Count) int {
		switch {
		case a.Key == nil && b.Key != nil:
			return 1
		case b.Key == nil && a.Key != nil:
			return -1
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return compareValues(a.Key, b.Key)
	})
	return out
}

// Monthly counts a year's inspections or activities by month.
type Monthly struct {
	Year   int
	Total  int
	Months []Count // 1月 … 12月, a span known to the day, 旬 or month in its month
	// Coarser counts the spans known only to the season, half-year or
	// year: they belong to no one month, so they are in no month's count.
	Coarser int
	ByKind  []Count // activities only: by kind, most first
}

// Inspections counts the inspections of year by month.
func Inspections(ctx context.Context, s *records.Store, towns []string, year int) (*Monthly, error) {
	raw, err := s.Inspections.Group(ctx, records.Grouping{Townships: towns, Filter: yearIs("date.year", year),
		Paths: []string{"date.month", "date.precision"}})
	if err != nil {
		return nil, err
	}
	return monthly(year, raw), nil
}

// Activities counts the activities of year by month and by kind.
func Activities(ctx context.Context, s *records.Store, towns []string, year int) (*Monthly, error) {
	raw, err := s.Activities.Group(ctx, records.Grouping{Townships: towns, Filter: yearIs("date.year", year),
		Paths: []string{"date.month", "date.precision", "kind"}})
	if err != nil {
		return nil, err
	}
	m := monthly(year, raw)
	kinds := counter{}
	for _, r := range raw {
		kinds.add(r.Values[2], r.Count)
	}
	m.ByKind = kinds.byCount(enum)
	return m, nil
}

func yearIs(path string, year int) records.Expr {
	return records.Expr{Cond: &records.Cond{Path: path, Op: records.OpEq, Value: year}}
}

func monthly(year int, raw []records.RawGroup) *Monthly {
	m := &Monthly{Year: year, Months: make([]Count, 12)}
	for i := range m.Months {
		m.Months[i] = Count{Key: int64(i + 1), Label: records.MonthLabel(i + 1)}
	}
	for _, r := range raw {
		m.Total += r.Count
		p, _ := r.Values[1].(string)
		mo, ok := records.Number(r.Values[0])
		if !ok || mo < 1 || mo > 12 || !(records.DateSpan{Precision: records.Precision(p)}).WithinMonth() {
			m.Coarser += r.Count
			continue
		}
		m.Months[int(mo)-1].Count += r.Count
	}
	return m
}

// ProjectFigures are a year's projects.
type ProjectFigures struct {
	Year     int
	Total    int
	ByKind   []Count // ROAD, SCHOOL, MARKET, OTHER
	ByStatus []Count // PLANNED, IN_PROGRESS, COMPLETED, SUSPENDED
	// ByKindAndStatus counts each kind at each status, nonzero ones only.
	ByKindAndStatus []KindStatus
	// RoadKm adds up the length of the year's road projects, RoadKmCompleted
	// of those COMPLETED.
	RoadKm, RoadKmCompleted float64
}

// KindStatus counts projects of one kind at one status.
type KindStatus struct {
	Kind   records.ProjectKind
	Status records.ProjectStatus
	Label  string
	Count  int
}

var (
	projectKinds    = []records.ProjectKind{records.ROAD, records.SCHOOL, records.MARKET, records.OTHER}
	projectStatuses = []records.ProjectStatus{records.PLANNED, records.IN_PROGRESS, records.COMPLETED, records.SUSPENDED}
)

// Projects counts the projects of year by kind and status and adds up the
// roads' kilometres.
func Projects(ctx context.Context, s *records.Store, towns []string, year int) (*ProjectFigures, error) {
	raw, err := s.Projects.Group(ctx, records.Grouping{Townships: towns, Filter: yearIs("year", year),
		Paths: []string{"kind", "status", "lengthKm"}})
	if err != nil {
		return nil, err
	}
	f := &ProjectFigures{Year: year}
	kinds, statuses := counter{}, counter{}
	both := map[[2]string]int{}
	for _, r := range raw {
		f.Total += r.Count
		k, _ := r.Values[0].(string)
		st, _ := r.Values[1].(string)
		kinds.add(k, r.Count)
		statuses.add(st, r.Count)
		both[[2]string{k, st}] += r.Count
		if km, ok := records.Number(r.Values[2]); ok && k == string(records.ROAD) {
			f.RoadKm += km * float64(r.Count)
			if st == string(records.COMPLETED) {
				f.RoadKmCompleted += km * float64(r.Count)
			}
		}
	}
	f.RoadKm, f.RoadKmCompleted = tidy(f.RoadKm), tidy(f.RoadKmCompleted)
	f.ByKind = kinds.fixed(anys(projectKinds), enum)
	f.ByStatus = statuses.fixed(anys(projectStatuses), enum)
	for _, k := range projectKinds {
		for _, st := range projectStatuses {
			if n := both[[2]string{string(k), string(st)}]; n > 0 {
				f.ByKindAndStatus = append(f.ByKindAndStatus, KindStatus{k, st, records.ProjectKindLabels[k] + "·" + records.ProjectStatusLabels[st], n})
			}
		}
	}
	return f, nil
}

func anys[T ~string](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// SuggestionFigures are a year's suggestions and their handling, as the
// 代表建议办理情况通报 counts them.
type SuggestionFigures struct {
	Year  int
	Total int
	// Unassigned are SUBMITTED or ACCEPTED (not yet given to a
	// department), Open being handled (ASSIGNED, REOPENED), Rejected not
	// accepted for handling.
	Unassigned, Open, Rejected int
	// Replied have had a reply (their history reached REPLIED); of them
	// OnTime by their deadline, Late after it, and NoDeadline had none.
	Replied, OnTime, Late, NoDeadline int
	// OverdueOpen have no reply and a deadline past on the day asked.
	OverdueOpen int
	// HandlingRate, OnTimeRate and SatisfiedRate are records.Handling's:
	// nil when there is nothing to divide by.
	HandlingRate, OnTimeRate *float64
	// Satisfaction counts the deputies' verdicts: SATISFIED,
	// BASICALLY_SATISFIED, DISSATISFIED, then not yet given (nil).
	Satisfaction  []Count
	SatisfiedRate *float64
	// AverageDaysToReply averages the days from submission to first reply.
	AverageDaysToReply *float64
}

// Suggestions counts the suggestions submitted in year and their handling
// as of today.
func Suggestions(ctx context.Context, s *records.Store, towns []string, year int, today records.Date) (*SuggestionFigures, error) {
	return NewYear(s, towns, year).Suggestions(ctx, today)
}

// Year computes a dashboard's figures of one year for some townships
// (nil: all the caller may see). The two suggestion figures share one
// grouping of the year's suggestions, so a dashboard reads them once.
type Year struct {
	s     *records.Store
	towns []string
	year  int

	once sync.Once
	sugs []records.RawGroup
	err  error
}

// NewYear returns the figures of year in towns.
func NewYear(s *records.Store, towns []string, year int) *Year {
	return &Year{s: s, towns: towns, year: year}
}

// suggestionPaths are what the suggestion figures group the year's
// suggestions by: handling (records.HandlingPaths, 0–4) and the monthly
// duty (5–7).
var suggestionPaths = append(slices.Clone(records.HandlingPaths), "valuable", "deputyId", "month")

func (y *Year) suggestions(ctx context.Context) ([]records.RawGroup, error) {
	y.once.Do(func() {
		y.sugs, y.err = y.s.Suggestions.Group(ctx, records.Grouping{Townships: y.towns, Filter: yearIs("year", y.year), Paths: suggestionPaths})
	})
	return y.sugs, y.err
}

// Suggestions counts the year's suggestions and their handling as of
// today, by records.Handling (the one definition of the rates).
func (y *Year) Suggestions(ctx context.Context, today records.Date) (*SuggestionFigures, error) {
	raw, err := y.suggestions(ctx)
	if err != nil {
		return nil, err
	}
	var h records.Handling
	for _, r := range raw {
		h.Add(r.Values[:len(records.HandlingPaths)], r.Count, today)
	}
	f := &SuggestionFigures{Year: y.year, Total: h.Total, Unassigned: h.Unassigned, Open: h.Open, Rejected: h.Rejected,
		Replied: h.Replied, OnTime: h.OnTime, Late: h.Late, NoDeadline: h.NoDeadline, OverdueOpen: h.OverdueOpen,
		HandlingRate: h.HandlingRate(), OnTimeRate: h.OnTimeRate(), SatisfiedRate: h.SatisfiedRate(),
		AverageDaysToReply: h.AverageDaysToReply()}
	for _, c := range []struct {
		v any
		n int
	}{{string(records.SATISFIED), h.Satisfied}, {string(records.BASICALLY_SATISFIED), h.BasicallySatisfied}, {string(records.DISSATISFIED), h.Dissatisfied}, {nil, h.Unrated}} {
		label := "未评价"
		if c.v != nil {
			label = enum(c.v)
		}
		f.Satisfaction = append(f.Satisfaction, Count{Key: c.v, Label: label, Count: c.n})
	}
	return f, nil
}

// Lacking are the deputies who, in months of a year that are over, put
// forward no valuable item (the rule: at least one a month).
type Lacking struct {
	Year int
	// MonthsChecked is how many months of the year were over when asked.
	MonthsChecked int
	Deputies      []DeputyMonths
}

// DeputyMonths is one deputy and the months they lacked a valuable item.
type DeputyMonths struct {
	Township, Deputy, Name string
	Months                 []int
}

// LackingValuable finds, for year as of now, the deputies with months
// lacking a valuable item, by township and in roster (pinyin) order: one
// grouping of the roster and one of the year's suggestions.
func LackingValuable(ctx context.Context, s *records.Store, towns []string, year int, now time.Time) (*Lacking, error) {
	return NewYear(s, towns, year).Lacking(ctx, now)
}

// Lacking finds the deputies with months of the year lacking a valuable
// item, as of now.
func (y *Year) Lacking(ctx context.Context, now time.Time) (*Lacking, error) {
	year := y.year
	out := &Lacking{Year: year, MonthsChecked: records.MonthsOver(year, now), Deputies: []DeputyMonths{}}
	if out.MonthsChecked == 0 {
		return out, nil
	}
	roster, err := y.s.Deputies.Group(ctx, records.Grouping{Townships: y.towns, Paths: []string{"_id", "nameKey", "name"}})
	if err != nil {
		return nil, err
	}
	sugs, err := y.suggestions(ctx)
	if err != nil {
		return nil, err
	}
	var valuable []records.RawGroup
	for _, r := range sugs {
		if r.Values[5] == true {
			valuable = append(valuable, records.RawGroup{Township: r.Township, Values: r.Values[6:8], Count: r.Count})
		}
	}
	type dm struct{ township, deputy string }
	has := map[dm]map[int]bool{}
	for _, r := range valuable {
		id, _ := r.Values[0].(string)
		m, ok := records.Number(r.Values[1])
		if !ok {
			continue
		}
		k := dm{r.Township, id}
		if has[k] == nil {
			has[k] = map[int]bool{}
		}
		has[k][int(m)] = true
	}
	type row struct {
		DeputyMonths
		key string
	}
	var rows []row
	for _, r := range roster {
		id, _ := r.Values[0].(string)
		key, _ := r.Values[1].(string)
		name, _ := r.Values[2].(string)
		var months []int
		for m := 1; m <= out.MonthsChecked; m++ {
			if !has[dm{r.Township, id}][m] {
				months = append(months, m)
			}
		}
		if len(months) > 0 {
			rows = append(rows, row{DeputyMonths{r.Township, id, name, months}, key})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.Township, b.Township), cmp.Compare(a.key, b.key), cmp.Compare(a.Deputy, b.Deputy))
	})
	for _, r := range rows {
		out.Deputies = append(out.Deputies, r.DeputyMonths)
	}
	return out, nil
}
