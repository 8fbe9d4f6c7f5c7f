package records_test

import (
	"context"
	"strings"
	"testing"

	"renda/internal/records"
)

func TestMaskPhone(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Mobile", "13812345678", "138****5678"},
		{"MobileFullWidth", "１３８１２３４５６７８", "１３８****５６７８"},
		{"LandlineWithAreaCode", "0351-1234567", "035*-***4567"},
		{"LandlineWithAreaCode8", "010-62345678", "010-****5678"},
		{"Spaces", "138 1234 5678", "138 **** 5678"},
		{"Dashes", "138-1234-5678", "138-****-5678"},
		{"CountryCode", "+86 138 1234 5678", "+86 1** **** 5678"},
		{"LocalLandline", "6234567", "***4567"},
		{"LocalLandline8", "62345678", "****5678"},
		{"Short", "12345", "***45"},
		{"VeryShort", "110", "***"},
		{"Empty", "", ""},
		{"NoDigits", "微信同号", "微信同号"},
		{"TwoNumbers", "13812345678、13987654321", "138****5678、139****4321"},
		{"WithText", "13812345678（本人）", "138****5678（本人）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := records.MaskPhone(tc.in)
			if got != tc.want {
				t.Fatalf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if tc.in != "" && strings.ContainsAny(tc.in, "0123456789０１２３４５６７８９") && got == tc.in {
				t.Fatalf("MaskPhone(%q) shows the number whole", tc.in)
			}
		})
	}
}

func TestMaskIDNumber(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ID18", "110101199003071234", "110101********1234"},
		{"IDWithX", "11010119900307123X", "110101********123X"},
		{"IDWithLowerX", "11010119900307123x", "110101********123x"},
		{"ID15", "110101900307123", "110101*****7123"},
		{"Spaces", "110101 19900307 1234", "110101 ******** 1234"},
		{"Short", "12345678", "******78"},
		{"VeryShort", "1234", "****"},
		{"Empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := records.MaskIDNumber(tc.in); got != tc.want {
				t.Fatalf("MaskIDNumber(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSeesPersonal: only editors and admins of the record's township see
// personal numbers whole.
func TestSeesPersonal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		actor records.Actor
		sees  bool
	}{
		{"CountyViewer", records.Actor{ID: "user:v", Role: records.Viewer}, false},
		{"TownshipViewer", records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{"qps"}}, false},
		{"TownshipEditor", records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{"qps"}}, true},
		{"OtherTownshipEditor", records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{"t01"}}, false},
		{"OtherTownshipAdmin", records.Actor{ID: "user:a", Role: records.Admin, Townships: []string{"t01"}}, false},
		{"CountyEditor", records.Actor{ID: "user:e", Role: records.Editor}, true},
		{"CountyAdmin", records.Actor{ID: "user:a", Role: records.Admin}, true},
		{"Anonymous", records.Anonymous, false},
		{"Local", records.Local, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.actor.SeesPersonal("qps"); got != tc.sees {
				t.Fatalf("SeesPersonal(qps) = %v, want %v", got, tc.sees)
			}
			ctx := records.WithActor(context.Background(), tc.actor)
			want := "138****5678"
			if tc.sees {
				want = "13812345678"
			}
			if got := records.PersonalPhone(ctx, "qps", "13812345678"); got != want {
				t.Fatalf("PersonalPhone = %q, want %q", got, want)
			}
		})
	}
}

// TestPersonalDoc: a deputy as stored in an audit entry, read by a viewer,
// has its phone and its voters' contacts masked, and the stored map is
// left as it was.
func TestPersonalDoc(t *testing.T) {
	doc := map[string]any{"name": "张三", "phone": "13812345678",
		"voters": []any{map[string]any{"name": "李四", "contact": "13987654321"}}}
	viewer := records.WithActor(context.Background(), records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{"qps"}})
	got := records.PersonalDoc(viewer, "deputies", "qps", doc)
	voter := got["voters"].([]any)[0].(map[string]any)
	if got["phone"] != "138****5678" || voter["contact"] != "139****4321" || voter["name"] != "李四" || got["name"] != "张三" {
		t.Fatalf("viewer reads %v", got)
	}
	if doc["phone"] != "13812345678" || doc["voters"].([]any)[0].(map[string]any)["contact"] != "13987654321" {
		t.Fatalf("the stored document changed: %v", doc)
	}
	editor := records.WithActor(context.Background(), records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{"qps"}})
	if got := records.PersonalDoc(editor, "deputies", "qps", doc); got["phone"] != "13812345678" {
		t.Fatalf("editor reads %v", got)
	}
	village := map[string]any{"name": "棋盘山村", "code": "13812345678"}
	if got := records.PersonalDoc(viewer, "villages", "qps", village); got["code"] != "13812345678" {
		t.Fatalf("a village's code is not personal: %v", got)
	}
}
