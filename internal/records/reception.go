package records

import "fmt"

// KindReception keeps the reception days of the township's 代表联络站.
const KindReception Kind = "receptions"

// ReceptionRoute is where an item a voter raised was sent (处置分流).
type ReceptionRoute string

const (
	ON_THE_SPOT   ReceptionRoute = "ON_THE_SPOT"   // 当场答复
	TO_VILLAGE    ReceptionRoute = "VILLAGE"       // 交村(居)委会
	TO_TOWNSHIP   ReceptionRoute = "TOWNSHIP"      // 交镇人大、镇政府或职能部门
	TO_SUGGESTION ReceptionRoute = "SUGGESTION"    // 由本级代表转为建议、批评和意见
	TO_HIGHER     ReceptionRoute = "HIGHER_DEPUTY" // 委托上级人大代表提出
)

// ReceptionRouteLabels are the routes as the station's records write them.
var ReceptionRouteLabels = map[ReceptionRoute]string{
	ON_THE_SPOT: "当场答复", TO_VILLAGE: "交村(居)办理", TO_TOWNSHIP: "交镇或部门办理",
	TO_SUGGESTION: "转为代表建议", TO_HIGHER: "委托上级代表",
}

func (r ReceptionRoute) valid() bool { _, ok := ReceptionRouteLabels[r]; return ok }

// Reception is one reception day (接待日) of a liaison station: deputies
// on duty receive voters and record each item they raise, in the voter's
// words, with where it was sent and what came of it.
type Reception struct {
	Meta    `bson:",inline"`
	Station string `json:"station" bson:"station"` // 联络站
	Date    Date   `json:"date" bson:"date"`
	// Hours is the time of day, as announced: "上午 9:00–11:00".
	Hours string `json:"hours,omitempty" bson:"hours,omitempty"`
	// AnnouncedOn is the day the schedule was published (公告).
	AnnouncedOn *Date    `json:"announcedOn,omitempty" bson:"announcedOn,omitempty"`
	DeputyIDs   []string `json:"deputyIds" bson:"deputyIds" max:"500"` // deputies on duty
	// Leader is who led the day (带班负责人), if named.
	Leader   string          `json:"leader,omitempty" bson:"leader,omitempty"`
	Visitors []Visitor       `json:"visitors" bson:"visitors"`
	Items    []ReceptionItem `json:"items" bson:"items"`
	Note     string          `json:"note,omitempty" bson:"note,omitempty" max:"20000" text:"multiline"`
	// Derived at write time, for filters, sorts and counts in the database.
	Year         int `json:"year" bson:"year"`
	Quarter      int `json:"quarter" bson:"quarter"`
	Month        int `json:"month" bson:"month"`
	VisitorCount int `json:"visitorCount" bson:"visitorCount"`
	ItemCount    int `json:"itemCount" bson:"itemCount"`
}

// Visitor is a voter received. The name may be left out (a voter who
// would rather not give it); the phone is personal and shown masked to
// all but the township's editors.
type Visitor struct {
	Name      string `json:"name,omitempty" bson:"name,omitempty"`
	Phone     string `json:"phone,omitempty" bson:"phone,omitempty"`
	VillageID string `json:"villageId,omitempty" bson:"villageId,omitempty"`
	// Group is the 村民小组 or address as the voter gave it.
	Group string `json:"group,omitempty" bson:"group,omitempty"`
	// Confidential visitors (one who asked that their visit be kept
	// confidential) are seen, as confidential items are, only by the
	// township's editors.
	Confidential bool `json:"confidential,omitempty" bson:"confidential,omitempty"`
}

