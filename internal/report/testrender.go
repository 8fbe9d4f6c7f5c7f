package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"renda/internal/records"
	"renda/internal/report/document"
)

// testRender renders an upload before it is saved: the query with the
// given test parameters (else the manifest's defaults, else sample values:
// the first township the caller may see, the current year), the template,
// and the conversion to every format the manifest offers. A failure of the
// plugin's own (its template, its document, its time) refuses the upload;
// a failure of the query on sample values says nothing about the plugin,
// and the upload is saved (every render stays bounded at any rate).
func (r *Registry) testRender(ctx context.Context, p *Plugin, given map[string]any) error {
	params := map[string]any{}
	for k, v := range given {
		params[k] = v
	}
	for _, prm := range p.Manifest.Parameters {
		if _, ok := params[prm.Name]; ok || prm.Default != nil || !prm.Required {
			continue
		}
		params[prm.Name] = r.sample(ctx, prm)
	}
	vars, err := p.Manifest.Params(params)
	if err != nil {
		return records.Prefix("testParams", records.Invalidf(strings.TrimPrefix(records.ErrorField(err), "params."), "%s", records.ErrorMessage(err)))
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	data, err := r.schema.Run(ctx, p.Query, vars)
	if err != nil {
		r.log.InfoContext(ctx, "test render of an upload skipped: its query failed on the test parameters", "id", p.Manifest.ID, "code", records.ErrorCode(err))
		return nil
	}
	md, _, _, err := p.execute(ctx, vars, data)
	if missing(err) != nil {
		r.log.InfoContext(ctx, "test render of an upload skipped: the record its parameters name is missing", "id", p.Manifest.ID)
		return nil
	}
	if err != nil {
		return records.Invalidf("files", "the upload fails its test render: %v", asFileError(err))
	}
	for _, f := range p.Manifest.Formats {
		if ctx.Err() != nil {
			break
		}
		// A document too large is the template's doing; other failures
		// (XLSX of a document without tables) depend on the data.
		var le *document.LimitError
		if _, err := convert(md, f); errors.As(err, &le) {
			return records.Invalidf("files", "the upload fails its test render as %s: %v", f, err)
		}
	}
	if ctx.Err() != nil {
		return records.Invalidf("files", "the upload's test render takes longer than %v", p.timeout)
	}
	return nil
}

// sample is a value for a required parameter the uploader gave no test
// value for.
func (r *Registry) sample(ctx context.Context, p Param) any {
	switch p.Type {
	case ParamInt:
		if strings.Contains(strings.ToLower(p.Name), "year") {
			return time.Now().Year()
		}
		return 1
	case ParamFloat:
		return 1.0
	case ParamBoolean:
		return false
	case ParamDate:
		return time.Now().Format(time.DateOnly)
	case ParamID:
		if strings.Contains(strings.ToLower(p.Name), "township") {
			data, err := r.schema.Run(ctx, `{ townships(first: 1) { nodes { id } } }`, nil)
			if err == nil {
				if ts, ok := data["townships"].(map[string]any); ok {
					if nodes, ok := ts["nodes"].([]any); ok && len(nodes) > 0 {
						if n, ok := nodes[0].(map[string]any); ok {
							return fmt.Sprint(n["id"])
						}
					}
				}
			}
		}
	}
	return "sample"
}
