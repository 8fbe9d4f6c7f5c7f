// Package auth is who may see and change what in renda: accounts for people
// (passwords, sessions), API keys for dashboards and scripts, the roles
// they hold (viewer, editor, admin) and the townships they hold them over.
// It turns a request's credentials into a records.Actor, which the store
// applies to every read and write.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"renda/internal/records"
)

// Password hashing: argon2id with OWASP's recommended minimum (19 MiB, two
// passes, one lane), at most four hashes at once so a flood of logins
// cannot exhaust memory.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

var hashing = make(chan struct{}, 4)

// Password policy. 等保 2.0 asks for passwords with complexity rules that
// are changed and not reused; it sets no figures, and the offices'
// practice is "8 or more characters, mixed kinds, none of the last 5"
// (../shared/reference/practice.md, section 6). renda asks a little more
// length:
//   - 10 to 200 characters;
//   - 3 of 4 kinds of character: upper-case letters, lower-case letters,
//     digits, and the rest (punctuation, spaces, 汉字 and other letters
//     without case);
//   - not the user name, nor holding it (names of 3 or more characters);
//   - none of the account's last records.PasswordHistory passwords.
const (
	MinPassword = 10
	MaxPassword = 200
	minKinds    = 3
)

// checkPassword refuses a password the policy does not allow, naming field;
// user is the account's user name.
func checkPassword(field, p, user string) error {
	n := utf8.RuneCountInString(p)
	switch {
	case n < MinPassword:
		return records.Invalidf(field, "a password has at least %d characters (密码至少 %d 个字符)", MinPassword, MinPassword)
	case n > MaxPassword:
		return records.Invalidf(field, "a password has at most %d characters (密码最多 %d 个字符)", MaxPassword, MaxPassword)
	}
	var upper, lower, digit, other int
	for _, r := range p {
		switch {
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if upper+lower+digit+other < minKinds {
		return records.Invalidf(field, "a password mixes %d of 4 kinds of character: upper-case letters, lower-case letters, digits, others such as punctuation or 汉字 "+
			"(密码须包含大写字母、小写字母、数字、其他字符（标点、汉字等）中的至少 %d 类)", minKinds, minKinds)
	}
	if u := strings.ToLower(strings.TrimSpace(user)); utf8.RuneCountInString(u) >= 3 && strings.Contains(strings.ToLower(p), u) {
		return records.Invalidf(field, "a password may not hold the user name (密码不能包含用户名)")
	}
	return nil
}

// checkReuse refuses a password that is the account's current one or one
// of those before it.
func checkReuse(field, p string, a *records.Account) error {
	for _, h := range append([]string{a.PasswordHash}, a.PasswordHistory...) {
		if h != "" && verifyPassword(h, p) {
			return records.Invalidf(field, "this password was used before: choose one that is none of your last %d (不能使用最近 %d 次用过的密码)",
				records.PasswordHistory, records.PasswordHistory)
		}
	}
	return nil
}

// hashPassword returns p's argon2id hash in PHC form.
func hashPassword(p string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashing <- struct{}{}
	key := argon2.IDKey([]byte(p), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashing
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verifyPassword reports whether p matches a hash made by hashPassword,
// in time independent of where they differ.
func verifyPassword(hash, p string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); err != nil || m > 1<<20 || t > 10 || threads == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	hashing <- struct{}{}
	got := argon2.IDKey([]byte(p), salt, t, m, threads, uint32(len(want)))
	<-hashing
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against for unknown user names, so a login takes
// as long whether the name exists or not.
var dummyHash, _ = hashPassword("renda-no-such-account")

// token returns n random bytes, URL-safe.
func token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
