package records_test

import (
	"testing"

	"renda/internal/records"
)

// TestServingOn: documents count with the terms exactly, gaps included,
// to the day; a deputy with no terms recorded counts as serving.
func TestServingOn(t *testing.T) {
	end, why := records.Date("2022-06-30"), records.RESIGNED
	d := &records.Deputy{Terms: []records.Term{
		{Level: records.TOWNSHIP, Start: "2021-12-20", StartReason: records.ELECTED, End: &end, EndReason: &why},
		{Level: records.TOWNSHIP, Start: "2023-03-01", StartReason: records.BY_ELECTION},
	}}
	for day, want := range map[records.Date]bool{
		"2021-12-19": false, "2021-12-20": true, "2022-06-30": true, "2022-07-01": false,
		"2023-02-28": false, "2023-03-01": true, "2030-01-01": true,
	} {
		if got := d.ServingOn(day); got != want {
			t.Errorf("serving on %s: %v, want %v", day, got, want)
		}
	}
	if !d.ServingWithin("2022-07-01", "2023-03-01") || d.ServingWithin("2022-07-01", "2023-02-28") {
		t.Errorf("ServingWithin does not follow the gap between the terms")
	}
	if !(&records.Deputy{}).ServingOn("1990-01-01") {
		t.Errorf("a deputy with no terms is not serving")
	}
}
