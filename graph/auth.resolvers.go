package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/auth"
	"renda/internal/records"
	"strings"
	"time"
)

// Role is the resolver for the role field.
func (r *aPIKeyResolver) Role(ctx context.Context, obj *records.APIKey) (model.Role, error) {
	return apiRole(obj.Role), nil
}

// Role is the resolver for the role field.
func (r *accountResolver) Role(ctx context.Context, obj *records.Account) (model.Role, error) {
	return apiRole(obj.Role), nil
}

// LockedUntil is the resolver for the lockedUntil field.
func (r *accountResolver) LockedUntil(ctx context.Context, obj *records.Account) (*time.Time, error) {
	if obj.LockedUntil.IsZero() {
		return nil, nil
	}
	return &obj.LockedUntil, nil
}

// RecordID is the resolver for the recordId field.
func (r *auditEntryResolver) RecordID(ctx context.Context, obj *records.AuditEntry) (*string, error) {
	return strPtr(obj.RecordID), nil
}

// Township is the resolver for the township field.
func (r *auditEntryResolver) Township(ctx context.Context, obj *records.AuditEntry) (*string, error) {
	return strPtr(obj.Township), nil
}

// Version is the resolver for the version field.
func (r *auditEntryResolver) Version(ctx context.Context, obj *records.AuditEntry) (*int, error) {
	if obj.Version == 0 {
		return nil, nil
	}
	return &obj.Version, nil
}

// Before is the resolver for the before field: a deputy's personal
// numbers masked for readers who may not see them whole.
func (r *auditEntryResolver) Before(ctx context.Context, obj *records.AuditEntry) (map[string]any, error) {
	return records.PersonalDoc(ctx, obj.Kind, obj.Township, obj.Before), nil
}

// After is the resolver for the after field, masked as before is.
func (r *auditEntryResolver) After(ctx context.Context, obj *records.AuditEntry) (map[string]any, error) {
	return records.PersonalDoc(ctx, obj.Kind, obj.Township, obj.After), nil
}

// Note is the resolver for the note field.
func (r *auditEntryResolver) Note(ctx context.Context, obj *records.AuditEntry) (*string, error) {
	return strPtr(obj.Note), nil
}

// Townships is the resolver for the townships field.
func (r *meResolver) Townships(ctx context.Context, obj *model.Me) ([]*records.Township, error) {
	if obj.Townships == nil {
		return nil, nil
	}
	// As the caller described, not as the request's: a login's request is
	// still anonymous while it answers who signed in.
	as := records.WithActor(ctx, records.Actor{ID: obj.ID, Role: roles[obj.Role], Townships: obj.Townships})
	return r.Store.Townships.GetIn(as, "", obj.Townships)
}

// Deputy is the resolver for the deputy field.
func (r *meResolver) Deputy(ctx context.Context, obj *model.Me) (*records.Deputy, error) {
	if obj.DeputyID == "" || len(obj.Townships) != 1 {
		return nil, nil
	}
	as := records.WithActor(ctx, records.Actor{ID: obj.ID, Role: roles[obj.Role], Townships: obj.Townships, DeputyID: obj.DeputyID})
	return r.Store.Deputies.Get(as, obj.DeputyID)
}

// Login is the resolver for the login field.
func (r *mutationResolver) Login(ctx context.Context, username string, password string) (*model.Me, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	tok, a, err := svc.Login(ctx, username, password)
	if err != nil {
		return nil, err
	}
	auth.SetSession(ctx, tok, svc.SessionTTL())
	return r.meOf(ctx, a.Actor(), a.Name), nil
}

// Logout is the resolver for the logout field.
func (r *mutationResolver) Logout(ctx context.Context) (bool, error) {
	svc, err := r.authService()
	if err != nil {
		return false, err
	}
	if tok := auth.SessionToken(ctx); tok != "" {
		if err := svc.Logout(ctx, tok); err != nil {
			return false, err
		}
	}
	auth.ClearSession(ctx)
	return true, nil
}

