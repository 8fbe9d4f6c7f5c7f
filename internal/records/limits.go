package records

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Size limits on what a record may hold, so that no record can grow without
// bound and break the lists it appears in. They are stated in the schema's
// descriptions; a value over a limit is EINVALID on its field.
const (
	// MaxShortText bounds every text field not named below: names, titles,
	// topics, places, phone numbers (in characters).
	MaxShortText = 200
	// MaxLongText bounds free text: summaries, findings, content, replies.
	MaxLongText = 20000
	// MaxListItems bounds every list field not named below.
	MaxListItems = 200
	// MaxRefs bounds a list of references (participants, villages, projects).
	MaxRefs = 500
	// MaxAttributeBytes bounds a record's attributes as JSON.
	MaxAttributeBytes = 64 << 10
	// MaxRecordBytes bounds a whole record as stored.
	MaxRecordBytes = 1 << 20
	// MaxVoters and MaxContacts bound a deputy's voters and each voter's
	// contact events (their `max` tags on Deputy and Voter).
	MaxVoters   = 50
	MaxContacts = 200
)

// checkLimits walks a record's exported fields and checks every string and
// list against its limit: the field's `max` tag, or MaxShortText and
// MaxListItems. A string is one line (see SingleLine) unless its field is
// tagged `text:"multiline"` (free text: summaries, findings, content).
// Errors name the field by its JSON path ("voters.3.name").
func checkLimits(x any) error {
	return walkLimits(reflect.ValueOf(x), "")
}

func walkLimits(v reflect.Value, path string) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	for _, f := range structFields(v.Type()) {
		fv := v.Field(f.index)
		name := join(path, f.name)
		if f.inline {
			name = path
		}
		switch fv.Kind() {
		case reflect.String:
			if n := utf8.RuneCountInString(fv.String()); n > f.max(MaxShortText) {
				return Invalidf(name, "%s is at most %d characters, got %d", f.name, f.max(MaxShortText), n)
			}
			if !f.multiline {
				if err := SingleLine(name, f.name, fv.String()); err != nil {
					return err
				}
			}
		case reflect.Slice:
			if n := fv.Len(); n > f.max(MaxListItems) {
				return Invalidf(name, "%s holds at most %d items, got %d", f.name, f.max(MaxListItems), n)
			}
			for i := 0; i < fv.Len(); i++ {
				e := fv.Index(i)
				if e.Kind() == reflect.String {
					if n := utf8.RuneCountInString(e.String()); n > f.itemMax() {
						return Invalidf(name+"."+strconv.Itoa(i), "each item of %s is at most %d characters, got %d", f.name, f.itemMax(), n)
					}
					if !f.multiline {
						if err := SingleLine(name+"."+strconv.Itoa(i), "each item of "+f.name, e.String()); err != nil {
							return err
						}
					}
					continue
				}
				if err := walkLimits(e, name+"."+strconv.Itoa(i)); err != nil {
					return err
				}
			}
		case reflect.Struct, reflect.Pointer:
			if err := walkLimits(fv, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// SingleLine refuses, on field, a value of a one-line field (a name, a
// title, a phone number) that holds a line break (CR, LF, U+2028, U+2029)
// or another control character (C0, DEL, C1): such a value would break
// the lines of exports, documents and logs, or hide part of itself.
func SingleLine(field, name, v string) error {
	for _, r := range v {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 {
			return Invalidf(field, "%s is one line: no line break or other control character (U+%04X) (单行内容，不能含换行符或控制字符)", name, r)
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// limitField is one exported field of a record type with its limits.
type limitField struct {
	index  int
	name   string // JSON name
	inline bool   // an embedded struct: its fields sit at the parent's path
	limit  int    // from `max:"N"`; 0 means the default
	item   int    // from `itemMax:"N"` for lists of strings; 0 means MaxShortText
	// multiline is free text (`text:"multiline"`): it may hold line
	// breaks; any other string is one line.
	multiline bool
}

func (f limitField) max(def int) int {
	if f.limit > 0 {
		return f.limit
	}
	return def
}

func (f limitField) itemMax() int {
	if f.item > 0 {
		return f.item
	}
	return MaxShortText
}

var fieldCache sync.Map // reflect.Type → []limitField

func structFields(t reflect.Type) []limitField {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]limitField)
	}
	var fs []limitField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Tag.Get("max") == "-" {
			continue
		}
		lf := limitField{index: i, inline: sf.Anonymous}
		lf.name, _, _ = strings.Cut(sf.Tag.Get("json"), ",")
		if lf.name == "" {
			lf.name = sf.Name
		}
		lf.limit, _ = strconv.Atoi(sf.Tag.Get("max"))
		lf.item, _ = strconv.Atoi(sf.Tag.Get("itemMax"))
		lf.multiline = sf.Tag.Get("text") == "multiline"
		fs = append(fs, lf)
	}
	fieldCache.Store(t, fs)
	return fs
}

// attributeBytes is the size of attributes as JSON, or an error naming why
// they cannot be encoded.
func attributeBytes(attrs map[string]any) (int, error) {
	if attrs == nil {
		return 0, nil
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return 0, fmt.Errorf("attributes cannot be written as JSON")
	}
	return len(b), nil
}
