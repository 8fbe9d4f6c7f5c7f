package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"renda/internal/analytics"
	"renda/internal/records"
)

// MaxCost bounds how much work one operation may ask for, counted before it
// runs. Every field costs 1; a list that reaches other records multiplies
// what it selects by the most items it can hold, so nested lists multiply
// and a query whose worst case is too large is refused before it runs:
//
//   - a connection: by first (default 50, at most 500);
//   - a relation list (a deputy's inspections, an inspection's participants
//     …): by its first (default 100, at most 500), since it answers an error
//     rather than more items;
//   - a duty record's lists: by MaxDutyItems, the most duty(year) returns;
//   - a list held inside a record (a deputy's voters, a voter's contacts):
//     by the most the record may hold, but only when what it selects reaches
//     other records (voters { village { … } }); plain values inside a record
//     are bounded by the record's size and cost 1 each.
//
// renderReport costs RenderCost. An aggregate (an XAggregate's count, sum
// and average together, each of its groupBy) and each dashboard figure
// costs AggregateCost besides: it reads a kind's records in every township
// it covers, as a page of the largest size would. A township's dashboard
// of five figures thus costs about 5 000, and townships(first: 50) {
// nodes { dashboard { … } } } fits while first: 100 does not: ask
// dashboard(townships: …) for several at once, one grouping per figure.
// A groupBy's groups multiply what they select by its first (default and
// at most analytics.MaxGroups: it answers every group or an error); a
// groups page, as a connection's nodes, by its first.
const MaxCost = 500_000

// AggregateCost is what one aggregate or dashboard figure costs.
const AggregateCost = 1000

// NestedAggregateCost is what an aggregate under a record (a deputy's
// suggestionsAggregate) costs each record: its figures are batched, a page
// of up to 100 records costing about one grouping; a groupBy or groups
// under it is its own grouping and costs AggregateCost.
const NestedAggregateCost = AggregateCost / 100

// aggregateTypes are the types whose fields each run a grouping.
var aggregateTypes = map[string]bool{
	"TownshipAggregate": true, "DeputyAggregate": true, "VillageAggregate": true, "ProjectAggregate": true,
	"InspectionAggregate": true, "ActivityAggregate": true, "SuggestionAggregate": true,
	"DeputyFigures": true, "MonthlyFigures": true, "ProjectFigures": true, "SuggestionFigures": true, "ValuableFigures": true,
}

// RenderCost is what one renderReport costs: four per request.
const RenderCost = MaxCost / 4

// recordTypes are the object types that are records: reaching one may read
// the database.
var recordTypes = map[string]bool{
	"Township": true, "Deputy": true, "Village": true, "Project": true,
	"Inspection": true, "Activity": true, "Suggestion": true, "DutyRecord": true,
}

// heldLists bound the lists held inside a record, by the record's own
// validation limits.
var heldLists = map[string]int{
	"Deputy.voters":            records.MaxVoters,
	"Voter.contacts":           records.MaxContacts,
	"DutyRecord.voterContacts": records.MaxVoters * records.MaxContacts,
	"DutyRecord.inspections":   MaxDutyItems,
	"DutyRecord.activities":    MaxDutyItems,
	"DutyRecord.suggestions":   MaxDutyItems,
}

// costLimit is a gqlgen extension that computes an operation's cost after
// validation and refuses it when it exceeds MaxCost.
type costLimit struct{}

var (
	_ graphql.HandlerExtension        = costLimit{}
	_ graphql.OperationContextMutator = costLimit{}
)

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	// A run in this process that reads pages larger than MaxPageSize (an
	// export, records.WithPageLimit) may cost what its pages stand for.
	c := &costWalker{vars: oc.Variables, memo: map[string]costOf{}, pageLimit: records.PageLimit(ctx)}
	cost, limit := c.set(op.SelectionSet).cost, MaxCost*records.PageScale(ctx)
	if cost > limit {
		err := gqlerror.Errorf("operation may cost up to %d, which exceeds the limit of %d: ask for fewer items (first) or fewer nested lists", cost, limit)
		errcode.Set(err, errcode.ValidationFailed)
		err.Extensions["limit"] = "COST"
		err.Extensions["cost"] = cost
		return err
	}
	return nil
}

