package records

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AttributeType is what an attribute defined for a kind holds.
type AttributeType string

const (
	AttrText    AttributeType = "TEXT"
	AttrNumber  AttributeType = "NUMBER"
	AttrBoolean AttributeType = "BOOLEAN"
	AttrDate    AttributeType = "DATE" // a calendar date, stored as YYYY-MM-DD text
	AttrChoice  AttributeType = "CHOICE"
)

// AttributeDef defines one attribute of a kind in a township: its path in
// attributes, its Chinese label, its type and, for CHOICE, the values
// allowed. Once defined, writes are checked (and coerced) against it, and
// filters and aggregates compare its values as its type.
type AttributeDef struct {
	Path        string        `json:"path" bson:"path"`
	Label       string        `json:"label" bson:"label"`
	Type        AttributeType `json:"type" bson:"type"`
	Values      []string      `json:"values" bson:"values"`
	Required    bool          `json:"required" bson:"required"`
	Description string        `json:"description,omitempty" bson:"description,omitempty"`
}

// AttributeSet is the attributes defined for one kind in one township.
type AttributeSet struct {
	ID        string         `bson:"_id"` // township/kind
	Township  string         `bson:"township"`
	Kind      Kind           `bson:"kind"`
	Defs      []AttributeDef `bson:"defs"`
	Version   int            `bson:"version"`
	UpdatedAt time.Time      `bson:"updatedAt"`
	UpdatedBy string         `bson:"updatedBy"`
}

// ValidAttributePath reports a path attribute filters and keys accept: up
// to 8 dot-separated names of letters, digits, '_' or '-'.
func ValidAttributePath(path string) bool { return attributePath.MatchString(path) }

// AttributeSetID names the set of township t's kind.
func AttributeSetID(t string, kind Kind) string { return t + "/" + string(kind) }

// Limits on definitions.
const (
	MaxAttributeDefs   = 100
	MaxAttributeValues = 200
)

// Def returns the definition of path, or nil.
func (s *AttributeSet) Def(path string) *AttributeDef {
	if s == nil {
		return nil
	}
	for i := range s.Defs {
		if s.Defs[i].Path == path {
			return &s.Defs[i]
		}
	}
	return nil
}

// Validate checks a definition.
func (d *AttributeDef) Validate() error {
	d.Path, d.Label = strings.TrimSpace(d.Path), strings.TrimSpace(d.Label)
	if !attributePath.MatchString(d.Path) {
		return Invalidf("path", "attribute path %q must be up to 8 dot-separated names of letters, digits, '_' or '-'", d.Path)
	}
	if n := utf8.RuneCountInString(d.Label); n == 0 || n > MaxShortText {
		return Invalidf("label", "a label is 1 to %d characters", MaxShortText)
	}
	if err := SingleLine("label", "label", d.Label); err != nil {
		return err
	}
	if utf8.RuneCountInString(d.Description) > 2000 {
		return Invalidf("description", "a description is at most 2000 characters")
	}
	switch d.Type {
	case AttrText, AttrNumber, AttrBoolean, AttrDate:
		if len(d.Values) > 0 {
			return Invalidf("values", "values are for CHOICE attributes, this one is %s", d.Type)
		}
	case AttrChoice:
		if len(d.Values) == 0 || len(d.Values) > MaxAttributeValues {
			return Invalidf("values", "a CHOICE attribute lists 1 to %d values", MaxAttributeValues)
		}
		for i, v := range d.Values {
			if n := utf8.RuneCountInString(strings.TrimSpace(v)); n == 0 || n > MaxShortText {
				return Invalidf(fmt.Sprintf("values.%d", i), "a value is 1 to %d characters", MaxShortText)
			}
			if err := SingleLine(fmt.Sprintf("values.%d", i), "a value", v); err != nil {
				return err
			}
			if slices.Contains(d.Values[:i], v) {
				return Invalidf(fmt.Sprintf("values.%d", i), "value %q is given twice", v)
			}
		}
	default:
		return Invalidf("type", "unknown attribute type %q", d.Type)
	}
	if d.Values == nil {
		d.Values = []string{}
	}
	return nil
}

