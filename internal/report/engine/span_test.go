package engine_test

import (
	"strings"
	"testing"

	"renda/internal/report/engine"
)

func TestWithin(t *testing.T) {
	data := map[string]any{"xs": []any{
		map[string]any{"n": "上半年", "date": map[string]any{"date": "2023-01-01", "end": "2023-06-30"}},
		map[string]any{"n": "春季", "date": map[string]any{"date": "2023-03-01", "precision": "SEASON"}},
		map[string]any{"n": "全年", "date": map[string]any{"date": "2023-01-01", "precision": "YEAR"}},
		map[string]any{"n": "7月5日", "date": "2023-07-05"},
		map[string]any{"n": "无日期"},
	}}
	t.Run("OK", func(t *testing.T) {
		got := MustRender(t, map[string]string{"a.tmpl": `{{within .xs "date" "2023-01-01" "2023-06-30" | mapField "n" | join ","}}|{{.xs | within "date" "2023-07-01" "2023-12-31" | mapField "n" | join ","}}|{{within .xs "date" "2023-01-01" "2023-12-31" | count}}`}, engine.Options{}, data)
		if want := "上半年,春季|7月5日|4"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("ErrBadDay", func(t *testing.T) {
		err := MustError(t, map[string]string{"a.tmpl": `{{within .xs "date" "2023" "2023-12-31"}}`}, engine.Options{}, data)
		if !strings.Contains(err.Msg, "YYYY-MM-DD") {
			t.Fatalf("got %v, want an error naming the day format", err)
		}
	})
}

func TestSortByKeys(t *testing.T) {
	data := map[string]any{"xs": []any{
		map[string]any{"n": "c", "end": "2023-06-30"},
		map[string]any{"n": "a", "end": "2023-05-31", "order": 2},
		map[string]any{"n": "b", "end": "2023-05-31"},
		map[string]any{"n": "d", "end": "2023-01-10", "order": 1},
	}}
	t.Run("OK", func(t *testing.T) {
		got := MustRender(t, map[string]string{"a.tmpl": `{{sortByKeys .xs "order" "end" | mapField "n" | join ""}} {{.xs | sortByKeys "-end" "n" | mapField "n" | join ""}}`}, engine.Options{}, data)
		if want := "dabc cabd"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("ErrNoKey", func(t *testing.T) {
		err := MustError(t, map[string]string{"a.tmpl": `{{sortByKeys .xs "-"}}`}, engine.Options{}, data)
		if !strings.Contains(err.Msg, "non-empty") {
			t.Fatalf("got %v, want an error about the field path", err)
		}
	})
}
