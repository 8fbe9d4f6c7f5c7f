package mongo_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// TestRederive: records stored before Derive filled a field (here the
// half-year, the headcount, a suggestion's replies, a deputy's voterCount) get it at the next
// start, their versions unchanged.
func TestRederive(t *testing.T) {
	{
		s := storetest.MustMongo(t)
		ctx := context.Background()
		tw, vs := MustTownship(t, s)
		d, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: tw.ID}, Name: "王", Levels: []records.Level{records.TOWNSHIP},
			Voters: []records.Voter{{Name: "甲"}, {Name: "乙"}}})
		if err != nil {
			t.Fatal(err)
		}
		x, err := s.Inspections.Create(ctx, &records.Inspection{Meta: records.Meta{Township: tw.ID}, Topic: "视察",
			Date: records.DateSpan{Date: "2023-09-11", Precision: records.DAY}, ParticipantIDs: []string{d.ID}, VillageIDs: []string{vs[0].ID},
			OtherParticipants: []records.Headcount{{Kind: "村民", Count: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		sg, err := s.Suggestions.Create(ctx, &records.Suggestion{Meta: records.Meta{Township: tw.ID}, DeputyID: d.ID, Kind: records.SUGGESTION, Title: "修路", Submitted: "2023-08-01"})
		if err != nil {
			t.Fatal(err)
		}
		// As an older renda stored them.
		for kind, unset := range map[records.Kind]bson.D{
			records.KindInspection: {{Key: "date.half", Value: ""}, {Key: "participantCount", Value: ""}},
			records.KindSuggestion: {{Key: "half", Value: ""}, {Key: "quarter", Value: ""}},
			records.KindDeputy:     {{Key: "voterCount", Value: ""}},
		} {
			if _, err := s.Collection(kind).UpdateMany(ctx, bson.D{}, bson.D{{Key: "$unset", Value: unset}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Unmark(store.DerivedMarker); err != nil {
			t.Fatal(err)
		}
		again, err := store.Open(ctx, storetest.URI(t), store.Options{Database: s.Name(), SerializeWrites: true})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close(ctx)
		gotX, err := again.Inspections.Get(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gotX.Date.Half != 2 || gotX.ParticipantTotal != 4 || gotX.Version != x.Version {
			t.Fatalf("inspection half %d, participants %d, version %d: want 2, 4, %d", gotX.Date.Half, gotX.ParticipantTotal, gotX.Version, x.Version)
		}
		gotS, err := again.Suggestions.Get(ctx, sg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gotS.Half != 2 || gotS.Quarter != 3 || gotS.Version != sg.Version {
			t.Fatalf("suggestion half %d quarter %d version %d: want 2, 3, %d", gotS.Half, gotS.Quarter, gotS.Version, sg.Version)
		}
		gotD, err := again.Deputies.Get(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gotD.VoterCount != 2 || gotD.Version != d.Version {
			t.Fatalf("deputy voterCount %d version %d: want 2, %d", gotD.VoterCount, gotD.Version, d.Version)
		}
		n, err := again.Inspections.Count(ctx, records.Query{Filter: records.Expr{Cond: &records.Cond{Path: "date.half", Op: records.OpEq, Value: 2}}})
		if err != nil || n != 1 {
			t.Fatalf("inspections of 下半年: %d (%v), want 1", n, err)
		}
	}
}
