package engine

import (
	"fmt"
	"html/template"
	"maps"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/Masterminds/sprig/v3"
)

// removedSprig lists the sprig functions templates do not get, and why.
// sprig.HermeticTxtFuncMap already drops env, expandenv, getHostByName,
// the random string functions, uuidv4 and the clock-reading date functions;
// they are listed again so that a future sprig cannot bring them back.
var removedSprig = map[string]string{
	"toPrettyJson":             "indentation multiplies the output beyond what the arguments show; use toJson",
	"mustToPrettyJson":         "indentation multiplies the output beyond what the arguments show; use toJson",
	"env":                      "reads the environment",
	"expandenv":                "reads the environment",
	"getHostByName":            "uses the network",
	"genPrivateKey":            "key generation: random, unbounded work",
	"genCA":                    "key generation: random, unbounded work",
	"genCAWithKey":             "key generation: random, unbounded work",
	"genSelfSignedCert":        "key generation: random, unbounded work",
	"genSelfSignedCertWithKey": "key generation: random, unbounded work",
	"genSignedCert":            "key generation: random, unbounded work",
	"genSignedCertWithKey":     "key generation: random, unbounded work",
	"buildCustomCert":          "certificates have no place in a report",
	"derivePassword":           "expensive key derivation",
	"bcrypt":                   "expensive hashing with a random salt",
	"htpasswd":                 "expensive hashing with a random salt",
	"encryptAES":               "random IV; cryptography has no place in a report",
	"decryptAES":               "cryptography has no place in a report",
	"randAlpha":                "random",
	"randAlphaNum":             "random",
	"randAscii":                "random",
	"randNumeric":              "random",
	"randBytes":                "random",
	"randInt":                  "random",
	"uuidv4":                   "random",
	"shuffle":                  "random",
	"date_in_zone":             "loads time zones from the file system",
	"dateInZone":               "loads time zones from the file system",
	"htmlDateInZone":           "loads time zones from the file system",
	"htmlDate":                 "uses the host's time zone; use date \"2006-01-02\"",
	"date_modify":              "dropped by sprig's hermetic set; use mustDateModify",
	"dateModify":               "dropped by sprig's hermetic set; use mustDateModify",
	"osBase":                   "depends on the host operating system; use base",
	"osClean":                  "depends on the host operating system; use clean",
	"osDir":                    "depends on the host operating system; use dir",
	"osExt":                    "depends on the host operating system; use ext",
	"osIsAbs":                  "depends on the host operating system; use isAbs",
}

// walkedSprig are the sprig functions that format or deep-walk their
// arguments; the arguments are size-checked (and checked for cycles and
// nesting) before the call.
var walkedSprig = map[string]bool{
	"quote": true, "squote": true, "cat": true, "toString": true, "toStrings": true,
	"join": true, "sortAlpha": true, "toJson": true, "toPrettyJson": true, "toRawJson": true,
	"mustToJson": true, "mustToPrettyJson": true, "mustToRawJson": true,
	"deepCopy": true, "mustDeepCopy": true, "deepEqual": true,
	"merge": true, "mergeOverwrite": true, "mustMerge": true, "mustMergeOverwrite": true,
	"has": true, "mustHas": true, "without": true, "mustWithout": true, "urlJoin": true,
	"uniq": true, "mustUniq": true, "toDecimal": true, "typeIsLike": true,
}

