package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"renda/internal/records"
)

// Store keeps credentials; store.Credentials implements it.
type Store interface {
	Count(ctx context.Context) (int, error)
	CreateAccount(ctx context.Context, a *records.Account) error
	Account(ctx context.Context, id string) (*records.Account, error)
	Accounts(ctx context.Context) ([]*records.Account, error)
	UpdateAccount(ctx context.Context, id string, change func(*records.Account) error) (*records.Account, error)
	CreateSession(ctx context.Context, x *records.Session) error
	Session(ctx context.Context, id string) (*records.Session, error)
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
	DeleteSessions(ctx context.Context, accountID string) error
	CreateKey(ctx context.Context, k *records.APIKey) error
	Key(ctx context.Context, id string) (*records.APIKey, error)
	Keys(ctx context.Context) ([]*records.APIKey, error)
	RevokeKey(ctx context.Context, id string) (*records.APIKey, error)
	TouchKey(ctx context.Context, id string, at time.Time) error
}

// Config configures a Service.
type Config struct {
	Store Store
	// Townships checks that townships exist (NOT_FOUND on field if not).
	Townships func(ctx context.Context, ids []string, field string) error
	// Audit records a change to an account or a key.
	Audit func(ctx context.Context, e records.AuditEntry)
	// SessionTTL is how long a session lasts; DefaultSessionTTL if zero.
	SessionTTL time.Duration
	// SessionIdle is how long a session may go unused before it ends;
	// DefaultSessionIdle if zero.
	SessionIdle time.Duration
	Logger      *slog.Logger
	Now         func() time.Time
}

// Service signs people in and out, checks credentials and manages
// accounts and keys.
type Service struct {
	c         Config
	strangers strangers // failed sign-ins of unknown names
	counting  cost      // how long counting an attempt in the store takes
}

// DefaultSessionTTL is a working day and a bit: a clerk signs in once a day.
const DefaultSessionTTL = 12 * time.Hour

// DefaultSessionIdle is how long a session may go unused: a clerk away
// from the desk for half an hour signs in again (等保 2.0 asks for an
// automatic sign-out after a time without use).
const DefaultSessionIdle = 30 * time.Minute

// touchEvery is how often a session's last use is written: at most once a
// minute, so a busy session costs few writes.
const touchEvery = time.Minute

// New returns a Service.
func New(c Config) *Service {
	if c.SessionTTL <= 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
	}
	if c.Townships == nil {
		c.Townships = func(context.Context, []string, string) error { return nil }
	}
	if c.Audit == nil {
		c.Audit = func(context.Context, records.AuditEntry) {}
	}
	return &Service{c: c}
}

// Defined reports whether any account or key exists: a server without
// any runs open, on loopback only.
func (s *Service) Defined(ctx context.Context) (bool, error) {
	n, err := s.c.Store.Count(ctx)
	return n > 0, err
}

var errSignIn = records.Errorf(records.EUNAUTHORIZED, "wrong user name or password")

// Login checks a user name and password and opens a session; it returns
// the session's token (for the cookie) and the account. An unknown name,
// a wrong password and a disabled account answer the same; see attempt
// for the lock-out.
//
// Every attempt leaves an audit entry (see signInAudit): its result and
// the client's address, never the password.
func (s *Service) Login(ctx context.Context, username, password string) (string, *records.Account, error) {
	if len(username) > 100 || len(password) > 4*MaxPassword {
		s.signInAudit(ctx, "", SignInFailed)
		return "", nil, errSignIn
	}
	id := strings.ToLower(strings.TrimSpace(username))
	a, err := s.attempt(ctx, id, password)
	if err != nil {
		var u *unknownName
		if errors.As(err, &u) {
			// An unknown name is not kept: it is often a password typed
			// in the wrong box.
			id, err = "", u.err
		}
		result := SignInFailed
		if isLocked(err) {
			result = SignInLocked
		}
		if code := records.ErrorCode(err); code == records.EUNAUTHORIZED {
			s.signInAudit(ctx, id, result)
		}
		return "", nil, err
	}
	if a, err = s.c.Store.UpdateAccount(ctx, a.ID, func(x *records.Account) error {
		x.FailedLogins, x.LockedUntil = 0, time.Time{}
		return nil
	}); err != nil {
		return "", nil, err
	}
	tok, err := s.newSession(ctx, a)
	if err != nil {
		return "", nil, err
	}
	s.signInAudit(ctx, a.ID, SignInSuccess)
	return tok, a, nil
}

