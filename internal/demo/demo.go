// Package demo loads a township's records from a readable YAML file through
// the same store collections the API writes with, so every rule applies.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/goccy/go-yaml"

	"renda/internal/records"
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
	Receptions  []records.Reception  `json:"receptions"`
	PointRules  []records.PointRules `json:"pointRules"`
	// Submissions are deputies' own, pending the office's 审核.
	Submissions []records.DutySubmission `json:"submissions"`

	Sessions           []records.CongressSession   `json:"sessions"`
	PresidiumMeetings  []records.PresidiumMeeting  `json:"presidiumMeetings"`
	LivelihoodProjects []records.LivelihoodProject `json:"livelihoodProjects"`
}

// DemoSuggestion is a suggestion with the status its handling has reached;
// Load walks it there through the workflow, as a clerk would.
type DemoSuggestion struct {
	records.Suggestion
	Status records.SuggestionStatus `json:"status"`
	// StepDays, when set, dates each workflow step this many days after
	// submission instead of the usual stepDays (a reply that came late).
	StepDays []int `json:"stepDays"`
	// FirstReply, when set, is the department's first reply to a
	// suggestion the deputy was 不满意 with: handled again, the reply
	// stored is Reply (the first is kept in the history).
	FirstReply string `json:"firstReply"`
}

// redoDays dates the round a 不满意 verdict starts, after that verdict:
// replied again in ten days, evaluated three days later.
var redoDays = [2]int{10, 13}

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

// Load stores every record of the dataset that is not stored yet, so it
// can run on every start and finishes a load that stopped half way: the
// township through Create, the rest kind by kind through the store's Bulk,
// which validates and checks references as Create does, in a few commands.
// It reports how many records it stored.
func Load(ctx context.Context, s *records.Store, d *Dataset) (int, error) {
	tid := d.Township.ID
	created, err := ensureAll(ctx, s.Townships, []*records.Township{&d.Township}, "")
	if err != nil {
		return created, err
	}
	sugs, err := walked(ctx, d.Suggestions, tid)
	if err != nil {
		return created, err
	}
	for _, load := range []func() (int, error){
		func() (int, error) { return s.Villages.Bulk(ctx, inTownship(d.Villages, tid)) },
		func() (int, error) { return s.Deputies.Bulk(ctx, inTownship(d.Deputies, tid)) },
		func() (int, error) { return s.Projects.Bulk(ctx, inTownship(d.Projects, tid)) },
		func() (int, error) { return s.Inspections.Bulk(ctx, inTownship(d.Inspections, tid)) },
		func() (int, error) { return s.Activities.Bulk(ctx, inTownship(d.Activities, tid)) },
		// Receptions before the suggestions made from their items, which
		// point at them; the items are linked back once both are stored.
		func() (int, error) { return s.Receptions.Bulk(ctx, unlinked(d.Receptions, tid)) },
		func() (int, error) { return s.Suggestions.Bulk(ctx, sugs) },
		func() (int, error) { return 0, linkReceptions(ctx, s, d.Receptions) },
		func() (int, error) { return s.PointRules.Bulk(ctx, inTownship(d.PointRules, tid)) },
		func() (int, error) { return s.Submissions.Bulk(ctx, inTownship(d.Submissions, tid)) },
		func() (int, error) { return s.Sessions.Bulk(ctx, inTownship(d.Sessions, tid)) },
		func() (int, error) { return s.PresidiumMeetings.Bulk(ctx, inTownship(d.PresidiumMeetings, tid)) },
		func() (int, error) { return s.LivelihoodProjects.Bulk(ctx, inTownship(d.LivelihoodProjects, tid)) },
	} {
		n, err := load()
		created += n
		if err != nil {
			return created, err
		}
	}
	return created, nil
}

// inTownship points at xs, placed in township tid.
func inTownship[T any, PT interface {
	*T
	GetMeta() *records.Meta
}](xs []T, tid string) []PT {
	out := make([]PT, len(xs))
	for i := range xs {
		out[i] = PT(&xs[i])
		out[i].GetMeta().Township = tid
	}
	return out
}

