package chinese_test

import (
	"slices"
	"strings"
	"sync"
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
	t.Run("SameFromManyGoroutines", func(t *testing.T) {
		// Syllables are remembered once looked up: a key read again, and
		// read by many at once, is the key read the first time.
		names := []string{"镇经管站", "交通运输局", "平安乡", "张三", "李四", "王五", "长春", "重庆", "行政", "银行"}
		want := map[string]string{}
		for _, n := range names {
			want[n] = chinese.SortKey(n)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for _, n := range names {
					if got := chinese.SortKey(n); got != want[n] {
						t.Errorf("SortKey(%s) = %q, then %q", n, want[n], got)
					}
				}
			})
		}
		wg.Wait()
	})
}
