package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
)

// Township is the resolver for the township field.
func (r *attributeDefinitionsResolver) Township(ctx context.Context, obj *records.AttributeSet) (*records.Township, error) {
	return loadTownship(ctx, obj.Township)
}

// Kind is the resolver for the kind field.
func (r *attributeDefinitionsResolver) Kind(ctx context.Context, obj *records.AttributeSet) (model.RecordKind, error) {
	for k, v := range recordKinds {
		if v == obj.Kind {
			return k, nil
		}
	}
	return "", records.Errorf(records.EINTERNAL, "unknown kind %q", obj.Kind)
}

// DefineAttribute is the resolver for the defineAttribute field.
func (r *mutationResolver) DefineAttribute(ctx context.Context, township string, kind model.RecordKind, input records.AttributeDef) (*records.AttributeDef, error) {
	d, err := r.Store.Attributes.Put(ctx, township, recordKinds[kind], input)
	if records.ErrorCode(err) == records.EINVALID {
		err = inputError(err)
	}
	return d, err
}

// RemoveAttributeDefinition is the resolver for the removeAttributeDefinition field.
func (r *mutationResolver) RemoveAttributeDefinition(ctx context.Context, township string, kind model.RecordKind, path string) (*records.AttributeDef, error) {
	return r.Store.Attributes.Remove(ctx, township, recordKinds[kind], path)
}

// AttributeDefinitions is the resolver for the attributeDefinitions field.
func (r *queryResolver) AttributeDefinitions(ctx context.Context, township string, kind model.RecordKind) (*records.AttributeSet, error) {
	return r.Store.Attributes.Get(ctx, township, recordKinds[kind])
}

// Overdue is the resolver for the overdue field.
func (r *suggestionResolver) Overdue(ctx context.Context, obj *records.Suggestion) (bool, error) {
	return obj.Overdue(records.Today()), nil
}

// AttributeDefinitions returns generated.AttributeDefinitionsResolver implementation.
func (r *Resolver) AttributeDefinitions() generated.AttributeDefinitionsResolver {
	return &attributeDefinitionsResolver{r}
}

type attributeDefinitionsResolver struct{ *Resolver }