// The results of a sign-in, as its audit entry's action says them.
const (
	SignInSuccess = "login"
	SignInFailed  = "loginFailed"
	SignInLocked  = "loginLocked"
)

// signInAudit records a sign-in attempt of account id ("" for a name no
// account has) with its result and the client's address (see ClientAddr):
// the entry's after holds {result, client}.
func (s *Service) signInAudit(ctx context.Context, id, action string) {
	client := ClientAddr(ctx)
	actor := "anonymous"
	if id != "" {
		actor = "user:" + id
	}
	result := map[string]string{SignInSuccess: "success", SignInFailed: "failure", SignInLocked: "locked"}[action]
	note := result + " from " + client
	if id == "" {
		note += " (a user name no account has)"
	}
	s.c.Audit(ctx, records.AuditEntry{Action: action, Kind: "accounts", RecordID: id, Actor: actor,
		After: map[string]any{"result": result, "client": client}, Note: note})
}

// newSession opens a session of a and returns its token.
func (s *Service) newSession(ctx context.Context, a *records.Account) (string, error) {
	now := s.c.Now()
	tok := token(32)
	if err := s.c.Store.CreateSession(ctx, &records.Session{ID: digest(tok), AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(s.c.SessionTTL), LastUsed: now}); err != nil {
		return "", err
	}
	return tok, nil
}

// SessionTTL is how long a new session lasts.
func (s *Service) SessionTTL() time.Duration { return s.c.SessionTTL }

// digest is how tokens and keys are stored: their SHA-256, hex.
func digest(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Authenticate returns the account of a session token. A session past its
// end (SessionTTL after sign-in) or unused for SessionIdle is ended; a
// disabled account's is refused. The session's last use is written at
// most once a minute.
func (s *Service) Authenticate(ctx context.Context, tok string) (*records.Account, error) {
	if len(tok) > 100 {
		return nil, errSession
	}
	x, err := s.c.Store.Session(ctx, digest(tok))
	if records.ErrorCode(err) == records.ENOTFOUND {
		return nil, errSession
	} else if err != nil {
		return nil, err
	}
	now := s.c.Now()
	used := x.LastUsed
	if used.IsZero() {
		used = x.CreatedAt
	}
	switch {
	case !x.ExpiresAt.After(now):
		_ = s.c.Store.DeleteSession(ctx, x.ID)
		return nil, errSession
	case now.Sub(used) >= s.c.SessionIdle:
		_ = s.c.Store.DeleteSession(ctx, x.ID)
		return nil, records.Errorf(records.EUNAUTHORIZED, "your session has ended after %v unused: sign in again", s.c.SessionIdle)
	}
	a, err := s.c.Store.Account(ctx, x.AccountID)
	if err != nil || a.Disabled {
		return nil, errSession
	}
	if now.Sub(used) >= touchEvery {
		if err := s.c.Store.TouchSession(context.WithoutCancel(ctx), x.ID, now); err != nil {
			s.c.Logger.WarnContext(ctx, "session use not recorded", "account", a.ID, "err", records.Redacted(err))
		}
	}
	return a, nil
}

var errSession = records.Errorf(records.EUNAUTHORIZED, "your session has ended: sign in again")

// Logout ends the session of tok.
func (s *Service) Logout(ctx context.Context, tok string) error {
	return s.c.Store.DeleteSession(ctx, digest(tok))
}

// Key format: rk_<id>_<secret>; the id is public (it names the key in
// lists and logs), the secret is not stored.
const keyPrefix = "rk_"

// AuthenticateKey returns the key a request sent. A revoked key is refused.
func (s *Service) AuthenticateKey(ctx context.Context, key string) (*records.APIKey, error) {
	id, _, ok := strings.Cut(strings.TrimPrefix(key, keyPrefix), "_")
	if !strings.HasPrefix(key, keyPrefix) || !ok || len(key) > 100 {
		return nil, errKey
	}
	k, err := s.c.Store.Key(ctx, id)
	if records.ErrorCode(err) == records.ENOTFOUND {
		return nil, errKey
	} else if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(digest(key)), []byte(k.Hash)) != 1 {
		return nil, errKey
	}
	if k.RevokedAt != nil {
		return nil, records.Errorf(records.EUNAUTHORIZED, "this API key was revoked")
	}
	now := s.c.Now()
	if k.LastUsed == nil || now.Sub(*k.LastUsed) > time.Minute {
		if err := s.c.Store.TouchKey(context.WithoutCancel(ctx), k.ID, now); err != nil {
			s.c.Logger.WarnContext(ctx, "key use not recorded", "key", k.ID, "err", records.Redacted(err))
		}
	}
	return k, nil
}

