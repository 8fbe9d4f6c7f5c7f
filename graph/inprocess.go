package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/internal/records"
	"renda/internal/report"
)

// Check validates a report plugin's query against the schema: it must be
// one query operation (reports read, they never write) and valid. It
// returns the query's variables with their types ("Int!").
func (a *API) Check(query string) (map[string]string, error) {
	doc, errs := gqlparser.LoadQuery(a.schema, query)
	if len(errs) > 0 {
		return nil, queryError(errs[0])
	}
	if len(doc.Operations) != 1 {
		return nil, &report.FileError{Msg: "hold exactly one operation, the query the report reads"}
	}
	op := doc.Operations[0]
	if op.Operation != ast.Query {
		return nil, &report.FileError{Line: op.Position.Line, Col: op.Position.Column, Msg: "a report only reads: use a query, not a " + string(op.Operation)}
	}
	if f := forbiddenField(op.SelectionSet); f != nil {
		return nil, &report.FileError{Line: f.Position.Line, Col: f.Position.Column,
			Msg: fmt.Sprintf("a report's query cannot ask for %s: reports read records, not other reports or the schema", f.Name)}
	}
	vars := map[string]string{}
	for _, v := range op.VariableDefinitions {
		vars[v.Variable] = v.Type.String()
	}
	return vars, nil
}

// reportFields are the fields a report's query may not use: a report that
// renders reports could render itself without end.
var reportFields = map[string]bool{"renderReport": true, "reportTemplates": true, "reportTemplate": true, "reportTemplateVersions": true}

// forbiddenField finds a report field or an introspection field (other
// than __typename) anywhere in the selection, fragments included.
func forbiddenField(set ast.SelectionSet) *ast.Field {
	for _, sel := range set {
		var sub ast.SelectionSet
		switch x := sel.(type) {
		case *ast.Field:
			if reportFields[x.Name] || (strings.HasPrefix(x.Name, "__") && x.Name != "__typename") {
				return x
			}
			sub = x.SelectionSet
		case *ast.InlineFragment:
			sub = x.SelectionSet
		case *ast.FragmentSpread:
			if x.Definition != nil {
				sub = x.Definition.SelectionSet
			}
		}
		if f := forbiddenField(sub); f != nil {
			return f
		}
	}
	return nil
}

func queryError(e *gqlerror.Error) error {
	fe := &report.FileError{Msg: e.Message}
	if len(e.Locations) > 0 {
		fe.Line, fe.Col = e.Locations[0].Line, e.Locations[0].Column
	}
	return fe
}

// Run executes query in-process with vars, as the caller in ctx, with the
// same loaders, complexity limit and error mapping as /graphql. The first
// error fails the run with its code, so a report never renders on data
// that is partly missing.
func (a *API) Run(ctx context.Context, query string, vars map[string]any) (map[string]any, error) {
	ctx = WithLoaders(detached{ctx}, a.store)
	ctx = context.WithValue(ctx, inReportKey{}, true)
	ctx = graphql.StartOperationTrace(ctx)
	rc, errs := a.exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if len(errs) > 0 {
		return nil, runError(errs[0])
	}
	handler, ctx := a.exec.DispatchOperation(ctx, rc)
	resp := handler(ctx)
	if resp == nil {
		return nil, records.Errorf(records.EINTERNAL, "the query was cancelled")
	}
	if len(resp.Errors) > 0 {
		return nil, runError(resp.Errors[0])
	}
	data, err := decodeData(resp.Data)
	if err != nil {
		return nil, records.Errorf(records.EINTERNAL, "internal error")
	}
	return data, nil
}

type inReportKey struct{}

// inReport reports whether ctx is a report's own query running.
func inReport(ctx context.Context) bool { v, _ := ctx.Value(inReportKey{}).(bool); return v }

// runError maps a presented GraphQL error back to renda's error, naming the
// query's path in the message so the plugin's author can find it.
func runError(e *gqlerror.Error) error {
	code, _ := e.Extensions["code"].(string)
	for rc, gc := range codes {
		if gc == code {
			msg := e.Message
			if p := e.Path.String(); p != "" {
				msg = "query " + p + ": " + msg
			}
			err := records.Errorf(rc, "%s", msg)
			if f, ok := e.Extensions["field"].(string); ok {
				err.Field = "query." + f
			}
			return err
		}
	}
	if code == errcode.ValidationFailed || code == errcode.ParseFailed || code == "" && len(e.Locations) > 0 { // variables, or the query, at fault
		return records.Errorf(records.EINVALID, "%s", e.Message)
	}
	return errors.New(e.Message)
}

// detached is the caller's context (its deadline, its actor) without the
// GraphQL operation it may be running in, so a report's query runs as an
// operation of its own and its error paths start at its own root.
type detached struct{ context.Context }

func (d detached) Value(key any) any {
	v := d.Context.Value(key)
	switch v.(type) {
	case *graphql.FieldContext, *graphql.OperationContext, *graphql.RootFieldContext:
		return nil
	}
	return v
}
