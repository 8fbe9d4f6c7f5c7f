package docx_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"renda/internal/report/document"
	"renda/internal/report/docx"
)

// TestLinesOf28: GB/T 9704 sets 28 characters a line; LibreOffice, which
// many offices use and which renda's PDFs come from, sets the body that way
// (skipped where LibreOffice or pdftotext is not installed).
func TestLinesOf28(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil || testing.Short() {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	// The width of a line depends on the font LibreOffice sets 仿宋 in: a
	// CJK font with square characters (Noto CJK where 仿宋 is missing).
	if fc, err := exec.Command("fc-match", "仿宋").Output(); err != nil || !strings.Contains(strings.ToLower(string(fc)), "cjk") && !strings.Contains(string(fc), "仿宋") && !strings.Contains(string(fc), "FangSong") {
		t.Skipf("no CJK font for 仿宋 (fc-match: %q)", fc)
	}
	// pdfLines renders the body as a DOCX, sets it in LibreOffice and gives
	// the body's lines as pdftotext reads them.
	pdfLines := func(t *testing.T, body string) []string {
		t.Helper()
		doc, err := document.Parse([]byte("# 标题\n\n" + body + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := docx.Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "lines.docx")
		if err := os.WriteFile(in, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, in).CombinedOutput()
		if err != nil {
			t.Fatalf("soffice: %v: %s", err, out)
		}
		text, err := exec.Command(pdftotext, "-layout", filepath.Join(dir, "lines.pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v (soffice said %s)", err, out)
		}
		var lines []string
		for _, l := range strings.Split(string(text), "\n") {
			if l = strings.ReplaceAll(strings.TrimSpace(l), " ", ""); utf8.RuneCountInString(l) >= 20 {
				lines = append(lines, l)
			}
		}
		return lines
	}
	t.Run("PunctuationAtLineEnds", func(t *testing.T) {
		// A mark right after the 26 characters of the first line and the 28
		// of each full line: LibreOffice hangs it in the margin, and it must
		// still be printed (with a character grid it was dropped).
		first := "镇人大主席团组织代表开展视察活动听取群众意见六簿一册"  // 26
		full := "全镇十五个村有十三个村进行了村路建设总里程长达六十多公里" // 28
		body := first + "，" + full + "、" + full + "。" + full
		got := pdfLines(t, body)
		want := []string{
			first + "，", full + "、", full + "。", full,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	// Characters without punctuation, so that no line is shortened by a
	// rule that keeps punctuation off a line's start.
	var lines []int
	for _, l := range pdfLines(t, strings.Repeat("镇人大主席团组织代表开展视察活动听取群众意见", 8)) {
		lines = append(lines, utf8.RuneCountInString(l))
	}
	// The first line is indented two characters; the full lines after it hold 28.
	if len(lines) < 4 {
		t.Fatalf("the body came out as lines of %v characters", lines)
	}
	if lines[0] != 26 {
		t.Errorf("the first line holds %d characters, want 26 (28 less the indent)", lines[0])
	}
	for i, n := range lines[1 : len(lines)-1] {
		if n != 28 {
			t.Errorf("line %d holds %d characters, want 28", i+2, n)
		}
	}
}
