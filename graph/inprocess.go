package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/go-json-experiment/json/jsontext"
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

// decodeData reads the answer's data for templates: objects as maps,
// lists as []any, whole numbers as int and others as float64, so a
// template compares a count with len or a literal without type errors.
func decodeData(b []byte) (map[string]any, error) {
	d := jsontext.NewDecoder(bytes.NewReader(b))
	v, err := decodeValue(d)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("data is not an object")
	}
	return m, nil
}

func decodeValue(d *jsontext.Decoder) (any, error) {
	t, err := d.ReadToken()
	if err != nil {
		return nil, err
	}
	switch t.Kind() {
	case '{':
		m := map[string]any{}
		for d.PeekKind() != '}' {
			k, err := d.ReadToken()
			if err != nil {
				return nil, err
			}
			key := k.String() // read before the decoder moves on
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		_, err := d.ReadToken()
		return m, err
	case '[':
		l := []any{}
		for d.PeekKind() != ']' {
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := d.ReadToken()
		return l, err
	case '"':
		return t.String(), nil
	case '0':
		if n, err := strconv.ParseInt(t.String(), 10, 64); err == nil {
			return int(n), nil
		}
		return t.Float(), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("unexpected %v", t.Kind())
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
