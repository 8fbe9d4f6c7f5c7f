package records

import (
	"context"
	"fmt"
	"math"
)

// KindPointRules keeps each township's duty point rules (履职积分办法).
const KindPointRules Kind = "pointRules"

// PointItem is what earns (or loses) a deputy points. BASE and CAP name
// the ledger's own lines (the year's base, a cap's cut), never a rule.
type PointItem string

const (
	PT_SESSION_HALF_DAY PointItem = "SESSION_HALF_DAY" // 出席人代会,每半天
	PT_INSPECTION       PointItem = "INSPECTION"       // 参加视察、调研
	PT_DELIBERATION     PointItem = "DELIBERATION"     // 参加代表议政日
	PT_GROUP_DAY        PointItem = "GROUP_DAY"        // 参加代表小组活动日
	PT_SUGGESTION       PointItem = "SUGGESTION"       // 提出建议、批评和意见
	PT_KEY_SUGGESTION   PointItem = "KEY_SUGGESTION"   // 建议列为重点(在建议分之外另加)
	PT_RECEPTION_DUTY   PointItem = "RECEPTION_DUTY"   // 联络站接待日值班
	PT_TRAINING_HOUR    PointItem = "TRAINING_HOUR"    // 学习培训,每学时
	PT_VOTER_CONTACT    PointItem = "VOTER_CONTACT"    // 联系选民,每次
	PT_ABSENCE          PointItem = "ABSENCE"          // 无故缺席(扣分)
	PT_BASE             PointItem = "BASE"             // 基础分
	PT_CAP              PointItem = "CAP"              // 封顶扣减
)

// PointItemLabels are the items as a 积分公示表 heads its columns.
var PointItemLabels = map[PointItem]string{
	PT_SESSION_HALF_DAY: "人代会", PT_INSPECTION: "视察调研", PT_DELIBERATION: "议政日", PT_GROUP_DAY: "小组活动",
	PT_SUGGESTION: "建议", PT_KEY_SUGGESTION: "重点建议", PT_RECEPTION_DUTY: "接待值班", PT_TRAINING_HOUR: "学习培训",
	PT_VOTER_CONTACT: "联系选民", PT_ABSENCE: "无故缺席", PT_BASE: "基础分", PT_CAP: "封顶",
}

// PointItems are the items a rule may give points for, in the order a
// 公示表 lists them.
var PointItems = []PointItem{PT_SESSION_HALF_DAY, PT_INSPECTION, PT_DELIBERATION, PT_GROUP_DAY, PT_SUGGESTION,
	PT_KEY_SUGGESTION, PT_RECEPTION_DUTY, PT_TRAINING_HOUR, PT_VOTER_CONTACT, PT_ABSENCE}

// Defaults of the rules' matching fields.
const (
	DefaultSessionTag = "镇人民代表大会"
	DefaultKeyTag     = "重点建议"
)

// PointRules are a township's duty point rules from a day on, until rules
// effective later. Writing them is its admins' (MayWrite); every change
// is a version, kept in the record's history.
type PointRules struct {
	Meta          `bson:",inline"`
	Name          string `json:"name" bson:"name"` // 2024年代表履职积分办法
	EffectiveFrom Date   `json:"effectiveFrom" bson:"effectiveFrom"`
	// Base is the points every deputy starts a year with (基础分).
	Base float64 `json:"base" bson:"base"`
	// Cap bounds a deputy's year, base included; nil: no cap (不封顶).
	Cap   *float64    `json:"cap,omitempty" bson:"cap,omitempty"`
	Items []PointRule `json:"items" bson:"items" max:"20"`
	// SessionTag is the tag of the MEETING activities that are sessions
	// of the congress (人代会), as the presidium's report finds them: each
	// counts its half-days.
	SessionTag string `json:"sessionTag,omitempty" bson:"sessionTag,omitempty"`
	// KeyTag is the tag that marks a key suggestion (重点建议).
	KeyTag string `json:"keyTag,omitempty" bson:"keyTag,omitempty"`
}

// PointRule gives points for each time an item occurs (each hour of a
// training, each half-day of a session).
type PointRule struct {
	Item PointItem `json:"item" bson:"item"`
	// Points per occurrence: negative for a deduction.
	Points float64 `json:"points" bson:"points"`
	// Cap bounds what the item gives a deputy in the period counted (for
	// a deduction, what it takes away); nil: no cap.
	Cap *float64 `json:"cap,omitempty" bson:"cap,omitempty"`
}

