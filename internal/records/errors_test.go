package records_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"renda/internal/records"
)

// TestRedacted: what renda logs of an error holds its code, field or
// types, never the values its message quotes.
func TestRedacted(t *testing.T) {
	var syntax error = json.Unmarshal([]byte(`{"phone": "13800001111"`), new(any))
	for _, tc := range []struct {
		err  error
		want string
	}{
		{records.Invalidf("input.phone", "phone %q is too long", "13800001111"), "invalid on input.phone"},
		{records.Errorf(records.ENOTFOUND, "deputy %q not found", "张三"), "not_found"},
		{fmt.Errorf("decode 13800001111: %w", syntax), "*fmt.wrapError: *json.SyntaxError"},
	} {
		got := records.Redacted(tc.err)
		if got != tc.want || strings.Contains(got, "13800001111") || strings.Contains(got, "张三") {
			t.Errorf("Redacted(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