// boundedSprig are sprig functions replaced by versions that check their
// arguments before allocating (bound to an execution for the limits).
var boundedSprig = map[string]func(st *execState, orig any) any{
	// Parsed JSON holds about ten times its text in memory; charge it.
	"fromJson": func(st *execState, orig any) any {
		f := orig.(func(string) any)
		return func(s string) (any, error) {
			if err := st.spend(10 * len(s)); err != nil {
				return nil, err
			}
			return f(s), nil
		}
	},
	"mustFromJson": func(st *execState, orig any) any {
		f := orig.(func(string) (any, error))
		return func(s string) (any, error) {
			if err := st.spend(10 * len(s)); err != nil {
				return nil, err
			}
			return f(s)
		}
	},
	"join": func(st *execState, orig any) any {
		f := orig.(func(string, any) string)
		return func(sep string, v any) (string, error) {
			if n := listLen(v); n > 1 && len(sep) > 0 && (n-1) > st.limit/len(sep) {
				return "", limitf("join: %d separators of %d bytes exceed %d bytes", n-1, len(sep), st.limit)
			}
			return f(sep, v), nil
		}
	},
	"repeat": func(st *execState, orig any) any {
		f := orig.(func(int, string) string)
		return func(count int, s string) (string, error) {
			if count < 0 {
				return "", fmt.Errorf("repeat: negative count %d", count)
			}
			if len(s) > 0 && count > st.limit/len(s) {
				return "", limitf("repeat: result would exceed %d bytes", st.limit)
			}
			return f(count, s), nil
		}
	},
	"indent": func(st *execState, orig any) any {
		f := orig.(func(int, string) string)
		return func(n int, s string) (string, error) {
			if err := checkIndent(st, "indent", n, s); err != nil {
				return "", err
			}
			return f(n, s), nil
		}
	},
	"nindent": func(st *execState, orig any) any {
		f := orig.(func(int, string) string)
		return func(n int, s string) (string, error) {
			if err := checkIndent(st, "nindent", n, s); err != nil {
				return "", err
			}
			return f(n, s), nil
		}
	},
	"until": func(st *execState, orig any) any {
		f := orig.(func(int) []int)
		return func(n int) ([]int, error) {
			if err := checkSeq("until", 0, n, sign(n)); err != nil {
				return nil, err
			}
			return f(n), nil
		}
	},
	"untilStep": func(st *execState, orig any) any {
		f := orig.(func(int, int, int) []int)
		return func(start, stop, step int) ([]int, error) {
			if err := checkSeq("untilStep", start, stop, step); err != nil {
				return nil, err
			}
			return f(start, stop, step), nil
		}
	},
	"seq": func(st *execState, orig any) any {
		f := orig.(func(...int) string)
		return func(p ...int) (string, error) {
			var err error
			switch len(p) {
			case 1:
				inc := 1
				if p[0] < 1 {
					inc = -1
				}
				err = checkSeq("seq", 1, p[0]+inc, inc)
			case 2:
				inc := 1
				if p[1] < p[0] {
					inc = -1
				}
				err = checkSeq("seq", p[0], p[1]+inc, inc)
			case 3:
				inc := 1
				if p[2] < p[0] {
					inc = -1
				}
				err = checkSeq("seq", p[0], p[2]+inc, p[1])
			}
			if err != nil {
				return "", err
			}
			return f(p...), nil
		}
	},
	"replace": func(st *execState, orig any) any {
		f := orig.(func(string, string, string) string)
		return func(old, new, src string) (string, error) {
			n := utf8.RuneCountInString(src) + 1
			if old != "" {
				n = strings.Count(src, old)
			}
			if float64(len(src))+float64(n)*float64(len(new)-len(old)) > float64(st.limit) {
				return "", limitf("replace: result would exceed %d bytes", st.limit)
			}
			return f(old, new, src), nil
		}
	},
	"wrapWith": func(st *execState, orig any) any {
		f := orig.(func(int, string, string) string)
		return func(l int, sep, s string) (string, error) {
			if float64(len(s))+float64(len(s)/max(l, 1)+1)*float64(len(sep)) > float64(st.limit) {
				return "", limitf("wrapWith: result would exceed %d bytes", st.limit)
			}
			return f(l, sep, s), nil
		}
	},
	"regexReplaceAll": func(st *execState, _ any) any {
		return func(re, s, repl string) (string, error) { return regexReplace(st, re, s, repl, true) }
	},
	"mustRegexReplaceAll": func(st *execState, _ any) any {
		return func(re, s, repl string) (string, error) { return regexReplace(st, re, s, repl, true) }
	},
	"regexReplaceAllLiteral": func(st *execState, _ any) any {
		return func(re, s, repl string) (string, error) { return regexReplace(st, re, s, repl, false) }
	},
	"mustRegexReplaceAllLiteral": func(st *execState, _ any) any {
		return func(re, s, repl string) (string, error) { return regexReplace(st, re, s, repl, false) }
	},
	"uniq":     func(st *execState, _ any) any { return distinct },
	"mustUniq": func(st *execState, _ any) any { return distinct },
	// Clock: the execution's Now, never the host's time zone.
	"ago": func(st *execState, _ any) any {
		return func(v any) string {
			t, ok := asTime(v)
			if !ok {
				t = st.now()
			}
			return st.now().Sub(t).Round(time.Second).String()
		}
	},
	"durationRound": func(st *execState, orig any) any {
		f := orig.(func(any) string)
		return func(v any) string {
			if t, ok := v.(time.Time); ok {
				v = int64(st.now().Sub(t))
			}
			return f(v)
		}
	},
	"toDate": func(st *execState, _ any) any {
		return func(layout, s string) time.Time {
			t, _ := time.ParseInLocation(layout, s, time.UTC)
			return t
		}
	},
	"mustToDate": func(st *execState, _ any) any {
		return func(layout, s string) (time.Time, error) { return time.ParseInLocation(layout, s, time.UTC) }
	},
	"fail": func(st *execState, _ any) any {
		return func(msg string) (string, error) { return "", &limitError{msg: msg} }
	},
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

func checkIndent(st *execState, name string, n int, s string) error {
	if n < 0 || n > maxIndent {
		return limitf("%s: %d spaces is outside 0..%d", name, n, maxIndent)
	}
	if len(s)+(strings.Count(s, "\n")+1)*n > st.limit {
		return limitf("%s: result would exceed %d bytes", name, st.limit)
	}
	return nil
}

// checkSeq refuses a sequence start, start+step, … (before stop) longer
// than maxSeqLen.
func checkSeq(name string, start, stop, step int) error {
	// sprig's loops add step until they pass stop; near the int limits
	// that overflows and never ends.
	for _, v := range []int{start, stop, step} {
		if v > maxSeqBound || v < -maxSeqBound {
			return limitf("%s: %d is beyond ±%d", name, v, maxSeqBound)
		}
	}
	var n float64
	switch {
	case step > 0 && stop > start:
		n = (float64(stop) - float64(start)) / float64(step)
	case step < 0 && stop < start:
		n = (float64(start) - float64(stop)) / float64(-step)
	}
	if n > maxSeqLen {
		return limitf("%s: %.0f elements exceed the limit of %d", name, n, maxSeqLen)
	}
	return nil
}

// Regular expressions: a pattern of at most maxRegexLen bytes and 20
// groups, and a program small enough that running it over the input
// stays within maxRegexWork steps (Go's regexp is linear in both).
const (
	maxRegexLen    = 1000
	maxRegexGroups = 20
	maxRegexWork   = 100_000_000
)

func checkedRegexp(expr string, inputLen int) (*regexp.Regexp, error) {
	if len(expr) > maxRegexLen {
		return nil, limitf("regex: pattern longer than %d bytes", maxRegexLen)
	}
	parsed, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	prog, err := syntax.Compile(parsed.Simplify())
	if err != nil {
		return nil, err
	}
	if parsed.MaxCap() > maxRegexGroups {
		return nil, limitf("regex: more than %d groups", maxRegexGroups)
	}
	if len(prog.Inst)*max(inputLen, 1) > maxRegexWork {
		return nil, limitf("regex: pattern too complex for an input of %d bytes", inputLen)
	}
	return regexp.Compile(expr)
}

// listLen is the length of a list, 0 for anything else.
func listLen(v any) int {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		return rv.Len()
	}
	return 0
}