// Put adds or replaces the definition of d.Path, refusing a path that
// would hold another defined one (funding and funding.county).
func (s *AttributeSet) Put(d AttributeDef) error {
	if err := d.Validate(); err != nil {
		return err
	}
	for _, o := range s.Defs {
		if o.Path != d.Path && (strings.HasPrefix(o.Path, d.Path+".") || strings.HasPrefix(d.Path, o.Path+".")) {
			return Invalidf("path", "attribute %q is defined and %q would hold it or be held by it", o.Path, d.Path)
		}
	}
	for i := range s.Defs {
		if s.Defs[i].Path == d.Path {
			s.Defs[i] = d
			return nil
		}
	}
	if len(s.Defs) >= MaxAttributeDefs {
		return Invalidf("path", "at most %d attributes are defined for a kind", MaxAttributeDefs)
	}
	s.Defs = append(s.Defs, d)
	return nil
}

// CheckAttributes checks attrs against the definitions, coercing values
// written as text into numbers, booleans and the like in place. Errors
// name the field as "attributes.<path>".
func (s *AttributeSet) CheckAttributes(attrs map[string]any) error {
	if s == nil {
		return nil
	}
	for i := range s.Defs {
		d := &s.Defs[i]
		parent, key, v := lookupAttribute(attrs, d.Path)
		if v == nil {
			if d.Required {
				return Invalidf("attributes."+d.Path, "%s (%s) is required", d.Label, d.Path)
			}
			continue
		}
		c, err := d.Coerce(v)
		if err != nil {
			return Invalidf("attributes."+d.Path, "%s (%s): %v", d.Label, d.Path, err)
		}
		parent[key] = c
	}
	return nil
}

// lookupAttribute finds the value at a dotted path and the map holding it.
// Documents on the way that a decoder made of another type (bson.D) are
// replaced by maps holding the same, so a value set in the map found is
// set in attrs.
func lookupAttribute(attrs map[string]any, path string) (map[string]any, string, any) {
	m := attrs
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if m == nil {
			return nil, "", nil
		}
		if i == len(parts)-1 {
			return m, p, m[p]
		}
		next := AsMap(m[p])
		if next != nil {
			m[p] = next
		}
		m = next
	}
	return nil, "", nil
}

// AsMap returns v as a map[string]any if it is a document of whatever type
// a decoder made it: a named map (bson.M), sharing its storage, or an
// ordered list of Key/Value elements (bson.D), copied. Nil otherwise.
func AsMap(v any) map[string]any {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.Map && rv.Type().ConvertibleTo(mapType):
		return rv.Convert(mapType).Interface().(map[string]any)
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Struct:
		e := rv.Type().Elem()
		k, kok := e.FieldByName("Key")
		val, vok := e.FieldByName("Value")
		if !kok || !vok || k.Type.Kind() != reflect.String || val.Type.Kind() != reflect.Interface {
			return nil
		}
		m := make(map[string]any, rv.Len())
		for i := range rv.Len() {
			el := rv.Index(i)
			m[el.FieldByIndex(k.Index).String()] = el.FieldByIndex(val.Index).Interface()
		}
		return m
	}
	return nil
}

var mapType = reflect.TypeOf(map[string]any{})

