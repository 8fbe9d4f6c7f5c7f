package engine_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"renda/internal/report/engine"
)

// maxFormatted bounds what one Chinese formatting function writes for any
// number: a float's longest plain decimal form is a few hundred bytes.
const maxFormatted = 400

// numerals are the characters cnNum and cnCount write.
const numerals = "负零一二两三四五六七八九十百千万亿"

// FuzzChineseNumbers: the Chinese number functions take any number as a
// template may pass it (int, float, json.Number, string) without a panic,
// write at most a few hundred bytes, and say what they mean: cnNum and
// cnCount read back through sortNatural's numeral reader below 一亿 and
// keep the order of the numbers, approx is the number's leading digit
// with 多 when it was cut.
func FuzzChineseNumbers(f *testing.F) {
	for _, s := range []struct {
		a, b int64
		x    float64
	}{
		{0, 1, 0}, {2, 20, 62.4}, {12, 120000, 24.5}, {105, 1005, 16}, {10000, 100010, 350}, {22000, 2000, 62000},
		{99999999, 100000000, 7.46}, {-3, 3, -62.4}, {9999999999999999, -9999999999999999, 1e16},
		{math.MaxInt64, math.MinInt64, math.Inf(1)}, {1 << 53, -(1 << 53), math.NaN()},
		{4, 1, 1.7976931348623157e308}, {5, 0, 5e-324}, {1, 13, 9.95},
	} {
		f.Add(s.a, s.b, s.x)
	}
	f.Fuzz(func(t *testing.T, a, b int64, x float64) {
		values := []any{a, int(b), x, json.Number(strconv.FormatInt(a, 10)), strconv.FormatFloat(x, 'g', -1, 64), float32(x), uint64(b)}
		check := func(name string, fn func() (string, error)) string {
			t.Helper()
			s, err := fn()
			if err == nil && (len(s) > maxFormatted || !utf8.ValidString(s)) {
				t.Fatalf("%s wrote %d bytes: %q", name, len(s), s)
			}
			if err != nil && s != "" {
				t.Fatalf("%s failed (%v) but wrote %q", name, err, s)
			}
			return s
		}
		for _, v := range values {
			check("cnNum", func() (string, error) { return engine.CnNum(v) })
			check("cnCount", func() (string, error) { return engine.CnCount(v) })
			check("cnOrdinal", func() (string, error) { return engine.CnOrdinal(v) })
			check("cnNth", func() (string, error) { return engine.CnNth(v) })
			check("cnMonth", func() (string, error) { return engine.CnMonth(v) })
			check("approx", func() (string, error) { return engine.Approx(v) })
			for _, w := range values {
				check("section", func() (string, error) { return engine.Section(v, w) })
				check("percent", func() (string, error) { return engine.Percent(v, w) })
				check("percent", func() (string, error) { return engine.Percent(v, w, b) })
			}
		}
		// cnNum and cnCount write numerals that read back as the number.
		for _, n := range []int64{a, b} {
			num, err := engine.CnNum(n)
			if math.Abs(float64(n)) >= 1e16 {
				if err == nil {
					t.Fatalf("cnNum(%d) = %q, want an error past 10^16", n, num)
				}
				continue
			}
			if err != nil || strings.Trim(num, numerals) != "" {
				t.Fatalf("cnNum(%d) = %q, %v; want Chinese numerals", n, num, err)
			}
			count, err := engine.CnCount(n)
			if (err != nil) != (n < 0) || (n >= 0 && strings.ReplaceAll(count, "两", "二") != num) {
				t.Fatalf("cnCount(%d) = %q, %v; cnNum gives %q", n, count, err, num)
			}
			if n >= 1 && n < 1e8 {
				want := engine.NaturalKey(strconv.FormatInt(n, 10))
				if got := engine.NaturalKey(num); got != want {
					t.Fatalf("cnNum(%d) = %q reads back as %q, want %q", n, num, got, want)
				}
				if got := engine.NaturalKey(count); got != want {
					t.Fatalf("cnCount(%d) = %q reads back as %q, want %q", n, count, got, want)
				}
			}
		}
		if a >= 0 && b >= 0 && a < 1e8 && b < 1e8 {
			na, _ := engine.CnNum(a)
			nb, _ := engine.CnNum(b)
			if ka, kb := engine.NaturalKey(na), engine.NaturalKey(nb); (a < b) != (ka < kb) {
				t.Fatalf("%d < %d is %v, but %q < %q (keys of %s, %s) is %v", a, b, a < b, ka, kb, na, nb, ka < kb)
			}
		}
		// approx: at least 10, the leading digit of the number in its unit, 多 when cut.
		if x >= 10 && !math.IsInf(x, 0) {
			s, err := engine.Approx(x)
			if err != nil {
				t.Fatalf("approx(%v): %v", x, err)
			}
			text, more := strings.CutSuffix(s, "多")
			unit := 1.0
			if t2, ok := strings.CutSuffix(text, "亿"); ok {
				text, unit = t2, 1e8
			} else if t2, ok := strings.CutSuffix(text, "万"); ok {
				text, unit = t2, 1e4
			}
			v, err := strconv.ParseFloat(text, 64)
			v *= unit
			cut, whole := v < x*(1-1e-6), v >= x*(1-1e-12) // in between, rounding may go either way
			if err != nil || v > x*(1+1e-9) || v <= x/10*(1-1e-9) || (cut && !more) || (whole && more) {
				t.Fatalf("approx(%v) = %q: want the leading digit of the number, with 多 when something was cut", x, s)
			}
			mag := math.Pow(10, math.Floor(math.Log10(v)))
			if lead := v / mag; math.Abs(lead-math.Round(lead)) > 1e-6 {
				t.Fatalf("approx(%v) = %q: more than a leading digit", x, s)
			}
		}
	})
}

// FuzzNaturalKey: sortNatural's key of any text is built from its first
// 256 characters, at most 16 bytes each, and reads a run of digits by
// value: the key of a number is its 16-digit form.
func FuzzNaturalKey(f *testing.F) {
	for _, s := range []string{"第十组", "第二组", "10号", "9号", "一百零五", "两万", "九千九百九十九万九千九百九十九", "0000000000000000000001",
		strings.Repeat("万", 300), strings.Repeat("九", 300), strings.Repeat("9", 300), "\xff零〇", ""} {
		f.Add(s, uint64(len(s)))
	}
	f.Fuzz(func(t *testing.T, s string, n uint64) {
		key := engine.NaturalKey(s)
		if len(key) > 16*256 {
			t.Fatalf("NaturalKey(%q) is %d bytes", s, len(key))
		}
		n %= 1e15
		if got, want := engine.NaturalKey(strconv.FormatUint(n, 10)), fmt.Sprintf("%016d", n); got != want {
			t.Fatalf("NaturalKey(%d) = %q, want %q", n, got, want)
		}
	})
}