var errKey = records.Errorf(records.EUNAUTHORIZED, "this API key is not valid")

// Who manages what (三员分立: an office may give each duty to someone
// else; an admin carries them all):
//   - accounts (create, list, rename, role, townships, disable):
//     DutySystem, an admin's or a sysadmin's;
//   - API keys, password resets and unlocking accounts: DutySecurity, an
//     admin's or a secadmin's;
//   - the audit log: DutyAudit, an admin's or an auditor's (the store
//     checks it).
//
// Each within its townships: a township's administrator manages the
// credentials of its townships only. The administrators' own credentials
// (admin, sysadmin, secadmin, auditor) are an admin's (or the command
// line's): a sysadmin or a secadmin gives and changes the roles of records
// only (viewer, editor), so none of the three can take another's duty. A
// secadmin unlocks any account and revokes any key of its townships:
// neither gives anyone a right.

var dutyText = map[records.Duty]string{
	records.DutySystem:   "only an admin or a sysadmin manages accounts",
	records.DutySecurity: "only an admin or a secadmin manages API keys, resets passwords and unlocks accounts",
}

// manage checks that the caller carries duty d over townships: of the
// county, or of every township named.
func manage(ctx context.Context, d records.Duty, townships []string) error {
	a := records.ActorFrom(ctx)
	if !a.Has(d) {
		return records.Errorf(records.EFORBIDDEN, "%s", dutyText[d])
	}
	if a.County() {
		return nil
	}
	if townships == nil {
		return records.Errorf(records.EFORBIDDEN, "an administrator of some townships cannot grant the whole county")
	}
	for _, t := range townships {
		if !a.Sees(t) {
			return records.Errorf(records.EFORBIDDEN, "you are not an administrator of township %q", t)
		}
	}
	return nil
}

// mayGrant checks that the caller may give role r, or change a credential
// that has it: an admin any role; a sysadmin or a secadmin the roles of
// records only.
func mayGrant(ctx context.Context, r records.Role) error {
	if a := records.ActorFrom(ctx); a.Role != records.Admin && r.Administrator() {
		return records.Errorf(records.EFORBIDDEN, "only an admin gives the role %s or changes the credentials that hold it", r)
	}
	return nil
}

// AccountInput is what an admin sets on an account.
type AccountInput struct {
	ID, Name  string
	Role      records.Role
	Townships []string
	Password  string
	DeputyID  string // a deputy's own account: the deputy it is
}

