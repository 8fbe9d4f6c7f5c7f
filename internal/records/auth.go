package records

import (
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// Account is a person who signs in: a clerk of a presidium office, county
// staff. Its id is the name they sign in with.
type Account struct {
	ID        string   `json:"id" bson:"_id"`
	Name      string   `json:"name" bson:"name"` // shown: 王秀兰
	Role      Role     `json:"role" bson:"role"`
	Townships []string `json:"townships" bson:"townships"` // nil: county level
	// DeputyID is the deputy a deputy's own account is (role deputy only).
	DeputyID string `json:"deputyId,omitempty" bson:"deputyId,omitempty"`
	// PasswordHash is an argon2id hash in PHC form; it never leaves the
	// store and the auth package.
	PasswordHash string `json:"-" bson:"passwordHash"`
	// PasswordHistory holds the hashes of the passwords before the
	// current one, newest first, at most PasswordHistory-1: a new
	// password may be none of the last PasswordHistory. Secret as the
	// hash is.
	PasswordHistory   []string  `json:"-" bson:"passwordHistory,omitempty"`
	PasswordChangedAt time.Time `json:"passwordChangedAt" bson:"passwordChangedAt"`
	Disabled          bool      `json:"disabled" bson:"disabled"`
	FailedLogins      int       `json:"failedLogins" bson:"failedLogins"`
	LockedUntil       time.Time `json:"lockedUntil" bson:"lockedUntil"`
	Version           int       `json:"version" bson:"version"`
	CreatedAt         time.Time `json:"createdAt" bson:"createdAt"`
	CreatedBy         string    `json:"createdBy" bson:"createdBy"`
	UpdatedAt         time.Time `json:"updatedAt" bson:"updatedAt"`
	UpdatedBy         string    `json:"updatedBy" bson:"updatedBy"`
}

var accountID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// Validate checks what an account may hold.
func (a *Account) Validate() error {
	if !accountID.MatchString(a.ID) {
		return Invalidf("username", "a user name is 2 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if n := utf8.RuneCountInString(a.Name); n > MaxShortText {
		return Invalidf("name", "name is at most %d characters", MaxShortText)
	}
	if err := SingleLine("name", "name", a.Name); err != nil {
		return err
	}
	if err := validateGrant(a.Role, a.Townships); err != nil {
		return err
	}
	switch {
	case a.Role == DeputyRole && (a.DeputyID == "" || len(a.Townships) != 1):
		return Invalidf("deputyId", "a deputy's account names the deputy (deputyId) and their one township")
	case a.Role != DeputyRole && a.DeputyID != "":
		return Invalidf("deputyId", "only a deputy's account names a deputy")
	}
	return nil
}

// validateGrant checks a role and the townships it is given over.
func validateGrant(r Role, townships []string) error {
	if !r.Valid() {
		return Invalidf("role", "role is viewer, editor, admin, sysadmin, secadmin, auditor or deputy, not %q", r)
	}
	if townships != nil && len(townships) == 0 {
		return Invalidf("townships", "name at least one township, or none for the whole county")
	}
	if len(townships) > MaxListItems {
		return Invalidf("townships", "at most %d townships", MaxListItems)
	}
	for i, t := range townships {
		if t == "" || slices.Contains(townships[:i], t) {
			return Invalidf("townships."+itoa(i), "township %q is empty or given twice", t)
		}
	}
	return nil
}

// PasswordHistory is how many of an account's passwords, the current one
// among them, a new password may not repeat.
const PasswordHistory = 5

// SetPassword makes hash the account's password (changed at), keeps the
// one it replaces in the history and ends any lock-out.
func (a *Account) SetPassword(hash string, at time.Time) {
	if a.PasswordHash != "" {
		a.PasswordHistory = append([]string{a.PasswordHash}, a.PasswordHistory...)
	}
	if len(a.PasswordHistory) > PasswordHistory-1 {
		a.PasswordHistory = a.PasswordHistory[:PasswordHistory-1]
	}
	a.PasswordHash, a.PasswordChangedAt, a.FailedLogins, a.LockedUntil = hash, at, 0, time.Time{}
}

// Actor is who the account acts as.
func (a *Account) Actor() Actor {
	return Actor{ID: "user:" + a.ID, Role: a.Role, Townships: a.Townships, DeputyID: a.DeputyID}
}

// Session is a signed-in account's session. Its id is the SHA-256 of the
// token the browser holds in a cookie; the token itself is never stored.
type Session struct {
	ID        string    `json:"-" bson:"_id"`
	AccountID string    `json:"accountId" bson:"accountId"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt" bson:"expiresAt"`
	// LastUsed is when the session last made a request, recorded at most
	// once a minute; zero for a session not used since it was made.
	LastUsed time.Time `json:"lastUsed,omitzero" bson:"lastUsed"`
}

// APIKey is a dashboard's or a script's credential. The key is shown once,
// when it is made; only its SHA-256 is stored.
type APIKey struct {
	ID        string     `json:"id" bson:"_id"` // the key's public part: rk_<id>_<secret>
	Name      string     `json:"name" bson:"name"`
	Role      Role       `json:"role" bson:"role"`
	Townships []string   `json:"townships" bson:"townships"` // nil: county level
	Hash      string     `json:"-" bson:"hash"`
	CreatedAt time.Time  `json:"createdAt" bson:"createdAt"`
	CreatedBy string     `json:"createdBy" bson:"createdBy"`
	LastUsed  *time.Time `json:"lastUsed,omitempty" bson:"lastUsed,omitempty"`
	RevokedAt *time.Time `json:"revokedAt,omitempty" bson:"revokedAt,omitempty"`
}

// Validate checks what a key may hold.
func (k *APIKey) Validate() error {
	if err := required("name", k.Name); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(k.Name); n > MaxShortText {
		return Invalidf("name", "name is at most %d characters", MaxShortText)
	}
	if err := SingleLine("name", "name", k.Name); err != nil {
		return err
	}
	if k.Role == DeputyRole {
		return Invalidf("role", "an API key cannot be a deputy's: deputies sign in with their own account")
	}
	return validateGrant(k.Role, k.Townships)
}

// Actor is who the key acts as.
func (k *APIKey) Actor() Actor {
	return Actor{ID: "key:" + k.Name, Role: k.Role, Townships: k.Townships}
}

// Audit actions.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionDelete  = "delete"
	ActionRevert  = "revert"
	ActionRestore = "restore"
)

// AuditEntry is one change, kept for the record's history and for admins:
// who made it, when, what it was, and the record before and after.
type AuditEntry struct {
	ID       string         `json:"id" bson:"_id"`
	At       time.Time      `json:"at" bson:"at"`
	Actor    string         `json:"actor" bson:"actor"`
	Action   string         `json:"action" bson:"action"`
	Kind     string         `json:"kind" bson:"kind"` // a Kind, or accounts, apiKeys, reportTemplates
	RecordID string         `json:"recordId" bson:"recordId"`
	Township string         `json:"township,omitempty" bson:"township,omitempty"`
	Version  int            `json:"version" bson:"version"` // the record's version after the change
	Before   map[string]any `json:"before,omitempty" bson:"before,omitempty"`
	After    map[string]any `json:"after,omitempty" bson:"after,omitempty"`
	Note     string         `json:"note,omitempty" bson:"note,omitempty"`
}

// AuditFilter selects audit entries; zero fields match all.
type AuditFilter struct {
	Townships []string // nil: all the caller may see, and the county's own entries
	Kind      string
	RecordID  string
	Actor     string
	Action    string
	From, To  *time.Time
}

// Anonymous is a caller without credentials on a server that requires
// them: it sees no township and may do nothing but sign in.
var Anonymous = Actor{ID: "anonymous", Townships: []string{}}

// IsAnonymous reports the caller without credentials.
func (a Actor) IsAnonymous() bool { return a.ID == Anonymous.ID }
