package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"renda/internal/records"
)

// toFloat reads a number: Go ints and floats, json.Number, or a string
// holding a number.
func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case nil:
		return 0, fmt.Errorf("not a number: nil")
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0, fmt.Errorf("not a number: %q", string(x))
		}
		return f, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		f, err := strconv.ParseFloat(strings.TrimSpace(rv.String()), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("not a number: %q", rv.String())
		}
		return f, nil
	}
	return 0, fmt.Errorf("not a number: a %T", v)
}

// isNumber reports whether v is a number type (not a string).
func isNumber(v any) bool {
	if _, ok := v.(json.Number); ok {
		return true
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// toWhole reads a whole number (a float must have no fraction).
func toWhole(v any) (int64, error) {
	f, err := toFloat(v)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, fmt.Errorf("not a whole number: %v", v)
	}
	if math.Abs(f) >= 1e16 {
		return 0, fmt.Errorf("number too large: %v", v)
	}
	return int64(f), nil
}

var (
	cnDigits   = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	cnSmall    = []string{"千", "百", "十", ""}
	cnBigUnits = []string{"", "万", "亿", "万亿"}
)

// cnInt writes n in Chinese numerals: 105 → 一百零五, 15 → 十五.
func cnInt(n int64) string {
	if n == 0 {
		return "零"
	}
	if n < 0 {
		return "负" + cnInt(-n)
	}
	var groups []int64
	for ; n > 0; n /= 10000 {
		groups = append(groups, n%10000)
	}
	var b strings.Builder
	zero := false
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			zero = b.Len() > 0
			continue
		}
		if b.Len() > 0 && (zero || g < 1000) {
			b.WriteString("零")
		}
		writeGroup(&b, g)
		b.WriteString(cnBigUnits[i])
		zero = false
	}
	s := b.String()
	if strings.HasPrefix(s, "一十") {
		s = strings.TrimPrefix(s, "一")
	}
	return s
}

// writeGroup writes 1..9999 with 千百十: 1005 → 一千零五.
func writeGroup(b *strings.Builder, g int64) {
	ds := []int64{g / 1000, g / 100 % 10, g / 10 % 10, g % 10}
	started, zero := false, false
	for i, d := range ds {
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(cnDigits[d])
		b.WriteString(cnSmall[i])
		started = true
	}
}

func cnNum(v any) (string, error) {
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	return cnInt(n), nil
}

// cnCount is cnNum in the form used before a measure word: 二 becomes 两
// when it is the whole number or stands before 百, 千, 万 or 亿 (not after
// 十): 2 → 两, 2000 → 两千, 22000 → 两万两千, but 12 → 十二, 20 → 二十,
// 120000 → 十二万.
func cnCount(v any) (string, error) {
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	if n < 0 {
		return "", fmt.Errorf("cnCount: negative count %d", n)
	}
	rs := []rune(cnInt(n))
	for i, r := range rs {
		if r != '二' || (i > 0 && rs[i-1] == '十') {
			continue
		}
		if len(rs) == 1 || (i+1 < len(rs) && strings.ContainsRune("百千万亿", rs[i+1])) {
			rs[i] = '两'
		}
	}
	return string(rs), nil
}

func cnOrdinal(v any) (string, error) {
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	if n < 1 {
		return "", fmt.Errorf("cnOrdinal: %d is not a position (1, 2, …)", n)
	}
	return cnInt(n) + "是", nil
}

func cnNth(v any) (string, error) {
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	if n < 1 {
		return "", fmt.Errorf("cnNth: %d is not a position (1, 2, …)", n)
	}
	return "第" + cnInt(n), nil
}

// section numbers headings by level (GB/T 9704): 一、 （一） 1. （1）.
func section(level, v any) (string, error) {
	l, err := toWhole(level)
	if err != nil {
		return "", err
	}
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	if n < 1 {
		return "", fmt.Errorf("section: %d is not a position (1, 2, …)", n)
	}
	switch l {
	case 1:
		return cnInt(n) + "、", nil
	case 2:
		return "（" + cnInt(n) + "）", nil
	case 3:
		return strconv.FormatInt(n, 10) + ".", nil
	case 4:
		return "（" + strconv.FormatInt(n, 10) + "）", nil
	}
	return "", fmt.Errorf("section: level %d is not 1..4", l)
}

// toDateSpan reads a date span: the GraphQL object {date, precision}, a
// map of strings, a records.DateSpan, or a YYYY-MM-DD string (a day).
func toDateSpan(v any) (records.DateSpan, error) {
	var s records.DateSpan
	switch x := v.(type) {
	case records.DateSpan:
		s = x
	case *records.DateSpan:
		if x == nil {
			return s, fmt.Errorf("no date span: nil")
		}
		s = *x
	case map[string]any:
		d, _ := x["date"].(string)
		p, _ := x["precision"].(string)
		if p == "" {
			if pp, ok := x["precision"].(records.Precision); ok {
				p = string(pp)
			}
		}
		s = records.DateSpan{Date: records.Date(d), Precision: records.Precision(p)}
	case map[string]string:
		s = records.DateSpan{Date: records.Date(x["date"]), Precision: records.Precision(x["precision"])}
	case string:
		s = records.DateSpan{Date: records.Date(x), Precision: records.DAY}
	case records.Date:
		s = records.DateSpan{Date: x, Precision: records.DAY}
	case time.Time:
		s = records.DateSpan{Date: records.DateOf(x), Precision: records.DAY}
	default:
		return s, fmt.Errorf("not a date span: a %T", v)
	}
	if s.Precision == "" {
		s.Precision = records.DAY
	}
	if err := s.Validate(); err != nil {
		msg := err.Error()
		var re *records.Error
		if errors.As(err, &re) {
			msg = re.Message
		}
		return s, fmt.Errorf("not a date span: %s", msg)
	}
	return s, nil
}

