package records_test

import (
	"testing"

	"renda/internal/records"
)

// TestNeutralise: text that starts as a formula is written with a leading
// apostrophe to CSV, as it is to XLSX, and the import gives every text
// back exactly as it was.
func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, csv, xlsx string }{
		{`=HYPERLINK("http://x","点此")`, `'=HYPERLINK("http://x","点此")`, `=HYPERLINK("http://x","点此")`},
		{"+8613812345678", "'+8613812345678", "+8613812345678"},
		{"-1", "'-1", "-1"},
		{"@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"},
		{"\t=1+1", "'\t=1+1", "\t=1+1"},
		{"\r=1+1", "'\r=1+1", "\r=1+1"},
		{"'=1+1", "''=1+1", "''=1+1"},
		{"''-x", "'''-x", "'''-x"},
		{"'quoted'", "'quoted'", "'quoted'"},
		{"王秀兰", "王秀兰", "王秀兰"},
		{"1+1=2", "1+1=2", "1+1=2"},
		{"", "", ""},
		{"'", "'", "'"},
	} {
		if got := records.NeutraliseCSV(tc.in); got != tc.csv {
			t.Errorf("NeutraliseCSV(%q) = %q, want %q", tc.in, got, tc.csv)
		}
		if got := records.NeutraliseXLSX(tc.in); got != tc.xlsx {
			t.Errorf("NeutraliseXLSX(%q) = %q, want %q", tc.in, got, tc.xlsx)
		}
		for _, cell := range []string{tc.csv, tc.xlsx} {
			if got := records.UnneutraliseCell(cell); got != tc.in {
				t.Errorf("UnneutraliseCell(%q) = %q, want %q back", cell, got, tc.in)
			}
		}
	}
}