// ChangePassword is the resolver for the changePassword field.
func (r *mutationResolver) ChangePassword(ctx context.Context, oldPassword string, newPassword string) (bool, error) {
	svc, err := r.authService()
	if err != nil {
		return false, err
	}
	// Every session ended with the old password; this one goes on anew.
	tok, err := svc.ChangePassword(ctx, oldPassword, newPassword)
	if err != nil {
		return false, err
	}
	auth.SetSession(ctx, tok, svc.SessionTTL())
	return true, nil
}

// CreateAccount is the resolver for the createAccount field.
func (r *mutationResolver) CreateAccount(ctx context.Context, input model.CreateAccountInput) (*records.Account, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	if err := r.checkAccountDeputy(ctx, input.DeputyID, input.Townships); err != nil {
		return nil, err
	}
	a, err := svc.CreateAccount(ctx, auth.AccountInput{ID: input.Username, Name: deref(input.Name), Role: roles[input.Role],
		Townships: input.Townships, Password: input.Password, DeputyID: deref(input.DeputyID)})
	return a, inputError(err)
}

// UpdateAccount is the resolver for the updateAccount field.
func (r *mutationResolver) UpdateAccount(ctx context.Context, id string, input model.UpdateAccountInput) (*records.Account, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	p := auth.AccountPatch{Name: input.Name, Disabled: input.Disabled, Password: input.Password, DeputyID: input.DeputyID}
	if input.DeputyID != nil && *input.DeputyID != "" {
		towns := input.Townships
		if towns == nil {
			if before, err := r.Store.Credentials.Account(ctx, id); err == nil {
				towns = before.Townships
			}
		}
		if err := r.checkAccountDeputy(ctx, input.DeputyID, towns); err != nil {
			return nil, err
		}
	}
	if input.Role != nil {
		role := roles[*input.Role]
		p.Role = &role
	}
	if input.County != nil && *input.County {
		var county []string
		p.Townships = &county
	} else if input.Townships != nil {
		p.Townships = &input.Townships
	}
	return svc.UpdateAccount(ctx, id, p)
}

// CreateAPIKey is the resolver for the createAPIKey field.
func (r *mutationResolver) CreateAPIKey(ctx context.Context, input model.CreateAPIKeyInput) (*model.NewAPIKey, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	key, k, err := svc.CreateKey(ctx, input.Name, roles[input.Role], input.Townships)
	if err != nil {
		return nil, inputError(err)
	}
	return &model.NewAPIKey{Key: key, APIKey: k}, nil
}

// RevokeAPIKey is the resolver for the revokeAPIKey field.
func (r *mutationResolver) RevokeAPIKey(ctx context.Context, id string) (*records.APIKey, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	return svc.RevokeKey(ctx, id)
}

// UnlockAccount is the resolver for the unlockAccount field.
func (r *mutationResolver) UnlockAccount(ctx context.Context, id string) (*records.Account, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	return svc.UnlockAccount(ctx, id)
}