// MaxPoints bounds any number of points a rule names.
const MaxPoints = 1000

func (x *PointRules) Validate() error {
	if err := checkLimits(x); err != nil {
		return err
	}
	if err := required("name", x.Name); err != nil {
		return err
	}
	if !x.EffectiveFrom.Valid() {
		return Invalidf("effectiveFrom", "%q is not a date in YYYY-MM-DD form", x.EffectiveFrom)
	}
	if !finite(x.Base) || x.Base < 0 || x.Base > MaxPoints {
		return Invalidf("base", "base is 0 to %d points", MaxPoints)
	}
	if x.Cap != nil && (!finite(*x.Cap) || *x.Cap < 0 || *x.Cap > 100*MaxPoints) {
		return Invalidf("cap", "cap is 0 to %d points", 100*MaxPoints)
	}
	seen := map[PointItem]bool{}
	for i, r := range x.Items {
		field := fmt.Sprintf("items.%d", i)
		if _, ok := PointItemLabels[r.Item]; !ok || r.Item == PT_BASE || r.Item == PT_CAP {
			return Invalidf(field+".item", "unknown item %q", r.Item)
		}
		if seen[r.Item] {
			return Invalidf(field+".item", "item %s is given twice", r.Item)
		}
		seen[r.Item] = true
		if !finite(r.Points) || math.Abs(r.Points) > MaxPoints {
			return Invalidf(field+".points", "points are -%d to %d", MaxPoints, MaxPoints)
		}
		if r.Item == PT_ABSENCE && r.Points > 0 {
			return Invalidf(field+".points", "ABSENCE is a deduction: its points are 0 or less")
		}
		if r.Cap != nil && (!finite(*r.Cap) || *r.Cap < 0 || *r.Cap > 100*MaxPoints) {
			return Invalidf(field+".cap", "cap is 0 to %d points", 100*MaxPoints)
		}
	}
	return x.Meta.Validate()
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Derive fills the matching fields left empty with their defaults.
func (x *PointRules) Derive(SortKey) {
	if x.SessionTag == "" {
		x.SessionTag = DefaultSessionTag
	}
	if x.KeyTag == "" {
		x.KeyTag = DefaultKeyTag
	}
}

func (x *PointRules) Refs() []Ref { return nil }

// Rule is the rule for item, nil if the rules give it no points.
func (x *PointRules) Rule(item PointItem) *PointRule {
	for i := range x.Items {
		if x.Items[i].Item == item {
			return &x.Items[i]
		}
	}
	return nil
}

// PointRulesPatch changes the fields it sets; nil leaves a field as it is.
type PointRulesPatch struct {
	Name          *string
	EffectiveFrom *Date
	Base          *float64
	Cap           *float64
	NoCap         *bool
	Items         []PointRule
	SessionTag    *string
	KeyTag        *string
	Tags          []string
	Attributes    map[string]any
}

func (p *PointRulesPatch) Apply(x *PointRules) {
	set(&x.Name, p.Name)
	set(&x.EffectiveFrom, p.EffectiveFrom)
	set(&x.Base, p.Base)
	setPtr(&x.Cap, p.Cap)
	if p.NoCap != nil && *p.NoCap {
		x.Cap = nil
	}
	setList(&x.Items, p.Items)
	set(&x.SessionTag, p.SessionTag)
	set(&x.KeyTag, p.KeyTag)
	setList(&x.Tags, p.Tags)
	setMap(&x.Attributes, p.Attributes)
}

// mayWriteRules: a township's point rules are its admins' to change.
func mayWriteRules(ctx context.Context, t string) error {
	if err := CanWrite(ctx, t); err != nil {
		return err
	}
	if !ActorFrom(ctx).Can(Admin) {
		return Errorf(EFORBIDDEN, "only an admin of the township may change its point rules")
	}
	return nil
}

func init() {
	Sortable[KindPointRules] = map[string]string{"EFFECTIVE_FROM": "effectiveFrom", "CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt"}
	DefaultOrder[KindPointRules] = Order{Field: "EFFECTIVE_FROM", Direction: ASC}
	Backrefs[KindTownship] = append(Backrefs[KindTownship], Backref{KindPointRules, "township"})
	enumLabels = append(enumLabels, strs(PointItemLabels))
}
