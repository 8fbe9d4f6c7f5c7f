package records

import "context"

// MaxFigureRecords bounds the records a figure computed outside the
// database (counts over reception items, a points ledger) reads at once.
const MaxFigureRecords = 20000

// FindAll reads every record q selects, page after page, in the kind's
// default order unless q says otherwise. More than max records is
// EINVALID: the caller narrows the question (a year, a township).
func FindAll[T any, PT Record[T]](ctx context.Context, c Collection[T, PT], q Query, max int) ([]PT, error) {
	q.First, q.After = MaxPageSize, ""
	var out []PT
	for {
		p, err := c.Find(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, x := range p.Items {
			out = append(out, PT(x))
		}
		if len(out) > max {
			return nil, Invalidf("filter", "this asks for more than %d records; narrow it (a township, a year)", max)
		}
		if !p.HasNextPage || len(p.Cursors) == 0 {
			return out, nil
		}
		q.After = p.Cursors[len(p.Cursors)-1]
	}
}