// Revert is the resolver for the revert field.
func (r *mutationResolver) Revert(ctx context.Context, id string, version int, kind *model.RecordKind, expectedVersion *int) (*records.AuditEntry, error) {
	o, err := r.ops(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if _, err := o.revert(ctx, id, version, expectedVersion); err != nil {
		return nil, err
	}
	return latest(ctx, o, id)
}

// Restore is the resolver for the restore field.
func (r *mutationResolver) Restore(ctx context.Context, id string, kind *model.RecordKind) (*records.AuditEntry, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	o, err := r.ops(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if _, err := o.restore(ctx, id); err != nil {
		return nil, err
	}
	return latest(ctx, o, id)
}

// Me is the resolver for the me field.
func (r *queryResolver) Me(ctx context.Context) (*model.Me, error) {
	a := records.ActorFrom(ctx)
	if a.IsAnonymous() {
		return nil, nil
	}
	name := ""
	if id, ok := strings.CutPrefix(a.ID, "user:"); ok && r.Auth != nil {
		if acct, err := r.Store.Credentials.Account(ctx, id); err == nil {
			name = acct.Name
		}
	}
	return r.meOf(ctx, a, name), nil
}

// Accounts is the resolver for the accounts field.
func (r *queryResolver) Accounts(ctx context.Context) ([]*records.Account, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	return svc.Accounts(ctx)
}

// APIKeys is the resolver for the apiKeys field.
func (r *queryResolver) APIKeys(ctx context.Context) ([]*records.APIKey, error) {
	svc, err := r.authService()
	if err != nil {
		return nil, err
	}
	return svc.Keys(ctx)
}

// History is the resolver for the history field.
func (r *queryResolver) History(ctx context.Context, id string, kind *model.RecordKind) ([]*records.AuditEntry, error) {
	o, err := r.ops(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return o.history(ctx, id)
}

// DeletedRecords is the resolver for the deletedRecords field.
func (r *queryResolver) DeletedRecords(ctx context.Context, kind model.RecordKind, township string, first *int) ([]*records.AuditEntry, error) {
	if err := records.MayReadAudit(ctx); err != nil {
		return nil, err
	}
	o, err := r.ops(ctx, &kind, "")
	if err != nil {
		return nil, err
	}
	n, err := auditFirst(first)
	if err != nil {
		return nil, err
	}
	return o.deleted(ctx, township, n)
}

// AuditLog is the resolver for the auditLog field.
func (r *queryResolver) AuditLog(ctx context.Context, filter *model.AuditFilter, first *int, after *string) (*model.AuditConnection, error) {
	if err := records.MayReadAudit(ctx); err != nil {
		return nil, err
	}
	n, err := auditFirst(first)
	if err != nil {
		return nil, err
	}
	var f records.AuditFilter
	if filter != nil {
		f = records.AuditFilter{Townships: filter.Townships, Kind: deref(filter.Kind), RecordID: deref(filter.RecordID),
			Actor: deref(filter.Actor), Action: deref(filter.Action), From: filter.From, To: filter.To}
	}
	entries, next, err := r.Store.AuditLog(ctx, f, n, deref(after))
	if err != nil {
		return nil, err
	}
	if entries == nil {
		entries = []*records.AuditEntry{}
	}
	info := &model.PageInfo{HasNextPage: next != ""}
	if next != "" {
		info.EndCursor = &next
	}
	return &model.AuditConnection{Nodes: entries, PageInfo: info}, nil
}

// AuditVerification is the resolver for the auditVerification field.
func (r *queryResolver) AuditVerification(ctx context.Context, noted *model.AuditHeadInput) (*model.AuditVerification, error) {
	var head *records.ChainHead
	if noted != nil {
		head = &records.ChainHead{Seq: int64(noted.Seq), Hash: strings.ToLower(strings.TrimPrefix(noted.Hash, "sha256:"))}
	}
	check, err := r.Store.VerifyAudit(ctx, head)
	if err != nil {
		return nil, err
	}
	return auditVerification(check), nil
}

// APIKey returns generated.APIKeyResolver implementation.
func (r *Resolver) APIKey() generated.APIKeyResolver { return &aPIKeyResolver{r} }

// Account returns generated.AccountResolver implementation.
func (r *Resolver) Account() generated.AccountResolver { return &accountResolver{r} }

// AuditEntry returns generated.AuditEntryResolver implementation.
func (r *Resolver) AuditEntry() generated.AuditEntryResolver { return &auditEntryResolver{r} }

// Me returns generated.MeResolver implementation.
func (r *Resolver) Me() generated.MeResolver { return &meResolver{r} }

type (
	aPIKeyResolver     struct{ *Resolver }
	accountResolver    struct{ *Resolver }
	auditEntryResolver struct{ *Resolver }
	meResolver         struct{ *Resolver }
)
