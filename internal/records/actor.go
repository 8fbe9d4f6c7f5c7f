package records

import (
	"context"
	"slices"
)

// Role is what a caller may do: viewers read, editors also write records,
// admins also manage report plugins, accounts and keys.
//
// Offices that must separate their administrators (三员分立, 等保 2.0) give
// those duties to three roles instead of admin: the system administrator
// (sysadmin) manages accounts, report plugins and attribute definitions;
// the security administrator (secadmin) manages API keys, resets
// passwords and unlocks accounts; the auditor reads the audit log. Each of
// the three reads records as a viewer does (masked) and writes none.
type Role string

const (
	Viewer   Role = "viewer"
	Editor   Role = "editor"
	Admin    Role = "admin"
	Sysadmin Role = "sysadmin"
	Secadmin Role = "secadmin"
	Auditor  Role = "auditor"
	// DeputyRole is a deputy's own account (代表): it reads its township as a
	// viewer does and submits its own duty records (DutySubmission) for
	// the office to verify; it writes nothing else.
	DeputyRole Role = "deputy"
)

// Roles are the roles, in the order they are listed.
var Roles = []Role{Viewer, Editor, Admin, Sysadmin, Secadmin, Auditor, DeputyRole}

// Valid reports a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// rank orders the roles of records; each may do what the ones below may.
// The administrators of a split office read as viewers do.
func (r Role) rank() int {
	switch r {
	case Viewer, Sysadmin, Secadmin, Auditor, DeputyRole:
		return 1
	case Editor:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// Duty is an administrator's duty, which an office may give to separate
// people (三员分立).
type Duty int

const (
	// DutySystem is system administration: accounts, report plugins,
	// attribute definitions.
	DutySystem Duty = iota + 1
	// DutySecurity is security administration: API keys, password resets,
	// unlocking accounts.
	DutySecurity
	// DutyAudit is reading the audit log.
	DutyAudit
)

// Has reports whether the role carries duty d: admin carries them all,
// sysadmin, secadmin and auditor one each.
func (r Role) Has(d Duty) bool {
	switch r {
	case Admin:
		return true
	case Sysadmin:
		return d == DutySystem
	case Secadmin:
		return d == DutySecurity
	case Auditor:
		return d == DutyAudit
	}
	return false
}

// Administrator reports a role that carries any duty beyond records:
// admin, sysadmin, secadmin or auditor.
func (r Role) Administrator() bool {
	return r.Has(DutySystem) || r.Has(DutySecurity) || r.Has(DutyAudit)
}

// Actor is who is calling. The store applies its townships to every read
// and write, and its role to every write, so no resolver can forget.
type Actor struct {
	// ID is stamped on what the actor writes: "local", "user:wang", "key:dashboard".
	ID string
	// Role is what the actor may do.
	Role Role
	// Townships are the townships the actor may see and change; nil means
	// all of them (a county-level credential).
	Townships []string
	// DeputyID is the deputy a Deputy role's account is.
	DeputyID string
}

// Local is the caller of a server that runs open on loopback, and of the
// command line: it may do everything.
var Local = Actor{ID: "local", Role: Admin}

// Sees reports whether the actor may see records of township t.
func (a Actor) Sees(t string) bool { return a.Townships == nil || slices.Contains(a.Townships, t) }

// County reports an actor not limited to some townships.
func (a Actor) County() bool { return a.Townships == nil }

// Can reports whether the actor's role reaches r in the order of records
// (viewer, editor, admin); sysadmin, secadmin and auditor reach viewer.
func (a Actor) Can(r Role) bool { return a.Role.rank() >= r.rank() }

// Has reports whether the actor's role carries duty d.
func (a Actor) Has(d Duty) bool { return a.Role.Has(d) }

type actorKey struct{}

// WithActor returns ctx carrying the caller.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the caller in ctx; Local if none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Local
}

// CanWrite checks that the caller in ctx may write records of township t:
// FORBIDDEN for a viewer, NOT_FOUND for a township it cannot see.
func CanWrite(ctx context.Context, t string) error {
	a := ActorFrom(ctx)
	if !a.Sees(t) {
		return Errorf(ENOTFOUND, "township %q not found", t)
	}
	if !a.Can(Editor) {
		return Errorf(EFORBIDDEN, "your role (%s) may read records but not change them", a.Role)
	}
	return nil
}
