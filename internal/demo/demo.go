// Package demo loads a township's records from a readable YAML file through
// the same store collections the API writes with, so every rule applies.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/goccy/go-yaml"

	"renda/internal/records"
	"renda/internal/store"
)

// Dataset is the shape of a demo file.
type Dataset struct {
	Township    records.Township     `json:"township"`
	Villages    []records.Village    `json:"villages"`
	Deputies    []records.Deputy     `json:"deputies"`
	Projects    []records.Project    `json:"projects"`
	Inspections []records.Inspection `json:"inspections"`
	Activities  []records.Activity   `json:"activities"`
	Suggestions []DemoSuggestion     `json:"suggestions"`
}

// DemoSuggestion is a suggestion with the status its handling has reached;
// Load walks it there through the workflow, as a clerk would.
type DemoSuggestion struct {
	records.Suggestion
	Status records.SuggestionStatus `json:"status"`
}

// workflow is the usual path of a suggestion, in order.
var workflow = []records.SuggestionStatus{records.SUBMITTED, records.ACCEPTED, records.ASSIGNED, records.REPLIED, records.EVALUATED, records.CLOSED}

// path returns the steps from SUBMITTED to status.
func path(status records.SuggestionStatus) ([]records.SuggestionStatus, error) {
	if status == "" || status == records.SUBMITTED {
		return nil, nil
	}
	if status == records.REJECTED {
		return []records.SuggestionStatus{records.REJECTED}, nil
	}
	for i, st := range workflow {
		if st == status {
			return workflow[1 : i+1], nil
		}
	}
	return nil, fmt.Errorf("demo data: a suggestion cannot be loaded at status %q", status)
}

// Parse decodes a dataset strictly: an unknown key is an error, so a typo
// in the file cannot silently drop a fact.
func Parse(src []byte) (*Dataset, error) {
	var tree any
	if err := yaml.Unmarshal(src, &tree); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	js, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var d Dataset
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return &d, nil
}

// Load creates every record of the dataset that does not exist yet, so it
// can run on every start. It reports how many records it created.
func Load(ctx context.Context, s *store.Store, d *Dataset) (int, error) {
	created := 0
	tid := d.Township.ID
	if err := ensure(ctx, s.Townships, &d.Township, &created); err != nil {
		return created, err
	}
	for i := range d.Villages {
		d.Villages[i].Township = tid
		if err := ensure(ctx, s.Villages, &d.Villages[i], &created); err != nil {
			return created, err
		}
	}
	for i := range d.Deputies {
		d.Deputies[i].Township = tid
		if err := ensure(ctx, s.Deputies, &d.Deputies[i], &created); err != nil {
			return created, err
		}
	}
	for i := range d.Projects {
		d.Projects[i].Township = tid
		if err := ensure(ctx, s.Projects, &d.Projects[i], &created); err != nil {
			return created, err
		}
	}
	for i := range d.Inspections {
		d.Inspections[i].Township = tid
		if err := ensure(ctx, s.Inspections, &d.Inspections[i], &created); err != nil {
			return created, err
		}
	}
	for i := range d.Activities {
		d.Activities[i].Township = tid
		if err := ensure(ctx, s.Activities, &d.Activities[i], &created); err != nil {
			return created, err
		}
	}
	for i := range d.Suggestions {
		ds := &d.Suggestions[i]
		ds.Township = tid
		n := created
		if err := ensure(ctx, s.Suggestions, &ds.Suggestion, &created); err != nil {
			return created, err
		}
		if created == n {
			continue // it existed: its handling is wherever clerks took it
		}
		steps, err := path(ds.Status)
		if err != nil {
			return created, err
		}
		for _, to := range steps {
			if _, err := s.Suggestions.Modify(ctx, ds.ID, nil, func(x *records.Suggestion) error {
				return x.Move(to, "", records.ActorFrom(ctx).ID, time.Now().UTC().Truncate(time.Millisecond))
			}); err != nil {
				return created, fmt.Errorf("demo suggestion %q to %s: %w", ds.ID, to, err)
			}
		}
	}
	return created, nil
}

func ensure[T any, PT store.Record[T]](ctx context.Context, c *store.Collection[T, PT], x PT, created *int) error {
	id := x.GetMeta().ID
	if _, err := c.Get(ctx, id); err == nil {
		return nil
	} else if records.ErrorCode(err) != records.ENOTFOUND {
		return err
	}
	if _, err := c.Create(ctx, x); err != nil {
		return fmt.Errorf("demo record %q: %w", id, err)
	}
	*created++
	return nil
}