// Coerce returns v as the definition's type holds it, or why it cannot.
func (d *AttributeDef) Coerce(v any) (any, error) {
	switch d.Type {
	case AttrText:
		switch x := v.(type) {
		case string:
			return x, nil
		case bool:
			return nil, fmt.Errorf("a TEXT attribute holds text, not %v", x)
		}
		if f, ok := Number(v); ok {
			return strconv.FormatFloat(f, 'f', -1, 64), nil
		}
	case AttrNumber:
		if f, ok := Number(v); ok {
			return numberValue(f), nil
		}
		if s, ok := v.(string); ok {
			if f, ok := NumericText(s); ok {
				return numberValue(f), nil
			}
			return nil, fmt.Errorf("a NUMBER attribute holds a number, not %q", s)
		}
	case AttrBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if s, ok := v.(string); ok {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true", "是":
				return true, nil
			case "false", "否":
				return false, nil
			}
			return nil, fmt.Errorf("a BOOLEAN attribute holds true or false (是/否), not %q", s)
		}
	case AttrDate:
		if s, ok := v.(string); ok {
			if _, err := ParseDate(strings.TrimSpace(s)); err != nil {
				return nil, err
			}
			return strings.TrimSpace(s), nil
		}
	case AttrChoice:
		s, ok := v.(string)
		if !ok {
			if f, isNum := Number(v); isNum {
				s, ok = strconv.FormatFloat(f, 'f', -1, 64), true
			}
		}
		if ok && slices.Contains(d.Values, s) {
			return s, nil
		}
		if ok {
			return nil, fmt.Errorf("%q is not one of %s", s, quoteList(d.Values, 10))
		}
	}
	return nil, fmt.Errorf("a %s attribute cannot hold %s", d.Type, describe(v))
}

func quoteList(xs []string, most int) string {
	var b strings.Builder
	for i, x := range xs {
		if i == most {
			fmt.Fprintf(&b, " … (%d in all)", len(xs))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(x))
	}
	return b.String()
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case bool:
		return "true or false"
	case string:
		return "text"
	}
	return "this value"
}

// Number reports v as a float64 if it is a number of any Go type BSON
// and JSON decode into.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		return x, true
	}
	return 0, false
}

var numericText = regexp.MustCompile(`^[-+]?[0-9]{1,15}(\.[0-9]{1,15})?$`)

