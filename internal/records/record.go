package records

import (
	"fmt"
	"strings"
	"time"
)

// Meta is what every record carries: identity, tenant, optimistic version,
// audit stamps, and the flexible part (tags, attributes).
type Meta struct {
	ID         string         `json:"id" bson:"_id"`
	Township   string         `json:"township" bson:"township"`
	Version    int            `json:"version" bson:"version"`
	CreatedAt  time.Time      `json:"createdAt" bson:"createdAt"`
	CreatedBy  string         `json:"createdBy" bson:"createdBy"`
	UpdatedAt  time.Time      `json:"updatedAt" bson:"updatedAt"`
	UpdatedBy  string         `json:"updatedBy" bson:"updatedBy"`
	Tags       []string       `json:"tags" bson:"tags"`
	Attributes map[string]any `json:"attributes,omitempty" bson:"attributes,omitempty"`
}

// GetMeta gives generic code access to the common fields.
func (m *Meta) GetMeta() *Meta { return m }

// Limits on the flexible part, so one record cannot grow without bound.
// Tags are a list like any other (MaxListItems, the README's 200), each
// tag at most MaxTagLen characters.
const (
	MaxTags           = MaxListItems
	MaxTagLen         = 64
	MaxAttributeDepth = 8
	MaxAttributeKeys  = 500
)

// Validate checks the common fields a caller can set.
func (m *Meta) Validate() error {
	if strings.TrimSpace(m.Township) == "" {
		return Invalidf("township", "township is required")
	}
	if len(m.Tags) > MaxTags {
		return Invalidf("tags", "at most %d tags, got %d", MaxTags, len(m.Tags))
	}
	seen := make(map[string]bool, len(m.Tags))
	for i, t := range m.Tags {
		t = strings.TrimSpace(t)
		if t == "" || len([]rune(t)) > MaxTagLen {
			return Invalidf(fmt.Sprintf("tags.%d", i), "a tag is 1 to %d characters", MaxTagLen)
		}
		if seen[t] {
			return Invalidf(fmt.Sprintf("tags.%d", i), "tag %q is given twice", t)
		}
		seen[t] = true
		m.Tags[i] = t
	}
	keys := 0
	if err := validateAttributes(m.Attributes, 1, &keys); err != nil {
		return Prefix("attributes", err)
	}
	if n, err := attributeBytes(m.Attributes); err != nil {
		return Invalidf("attributes", "%v", err)
	} else if n > MaxAttributeBytes {
		return Invalidf("attributes", "attributes hold at most %d KiB as JSON, got %d bytes", MaxAttributeBytes>>10, n)
	}
	return nil
}

// validateAttributes rejects keys MongoDB would misread ($-prefixed, dotted,
// empty) and bounds depth and size.
func validateAttributes(v any, depth int, keys *int) error {
	if depth > MaxAttributeDepth {
		return Invalidf("", "attributes nest deeper than %d levels", MaxAttributeDepth)
	}
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			*keys++
			if *keys > MaxAttributeKeys {
				return Invalidf("", "attributes hold more than %d keys", MaxAttributeKeys)
			}
			if err := checkAttributeKey(k); err != nil {
				return err
			}
			if err := validateAttributes(child, depth+1, keys); err != nil {
				return Prefix(k, err)
			}
		}
	case []any:
		for i, child := range v {
			if err := validateAttributes(child, depth+1, keys); err != nil {
				return Prefix(fmt.Sprint(i), err)
			}
		}
	}
	return nil
}

func checkAttributeKey(k string) error {
	if k == "" || strings.HasPrefix(k, "$") || strings.Contains(k, ".") || len(k) > 100 {
		return Invalidf(k, "attribute key %q must be 1 to 100 characters, without '.' and not starting with '$'", k)
	}
	return nil
}

// Ref is a reference from a record to records of another kind, checked on
// every write so no record points at nothing.
type Ref struct {
	Field string // input field path, for the error
	Kind  Kind
	IDs   []string
	List  bool // Field is a list: errors name the item, "villageIds.2"
}

