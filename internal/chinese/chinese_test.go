package chinese_test

import (
	"slices"
	"strings"
	"testing"

	"renda/internal/chinese"
)

func TestSortKey(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if got, want := chinese.SortKey("张三"), "zhang1 san1\t张三"; got != want {
			t.Fatalf("SortKey(张三) = %q, want %q", got, want)
		}
	})
	t.Run("PinyinOrder", func(t *testing.T) {
		names := []string{"赵六", "李明", "王五", "李", "安然", "Zoe"}
		slices.SortFunc(names, func(a, b string) int {
			return strings.Compare(chinese.SortKey(a), chinese.SortKey(b))
		})
		// Latin names sort as one word among the syllables: zhao < zoe.
		want := []string{"安然", "李", "李明", "王五", "赵六", "Zoe"}
		if !slices.Equal(names, want) {
			t.Fatalf("sorted = %v, want %v", names, want)
		}
	})
}
