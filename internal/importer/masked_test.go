package importer_test

import (
	"context"
	"strings"
	"testing"

	"renda/internal/importer"
	"renda/internal/records"
)

// TestMaskedPhone: a roster exported by a viewer holds phones masked
// (138****5678). Imported by an editor, a masked phone that masks the
// stored number changes nothing; one that does not, or one for a new
// deputy, is refused: a masked number is never stored.
func TestMaskedPhone(t *testing.T) {
	t.Parallel()
	s := MustTownship(t)
	ctx := context.Background()
	if _, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: "qps"}, Name: "王秀兰",
		Phone: "13812345678", Levels: []records.Level{records.TOWNSHIP}}); err != nil {
		t.Fatal(err)
	}
	head := []string{"姓名", "代表层级", "联系电话"}
	res := MustImport(t, s, csvOf(head, []string{"王秀兰", "镇级", "138****5678"}), importer.Options{})
	if r := rowAt(t, res, 2); r.Action != importer.Unchanged {
		t.Fatalf("the stored number masked: %s %+v %s, want unchanged", r.Action, r.Changes, problems(r))
	}
	if got := MustDeputies(t, s)["王秀兰"].Phone; got != "13812345678" {
		t.Fatalf("phone %q after the import, want 13812345678 as stored", got)
	}
	res = MustImport(t, s, csvOf(head, []string{"王秀兰", "镇级", "139****5678"}, []string{"新代表", "镇级", "138****0000"}), importer.Options{})
	for _, line := range []int{2, 3} {
		r := rowAt(t, res, line)
		if r.Action != importer.Refused || len(r.Problems) != 1 || r.Problems[0].Field != "phone" || !strings.Contains(r.Problems[0].Reason, "脱敏") {
			t.Errorf("line %d: %s %s, want refused on the phone as masked", line, r.Action, problems(r))
		}
	}
	if d := MustDeputies(t, s); d["王秀兰"].Phone != "13812345678" || d["新代表"] != nil {
		t.Fatalf("after refused rows: %q, %v; want the phone as stored and no new deputy", d["王秀兰"].Phone, d["新代表"])
	}
	res = MustImport(t, s, csvOf(head, []string{"王秀兰", "镇级", "13900001111"}), importer.Options{})
	if r := rowAt(t, res, 2); r.Action != importer.Update {
		t.Fatalf("a whole new number: %s %s, want an update", r.Action, problems(r))
	}
}
