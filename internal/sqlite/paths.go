package sqlite

import (
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"

	"renda/internal/records"
)

// shape is where a stored path lies in a kind's JSON document: behind how
// many lists, and what its value is. Filters compare a path as MongoDB
// does, which the API's filters were written for: a path through a list
// matches when any item matches.
type shape struct {
	column string   // a column holding the value (no lists on the way)
	arrays []string // JSON paths of the lists on the way, each within the item before
	leaf   string   // JSON path of the value within the last item ("" for the item itself), or the document
	free   bool     // inside attributes: any JSON value, a list or not
	typ    reflect.Type
	// rest are the path's segments after its first list, for groupings,
	// which read the list and pick the items' values.
	rest []string
}

// scalar reports a path with one value per record, at most.
func (p shape) scalar() bool { return len(p.arrays) == 0 && !p.free }

var (
	shapes    sync.Map // kind + "\x00" + path → shape
	kindTypes = map[records.Kind]reflect.Type{
		records.KindTownship:   reflect.TypeOf(records.Township{}),
		records.KindDeputy:     reflect.TypeOf(records.Deputy{}),
		records.KindVillage:    reflect.TypeOf(records.Village{}),
		records.KindProject:    reflect.TypeOf(records.Project{}),
		records.KindInspection: reflect.TypeOf(records.Inspection{}),
		records.KindActivity:   reflect.TypeOf(records.Activity{}),
		records.KindSuggestion: reflect.TypeOf(records.Suggestion{}),
		records.KindReception:  reflect.TypeOf(records.Reception{}),
		records.KindPointRules: reflect.TypeOf(records.PointRules{}),

		records.KindCongressSession:   reflect.TypeOf(records.CongressSession{}),
		records.KindPresidiumMeeting:  reflect.TypeOf(records.PresidiumMeeting{}),
		records.KindLivelihoodProject: reflect.TypeOf(records.LivelihoodProject{}),
		records.KindSubmission:        reflect.TypeOf(records.DutySubmission{}),
	}
	timeType   = reflect.TypeOf(time.Time{})
	anyMapType = reflect.TypeOf(map[string]any{})
)

// jsonPath quotes path segments into an SQLite JSON path: $."a"."b". It
// goes into statements as a literal, so it keeps of a segment only what
// field and attribute names hold (letters, digits, '_' and '-', as
// records.ValidAttributePath checks before): no quote can reach SQL, even
// from a caller that did not check.
func jsonPath(segs []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		b.WriteString(`."`)
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' {
				b.WriteRune(r)
			}
		}
		b.WriteString(`"`)
	}
	return b.String()
}

// shapeOf finds where path lies in kind's documents, from the record's Go
// type and its JSON names.
func shapeOf(kind records.Kind, path string) shape {
	key := string(kind) + "\x00" + path
	if v, ok := shapes.Load(key); ok {
		return v.(shape)
	}
	sh := findShape(kind, path)
	shapes.Store(key, sh)
	return sh
}

func findShape(kind records.Kind, path string) shape {
	switch path {
	case "_id", "id", "township":
		return shape{column: map[string]string{"_id": "id", "id": "id", "township": "township"}[path], typ: reflect.TypeOf("")}
	case "version":
		return shape{column: "version", typ: reflect.TypeOf(0)}
	case "createdAt", "updatedAt":
		col, _ := columnOf(kind, path)
		return shape{column: col, typ: timeType}
	}
	segs := strings.Split(path, ".")
	var sh shape
	t := kindTypes[kind]
	var run []string // segments since the last list
	for i, seg := range segs {
		if t == anyMapType || t == nil || t.Kind() == reflect.Interface {
			// attributes: free-form below here
			run = append(run, segs[i:]...)
			sh.free = true
			t = nil
			break
		}
		f, ok := fieldByJSON(t, seg)
		if !ok {
			// not a field of the kind: no record holds it
			run = append(run, segs[i:]...)
			t = nil
			break
		}
		run = append(run, seg)
		t = f
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Slice {
			if len(sh.arrays) == 0 {
				sh.rest = segs[i+1:]
			}
			sh.arrays = append(sh.arrays, jsonPath(run))
			run = nil
			t = t.Elem()
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
		}
	}
	if len(run) > 0 {
		sh.leaf = jsonPath(run)
	}
	sh.typ = t
	if col, ok := columnOf(kind, path); ok && sh.scalar() {
		sh.column = col
	}
	return sh
}

// fieldByJSON finds the field of struct type t whose JSON name is name,
// looking into embedded structs as encoding/json does.
func fieldByJSON(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		n, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && n == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if got, ok := fieldByJSON(ft, name); ok {
				return got, true
			}
			continue
		}
		if n == "-" || !f.IsExported() {
			continue
		}
		if n == "" {
			n = f.Name
		}
		if n == name {
			return f.Type, true
		}
	}
	return nil, false
}
