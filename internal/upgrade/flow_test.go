package upgrade_test

import (
	"context"
	"database/sql"
	"log/slog"
	"testing"
	"time"

	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
	"renda/internal/upgrade"
)

// TestSuggestionFlow: a suggestion stored by a release before the handling
// flow (no replyDue, assignedOn, extended in the stored document) is
// invisible to a filter on its reply due; after the upgrade the filter
// finds it, with the deadline its history set, and a second run changes
// nothing.
func TestSuggestionFlow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, dir, sqlite.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	s := st.Records()
	storetest.MustTownships(t, s, "ta")
	storetest.MustCreate(t, ctx, s.Deputies, &records.Deputy{Meta: records.Meta{ID: "d1", Township: "ta"}, Name: "王芳", Levels: []records.Level{records.TOWNSHIP}})
	at := time.Date(2023, 3, 1, 9, 0, 0, 0, time.UTC)
	due := records.Date("2023-06-01")
	x := storetest.MustCreate(t, ctx, s.Suggestions, &records.Suggestion{Meta: records.Meta{Township: "ta"}, DeputyID: "d1", Kind: records.SUGGESTION, Title: "关于修路的建议", Submitted: "2023-02-20",
		Department: "镇交通办", Deadline: &due})
	x, err = s.Suggestions.Modify(ctx, x.ID, nil, func(x *records.Suggestion) error {
		if err := x.Move(records.ACCEPTED, "", "clerk", at); err != nil {
			return err
		}
		return x.Move(records.ASSIGNED, "", "clerk", at)
	})
	if err != nil {
		t.Fatal(err)
	}
	if x.ReplyDue == nil || *x.ReplyDue != due {
		t.Fatalf("as written today: reply due %v, want %s", x.ReplyDue, due)
	}

	// As an earlier release stored it.
	db, err := sql.Open("sqlite", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE suggestions SET doc = json_remove(doc, '$.replyDue', '$.assignedOn', '$.extended', '$.redos', '$.onTime')`); err != nil {
		t.Fatal(err)
	}
	dueFilter := records.Query{Filter: records.Expr{Cond: &records.Cond{Path: "replyDue", Op: records.OpEq, Value: string(due)}}}
	if n, err := s.Suggestions.Count(ctx, dueFilter); err != nil || n != 0 {
		t.Fatalf("before the upgrade, %d (%v) found by reply due; want 0 (the old document lacks it)", n, err)
	}

	if n, err := upgrade.SuggestionFlow(ctx, s); err != nil || n != 1 {
		t.Fatalf("upgraded %d (%v), want 1", n, err)
	}
	if n, err := s.Suggestions.Count(ctx, dueFilter); err != nil || n != 1 {
		t.Errorf("after the upgrade, %d (%v) found by reply due; want 1", n, err)
	}
	got := storetest.MustGet(t, s.Suggestions, x.ID)
	if got.AssignedOn == nil || *got.AssignedOn != "2023-03-01" || got.Department != "镇交通办" || got.Title != x.Title {
		t.Errorf("after the upgrade: assigned on %v, department %q, title %q", got.AssignedOn, got.Department, got.Title)
	}
	if n, err := upgrade.SuggestionFlow(ctx, s); err != nil || n != 0 {
		t.Errorf("a second run upgraded %d (%v), want none", n, err)
	}
}
