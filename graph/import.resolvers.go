package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/importer"
	"renda/internal/records"
)

// Column is the resolver for the column field.
func (r *importProblemResolver) Column(ctx context.Context, obj *importer.Problem) (*string, error) {
	return strPtr(obj.Column), nil
}

// Header is the resolver for the header field.
func (r *importProblemResolver) Header(ctx context.Context, obj *importer.Problem) (*string, error) {
	return strPtr(obj.Header), nil
}

// Field is the resolver for the field field.
func (r *importProblemResolver) Field(ctx context.Context, obj *importer.Problem) (*string, error) {
	return strPtr(obj.Field), nil
}

// Created is the resolver for the created field.
func (r *importResultResolver) Created(ctx context.Context, obj *importer.Result) (int, error) {
	return obj.Count(importer.Create), nil
}

// Updated is the resolver for the updated field.
func (r *importResultResolver) Updated(ctx context.Context, obj *importer.Result) (int, error) {
	return obj.Count(importer.Update), nil
}

// Unchanged is the resolver for the unchanged field.
func (r *importResultResolver) Unchanged(ctx context.Context, obj *importer.Result) (int, error) {
	return obj.Count(importer.Unchanged), nil
}

// Refused is the resolver for the refused field.
func (r *importResultResolver) Refused(ctx context.Context, obj *importer.Result) (int, error) {
	return obj.Count(importer.Refused), nil
}

// Failed is the resolver for the failed field.
func (r *importResultResolver) Failed(ctx context.Context, obj *importer.Result) (int, error) {
	return obj.Count(importer.Failed), nil
}

// Summary is the resolver for the summary field.
func (r *importResultResolver) Summary(ctx context.Context, obj *importer.Result) (string, error) {
	return obj.Summary(), nil
}

// Sheet is the resolver for the sheet field.
func (r *importRowResolver) Sheet(ctx context.Context, obj *importer.Row) (*string, error) {
	return strPtr(obj.Sheet), nil
}

// Action is the resolver for the action field.
func (r *importRowResolver) Action(ctx context.Context, obj *importer.Row) (string, error) {
	return string(obj.Action), nil
}

// ActionLabel is the resolver for the actionLabel field.
func (r *importRowResolver) ActionLabel(ctx context.Context, obj *importer.Row) (string, error) {
	return obj.Action.Label(), nil
}

// RecordID is the resolver for the recordId field.
func (r *importRowResolver) RecordID(ctx context.Context, obj *importer.Row) (*string, error) {
	return strPtr(obj.ID), nil
}

// ImportRoster is the resolver for the importRoster field.
func (r *mutationResolver) ImportRoster(ctx context.Context, input model.ImportInput) (*importer.Result, error) {
	if err := records.CanWrite(ctx, input.Township); err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(input.Content)
	if err != nil {
		return nil, records.Invalidf("input.content", "the file is not base64")
	}
	// Imports take turns: at most Imports.Size() read files at once; one
	// that gets no turn before its deadline is TIMEOUT.
	release, err := r.Imports.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	opts := importer.Options{Kind: importKinds[input.Kind], Township: input.Township, Key: input.Key, DryRun: input.DryRun, Atomic: input.Atomic}
	for _, m := range input.Mapping {
		opts.Mapping = append(opts.Mapping, importer.Mapping{Column: m.Column, Field: m.Field})
	}
	st := importer.Store{Townships: r.Store.Townships, Deputies: r.Store.Deputies, Villages: r.Store.Villages, Projects: r.Store.Projects, InTx: r.Store.InTx}
	res, err := importer.Import(ctx, st, bytes.NewReader(data), opts)
	if records.ErrorCode(err) == records.ETIMEOUT {
		return nil, err
	}
	if err != nil {
		return nil, inputError(err)
	}
	if res.Rows == nil {
		res.Rows = []importer.Row{}
	}
	if res.Warnings == nil {
		res.Warnings = []string{}
	}
	return res, nil
}

// ImportFields is the resolver for the importFields field.
func (r *queryResolver) ImportFields(ctx context.Context, kind model.ImportKind) ([]*importer.Field, error) {
	fs := importer.Fields(importKinds[kind])
	out := make([]*importer.Field, len(fs))
	for i := range fs {
		out[i] = &fs[i]
	}
	return out, nil
}

// ImportProblem returns generated.ImportProblemResolver implementation.
func (r *Resolver) ImportProblem() generated.ImportProblemResolver { return &importProblemResolver{r} }

// ImportResult returns generated.ImportResultResolver implementation.
func (r *Resolver) ImportResult() generated.ImportResultResolver { return &importResultResolver{r} }

// ImportRow returns generated.ImportRowResolver implementation.
func (r *Resolver) ImportRow() generated.ImportRowResolver { return &importRowResolver{r} }

type (
	importProblemResolver struct{ *Resolver }
	importResultResolver  struct{ *Resolver }
	importRowResolver     struct{ *Resolver }
)