// NumericText reads text that is a plain decimal number: "3", "-2.5".
func NumericText(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !numericText.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// numberValue stores whole numbers as integers, as JSON input does.
func numberValue(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

// TypedAttributeCond compares an attribute as its definition's type when
// it has one (def), coercing the value or refusing it as BAD_USER_INPUT on
// the condition's field. Without a definition numbers are compared with
// numbers: text that reads as a number ("3") is that number in an
// ordering (gte: "3" matches a stored 5) and either the number or the text
// in eq, ne, in and nin; other text orders as text.
func TypedAttributeCond(c Cond, def *AttributeDef) (Expr, error) {
	fail := func(format string, args ...any) (Expr, error) {
		return Expr{}, Invalidf(c.Field, format, args...)
	}
	switch c.Op {
	case OpIsNull:
		return Expr{Cond: &c}, nil
	case OpContains, OpStartsWith:
		if def != nil && def.Type != AttrText && def.Type != AttrChoice && def.Type != AttrDate {
			return fail("%s is a %s attribute: compare it with eq, in, gt …, not %s", def.Path, def.Type, c.Op)
		}
		return Expr{Cond: &c}, nil
	case OpGt, OpGte, OpLt, OpLte:
		if def == nil {
			switch v := c.Value.(type) {
			case bool:
				return fail("true and false cannot be ordered; use eq")
			case string:
				if f, ok := NumericText(v); ok {
					c.Value = numberValue(f)
				}
			}
			return Expr{Cond: &c}, nil
		}
		if def.Type == AttrBoolean || def.Type == AttrChoice {
			return fail("%s is a %s attribute: its values cannot be ordered; use eq or in", def.Path, def.Type)
		}
		v, err := def.Coerce(c.Value)
		if err != nil {
			return fail("%s: %v", def.Path, err)
		}
		c.Value = v
		return Expr{Cond: &c}, nil
	}
	// eq, ne, in, nin: a set of values.
	vals := []any{c.Value}
	if xs, ok := c.Value.([]any); ok {
		vals = xs
	}
	var out []any
	for _, v := range vals {
		if def != nil {
			x, err := def.Coerce(v)
			if err != nil {
				return fail("%s: %v", def.Path, err)
			}
			out = append(out, x)
			continue
		}
		out = append(out, v)
		switch x := v.(type) {
		case string:
			if f, ok := NumericText(x); ok {
				out = append(out, numberValue(f))
			}
		default:
			if f, ok := Number(x); ok {
				out = append(out, strconv.FormatFloat(f, 'f', -1, 64))
			}
		}
	}
	switch {
	case (c.Op == OpEq || c.Op == OpNe) && len(out) == 1:
		c.Value = out[0]
	case c.Op == OpEq || c.Op == OpIn:
		c.Op, c.Value = OpIn, out
	default:
		c.Op, c.Value = OpNin, out
	}
	return Expr{Cond: &c}, nil
}

// AttributeConds reports whether x compares any attribute.
func (x Expr) AttributeConds() bool {
	found := false
	x.walk(func(c *Cond) {
		found = found || strings.HasPrefix(c.Path, "attributes.")
	})
	return found
}

func (x Expr) walk(f func(*Cond)) {
	switch {
	case x.Cond != nil:
		f(x.Cond)
	case x.Not != nil:
		x.Not.walk(f)
	default:
		for _, y := range append(x.And, x.Or...) {
			y.walk(f)
		}
	}
}

// TypeAttributes rewrites every attribute condition of x with
// TypedAttributeCond, the definition of its path given by def (nil for
// none).
func (x Expr) TypeAttributes(def func(path string) (*AttributeDef, error)) (Expr, error) {
	switch {
	case x.Cond != nil:
		path, ok := strings.CutPrefix(x.Cond.Path, "attributes.")
		if !ok {
			return x, nil
		}
		d, err := def(path)
		if err != nil {
			return Expr{}, Prefix(x.Cond.Field, err)
		}
		return TypedAttributeCond(*x.Cond, d)
	case x.Not != nil:
		y, err := x.Not.TypeAttributes(def)
		if err != nil {
			return Expr{}, err
		}
		return Expr{Not: &y}, nil
	case x.And != nil || x.Or != nil:
		xs := x.And
		if x.Or != nil {
			xs = x.Or
		}
		out := make([]Expr, len(xs))
		for i, y := range xs {
			var err error
			if out[i], err = y.TypeAttributes(def); err != nil {
				return Expr{}, err
			}
		}
		if x.Or != nil {
			return Expr{Or: out}, nil
		}
		return Expr{And: out}, nil
	}
	return x, nil
}

// SharedDef is the definition of path the townships' sets agree on (nil
// if none defines it); CHOICE values are those any of them allows. Sets
// defining it as different types cannot be asked together.
func SharedDef(sets []*AttributeSet, path string) (*AttributeDef, error) {
	var out *AttributeDef
	var first string
	for _, set := range sets {
		d := set.Def(path)
		switch {
		case d == nil:
		case out == nil:
			c := *d
			c.Values = slices.Clone(d.Values)
			out, first = &c, set.Township
		case d.Type != out.Type:
			return nil, Invalidf("", "attribute %q is %s in township %q and %s in township %q: ask them separately", path, out.Type, first, d.Type, set.Township)
		default:
			for _, v := range d.Values {
				if !slices.Contains(out.Values, v) {
					out.Values = append(out.Values, v)
				}
			}
		}
	}
	return out, nil
}

// AttributeTypes indexes sets by township and path.
func AttributeTypes(sets []*AttributeSet) map[string]map[string]*AttributeDef {
	out := map[string]map[string]*AttributeDef{}
	for _, set := range sets {
		m := map[string]*AttributeDef{}
		for i := range set.Defs {
			m[set.Defs[i].Path] = &set.Defs[i]
		}
		out[set.Township] = m
	}
	return out
}