// CreateAccount makes an account.
func (s *Service) CreateAccount(ctx context.Context, in AccountInput) (*records.Account, error) {
	if err := manage(ctx, records.DutySystem, in.Townships); err != nil {
		return nil, err
	}
	if err := mayGrant(ctx, in.Role); err != nil {
		return nil, err
	}
	now := s.c.Now()
	a := &records.Account{ID: strings.ToLower(strings.TrimSpace(in.ID)), Name: strings.TrimSpace(in.Name), Role: in.Role, Townships: in.Townships, DeputyID: in.DeputyID,
		Version: 1, CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now, CreatedBy: records.ActorFrom(ctx).ID, UpdatedBy: records.ActorFrom(ctx).ID}
	if a.Name == "" {
		a.Name = a.ID
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := checkPassword("password", in.Password, a.ID); err != nil {
		return nil, err
	}
	if in.Townships != nil {
		if err := s.c.Townships(ctx, in.Townships, "townships"); err != nil {
			return nil, err
		}
	}
	h, err := hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	a.PasswordHash = h
	if err := s.c.Store.CreateAccount(ctx, a); err != nil {
		return nil, err
	}
	s.c.Audit(ctx, records.AuditEntry{Action: records.ActionCreate, Kind: "accounts", RecordID: a.ID, Version: a.Version, After: accountMap(a)})
	return a, nil
}

// AccountPatch changes the fields it sets.
type AccountPatch struct {
	Name      *string
	Role      *records.Role
	Townships *[]string // a pointer to nil: the whole county
	Disabled  *bool
	Password  *string // an admin's reset
	DeputyID  *string // the deputy a deputy's account is ("" for other roles)
}

// UpdateAccount changes an account; disabling it or resetting its password
// ends its sessions.
func (s *Service) UpdateAccount(ctx context.Context, id string, p AccountPatch) (*records.Account, error) {
	before, err := s.c.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayGrant(ctx, before.Role); err != nil {
		return nil, err
	}
	if p.Name != nil || p.Role != nil || p.Townships != nil || p.Disabled != nil || p.DeputyID != nil {
		if err := manage(ctx, records.DutySystem, before.Townships); err != nil {
			return nil, err
		}
	}
	if p.Password != nil {
		if err := manage(ctx, records.DutySecurity, before.Townships); err != nil {
			return nil, err
		}
	}
	if p.Role != nil {
		if err := mayGrant(ctx, *p.Role); err != nil {
			return nil, err
		}
	}
	if p.Townships != nil {
		if err := manage(ctx, records.DutySystem, *p.Townships); err != nil {
			return nil, err
		}
		if *p.Townships != nil {
			if err := s.c.Townships(ctx, *p.Townships, "input.townships"); err != nil {
				return nil, err
			}
		}
	}
	var hash string
	if p.Password != nil {
		if err := checkPassword("input.password", *p.Password, before.ID); err != nil {
			return nil, err
		}
		if err := checkReuse("input.password", *p.Password, before); err != nil {
			return nil, err
		}
		if hash, err = hashPassword(*p.Password); err != nil {
			return nil, err
		}
	}
	by := records.ActorFrom(ctx).ID
	a, err := s.c.Store.UpdateAccount(ctx, id, func(a *records.Account) error {
		if p.Name != nil {
			a.Name = strings.TrimSpace(*p.Name)
		}
		if p.Role != nil {
			a.Role = *p.Role
		}
		if p.Townships != nil {
			a.Townships = *p.Townships
		}
		if p.Disabled != nil {
			a.Disabled = *p.Disabled
		}
		if p.DeputyID != nil {
			a.DeputyID = *p.DeputyID
		}
		if hash != "" {
			a.SetPassword(hash, s.c.Now())
		}
		a.UpdatedBy = by
		return records.Prefix("input", a.Validate())
	})
	if err != nil {
		return nil, err
	}
	if a.Disabled || hash != "" || p.Role != nil || p.Townships != nil || p.DeputyID != nil {
		if err := s.c.Store.DeleteSessions(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	s.c.Audit(ctx, records.AuditEntry{Action: records.ActionUpdate, Kind: "accounts", RecordID: a.ID, Version: a.Version, Before: accountMap(before), After: accountMap(a)})
	return a, nil
}

// ChangePassword changes the caller's own password, after checking the
// old one (a wrong one counts as a failed sign-in, and a locked account
// cannot change it), and ends its sessions; it returns the token of a new
// session, so the caller goes on signed in.
func (s *Service) ChangePassword(ctx context.Context, old, next string) (string, error) {
	id, ok := strings.CutPrefix(records.ActorFrom(ctx).ID, "user:")
	if !ok {
		return "", records.Errorf(records.EFORBIDDEN, "only a signed-in account has a password to change")
	}
	if len(old) > 4*MaxPassword {
		return "", records.Invalidf("oldPassword", "the old password is wrong")
	}
	if err := checkPassword("newPassword", next, id); err != nil {
		return "", err
	}
	if old == next {
		return "", records.Invalidf("newPassword", "the new password is the old one")
	}
	a, err := s.attempt(ctx, id, old)
	var u *unknownName
	if errors.As(err, &u) {
		err = u.err
	}
	if err == errSignIn {
		return "", records.Invalidf("oldPassword", "the old password is wrong")
	} else if err != nil {
		return "", err
	}
	reuse := checkReuse("newPassword", next, a)
	var hash string
	if reuse == nil {
		if hash, err = hashPassword(next); err != nil {
			return "", err
		}
	}
	a, err = s.c.Store.UpdateAccount(ctx, id, func(a *records.Account) error {
		a.FailedLogins, a.LockedUntil = 0, time.Time{} // the old password was right
		if hash != "" {
			a.SetPassword(hash, s.c.Now())
			a.UpdatedBy = records.ActorFrom(ctx).ID
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if reuse != nil {
		return "", reuse
	}
	s.c.Audit(ctx, records.AuditEntry{Action: records.ActionUpdate, Kind: "accounts", RecordID: a.ID, Version: a.Version, Note: "password changed"})
	if err := s.c.Store.DeleteSessions(ctx, id); err != nil {
		return "", err
	}
	return s.newSession(ctx, a)
}

// Accounts lists the accounts the caller manages: as a sysadmin, or as a
// secadmin (who resets their passwords and unlocks them).
func (s *Service) Accounts(ctx context.Context) ([]*records.Account, error) {
	d := records.DutySystem
	if !records.ActorFrom(ctx).Has(d) {
		d = records.DutySecurity
	}
	if err := manage(ctx, d, records.ActorFrom(ctx).Townships); err != nil {
		return nil, records.Errorf(records.EFORBIDDEN, "only an admin, a sysadmin or a secadmin lists accounts")
	}
	all, err := s.c.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a *records.Account) bool { return manage(ctx, d, a.Townships) != nil }), nil
}

// UnlockAccount ends an account's lock-out after failed sign-ins (and
// clears their count).
func (s *Service) UnlockAccount(ctx context.Context, id string) (*records.Account, error) {
	before, err := s.c.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := manage(ctx, records.DutySecurity, before.Townships); err != nil {
		return nil, err
	}
	by := records.ActorFrom(ctx).ID
	a, err := s.c.Store.UpdateAccount(ctx, id, func(a *records.Account) error {
		a.FailedLogins, a.LockedUntil, a.UpdatedBy = 0, time.Time{}, by
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.c.Audit(ctx, records.AuditEntry{Action: "unlock", Kind: "accounts", RecordID: a.ID, Version: a.Version,
		Note: fmt.Sprintf("unlocked after %d failed sign-ins", before.FailedLogins)})
	return a, nil
}

// CreateKey makes an API key and returns it: the only time it is shown.
func (s *Service) CreateKey(ctx context.Context, name string, role records.Role, townships []string) (string, *records.APIKey, error) {
	if err := manage(ctx, records.DutySecurity, townships); err != nil {
		return "", nil, err
	}
	if err := mayGrant(ctx, role); err != nil {
		return "", nil, err
	}
	k := &records.APIKey{ID: strings.ToLower(token(6)[:8]), Name: strings.TrimSpace(name), Role: role, Townships: townships,
		CreatedAt: s.c.Now(), CreatedBy: records.ActorFrom(ctx).ID}
	k.ID = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return 'x'
		}
		return r
	}, k.ID)
	if err := k.Validate(); err != nil {
		return "", nil, err
	}
	if townships != nil {
		if err := s.c.Townships(ctx, townships, "townships"); err != nil {
			return "", nil, err
		}
	}
	key := keyPrefix + k.ID + "_" + token(32)
	k.Hash = digest(key)
	if err := s.c.Store.CreateKey(ctx, k); err != nil {
		return "", nil, err
	}
	s.c.Audit(ctx, records.AuditEntry{Action: records.ActionCreate, Kind: "apiKeys", RecordID: k.ID, After: keyMap(k)})
	return key, k, nil
}

// Keys lists the keys the caller manages.
func (s *Service) Keys(ctx context.Context) ([]*records.APIKey, error) {
	if err := manage(ctx, records.DutySecurity, records.ActorFrom(ctx).Townships); err != nil {
		return nil, err
	}
	all, err := s.c.Store.Keys(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(k *records.APIKey) bool { return manage(ctx, records.DutySecurity, k.Townships) != nil }), nil
}

// RevokeKey revokes a key: its next request is refused.
func (s *Service) RevokeKey(ctx context.Context, id string) (*records.APIKey, error) {
	k, err := s.c.Store.Key(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := manage(ctx, records.DutySecurity, k.Townships); err != nil {
		return nil, err
	}
	after, err := s.c.Store.RevokeKey(ctx, id)
	if err != nil {
		return nil, err
	}
	s.c.Audit(ctx, records.AuditEntry{Action: "revoke", Kind: "apiKeys", RecordID: id, Before: keyMap(k), After: keyMap(after)})
	return after, nil
}

func accountMap(a *records.Account) map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "role": string(a.Role), "townships": townshipList(a.Townships), "disabled": a.Disabled}
}

func keyMap(k *records.APIKey) map[string]any {
	m := map[string]any{"id": k.ID, "name": k.Name, "role": string(k.Role), "townships": townshipList(k.Townships)}
	if k.RevokedAt != nil {
		m["revokedAt"] = *k.RevokedAt
	}
	return m
}

func townshipList(ts []string) any {
	if ts == nil {
		return "county"
	}
	return ts
}
