package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/records"
	"renda/internal/report"
)

// SaveReportTemplate is the resolver for the saveReportTemplate field.
func (r *mutationResolver) SaveReportTemplate(ctx context.Context, id string, files []*records.ReportFile, note *string, testParams map[string]any) (*report.Entry, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	list := make([]records.ReportFile, len(files))
	for i, f := range files {
		list[i] = *f
	}
	return reg.Save(ctx, id, list, deref(note), testParams)
}

// RollbackReportTemplate is the resolver for the rollbackReportTemplate field.
func (r *mutationResolver) RollbackReportTemplate(ctx context.Context, id string, version int) (*report.Entry, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	return reg.Rollback(ctx, id, version)
}

// ReportTemplates is the resolver for the reportTemplates field.
func (r *queryResolver) ReportTemplates(ctx context.Context) ([]*report.Entry, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	return reg.List(ctx)
}

// ReportTemplate is the resolver for the reportTemplate field.
func (r *queryResolver) ReportTemplate(ctx context.Context, id string) (*report.Entry, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	e, err := reg.Get(ctx, id)
	if records.ErrorCode(err) == records.ENOTFOUND {
		return nil, nil
	}
	return e, err
}

// ReportTemplateVersions is the resolver for the reportTemplateVersions field.
func (r *queryResolver) ReportTemplateVersions(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	return reg.Versions(ctx, id)
}

// RenderReport is the resolver for the renderReport field.
func (r *queryResolver) RenderReport(ctx context.Context, asOf *records.Date, template string, params map[string]any, format *report.Format) (*model.RenderedReport, error) {
	reg, err := r.reports()
	if err != nil {
		return nil, err
	}
	if inReport(ctx) {
		return nil, records.Invalidf("template", "a report's query cannot render reports")
	}
	var f report.Format
	if format != nil {
		f = *format
	}
	out, err := reg.Render(ctx, template, params, f)
	if err != nil {
		return nil, err
	}
	res := &model.RenderedReport{Format: out.Format, MimeType: out.MimeType, Filename: out.Filename,
		Warnings: out.Warnings, Encoding: "utf-8", Content: string(out.Content)}
	if out.Format.Binary() {
		res.Encoding, res.Content = "base64", base64.StdEncoding.EncodeToString(out.Content)
	}
	return res, nil
}

// Type is the resolver for the type field.
func (r *reportParameterResolver) Type(ctx context.Context, obj *report.Param) (string, error) {
	return string(obj.Type), nil
}

// Default is the resolver for the default field.
func (r *reportParameterResolver) Default(ctx context.Context, obj *report.Param) (*string, error) {
	if obj.Default == nil {
		return nil, nil
	}
	b, err := json.Marshal(obj.Default)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// Title is the resolver for the title field.
func (r *reportTemplateResolver) Title(ctx context.Context, obj *report.Entry) (string, error) {
	if obj.Plugin == nil {
		return "", nil
	}
	return obj.Plugin.Manifest.Title, nil
}

// Description is the resolver for the description field.
func (r *reportTemplateResolver) Description(ctx context.Context, obj *report.Entry) (string, error) {
	if obj.Plugin == nil {
		return "", nil
	}
	return obj.Plugin.Manifest.Description, nil
}

// Parameters is the resolver for the parameters field.
func (r *reportTemplateResolver) Parameters(ctx context.Context, obj *report.Entry) ([]*report.Param, error) {
	if obj.Plugin == nil {
		return []*report.Param{}, nil
	}
	ps := obj.Plugin.Manifest.Parameters
	out := make([]*report.Param, len(ps))
	for i := range ps {
		out[i] = &ps[i]
	}
	return out, nil
}

// Formats is the resolver for the formats field.
func (r *reportTemplateResolver) Formats(ctx context.Context, obj *report.Entry) ([]report.Format, error) {
	if obj.Plugin == nil {
		return []report.Format{}, nil
	}
	return obj.Plugin.Manifest.Formats, nil
}

// Source is the resolver for the source field.
func (r *reportTemplateResolver) Source(ctx context.Context, obj *report.Entry) (string, error) {
	return obj.Source.Kind, nil
}

// Path is the resolver for the path field.
func (r *reportTemplateResolver) Path(ctx context.Context, obj *report.Entry) (*string, error) {
	if obj.Source.Path == "" {
		return nil, nil
	}
	// The folder's name only: where it sits on the server is not the
	// caller's business.
	name := filepath.Base(obj.Source.Path)
	return &name, nil
}

// Version is the resolver for the version field.
func (r *reportTemplateResolver) Version(ctx context.Context, obj *report.Entry) (*int, error) {
	if obj.Source.Kind != "uploaded" {
		return nil, nil
	}
	return &obj.Source.Version, nil
}

// Townships is the resolver for the townships field.
func (r *reportTemplateResolver) Townships(ctx context.Context, obj *report.Entry) ([]string, error) {
	return obj.Source.Townships, nil
}

// Error is the resolver for the error field.
func (r *reportTemplateResolver) Error(ctx context.Context, obj *report.Entry) (*string, error) {
	if obj.Err == nil {
		return nil, nil
	}
	s := obj.Err.Error()
	return &s, nil
}

// Files is the resolver for the files field.
func (r *reportTemplateResolver) Files(ctx context.Context, obj *report.Entry) ([]*records.ReportFile, error) {
	if obj.Plugin == nil {
		return []*records.ReportFile{}, nil
	}
	return report.SortedFiles(obj.Plugin.Files), nil
}

// ReportParameter returns generated.ReportParameterResolver implementation.
func (r *Resolver) ReportParameter() generated.ReportParameterResolver {
	return &reportParameterResolver{r}
}

// ReportTemplate returns generated.ReportTemplateResolver implementation.
func (r *Resolver) ReportTemplate() generated.ReportTemplateResolver {
	return &reportTemplateResolver{r}
}

type (
	reportParameterResolver struct{ *Resolver }
	reportTemplateResolver  struct{ *Resolver }
)
