// Package upgrade moves what earlier releases kept in a record's custom
// attributes, by convention only, into the fields that now hold it: an
// inspection's or activity's attributes.order into order, a deliberation's
// attributes.topic (or, without one, attributes.series) into
// deliberation.series, a 规范化建设's attributes.amountFor into
// standardization.amountFor. Each record moved is one write, with its audit
// entry, by the actor in the context; a record already moved is not found
// again, so running it twice changes nothing.
package upgrade

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"

	"renda/internal/records"
)

// keys are the attributes a record may still carry.
var keys = []string{"order", "series", "topic", "amountFor"}

// Attributes moves the conventional attributes of every inspection and
// activity the context's actor may change into their fields, and says how
// many records it changed. An attribute whose value the field cannot take
// (an order of "第二") stays where it is.
func Attributes(ctx context.Context, s *records.Store) (int, error) {
	moved := 0
	for _, k := range keys {
		notNull := false
		has := records.Common{Attributes: []*records.AttributeFilter{{Path: k, IsNull: &notNull}}}
		expr, err := records.Compile(&records.InspectionFilter{Common: has}, "filter")
		if err != nil {
			return moved, err
		}
		n, err := each(ctx, s.Inspections, expr, moveInspection)
		moved += n
		if err != nil {
			return moved, fmt.Errorf("inspections: %w", err)
		}
		if expr, err = records.Compile(&records.ActivityFilter{Common: has}, "filter"); err != nil {
			return moved, err
		}
		n, err = each(ctx, s.Activities, expr, moveActivity)
		moved += n
		if err != nil {
			return moved, fmt.Errorf("activities: %w", err)
		}
	}
	return moved, nil
}

// each pages through the records of c that expr selects and updates those
// move changes (it reports whether it did).
func each[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], expr records.Expr, move func(PT) bool) (int, error) {
	n, after := 0, ""
	for {
		page, err := c.Find(ctx, records.Query{Filter: expr, First: 100, After: after})
		if err != nil {
			return n, err
		}
		for _, x := range page.Items {
			if probe := *x; !move(PT(&probe)) {
				continue
			}
			id := PT(x).GetMeta().ID
			if _, err := c.Update(ctx, id, nil, func(y PT) { move(y) }); err != nil {
				return n, fmt.Errorf("%s: %w", id, err)
			}
			n++
		}
		if !page.HasNextPage || len(page.Cursors) == 0 {
			return n, nil
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
}

func moveInspection(x *records.Inspection) bool {
	return moveOrder(&x.Order, x.Attributes)
}

func moveActivity(a *records.Activity) bool {
	changed := moveOrder(&a.Order, a.Attributes)
	if d := a.Deliberation; d != nil && d.Series == "" {
		topic, _ := a.Attributes["topic"].(string)
		series, _ := a.Attributes["series"].(string)
		if topic != "" || series != "" {
			d.Series = topic
			if topic == "" {
				d.Series = series
			}
			delete(a.Attributes, "topic")
			delete(a.Attributes, "series")
			changed = true
		}
	}
	if st := a.Standardization; st != nil && len(st.AmountFor) == 0 {
		// A list, as each store decodes one ([]any, or a named type of it).
		if l := reflect.ValueOf(a.Attributes["amountFor"]); l.Kind() == reflect.Slice {
			var moved []string
			for i := range l.Len() {
				if s, ok := l.Index(i).Interface().(string); ok && slices.Contains(st.Items, s) {
					moved = append(moved, s)
				}
			}
			if len(moved) == l.Len() && len(moved) > 0 {
				st.AmountFor = moved
				delete(a.Attributes, "amountFor")
				changed = true
			}
		}
	}
	return changed
}

// moveOrder moves attributes.order into the field when the record has no
// order and the attribute is a whole number the field takes.
func moveOrder(have **int, attrs map[string]any) bool {
	if *have != nil {
		return false
	}
	// A number, as each store decodes one (float64, int32, int64 …).
	var f float64
	switch v := reflect.ValueOf(attrs["order"]); v.Kind() {
	case reflect.Float32, reflect.Float64:
		f = v.Float()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f = float64(v.Int())
	default:
		return false
	}
	if f != math.Trunc(f) || f < 1 || f > records.MaxOrder {
		return false
	}
	n := int(f)
	*have = &n
	delete(attrs, "order")
	return true
}
