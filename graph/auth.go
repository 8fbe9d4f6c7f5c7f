package graph

import (
	"context"
	"strings"

	"renda/graph/model"
	"renda/internal/auth"
	"renda/internal/records"
)

// roles maps the API's roles to renda's.
var roles = map[model.Role]records.Role{model.RoleViewer: records.Viewer, model.RoleEditor: records.Editor, model.RoleAdmin: records.Admin,
	model.RoleSysadmin: records.Sysadmin, model.RoleSecadmin: records.Secadmin, model.RoleAuditor: records.Auditor, model.RoleDeputy: records.DeputyRole}

func apiRole(r records.Role) model.Role {
	for k, v := range roles {
		if v == r {
			return k
		}
	}
	return model.RoleViewer
}

// authService returns the service, or says there is none (a server built
// without credentials: tests of other parts).
func (r *Resolver) authService() (*auth.Service, error) {
	if r.Auth == nil {
		return nil, records.Errorf(records.EFORBIDDEN, "this server has no accounts")
	}
	return r.Auth, nil
}

// meOf describes the caller in ctx.
func (r *Resolver) meOf(ctx context.Context, a records.Actor, name string) *model.Me {
	me := &model.Me{ID: a.ID, Name: name, Role: apiRole(a.Role), Townships: a.Townships, DeputyID: a.DeputyID}
	if me.Name == "" && a.ID == records.Local.ID {
		me.Name = "本机管理员"
	}
	if me.Name == "" {
		_, me.Name, _ = strings.Cut(a.ID, ":")
		if me.Name == "" {
			me.Name = a.ID
		}
	}
	if r.Open != nil {
		me.Open = r.Open(ctx)
	}
	return me
}

// recordOps are what history, revert and restore do, for any kind.
type recordOps struct {
	history func(ctx context.Context, id string) ([]*records.AuditEntry, error)
	revert  func(ctx context.Context, id string, v int, expected *int) (*records.Meta, error)
	deleted func(ctx context.Context, t string, first int) ([]*records.AuditEntry, error)
	restore func(ctx context.Context, id string) (*records.Meta, error)
}

func opsOf[T any, PT records.Record[T]](c records.Collection[T, PT]) recordOps {
	return recordOps{
		history: c.History,
		revert: func(ctx context.Context, id string, v int, expected *int) (*records.Meta, error) {
			x, err := c.Revert(ctx, id, v, expected)
			if err != nil {
				return nil, err
			}
			return x.GetMeta(), nil
		},
		deleted: c.Deleted,
		restore: func(ctx context.Context, id string) (*records.Meta, error) {
			x, err := c.Restore(ctx, id)
			if err != nil {
				return nil, err
			}
			return x.GetMeta(), nil
		},
	}
}

var kinds = map[model.RecordKind]records.Kind{
	model.RecordKindTownship: records.KindTownship, model.RecordKindDeputy: records.KindDeputy, model.RecordKindVillage: records.KindVillage,
	model.RecordKindProject: records.KindProject, model.RecordKindInspection: records.KindInspection,
	model.RecordKindActivity: records.KindActivity, model.RecordKindSuggestion: records.KindSuggestion,
	model.RecordKindReception: records.KindReception, model.RecordKindPointRules: records.KindPointRules,
}

// ops returns the operations of a kind, found from the id when not given.
func (r *Resolver) ops(ctx context.Context, kind *model.RecordKind, id string) (recordOps, error) {
	var k records.Kind
	if kind != nil {
		k = kinds[*kind]
	} else {
		found, err := r.Store.KindOf(ctx, id)
		if err != nil {
			return recordOps{}, err
		}
		k = found
	}
	s := r.Store
	switch k {
	case records.KindTownship:
		return opsOf(s.Townships), nil
	case records.KindDeputy:
		return opsOf(s.Deputies), nil
	case records.KindVillage:
		return opsOf(s.Villages), nil
	case records.KindProject:
		return opsOf(s.Projects), nil
	case records.KindInspection:
		return opsOf(s.Inspections), nil
	case records.KindActivity:
		return opsOf(s.Activities), nil
	case records.KindSuggestion:
		return opsOf(s.Suggestions), nil
	case records.KindReception:
		return opsOf(s.Receptions), nil
	case records.KindPointRules:
		return opsOf(s.PointRules), nil
	}
	return r.congressOps(k)
}

// latest is the newest entry of a record's history: the one a revert or
// a restore just wrote.
func latest(ctx context.Context, o recordOps, id string) (*records.AuditEntry, error) {
	h, err := o.history(ctx, id)
	if err != nil {
		return nil, err
	}
	return h[0], nil
}

// requireAdmin refuses a caller who is not an admin.
func requireAdmin(ctx context.Context) error {
	if !records.ActorFrom(ctx).Can(records.Admin) {
		return records.Errorf(records.EFORBIDDEN, "only an admin may do this")
	}
	return nil
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// auditFirst reads the first argument of the audit lists: 1 to 500, 50 if
// not given.
func auditFirst(first *int) (int, error) {
	n := 50
	if first != nil {
		n = *first
	}
	if n < 1 || n > 500 {
		return 0, records.Invalidf("first", "first is 1 to 500")
	}
	return n, nil
}

// auditVerification is what verifying the chain found, as the API says it.
func auditVerification(c *records.AuditCheck) *model.AuditVerification {
	out := &model.AuditVerification{Ok: c.Broken == nil, Unchained: c.Unchained, Chained: c.Chained, First: int(c.First), Last: int(c.Last),
		Head: strPtr(c.Head)}
	if b := c.Broken; b != nil {
		seq := int(b.Seq)
		out.BrokenSeq, out.BrokenID, out.Problem = &seq, strPtr(b.ID), &b.Problem
	}
	return out
}

// checkAccountDeputy: a deputy's account names a deputy of its township.
func (r *Resolver) checkAccountDeputy(ctx context.Context, deputyID *string, townships []string) error {
	if deputyID == nil || *deputyID == "" {
		return nil
	}
	d, err := r.Store.Deputies.Get(ctx, *deputyID)
	if err != nil || len(townships) != 1 || d.Township != townships[0] {
		return records.Invalidf("input.deputyId", "a deputy's account names a deputy of its one township")
	}
	return nil
}