// checkedRegexFunc wraps a sprig regex function (pattern first, input
// second) so the pattern is checked against the input before it runs.
func checkedRegexFunc(fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	outs := make([]reflect.Type, t.NumOut())
	for i := range outs {
		outs[i] = t.Out(i)
	}
	hasErr := t.NumOut() == 2
	if !hasErr {
		outs = append(outs, reflect.TypeFor[error]())
	}
	ins := make([]reflect.Type, t.NumIn())
	for i := range ins {
		ins[i] = t.In(i)
	}
	ft := reflect.FuncOf(ins, outs, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		fail := func(err error) []reflect.Value {
			res := make([]reflect.Value, len(outs))
			for i, o := range outs {
				res[i] = reflect.Zero(o)
			}
			res[len(res)-1] = reflect.ValueOf(&err).Elem()
			return res
		}
		if len(args) >= 2 && args[0].Kind() == reflect.String && args[1].Kind() == reflect.String {
			if _, err := checkedRegexp(args[0].String(), args[1].Len()); err != nil {
				return fail(err)
			}
		}
		res := v.Call(args)
		if !hasErr {
			res = append(res, reflect.Zero(reflect.TypeFor[error]()))
		}
		return res
	}).Interface()
}

// maxSeqBound bounds the numbers until, untilStep and seq work with.
const maxSeqBound = 1_000_000_000

// regexReplace is regexp's ReplaceAllString / ReplaceAllLiteralString,
// built match by match so that it stops at the output limit.
func regexReplace(st *execState, expr, s, repl string, expand bool) (string, error) {
	re, err := checkedRegexp(expr, len(s))
	if err != nil {
		return "", err
	}
	var dst []byte
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		dst = append(dst, s[last:m[0]]...)
		if expand {
			dst = re.ExpandString(dst, repl, s, m)
		} else {
			dst = append(dst, repl...)
		}
		last = m[1]
		if len(dst) > st.limit {
			return "", limitf("regexReplaceAll: result would exceed %d bytes", st.limit)
		}
	}
	dst = append(dst, s[last:]...)
	if len(dst) > st.limit {
		return "", limitf("regexReplaceAll: result would exceed %d bytes", st.limit)
	}
	return string(dst), nil
}

