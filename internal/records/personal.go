package records

import (
	"context"
	"strings"
)

// Personal numbers — a deputy's phone, a voter's contact, an ID number —
// are shown whole only to those who need them: the editors and admins of
// the record's township (or of the county). Everyone else who may read
// the record — viewers, and a caller the township is not known for — sees
// them masked, in the API, in the pages and documents built from it and in
// the exports they make. Masking happens where a record leaves for a
// reader (graph's field resolvers); the store keeps the numbers whole.

// SeesPersonal reports whether the actor sees the personal numbers of
// records of township t whole: an editor or admin who may see t. It is
// the only place this is decided.
func (a Actor) SeesPersonal(t string) bool { return a.Can(Editor) && a.Sees(t) }

// PersonalPhone is a phone number of a record of township t as the caller
// in ctx may read it: whole, or masked by MaskPhone.
func PersonalPhone(ctx context.Context, t, phone string) string {
	if ActorFrom(ctx).SeesPersonal(t) {
		return phone
	}
	return MaskPhone(phone)
}

// PersonalDoc is a record of kind as stored (an audit entry's before or
// after, decoded from JSON) as the caller in ctx may read it: for a
// deputy of township t, a copy with its phone and its voters' contacts
// masked unless the caller sees them whole; any other kind as it is.
func PersonalDoc(ctx context.Context, kind string, t string, doc map[string]any) map[string]any {
	if doc == nil || ActorFrom(ctx).SeesPersonal(t) {
		return doc
	}
	if kind == string(KindReception) {
		return receptionDoc(doc)
	}
	if kind != string(KindDeputy) {
		return doc
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	if s, ok := out["phone"].(string); ok {
		out["phone"] = MaskPhone(s)
	}
	if voters, ok := out["voters"].([]any); ok {
		masked := make([]any, len(voters))
		for i, v := range voters {
			m, ok := v.(map[string]any)
			if !ok {
				masked[i] = v
				continue
			}
			c := make(map[string]any, len(m))
			for k, x := range m {
				c[k] = x
			}
			if s, ok := c["contact"].(string); ok {
				c["contact"] = MaskPhone(s)
			}
			masked[i] = c
		}
		out["voters"] = masked
	}
	return out
}

// MaskPhone masks the digits of each number in s, keeping separators
// (spaces, dashes, brackets, +) and any other text as written; full-width
// digits count as digits. A number of 11 digits or more (a mobile, a
// landline with its area code) keeps its first 3 and last 4 digits:
// 13812345678 is 138****5678, 0351-1234567 is 035*-***4567. A shorter one
// keeps less: 7 to 10 digits (a local landline) the last 4, 5 or 6 digits
// the last 2, fewer none. No number is ever shown whole.
func MaskPhone(s string) string {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isPhoneRune(rs[i]) {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(rs) && isPhoneRune(rs[j]) {
			if isDigit(rs[j]) {
				digits++
			}
			j++
		}
		head, tail := phoneKept(digits)
		maskRun(rs[i:j], head, tail, isDigit)
		i = j
	}
	return string(rs)
}

// phoneKept is how many leading and trailing digits a number of n digits
// keeps.
func phoneKept(n int) (head, tail int) {
	switch {
	case n >= 11:
		return 3, 4
	case n >= 7:
		return 0, 4
	case n >= 5:
		return 0, 2
	}
	return 0, 0
}

// MaskIDNumber masks an ID number (居民身份证号码), keeping its first 6
// and last 4 characters: 110101199003071234 is 110101********1234, and
// 11010119900307123X is 110101********123X. Spaces and dashes stay as
// written. A shorter value (not an ID number as issued) keeps at most its
// last 2 characters, and only when it has 6 or more.
func MaskIDNumber(s string) string {
	rs := []rune(s)
	n := 0
	for _, r := range rs {
		if isIDRune(r) {
			n++
		}
	}
	head, tail := 0, 0
	switch {
	case n >= 15: // 18 characters, or the 15 of the first generation
		head, tail = 6, 4
	case n >= 6:
		tail = 2
	}
	maskRun(rs, head, tail, isIDRune)
	return string(rs)
}

// maskRun replaces with * the characters of run that count (the digits of
// a phone, the characters of an ID) except the first head and the last
// tail.
func maskRun(run []rune, head, tail int, counts func(rune) bool) {
	n := 0
	for _, r := range run {
		if counts(r) {
			n++
		}
	}
	k := 0
	for i, r := range run {
		if !counts(r) {
			continue
		}
		if k >= head && k < n-tail {
			run[i] = '*'
		}
		k++
	}
}

// isDigit is an ASCII or a full-width digit.
func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// isPhoneRune is a character a phone number is written with.
func isPhoneRune(r rune) bool { return isDigit(r) || strings.ContainsRune(" -+()　－＋（）", r) }

// isIDRune is a character of an ID number proper: a digit or the check
// character X.
func isIDRune(r rune) bool { return isDigit(r) || r == 'X' || r == 'x' || r == 'Ｘ' }
