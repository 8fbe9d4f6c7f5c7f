package records_test

import (
	"reflect"
	"testing"
	"time"

	"renda/internal/records"
)

func TestTypedAttributeCond(t *testing.T) {
	number := &records.AttributeDef{Path: "score", Label: "评分", Type: records.AttrNumber}
	text := &records.AttributeDef{Path: "code", Label: "代码", Type: records.AttrText}
	choice := &records.AttributeDef{Path: "area", Label: "片区", Type: records.AttrChoice, Values: []string{"东片", "西片"}}
	cond := func(op records.Op, v any) records.Cond {
		return records.Cond{Path: "attributes.x", Op: op, Value: v, Field: "filter.attributes.0." + string(op)}
	}
	for _, c := range []struct {
		name string
		in   records.Cond
		def  *records.AttributeDef
		op   records.Op
		want any
	}{
		{"NumberTextOrdersAsNumber", cond(records.OpGte, "3"), nil, records.OpGte, int64(3)},
		{"OtherTextOrdersAsText", cond(records.OpGte, "b"), nil, records.OpGte, "b"},
		{"NumberTextEqualsEither", cond(records.OpEq, "5"), nil, records.OpIn, []any{"5", int64(5)}},
		{"NumberEqualsEither", cond(records.OpNe, int64(5)), nil, records.OpNin, []any{int64(5), "5"}},
		{"DefinedNumberCoerced", cond(records.OpEq, "5"), number, records.OpEq, int64(5)},
		{"DefinedNumberRange", cond(records.OpLt, "2.5"), number, records.OpLt, 2.5},
		{"DefinedTextCoerced", cond(records.OpIn, []any{int64(101), "7"}), text, records.OpIn, []any{"101", "7"}},
		{"Choice", cond(records.OpEq, "东片"), choice, records.OpEq, "东片"},
	} {
		t.Run("OK/"+c.name, func(t *testing.T) {
			x, err := records.TypedAttributeCond(c.in, c.def)
			if err != nil {
				t.Fatal(err)
			}
			if x.Cond.Op != c.op || !reflect.DeepEqual(x.Cond.Value, c.want) {
				t.Fatalf("got %s %#v, want %s %#v", x.Cond.Op, x.Cond.Value, c.op, c.want)
			}
		})
	}
	for _, c := range []struct {
		name string
		in   records.Cond
		def  *records.AttributeDef
	}{
		{"NotANumber", cond(records.OpGte, "高"), number},
		{"ContainsOnNumber", cond(records.OpContains, "1"), number},
		{"NotAChoice", cond(records.OpEq, "北片"), choice},
		{"ChoiceOrdered", cond(records.OpGt, "东片"), choice},
		{"BooleanOrdered", cond(records.OpGt, true), nil},
	} {
		t.Run("ErrInvalid/"+c.name, func(t *testing.T) {
			_, err := records.TypedAttributeCond(c.in, c.def)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != c.in.Field {
				t.Fatalf("got %v, want EINVALID on %s", err, c.in.Field)
			}
		})
	}
}

func TestAttributeSet_CheckAttributes(t *testing.T) {
	set := &records.AttributeSet{}
	for _, d := range []records.AttributeDef{
		{Path: "score", Label: "评分", Type: records.AttrNumber},
		{Path: "contact.wechat", Label: "微信", Type: records.AttrText, Required: true},
		{Path: "area", Label: "片区", Type: records.AttrChoice, Values: []string{"东片", "西片"}},
		{Path: "joined", Label: "入党时间", Type: records.AttrDate},
		{Path: "veteran", Label: "退役军人", Type: records.AttrBoolean},
	} {
		if err := set.Put(d); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OK", func(t *testing.T) {
		// A nested document as the driver decodes one (bson.D's shape).
		type elem struct {
			Key   string
			Value any
		}
		attrs := map[string]any{"score": "4.5", "contact": []elem{{"wechat", 12345}}, "area": "东片", "joined": "2001-07-01", "veteran": "是"}
		if err := set.CheckAttributes(attrs); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"score": 4.5, "contact": map[string]any{"wechat": "12345"}, "area": "东片", "joined": "2001-07-01", "veteran": true}
		if !reflect.DeepEqual(attrs, want) {
			t.Fatalf("got %#v, want %#v", attrs, want)
		}
	})
	for _, c := range []struct {
		name  string
		attrs map[string]any
		field string
	}{
		{"Required", map[string]any{"score": 1}, "attributes.contact.wechat"},
		{"NotANumber", map[string]any{"score": "高", "contact": map[string]any{"wechat": "w"}}, "attributes.score"},
		{"NotAChoice", map[string]any{"area": "北片", "contact": map[string]any{"wechat": "w"}}, "attributes.area"},
		{"NotADate", map[string]any{"joined": "2001-13-01", "contact": map[string]any{"wechat": "w"}}, "attributes.joined"},
		{"NotAList", map[string]any{"score": []any{1}, "contact": map[string]any{"wechat": "w"}}, "attributes.score"},
	} {
		t.Run("ErrInvalid/"+c.name, func(t *testing.T) {
			err := set.CheckAttributes(c.attrs)
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != c.field {
				t.Fatalf("got %v, want EINVALID on %s", err, c.field)
			}
		})
	}
	t.Run("ErrPathHoldsAnother", func(t *testing.T) {
		err := set.Put(records.AttributeDef{Path: "contact", Label: "联系", Type: records.AttrText})
		if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != "path" {
			t.Fatalf("got %v, want EINVALID on path", err)
		}
	})
}

// TestSuggestion_Replies: a suggestion's first reply, its Shanghai day,
// timeliness and days taken are derived from its history at write time.
func TestSuggestion_Replies(t *testing.T) {
	deadline := records.Date("2023-03-10")
	s := &records.Suggestion{Submitted: "2023-03-01", Deadline: &deadline, Status: records.SUBMITTED}
	s.OnCreate("clerk", s.Submitted.Time())
	at := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)
	a := records.CLASS_A
	s.Department, s.Reply, s.ReplyClass = "交通局", "已修", &a
	for _, step := range []struct {
		to records.SuggestionStatus
		at time.Time
	}{{records.ACCEPTED, at.AddDate(0, 0, 1)}, {records.ASSIGNED, at.AddDate(0, 0, 2)},
		// 20:00 UTC on the 10th is the 11th in Shanghai: a day late.
		{records.REPLIED, time.Date(2023, 3, 10, 20, 0, 0, 0, time.UTC)}} {
		if err := s.Move(step.to, "", "clerk", step.at); err != nil {
			t.Fatal(err)
		}
	}
	s.Derive(nil)
	if s.RepliedOn == nil || *s.RepliedOn != "2023-03-11" || s.OnTime == nil || *s.OnTime || *s.DaysToReply != 10 {
		t.Fatalf("replied on %v, on time %v, days %v: want 2023-03-11, late, 10", s.RepliedOn, s.OnTime, s.DaysToReply)
	}
	if s.Half != 1 || s.Quarter != 1 || !s.Overdue("2023-01-01") {
		t.Fatalf("half %d quarter %d overdue %v: want 1, 1, overdue (replied late)", s.Half, s.Quarter, s.Overdue("2023-01-01"))
	}
	open := &records.Suggestion{Submitted: "2023-03-01", Deadline: &deadline, Status: records.ASSIGNED}
	open.Derive(nil)
	if open.Overdue("2023-03-10") || !open.Overdue("2023-03-11") {
		t.Fatal("an open suggestion is overdue from the day after its deadline")
	}
}
