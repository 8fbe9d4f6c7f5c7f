package graph

import (
	"context"
	"renda/graph/generated"
	"renda/graph/model"
	"renda/internal/changes"
	"renda/internal/records"
)

// Changes is the resolver for the changes field.
func (r *subscriptionResolver) Changes(ctx context.Context, townships []string, kinds []model.RecordKind) (<-chan []*model.Change, error) {
	// changesGuard (changes.go) checked the arguments and listens.
	in, ok := ctx.Value(listenKey{}).(<-chan []changes.Change)
	if !ok {
		return nil, records.Errorf(records.EINTERNAL, "the subscription was not started")
	}
	out := make(chan []*model.Change, 1)
	go func() {
		defer close(out)
		for cs := range in {
			batch := make([]*model.Change, 0, len(cs))
			for _, c := range cs {
				if k, ok := apiKindOf(c.Kind); ok {
					batch = append(batch, &model.Change{Township: c.Township, Kind: k, At: c.At})
				}
			}
			if len(batch) == 0 {
				continue
			}
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Subscription returns generated.SubscriptionResolver implementation.
func (r *Resolver) Subscription() generated.SubscriptionResolver { return &subscriptionResolver{r} }

type subscriptionResolver struct{ *Resolver }