// ReceptionItem is one matter a voter raised and its handling.
type ReceptionItem struct {
	// ID names the item within its reception; given at the first write
	// and kept, so a suggestion can point at it.
	ID string `json:"id" bson:"id"`
	// VisitorName is who raised it, if they gave a name.
	VisitorName string `json:"visitorName,omitempty" bson:"visitorName,omitempty"`
	// Summary is the matter in the voter's words (保持原话原意).
	Summary  string `json:"summary" bson:"summary" max:"2000" text:"multiline"`
	Category string `json:"category,omitempty" bson:"category,omitempty"`
	// Proposal is the deputies' proposed handling (拟办意见).
	Proposal string          `json:"proposal,omitempty" bson:"proposal,omitempty" max:"2000" text:"multiline"`
	Route    *ReceptionRoute `json:"route,omitempty" bson:"route,omitempty"`
	// Handler is the village, office or department it was sent to (承办单位).
	Handler  string `json:"handler,omitempty" bson:"handler,omitempty"`
	Deadline *Date  `json:"deadline,omitempty" bson:"deadline,omitempty"`
	Result   string `json:"result,omitempty" bson:"result,omitempty" max:"2000" text:"multiline"`
	// Resolved is the station's count of 解决或基本解决.
	Resolved bool `json:"resolved" bson:"resolved"`
	// SuggestionID is the suggestion the item became; set only by
	// SuggestFromReception, kept through edits.
	SuggestionID string `json:"suggestionId,omitempty" bson:"suggestionId,omitempty"`
	Feedback     string `json:"feedback,omitempty" bson:"feedback,omitempty" max:"2000" text:"multiline"`
	FeedbackOn   *Date  `json:"feedbackOn,omitempty" bson:"feedbackOn,omitempty"`
	// Satisfaction is the voter's verdict on the feedback.
	Satisfaction *Satisfaction `json:"satisfaction,omitempty" bson:"satisfaction,omitempty"`
	// Confidential items are seen only by the township's editors: viewers
	// and other townships' callers do not see them at all.
	Confidential bool `json:"confidential" bson:"confidential"`
}

func (x *Reception) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if err := required("station", x.Station); err != nil {
		return err
	}
	if !x.Date.Valid() {
		return Invalidf("date", "%q is not a date in YYYY-MM-DD form", x.Date)
	}
	if a := x.AnnouncedOn; a != nil && (!a.Valid() || *a > x.Date) {
		return Invalidf("announcedOn", "the announcement is a date on or before the reception day")
	}
	if err := uniqueIDs("deputyIds", x.DeputyIDs); err != nil {
		return err
	}
	ids := map[string]bool{}
	for i, it := range x.Items {
		field := fmt.Sprintf("items.%d", i)
		if err := required("summary", it.Summary); err != nil {
			return Prefix(field, err)
		}
		if it.ID != "" {
			if ids[it.ID] {
				return Invalidf(field+".id", "item id %q is given twice", it.ID)
			}
			ids[it.ID] = true
		}
		if it.Route != nil && !it.Route.valid() {
			return Invalidf(field+".route", "unknown route %q", *it.Route)
		}
		if it.Deadline != nil && (!it.Deadline.Valid() || *it.Deadline < x.Date) {
			return Invalidf(field+".deadline", "the deadline is a date on or after the reception day")
		}
		if it.FeedbackOn != nil && (!it.FeedbackOn.Valid() || *it.FeedbackOn < x.Date) {
			return Invalidf(field+".feedbackOn", "feedback is given on or after the reception day")
		}
		if s := it.Satisfaction; s != nil && *s != SATISFIED && *s != BASICALLY_SATISFIED && *s != DISSATISFIED {
			return Invalidf(field+".satisfaction", "unknown satisfaction %q", *s)
		}
		if it.SuggestionID != "" && (it.Route == nil || *it.Route != TO_SUGGESTION) {
			return Invalidf(field+".route", "an item that became a suggestion keeps the route SUGGESTION")
		}
	}
	return x.Meta.Validate()
}

// Derive gives new items their ids and fills the counted fields.
func (x *Reception) Derive(SortKey) {
	t := x.Date.Time()
	x.Year, x.Month = t.Year(), int(t.Month())
	x.Quarter = QuarterOf(x.Month)
	x.VisitorCount, x.ItemCount = len(x.Visitors), len(x.Items)
	for i := range x.Items {
		if x.Items[i].ID == "" {
			x.Items[i].ID = NewID()
		}
	}
}

