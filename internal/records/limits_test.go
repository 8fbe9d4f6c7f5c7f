package records_test

import (
	"strconv"
	"strings"
	"testing"

	"renda/internal/records"
)

func deputy() *records.Deputy {
	return &records.Deputy{Meta: records.Meta{Township: "t"}, Name: "张三", Levels: []records.Level{records.TOWNSHIP}}
}

// TestLimits: every bounded field accepts a value at its limit and refuses
// one just over it, naming the field.
func TestLimits(t *testing.T) {
	text := func(n int) string { return strings.Repeat("字", n) }
	for _, tc := range []struct {
		name  string
		field string
		set   func(n int) validator
		limit int
	}{
		{"ShortText", "name", func(n int) validator { d := deputy(); d.Name = text(n); return d }, records.MaxShortText},
		{"Phone", "phone", func(n int) validator { d := deputy(); d.Phone = strings.Repeat("1", n); return d }, records.MaxShortText},
		{"Voters", "voters", func(n int) validator {
			d := deputy()
			for range n {
				d.Voters = append(d.Voters, records.Voter{Name: "李四"})
			}
			return d
		}, records.MaxVoters},
		{"NestedText", "voters.0.contacts.0.summary", func(n int) validator {
			d := deputy()
			d.Voters = []records.Voter{{Name: "李四", Contacts: []records.ContactEvent{{Date: "2023-01-01", Summary: text(n)}}}}
			return d
		}, records.MaxLongText},
		{"LongText", "findings", func(n int) validator {
			return &records.Inspection{Meta: records.Meta{Township: "t"}, Topic: "视察", Date: records.DateSpan{Date: "2023-01-01", Precision: records.DAY}, Findings: text(n)}
		}, records.MaxLongText},
		{"ListItem", "suggestions.0", func(n int) validator {
			return &records.Inspection{Meta: records.Meta{Township: "t"}, Topic: "视察", Date: records.DateSpan{Date: "2023-01-01", Precision: records.DAY}, Suggestions: []string{text(n)}}
		}, 2000},
		{"Refs", "participantIds", func(n int) validator {
			x := &records.Inspection{Meta: records.Meta{Township: "t"}, Topic: "视察", Date: records.DateSpan{Date: "2023-01-01", Precision: records.DAY}}
			for i := range n {
				x.ParticipantIDs = append(x.ParticipantIDs, "d"+strconv.Itoa(i))
			}
			return x
		}, records.MaxRefs},
		// The README's 200 items a list, tags included.
		{"Tags", "tags", func(n int) validator {
			d := deputy()
			for i := range n {
				d.Tags = append(d.Tags, "标签"+strconv.Itoa(i))
			}
			return d
		}, 200},
		{"TagLength", "tags.0", func(n int) validator { d := deputy(); d.Tags = []string{text(n)}; return d }, 64},
		{"AttributeBytes", "attributes", func(n int) validator {
			d := deputy()
			// {"k":"…"} is 8 bytes around the value
			d.Attributes = map[string]any{"k": strings.Repeat("x", n-8)}
			return d
		}, records.MaxAttributeBytes},
	} {
		t.Run(tc.name+"/OK", func(t *testing.T) {
			if err := tc.set(tc.limit).Validate(); err != nil {
				t.Fatalf("at the limit (%d): %v", tc.limit, err)
			}
		})
		t.Run(tc.name+"/ErrOver", func(t *testing.T) {
			err := tc.set(tc.limit + 1).Validate()
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tc.field {
				t.Fatalf("just over the limit: got %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
}

type validator interface{ Validate() error }

// TestOneLineOutsideRecords: the names of accounts and keys and the labels
// and values of attribute definitions are one line too.
func TestOneLineOutsideRecords(t *testing.T) {
	for name, tc := range map[string]struct {
		v     validator
		field string
	}{
		"Account":        {&records.Account{ID: "wang", Name: "王\n秀兰", Role: records.Viewer}, "name"},
		"Key":            {&records.APIKey{Name: "大屏\r", Role: records.Viewer}, "name"},
		"AttributeLabel": {&records.AttributeDef{Path: "x", Label: "资金\n来源", Type: records.AttrText}, "label"},
		"AttributeValue": {&records.AttributeDef{Path: "x", Label: "来源", Type: records.AttrChoice, Values: []string{"县", "镇\u2029"}}, "values.1"},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			err := tc.v.Validate()
			if records.ErrorCode(err) != records.EINVALID || records.ErrorField(err) != tc.field || !strings.Contains(records.ErrorMessage(err), "one line") {
				t.Fatalf("got %v, want EINVALID on %s saying it is one line", err, tc.field)
			}
		})
	}
}
