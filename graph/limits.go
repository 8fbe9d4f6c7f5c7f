package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits on the text of a query, checked before gqlgen parses and validates
// it, so that the cost of validation (quadratic in the fields of a selection
// set, for the overlapping-fields rule) is bounded by a small constant.
//
// graphql-armor's defaults are 1000 tokens, depth 6, 15 aliases and 50
// directives. renda's queries are deeper and longer than a typical app's:
// a connection adds two levels (nodes or edges.node), the annual summary's
// query has 12 aliased lists and about 700 tokens, and an analyst's query
// may name many fields. The limits below admit every built-in report query
// with room to spare and keep the worst accepted query's validation in the
// low milliseconds (TestQueryLimits measures it).
const (
	MaxQueryBytes  = 64 << 10 // the query text
	MaxQueryTokens = 8000     // lexer tokens
	MaxQueryDepth  = 15       // nested selection sets, fragments expanded
	MaxAliases     = 40       // aliased fields in the whole document
	MaxDirectives  = 50       // directives in the whole document
	// MaxFlatFields bounds the fields of the operation with every fragment
	// spread expanded: what validation and execution actually walk.
	MaxFlatFields = 1000
)

// queryLimits is a gqlgen extension that refuses queries over the limits
// before they are parsed by gqlgen, validated or run.
type queryLimits struct {
	checked *lru.LRU[struct{}] // queries that passed, so a repeat costs a lookup
}

func newQueryLimits() *queryLimits { return &queryLimits{checked: lru.New[struct{}](1000)} }

var (
	_ graphql.HandlerExtension          = (*queryLimits)(nil)
	_ graphql.OperationParameterMutator = (*queryLimits)(nil)
)

func (*queryLimits) ExtensionName() string                   { return "QueryLimits" }
func (*queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (l *queryLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if _, ok := l.checked.Get(ctx, p.Query); ok {
		return nil
	}
	if err := CheckQueryText(p.Query); err != nil {
		return err
	}
	l.checked.Add(ctx, p.Query, struct{}{})
	return nil
}

// CheckQueryText checks a query's size, tokens, depth, aliases, directives
// and expanded fields. Its errors are validation failures (the request is
// at fault) with extensions.reason naming the limit.
func CheckQueryText(query string) *gqlerror.Error {
	if len(query) > MaxQueryBytes {
		return limitError("QUERY_TOO_LARGE", "the query is %d bytes; at most %d KiB are accepted", len(query), MaxQueryBytes>>10)
	}
	if query == "" {
		return nil // gqlgen answers "no operation provided"
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, MaxQueryTokens)
	if err != nil {
		if gerr, ok := err.(*gqlerror.Error); ok {
			errcode.Set(gerr, errcode.ParseFailed)
			return gerr
		}
		return limitError("QUERY_UNPARSABLE", "the query cannot be parsed")
	}
	w := &shapeWalker{fragments: map[string]*ast.FragmentDefinition{}, memo: map[string]shape{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		w.fragments[f.Name] = f
	}
	var total shape
	var aliases, directives int
	for _, op := range doc.Operations {
		total = total.add(w.selections(op.SelectionSet))
		a, d := written(op.SelectionSet)
		aliases, directives = aliases+a, directives+d+len(op.Directives)
	}
	for _, f := range doc.Fragments {
		a, d := written(f.SelectionSet)
		aliases, directives = aliases+a, directives+d+len(f.Directives)
	}
	switch {
	case total.depth > MaxQueryDepth:
		return limitError("QUERY_TOO_DEEP", "the query nests %d levels deep; at most %d are accepted", total.depth, MaxQueryDepth)
	case aliases > MaxAliases:
		return limitError("TOO_MANY_ALIASES", "the query has %d aliases; at most %d are accepted", aliases, MaxAliases)
	case directives > MaxDirectives:
		return limitError("TOO_MANY_DIRECTIVES", "the query has %d directives; at most %d are accepted", directives, MaxDirectives)
	case total.fields > MaxFlatFields:
		return limitError("TOO_MANY_FIELDS", "the query selects %d fields with its fragments expanded; at most %d are accepted", total.fields, MaxFlatFields)
	}
	return nil
}

func limitError(reason, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, errcode.ValidationFailed)
	err.Extensions["limit"] = reason
	return err
}

// shape is what the limits count in a selection set with its fragment
// spreads expanded.
type shape struct{ depth, fields int }

func (s shape) add(o shape) shape {
	return shape{depth: max(s.depth, o.depth), fields: min(s.fields+o.fields, saturate)}
}

// saturate is where field counts stop growing, far above any limit.
const saturate = 1 << 40

// shapeWalker measures selection sets with fragment spreads expanded; a
// fragment is measured once (memo), so a document that spreads fragments
// exponentially is measured in linear time and refused by its field count.
type shapeWalker struct {
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]shape
	visiting  map[string]bool
}

func (w *shapeWalker) selections(set ast.SelectionSet) shape {
	var s shape
	for _, sel := range set {
		var child shape
		switch x := sel.(type) {
		case *ast.Field:
			child = w.selections(x.SelectionSet)
			if len(x.SelectionSet) > 0 {
				child.depth++
			}
			child.fields = min(child.fields+1, saturate)
		case *ast.InlineFragment:
			child = w.selections(x.SelectionSet)
		case *ast.FragmentSpread:
			child = w.spread(x.Name)
		}
		s = s.add(child)
	}
	return s
}

func (w *shapeWalker) spread(name string) shape {
	if s, ok := w.memo[name]; ok {
		return s
	}
	f, ok := w.fragments[name]
	if !ok || w.visiting[name] {
		// Unknown fragments and cycles are validation errors gqlgen reports.
		return shape{}
	}
	w.visiting[name] = true
	s := w.selections(f.SelectionSet)
	w.visiting[name] = false
	w.memo[name] = s
	return s
}

// written counts the aliases and directives as written in a selection set,
// without expanding fragment spreads: each is counted once for the document.
func written(set ast.SelectionSet) (aliases, directives int) {
	for _, sel := range set {
		var a, d int
		switch x := sel.(type) {
		case *ast.Field:
			if x.Alias != "" && x.Alias != x.Name {
				a = 1
			}
			a2, d2 := written(x.SelectionSet)
			a, d = a+a2, d2+len(x.Directives)
		case *ast.InlineFragment:
			a, d = written(x.SelectionSet)
			d += len(x.Directives)
		case *ast.FragmentSpread:
			d = len(x.Directives)
		}
		aliases, directives = aliases+a, directives+d
	}
	return aliases, directives
}