func (x *Reception) Refs() []Ref {
	refs := []Ref{{Field: "deputyIds", Kind: KindDeputy, IDs: x.DeputyIDs, List: true}}
	for i, v := range x.Visitors {
		if v.VillageID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("visitors.%d.villageId", i), Kind: KindVillage, IDs: []string{v.VillageID}})
		}
	}
	for i, it := range x.Items {
		if it.SuggestionID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("items.%d.suggestionId", i), Kind: KindSuggestion, IDs: []string{it.SuggestionID}})
		}
	}
	return refs
}

// Item is the item with id, nil if none.
func (x *Reception) Item(id string) *ReceptionItem {
	for i := range x.Items {
		if x.Items[i].ID == id {
			return &x.Items[i]
		}
	}
	return nil
}

// ReceptionPatch changes the fields it sets; nil leaves a field as it is.
// Items given replace the list: an item keeps its id and its link to a
// suggestion when given with its id, and an item that became a suggestion
// cannot be left out.
type ReceptionPatch struct {
	Station     *string
	Date        *Date
	Hours       *string
	AnnouncedOn *Date
	DeputyIDs   []string
	Leader      *string
	Visitors    []Visitor
	Items       []ReceptionItem
	Note        *string
	Tags        []string
	Attributes  map[string]any
}

// Apply applies the patch to x as stored, refusing to drop an item that
// became a suggestion.
func (p *ReceptionPatch) Apply(x *Reception) error {
	set(&x.Station, p.Station)
	set(&x.Date, p.Date)
	set(&x.Hours, p.Hours)
	setPtr(&x.AnnouncedOn, p.AnnouncedOn)
	setList(&x.DeputyIDs, p.DeputyIDs)
	set(&x.Leader, p.Leader)
	setList(&x.Visitors, p.Visitors)
	set(&x.Note, p.Note)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
	if p.Items == nil {
		return nil
	}
	items := make([]ReceptionItem, len(p.Items))
	copy(items, p.Items)
	given := map[string]int{}
	for i := range items {
		items[i].SuggestionID = "" // only SuggestFromReception links
		if items[i].ID != "" {
			given[items[i].ID] = i
		}
	}
	for _, old := range x.Items {
		if old.SuggestionID == "" {
			continue
		}
		i, ok := given[old.ID]
		if !ok {
			return Invalidf("items", "item %q became suggestion %q: it stays on the reception (give it with its id)", old.ID, old.SuggestionID)
		}
		items[i].SuggestionID = old.SuggestionID
	}
	x.Items = items
	return nil
}

// ReceptionRouteFilter compares items' routes.
type ReceptionRouteFilter EnumFilter[ReceptionRoute]

// ReceptionFilter selects receptions.
type ReceptionFilter struct {
	Common
	And      []*ReceptionFilter
	Or       []*ReceptionFilter
	Not      *ReceptionFilter
	Station  *StringFilter
	Date     *DateFilter
	Year     *IntFilter
	Quarter  *IntFilter
	Month    *IntFilter
	Deputies *TagFilter
	// Route matches receptions with any item sent that way.
	Route *ReceptionRouteFilter
}

func (f *ReceptionFilter) parts() (and, or []*ReceptionFilter, not *ReceptionFilter) {
	return f.And, f.Or, f.Not
}

func (f *ReceptionFilter) fields(b *exprBuilder) {
	f.Common.build(b)
	f.Station.build(b, "station", "station")
	f.Date.build(b, "date", "date")
	f.Year.build(b, "year", "year")
	f.Quarter.build(b, "quarter", "quarter")
	f.Month.build(b, "month", "month")
	(*ListFilter[string])(f.Deputies).build(b, "deputies", "deputyIds")
	(*EnumFilter[ReceptionRoute])(f.Route).build(b, "route", "items.route")
}

// VisibleItems are the items the caller may read: all of them for the
// township's editors, the others without the confidential ones.
func (x *Reception) VisibleItems(a Actor) []ReceptionItem {
	if a.SeesPersonal(x.Township) {
		return x.Items
	}
	out := make([]ReceptionItem, 0, len(x.Items))
	for _, it := range x.Items {
		if !it.Confidential {
			out = append(out, it)
		}
	}
	return out
}