func dateText(v any) (string, error) {
	s, err := toDateSpan(v)
	if err != nil {
		return "", err
	}
	return s.Text(), nil
}

func dateFull(v any) (string, error) {
	s, err := toDateSpan(v)
	if err != nil {
		return "", err
	}
	return s.FullText(), nil
}

func cnDate(v any) (string, error) {
	t, ok := asTime(v)
	if !ok {
		if d, isDate := v.(records.Date); isDate && d.Valid() {
			t, ok = d.Time(), true
		}
	}
	if !ok {
		return "", fmt.Errorf("cnDate: a %T is not a YYYY-MM-DD date or a time", v)
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()), nil
}

func cnMonth(v any) (string, error) {
	n, err := toWhole(v)
	if err != nil {
		return "", err
	}
	if n < 1 || n > 12 {
		return "", fmt.Errorf("cnMonth: %d is not a month", n)
	}
	return fmt.Sprintf("%d月", n), nil
}

// approx rounds a quantity the way Chinese documents do: down to its
// leading digit followed by 多 (62.4 → 60多, 24.5 → 20多, 16 → 10多,
// 350 → 300多, 62000 → 6万多); exact round numbers stay (60 → 60, 20000 →
// 2万); below 10 the number stays as it is, to one decimal (7 → 7, 7.46 →
// 7.5), since 多 after a single digit goes after the measure word (7公里多).
func approx(v any) (string, error) {
	f, err := toFloat(v)
	if err != nil {
		return "", err
	}
	if f < 0 {
		s, err := approx(-f)
		return "-" + s, err
	}
	if f < 10 {
		return formatNum(math.Round(f*10) / 10), nil
	}
	mag := math.Pow(10, math.Floor(math.Log10(f)))
	lead := math.Floor(f/mag+1e-9) * mag
	more := f-lead > 1e-9*f
	var s string
	switch {
	case lead >= 1e8:
		s = formatNum(lead/1e8) + "亿"
	case lead >= 1e4:
		s = formatNum(lead/1e4) + "万"
	default:
		s = formatNum(lead)
	}
	if more {
		s += "多"
	}
	return s, nil
}

// formatNum prints a number without exponent or trailing zeros.
func formatNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// percent is part/total as a percentage with the given decimals (default
// 0), rounded half away from zero; "—" when total is 0.
func percent(part, total any, decimals ...any) (string, error) {
	p, err := toFloat(part)
	if err != nil {
		return "", err
	}
	t, err := toFloat(total)
	if err != nil {
		return "", err
	}
	d := int64(0)
	if len(decimals) > 1 {
		return "", fmt.Errorf("percent: at most one decimals argument")
	}
	if len(decimals) == 1 {
		if d, err = toWhole(decimals[0]); err != nil {
			return "", err
		}
		if d < 0 || d > 6 {
			return "", fmt.Errorf("percent: decimals %d is not 0..6", d)
		}
	}
	if t == 0 {
		return "—", nil
	}
	x := p / t * 100
	scale := math.Pow(10, float64(d))
	x = math.Round(x*scale+math.Copysign(1e-9, x)) / scale
	return strconv.FormatFloat(x, 'f', int(d), 64) + "%", nil
}

// cnJoin joins items the Chinese way: 甲、乙和丙; with a separator, with
// that separator only.
func cnJoin(args ...any) (string, error) {
	var list any
	var sep []string
	switch len(args) {
	case 1:
		list = args[0]
	case 2:
		list = args[0]
		s, ok := args[1].(string)
		if _, first := args[0].(string); first {
			s, ok = args[0].(string)
			list = args[1] // piped: {{$l | cnJoin "、"}}
		}
		if !ok {
			return "", fmt.Errorf("cnJoin: the separator must be a string")
		}
		sep = []string{s}
	default:
		return "", fmt.Errorf("cnJoin: want a list and at most one separator")
	}
	items, err := toList(list)
	if err != nil {
		return "", err
	}
	if len(sep) == 1 && len(items) > 1 && len(sep[0]) > 0 && len(items)-1 > defaultMaxOutput/len(sep[0]) {
		return "", limitf("cnJoin: %d separators of %d bytes are too long", len(items)-1, len(sep[0]))
	}
	strs := make([]string, 0, len(items))
	for _, it := range items {
		strs = append(strs, toText(it))
	}
	if len(sep) == 1 {
		return strings.Join(strs, sep[0]), nil
	}
	if len(strs) <= 1 {
		return strings.Join(strs, ""), nil
	}
	return strings.Join(strs[:len(strs)-1], "、") + "和" + strs[len(strs)-1], nil
}