// Cost validates query against the schema and computes what its (only)
// operation may cost with vars. Tests use it to check that the built-in
// reports' queries fit.
func (a *API) Cost(query string, vars map[string]any) (int, error) {
	doc, errs := gqlparser.LoadQuery(a.schema, query)
	if len(errs) > 0 {
		return 0, errs[0]
	}
	c := &costWalker{vars: vars, memo: map[string]costOf{}}
	return c.set(doc.Operations[0].SelectionSet).cost, nil
}

type costOf struct {
	cost    int
	reaches bool // selects a field that reaches other records
}

type costWalker struct {
	vars      map[string]any
	memo      map[string]costOf // by fragment name
	pageLimit int               // the largest page a connection may ask: records.PageLimit
}

// capCost keeps sums and products from overflowing; anything at the cap is
// refused anyway.
const capCost = 1 << 40

func mul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > capCost/b {
		return capCost
	}
	return a * b
}

func (c *costWalker) set(set ast.SelectionSet) costOf {
	var out costOf
	for _, sel := range set {
		var x costOf
		switch s := sel.(type) {
		case *ast.Field:
			x = c.field(s)
		case *ast.InlineFragment:
			x = c.set(s.SelectionSet)
		case *ast.FragmentSpread:
			if m, ok := c.memo[s.Name]; ok {
				x = m
			} else if s.Definition != nil {
				c.memo[s.Name] = costOf{} // a cycle (refused by validation) costs nothing
				x = c.set(s.Definition.SelectionSet)
				c.memo[s.Name] = x
			}
		}
		out.cost = min(out.cost+x.cost, capCost)
		out.reaches = out.reaches || x.reaches
	}
	return out
}

func (c *costWalker) field(f *ast.Field) costOf {
	if f.Definition == nil || f.Definition.Type == nil {
		return costOf{cost: 1}
	}
	if f.Name == "renderReport" {
		return costOf{cost: RenderCost, reaches: true}
	}
	child := c.set(f.SelectionSet)
	named := f.Definition.Type.Name()
	isList := f.Definition.Type.Elem != nil
	parent := ""
	if f.ObjectDefinition != nil {
		parent = f.ObjectDefinition.Name
	}
	reaches := child.reaches || recordTypes[named]
	extra := 0
	grouping := (f.Name == "groupBy" || f.Name == "groups") && aggregateTypes[parent]
	if aggregateTypes[named] || grouping {
		extra = AggregateCost
		if recordTypes[parent] {
			extra = NestedAggregateCost // batched: a page of records is one grouping
		}
	}
	n := 1
	switch {
	case strings.HasSuffix(parent, "Connection") || strings.HasSuffix(parent, "Edge"):
		// nodes and edges: counted by the connection's first
	case grouping && f.Name == "groupBy":
		n = c.first(f, analytics.MaxGroups, analytics.MaxGroups)
	case strings.HasSuffix(named, "Connection"):
		n = c.first(f, records.DefaultPageSize, max(c.pageLimit, records.MaxPageSize))
		reaches = true
	case isList && f.Definition.Arguments.ForName("first") != nil:
		n = c.first(f, DefaultRelationItems, MaxRelationItems)
	case isList && child.reaches:
		if held, ok := heldLists[parent+"."+f.Name]; ok {
			n = held
		} else {
			n = MaxRelationItems
		}
	}
	return costOf{cost: min(1+extra+mul(n, child.cost), capCost), reaches: reaches}
}

// first reads a field's first argument, with the default when it is not
// given and clamped to what the field would accept.
func (c *costWalker) first(f *ast.Field, def, most int) int {
	v, ok := f.ArgumentMap(c.vars)["first"]
	if !ok || v == nil {
		return def
	}
	switch n := v.(type) {
	case int64:
		return int(max(0, min(n, int64(most))))
	case int:
		return max(0, min(n, most))
	case float64:
		return int(max(0, min(n, float64(most))))
	}
	return def
}