// VisibleVisitors are the visitors the caller may read: all of them for
// the township's editors, the others without the confidential ones.
func (x *Reception) VisibleVisitors(a Actor) []Visitor {
	if a.SeesPersonal(x.Township) {
		return x.Visitors
	}
	out := make([]Visitor, 0, len(x.Visitors))
	for _, v := range x.Visitors {
		if !v.Confidential {
			out = append(out, v)
		}
	}
	return out
}

// receptionDoc is a stored reception (an audit entry's before or after)
// as a reader who does not see personal data may read it: phones masked,
// confidential visitors and items left out.
func receptionDoc(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	if vs, ok := out["visitors"].([]any); ok {
		masked := make([]any, 0, len(vs))
		for _, v := range vs {
			m, ok := v.(map[string]any)
			if !ok || m["confidential"] == true {
				continue
			}
			c := make(map[string]any, len(m))
			for k, x := range m {
				c[k] = x
			}
			if s, ok := c["phone"].(string); ok {
				c["phone"] = MaskPhone(s)
			}
			masked = append(masked, c)
		}
		out["visitors"] = masked
	}
	if items, ok := out["items"].([]any); ok {
		kept := []any{}
		for _, it := range items {
			if m, ok := it.(map[string]any); ok && m["confidential"] == true {
				continue
			}
			kept = append(kept, it)
		}
		out["items"] = kept
	}
	return out
}

// ReceptionStats are a station's counts over its reception days: "接待
// 285 次,收集 1270 条,解决 864 条".
type ReceptionStats struct {
	Receptions int
	Visitors   int
	Items      int
	Resolved   int
	ByRoute    []RouteCount
	// Unrouted counts items not yet sent anywhere.
	Unrouted int
}

// RouteCount counts the items sent one way.
type RouteCount struct {
	Route ReceptionRoute
	Count int
}

// ReceptionRoutes are the routes in the order the station's forms list them.
var ReceptionRoutes = []ReceptionRoute{ON_THE_SPOT, TO_VILLAGE, TO_TOWNSHIP, TO_SUGGESTION, TO_HIGHER}

// CountReceptions adds up receptions: every item counts, confidential
// ones too (a count reveals no content).
func CountReceptions(xs []*Reception) ReceptionStats {
	s := ReceptionStats{Receptions: len(xs)}
	by := map[ReceptionRoute]int{}
	for _, x := range xs {
		s.Visitors += len(x.Visitors)
		s.Items += len(x.Items)
		for _, it := range x.Items {
			if it.Resolved {
				s.Resolved++
			}
			if it.Route == nil {
				s.Unrouted++
			} else {
				by[*it.Route]++
			}
		}
	}
	for _, r := range ReceptionRoutes {
		s.ByRoute = append(s.ByRoute, RouteCount{r, by[r]})
	}
	return s
}

func init() {
	Sortable[KindReception] = map[string]string{"DATE": "date", "STATION": "station", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"}
	DefaultOrder[KindReception] = Order{Field: "DATE", Direction: ASC}
	Backrefs[KindTownship] = append(Backrefs[KindTownship], Backref{KindReception, "township"})
	Backrefs[KindDeputy] = append(Backrefs[KindDeputy], Backref{KindReception, "deputyIds"})
	Backrefs[KindVillage] = append(Backrefs[KindVillage], Backref{KindReception, "visitors.villageId"})
	// A suggestion made from a reception item keeps its reception: the
	// reception cannot be deleted while the suggestion points at it.
	Backrefs[KindReception] = append(Backrefs[KindReception], Backref{KindSuggestion, "receptionId"})
	// Nor can the suggestion be deleted while its item links to it (the
	// item would point at nothing).
	Backrefs[KindSuggestion] = append(Backrefs[KindSuggestion], Backref{KindReception, "items.suggestionId"})
}

// Weekday is the reception day's day of the week, as a notice writes it:
// 星期一.
func (x *Reception) Weekday() string {
	return "星期" + []string{"日", "一", "二", "三", "四", "五", "六"}[x.Date.Time().Weekday()]
}