// sprigDefs returns the sprig functions templates get, bounded where needed.
func sprigDefs() []def {
	all := sprig.TxtFuncMap()
	hermetic := sprig.HermeticTxtFuncMap()
	var defs []def
	for _, name := range slices.Sorted(maps.Keys(all)) {
		if _, removed := removedSprig[name]; removed {
			continue
		}
		orig, ok := hermetic[name]
		if ok && strings.Contains(name, "egex") && !strings.HasSuffix(name, "QuoteMeta") {
			if _, bounded := boundedSprig[name]; !bounded {
				orig = checkedRegexFunc(orig)
			}
		}
		if b, bounded := boundedSprig[name]; bounded {
			o := all[name]
			defs = append(defs, def{name: name, ns: "sprig", bind: func(st *execState) any { return b(st, o) }, walk: walkedSprig[name]})
			continue
		}
		if !ok {
			continue // non-hermetic and not replaced (now, date: see tpl)
		}
		defs = append(defs, def{name: name, ns: "sprig", fn: orig, walk: walkedSprig[name]})
	}
	return defs
}

// Builtins of text/template that format their arguments; they are
// replaced by checked versions (printf also bounds widths).
func builtinDefs() []def {
	walked := func(name, doc string, fn any, ex ...Example) def {
		return def{name: name, ns: "tpl", doc: doc, fn: fn, walk: true, examples: ex}
	}
	return []def{
		walked("printf", "fmt.Sprintf; widths and precisions above 1000 and * widths are refused.", checkedSprintf,
			Example{`{{printf "%05.1f|%-4s|" 3.14159 "ab"}}`, "003.1|ab  |"}),
		walked("print", "fmt.Sprint of the arguments.", fmt.Sprint, Example{`{{print "a" 1 2 "b"}}`, "a1 2b"}),
		walked("println", "fmt.Sprintln of the arguments.", fmt.Sprintln),
		walked("html", "The arguments escaped for HTML text.", template.HTMLEscaper, Example{`{{html "<b>&</b>"}}`, "&lt;b&gt;&amp;&lt;/b&gt;"}),
		walked("js", "The arguments escaped for JavaScript strings.", template.JSEscaper),
		walked("urlquery", "The arguments escaped for a URL query.", template.URLQueryEscaper, Example{`{{urlquery "a b&c"}}`, "a+b%26c"}),
	}
}

// checkedSprintf is fmt.Sprintf refusing huge widths and precisions.
func checkedSprintf(format string, args ...any) (string, error) {
	if err := checkFormat(format); err != nil {
		return "", err
	}
	if err := checkPadded(format, args); err != nil {
		return "", err
	}
	return fmt.Sprintf(format, args...), nil
}

// paddedVerb finds a width or precision in a format.
var paddedVerb = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?[1-9]|%[^%a-zA-Z]*\.\d`)

// checkPadded allows widths and precisions only on scalar arguments: fmt
// pads every element of a list, so %999v of a long list, repeated, would
// allocate without bound before any limit could see the result.
func checkPadded(format string, args []any) error {
	if !paddedVerb.MatchString(format) {
		return nil
	}
	for _, a := range args {
		switch reflect.ValueOf(a).Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct, reflect.Pointer, reflect.Interface:
			return limitf("printf: widths and precisions apply to single values, not a %T", a)
		}
	}
	return nil
}

func checkFormat(format string) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
	spec:
		for i < len(format) {
			c := format[i]
			switch {
			case c == '*':
				return limitf("printf: * widths are not allowed")
			case c == '[':
				for i < len(format) && format[i] != ']' {
					i++
				}
				i++
				continue
			case c >= '0' && c <= '9':
				n := 0
				for i < len(format) && format[i] >= '0' && format[i] <= '9' {
					if n = n*10 + int(format[i]-'0'); n > maxFormatWidth {
						return limitf("printf: width or precision above %d", maxFormatWidth)
					}
					i++
				}
				continue
			case c == '.':
				i++
				continue
			}
			break spec
		}
	}
	return nil
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case *time.Time:
		if x != nil {
			return *x, true
		}
	case int:
		return time.Unix(int64(x), 0).UTC(), true
	case int64:
		return time.Unix(x, 0).UTC(), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		if t, err := time.Parse(time.DateOnly, rv.String()); err == nil {
			return t, true
		}
		if t, err := time.Parse(time.RFC3339, rv.String()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
