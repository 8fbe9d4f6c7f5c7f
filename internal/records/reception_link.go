package records

import (
	"context"
	"strings"
)

// SuggestFromReception turns item itemID of reception receptionID into
// the suggestion x, linked both ways: the suggestion names its reception
// item, the item its suggestion (and the route SUGGESTION). x gives the
// deputy and kind; its title, content, voter and day default to the
// item's summary, its visitor and today. Both writes are one transaction
// where the store has them; on a store without (MongoDB), a failure to
// link the item deletes the suggestion just made. An item that already
// became a suggestion is CONFLICT.
func (s *Store) SuggestFromReception(ctx context.Context, receptionID, itemID string, x *Suggestion) (*Suggestion, *Reception, error) {
	r, err := s.Receptions.Get(ctx, receptionID)
	if err != nil {
		return nil, nil, err
	}
	it := r.Item(itemID)
	if it == nil {
		return nil, nil, &Error{Code: ENOTFOUND, Field: "itemId", Message: "reception " + receptionID + " has no item " + itemID}
	}
	if it.SuggestionID != "" {
		return nil, nil, alreadyLinked(itemID, it.SuggestionID)
	}
	x.Township, x.ReceptionID, x.ReceptionItemID = r.Township, r.ID, itemID
	if strings.TrimSpace(x.Title) == "" {
		x.Title = headline(it.Summary, 40)
	}
	if strings.TrimSpace(x.Content) == "" {
		x.Content = it.Summary
	}
	if x.VoterName == "" {
		x.VoterName = it.VisitorName
	}
	if x.Submitted == "" {
		x.Submitted = Today()
	}
	var made *Suggestion
	var linked *Reception
	err = s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if made, err = s.Suggestions.Create(ctx, x); err != nil {
			return Prefix("input", err)
		}
		linked, err = s.Receptions.Modify(ctx, r.ID, nil, func(r *Reception) error {
			it := r.Item(itemID)
			switch {
			case it == nil:
				return &Error{Code: ENOTFOUND, Field: "itemId", Message: "reception " + receptionID + " has no item " + itemID}
			case it.SuggestionID != "":
				return alreadyLinked(itemID, it.SuggestionID)
			}
			route := TO_SUGGESTION
			it.SuggestionID, it.Route = made.ID, &route
			return nil
		})
		if err != nil {
			// Rolled back with the transaction on SQLite; undone here on
			// MongoDB, whose writes are not grouped.
			_, _ = s.Suggestions.Delete(ctx, made.ID, nil)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return made, linked, nil
}

func alreadyLinked(itemID, suggestionID string) error {
	return Errorf(ECONFLICT, "item %s already became suggestion %s", itemID, suggestionID)
}

// headline is the first n characters of text's first line, with … when cut.
func headline(text string, n int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	rs := []rune(strings.TrimSpace(line))
	if len(rs) <= n {
		return string(rs)
	}
	return string(rs[:n]) + "…"
}
