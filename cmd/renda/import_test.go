package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renda/internal/records"
)

// TestImport imports the sample roster from the command line into the demo
// township, as a clerk would: a dry run, the real run, the same file again,
// then a file with a bad row, all or nothing.
func TestImport(t *testing.T) {
	data := t.TempDir()
	sample := filepath.Join("..", "..", "testdata", "rosters", "roster-sample.xlsx")
	imp := func(t *testing.T, args ...string) (string, error) {
		t.Helper()
		var out bytes.Buffer
		err := importCmd(context.Background(), append(args, "--data", data, "--mongodb-uri", ""), &out, slog.New(slog.DiscardHandler))
		return out.String(), err
	}
	// rows returns the table's rows as "line action record".
	rows := func(out string) []string {
		var got []string
		for _, l := range strings.Split(out, "\n")[1:] {
			if f := strings.Fields(l); len(f) >= 3 && f[0] >= "0" && f[0] <= "9999" && len(f[0]) < 5 {
				got = append(got, strings.Join(f[:3], " "))
			}
		}
		return got
	}

	t.Run("DryRun", func(t *testing.T) {
		out, err := imp(t, "deputies", sample, "--township", "qps", "--dry-run", "--demo")
		if err != nil {
			t.Fatal(err)
		}
		want := "3 新增 白雪梅（1975.10）|4 新增 包国庆（1969.03）|5 新增 陈立新（1981.07.01）|6 新增 丁秀兰（1972.05）|7 新增 范振华（1966.01）|8 新增 高玉珍（1988.12）"
		if got := strings.Join(rows(out), "|"); got != want {
			t.Errorf("rows:\n%s\nwant %s", out, want)
		}
		if !strings.HasPrefix(out, "行  结果  记录") || !strings.Contains(out, "新增 6，更新 0，不变 0，拒绝 0（试导入，未写入）") {
			t.Errorf("printed:\n%s\nwant the table's header and the dry run's counts", out)
		}
	})
	t.Run("OK", func(t *testing.T) {
		out, err := imp(t, "deputies", "--township", "qps", sample)
		if err != nil || !strings.Contains(out, "新增 6，更新 0，不变 0，拒绝 0\n") {
			t.Fatalf("import: %v\n%s", err, out)
		}
	})
	t.Run("AgainChangesNothing", func(t *testing.T) {
		out, err := imp(t, "deputies", sample, "--township", "qps")
		if err != nil || !strings.Contains(out, "新增 0，更新 0，不变 6，拒绝 0") {
			t.Fatalf("import: %v\n%s", err, out)
		}
	})
	t.Run("ErrAtomicWithRefusedRow", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "roster.csv")
		csv := "名字,出生年月,层级,村\n包国庆,1969.03,镇级,西山村\n钱二,1971.02,镇级,东山村\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := imp(t, "deputies", file, "--township", "qps", "--atomic", "--map", "名字=name", "--map", "村=village")
		if err == nil || !strings.Contains(records.ErrorMessage(err), "按 --atomic 没有写入任何记录") {
			t.Fatalf("got %v, want the atomic refusal", err)
		}
		if got := strings.Join(rows(out), "|"); got != "2 更新 包国庆（1969.03）|3 拒绝 钱二（1971.02）" {
			t.Errorf("rows %q", got)
		}
		if !strings.Contains(out, "C 列 代表层级：县级、镇级 → 镇级") || !strings.Contains(out, "D 列“村”：所在村“东山村”不是本乡镇的村") {
			t.Errorf("printed:\n%s\nwant the change and the reason with their columns", out)
		}
		again, err := imp(t, "deputies", sample, "--township", "qps", "--dry-run")
		if err != nil || !strings.Contains(again, "不变 6") {
			t.Errorf("after the atomic refusal: %v\n%s\nwant nothing written", err, again)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{
			{"deputies", sample},                                     // no township
			{"deputies", "--township", "qps"},                        // no file
			{"people", sample, "--township", "qps"},                  // unknown kind
			{"deputies", sample, "--township", "qps", "--map", "姓名"}, // a mapping without its field
		} {
			if _, err := imp(t, args...); err == nil {
				t.Errorf("renda import %s accepted", strings.Join(args, " "))
			}
		}
	})
}
