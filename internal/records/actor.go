package records

import (
	"context"
	"slices"
)

// Role is what a caller may do: viewers read, editors also write records,
// admins also manage report plugins, accounts and keys.
type Role string

const (
	Viewer Role = "viewer"
	Editor Role = "editor"
	Admin  Role = "admin"
)

// Valid reports a known role.
func (r Role) Valid() bool { return r == Viewer || r == Editor || r == Admin }

// rank orders roles; each may do what the ones below may.
func (r Role) rank() int {
	switch r {
	case Viewer:
		return 1
	case Editor:
		return 2
	case Admin:
		return 3
	}
	return 0
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
}

// Local is the caller of a server that runs open on loopback, and of the
// command line: it may do everything.
var Local = Actor{ID: "local", Role: Admin}

// Sees reports whether the actor may see records of township t.
func (a Actor) Sees(t string) bool { return a.Townships == nil || slices.Contains(a.Townships, t) }

// County reports an actor not limited to some townships.
func (a Actor) County() bool { return a.Townships == nil }

// Can reports whether the actor's role reaches r.
func (a Actor) Can(r Role) bool { return a.Role.rank() >= r.rank() }

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