// Kind names a collection of records.
type Kind string

const (
	KindTownship   Kind = "townships"
	KindDeputy     Kind = "deputies"
	KindVillage    Kind = "villages"
	KindProject    Kind = "projects"
	KindInspection Kind = "inspections"
	KindActivity   Kind = "activities"
	KindSuggestion Kind = "suggestions"

	KindCongressSession   Kind = "congressSessions"
	KindPresidiumMeeting  Kind = "presidiumMeetings"
	KindLivelihoodProject Kind = "livelihoodProjects"
)

// Noun is the kind's singular for messages.
func (k Kind) Noun() string {
	switch k {
	case KindTownship:
		return "township"
	case KindDeputy:
		return "deputy"
	case KindVillage:
		return "village"
	case KindProject:
		return "project"
	case KindInspection:
		return "inspection"
	case KindActivity:
		return "activity"
	case KindSuggestion:
		return "suggestion"
	case KindReception:
		return "reception"
	case KindPointRules:
		return "point rules"
	case KindCongressSession:
		return "session"
	case KindPresidiumMeeting:
		return "presidium meeting"
	case KindLivelihoodProject:
		return "livelihood project"
	case KindSubmission:
		return "duty submission"
	}
	return string(k)
}

// Backref says that records of Kind point at another record through the
// field at Path; a record still pointed at cannot be deleted.
type Backref struct {
	Kind Kind
	Path string
}

// Backrefs lists, for each kind, who may point at it.
var Backrefs = map[Kind][]Backref{
	KindTownship:   {{KindDeputy, "township"}, {KindVillage, "township"}, {KindProject, "township"}, {KindInspection, "township"}, {KindActivity, "township"}, {KindSuggestion, "township"}},
	KindVillage:    {{KindDeputy, "villageId"}, {KindDeputy, "voters.villageId"}, {KindProject, "villageIds"}, {KindInspection, "villageIds"}, {KindActivity, "villageIds"}},
	KindDeputy:     {{KindInspection, "participantIds"}, {KindActivity, "participantIds"}, {KindSuggestion, "deputyId"}},
	KindSuggestion: {{KindDeputy, "voters.contacts.suggestionId"}},
	KindProject:    {{KindInspection, "projectIds"}, {KindActivity, "projectIds"}},
}

// required reports an empty string field.
func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return Invalidf(field, "%s is required", field)
	}
	return nil
}

// uniqueIDs checks a list of ids for blanks and repeats.
func uniqueIDs(field string, ids []string) error {
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if strings.TrimSpace(id) == "" {
			return Invalidf(fmt.Sprintf("%s.%d", field, i), "id is empty")
		}
		if seen[id] {
			return Invalidf(fmt.Sprintf("%s.%d", field, i), "id %q is given twice", id)
		}
		seen[id] = true
	}
	return nil
}

// nonNegative checks an optional number.
func nonNegative[N int | float64](field string, v *N) error {
	if v != nil && *v < 0 {
		return Invalidf(field, "%s cannot be negative", field)
	}
	return nil
}

// SortKey turns a name into the key lists are sorted by (pinyin for Chinese
// names). It is given to Derive so this package needs no pinyin tables.
type SortKey func(name string) string

// Derive fills the fields computed from others at write time.
func (t *Township) Derive(key SortKey) { t.NameKey = key(t.Name) }

// Derive fills the fields computed from others at write time.
func (d *Deputy) Derive(key SortKey) {
	d.NameKey = key(d.Name)
	d.VoterCount = len(d.Voters)
	d.deriveTerms()
}

// Derive fills the fields computed from others at write time.
func (v *Village) Derive(key SortKey) { v.NameKey = key(v.Name) }

// Derive fills the fields computed from others at write time.
func (p *Project) Derive(key SortKey) { p.NameKey = key(p.Name) }

// Derive fills the fields computed from others at write time.
func (x *Inspection) Derive(SortKey) { x.Date.Normalize(); x.ParticipantTotal = x.ParticipantCount() }