// toText prints a value for joining and keys: numbers without exponent.
func toText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return formatNum(x)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String()
	}
	return fmt.Sprint(v)
}

func cnDefs() []def {
	d := func(name, doc string, fn any, ex ...Example) def {
		return def{name: name, ns: "cn", doc: doc, fn: fn, examples: ex}
	}
	dw := func(name, doc string, fn any, ex ...Example) def {
		x := d(name, doc, fn, ex...)
		x.walk = true
		return x
	}
	return []def{
		d("cnNum", "A whole number in Chinese numerals (to 10¹⁶).", cnNum,
			Example{`{{cnNum 2}} {{cnNum 15}} {{cnNum 23}} {{cnNum 105}} {{cnNum 10000}} {{cnNum 100010}}`, "二 十五 二十三 一百零五 一万 十万零一十"},
			Example{`{{cnNum .township.villageCount}}个村`, "十五个村"}),
		d("cnCount", "A count in Chinese numerals as written before a measure word: 二 becomes 两 alone or before 百/千/万/亿 (两名, 两千), not in 十二 or 二十.", cnCount,
			Example{`{{cnCount 2}}名兼职信息员 {{cnCount 4}}个副镇长 {{cnCount 12}} {{cnCount 2000}} {{cnCount 22000}}`, "两名兼职信息员 四个副镇长 十二 两千 两万两千"}),
		d("cnOrdinal", "The enumeration word for the n-th point: 一是, 二是, ….", cnOrdinal,
			Example{`{{cnOrdinal 1}}…{{cnOrdinal 2}}…`, "一是…二是…"},
			Example{`{{range $i, $x := .inspections}}{{cnOrdinal (add1 $i)}}视察{{$x.topic}}。{{end}}`, "一是视察农资市场。二是视察农村公路建设。三是视察淀粉加工企业治理整顿。"}),
		d("cnNth", "The ordinal with 第: 第一, 第二, ….", cnNth,
			Example{`{{cnNth 1}}次 {{cnNth 4}}次`, "第一次 第四次"}),
		d("section", "A heading number of level 1–4 (GB/T 9704): 一、 （一） 1. （1）.", section,
			Example{`{{section 1 3}} {{section 2 3}} {{section 3 3}} {{section 4 3}}`, "三、 （三） 3. （3）"}),
		d("dateText", "A date span as written without the year: 4月5日, 10月中旬, 春季, 上半年 (from {date, precision}, a records.DateSpan or a YYYY-MM-DD day).", dateText,
			Example{`{{range .inspections}}{{dateText .date}} {{end}}`, "春季 7月中旬 10月中旬 "},
			Example{`{{dateText (dict "date" "2023-01-01" "precision" "HALF")}} {{dateText "2023-04-05"}}`, "上半年 4月5日"}),
		d("dateFull", "A date span with the year: 2023年10月中旬.", dateFull,
			Example{`{{dateFull (index .inspections 2).date}}`, "2023年10月中旬"}),
		d("cnDate", "A date (YYYY-MM-DD or a time) as 2023年4月5日.", cnDate,
			Example{`{{cnDate "2023-04-05"}}`, "2023年4月5日"}),
		d("cnMonth", "A month number as 4月.", cnMonth,
			Example{`{{cnMonth 4}}`, "4月"}),
		d("approx", "A quantity rounded the Chinese way: down to its leading digit plus 多 (62.4 → 60多, 24.5 → 20多, 16 → 10多, 350 → 300多, 62000 → 6万多); exact round numbers stay (60 → 60); below 10 the number stays, to one decimal (7 → 7), since 多 then goes after the measure word (7公里多).", approx,
			Example{`{{approx 62.4}}公里 {{approx 24.5}}公里 {{approx 16}} {{approx 60}} {{approx 7}} {{approx 350}} {{approx 62000}}`, "60多公里 20多公里 10多 60 7 300多 6万多"},
			Example{`总里程长达{{sumBy .projects "lengthKm" | approx}}公里`, "总里程长达60多公里"}),
		d("percent", "part/total as a percentage, rounded half away from zero to the given decimals (default 0); — when total is 0.", percent,
			Example{`{{percent 3 4}} {{percent 1 3 1}} {{percent 13 15}} {{percent 1 0}}`, "75% 33.3% 87% —"}),
		dw("cnJoin", "Joins a list the Chinese way (甲、乙和丙), or with only the given separator.", cnJoin,
			Example{`{{cnJoin (list "甲" "乙" "丙")}} {{cnJoin (list "甲" "乙")}} {{cnJoin (list "甲" "乙" "丙") "、"}}`, "甲、乙和丙 甲和乙 甲、乙、丙"},
			Example{`{{mapField (index .inspections 1).villages "name" | cnJoin}}`, "二十九号村、甘六号村和罗字十号村"}),
	}
}