// walked returns the suggestions at their statuses, as a clerk's handling
// would have taken them there: submitted on the day they were submitted,
// each step a few days after the one before (stepDays, or the record's
// own).
func walked(ctx context.Context, list []DemoSuggestion, tid string) ([]*records.Suggestion, error) {
	by := records.ActorFrom(ctx).ID
	out := make([]*records.Suggestion, 0, len(list))
	for i := range list {
		ds := &list[i]
		steps, err := path(ds.Status)
		if err != nil {
			return nil, err
		}
		days := stepDays[:]
		if len(ds.StepDays) > 0 {
			if len(ds.StepDays) < len(steps) {
				return nil, fmt.Errorf("demo suggestion %q: stepDays has %d days for %d steps", ds.ID, len(ds.StepDays), len(steps))
			}
			days = ds.StepDays
		}
		x := &ds.Suggestion
		x.Township = tid
		x.OnCreate(by, x.Submitted.Time())
		final, class, verdict := x.Reply, x.ReplyClass, x.Satisfaction
		if ds.FirstReply != "" {
			x.Reply = ds.FirstReply
		}
		after := 0 // days the round after a 不满意 verdict took
		for j, to := range steps {
			day := days[j]
			if to == records.CLOSED {
				day = max(day, days[j-1]+after+1)
			}
			if err := x.Move(to, "", by, x.Submitted.Time().AddDate(0, 0, day)); err != nil {
				return nil, fmt.Errorf("demo suggestion %q to %s: %w", ds.ID, ds.Status, err)
			}
			if to != records.EVALUATED || x.Status != records.REOPENED {
				continue
			}
			// 不满意 reopened it: the department handles it again.
			x.Reply, x.ReplyClass, x.Satisfaction = final, class, verdict
			for k, again := range []records.SuggestionStatus{records.REPLIED, records.EVALUATED} {
				if err := x.Move(again, "", by, x.Submitted.Time().AddDate(0, 0, day+redoDays[k])); err != nil {
					return nil, fmt.Errorf("demo suggestion %q handled again, to %s: %w", ds.ID, again, err)
				}
			}
			after = redoDays[1]
		}
		out = append(out, x)
	}
	return out, nil
}

// stepDays dates the n-th workflow step after submission: accepted in two
// days, assigned within a week, replied within a month, and so on.
var stepDays = [...]int{2, 5, 25, 35, 40}

// ensureAll creates those of xs that do not exist yet, in township tid.
func ensureAll[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], xs []PT, tid string) (int, error) {
	missing, err := missingOnly(ctx, c, xs, tid)
	if err != nil {
		return 0, err
	}
	for i, x := range missing {
		if tid != "" {
			x.GetMeta().Township = tid
		}
		if _, err := c.Create(ctx, x); err != nil {
			return i, fmt.Errorf("demo record %q: %w", x.GetMeta().ID, err)
		}
	}
	return len(missing), nil
}

// missingOnly returns those of xs whose id is not stored in township tid
// ("" for townships), asking once.
func missingOnly[T any, PT records.Record[T]](ctx context.Context, c records.Collection[T, PT], xs []PT, tid string) ([]PT, error) {
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = x.GetMeta().ID
	}
	have, err := c.GetIn(ctx, tid, ids)
	if err != nil {
		return nil, err
	}
	stored := map[string]bool{}
	for _, x := range have {
		stored[x.GetMeta().ID] = true
	}
	var missing []PT
	for _, x := range xs {
		if !stored[x.GetMeta().ID] {
			missing = append(missing, x)
		}
	}
	return missing, nil
}

// unlinked points at copies of the receptions in township tid whose items
// name no suggestion yet: the suggestions made from them are stored after
// them (they point at their reception), and linkReceptions links them.
func unlinked(xs []records.Reception, tid string) []*records.Reception {
	out := inTownship(xs, tid)
	for i, x := range out {
		c := *x
		c.Items = make([]records.ReceptionItem, len(x.Items))
		copy(c.Items, x.Items)
		for j := range c.Items {
			c.Items[j].SuggestionID = ""
		}
		out[i] = &c
	}
	return out
}

// linkReceptions sets, on the stored receptions, the suggestions their
// items became, where not set yet.
func linkReceptions(ctx context.Context, s *records.Store, xs []records.Reception) error {
	for _, x := range xs {
		links := map[string]string{}
		for _, it := range x.Items {
			if it.SuggestionID != "" {
				links[it.ID] = it.SuggestionID
			}
		}
		if len(links) == 0 {
			continue
		}
		stored, err := s.Receptions.Get(ctx, x.ID)
		if err != nil {
			return fmt.Errorf("demo reception %q: %w", x.ID, err)
		}
		todo := false
		for _, it := range stored.Items {
			todo = todo || links[it.ID] != "" && it.SuggestionID == ""
		}
		if !todo {
			continue
		}
		_, err = s.Receptions.Update(ctx, x.ID, nil, func(r *records.Reception) {
			for i := range r.Items {
				if id := links[r.Items[i].ID]; id != "" {
					r.Items[i].SuggestionID = id
				}
			}
		})
		if err != nil {
			return fmt.Errorf("demo reception %q: %w", x.ID, err)
		}
	}
	return nil
}
