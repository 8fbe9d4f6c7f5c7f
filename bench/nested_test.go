// Package bench measures renda against hand-written equivalents on the same
// server. Run: go test -run '^$' -bench . -benchtime 50x ./bench/
package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/graph"
	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

const deputies = 100

// seed fills a fresh database with a township, 15 villages, 100 deputies
// and one inspection per 10 deputies, and returns the database name.
func seed(b *testing.B) (*store.Store, string, string) {
	b.Helper()
	var dbName string
	s := storetest.MustMongo(b, func(o *store.Options) { dbName = o.Database })
	ctx := context.Background()
	t, err := s.Townships.Create(ctx, &records.Township{Name: "基准镇"})
	if err != nil {
		b.Fatal(err)
	}
	var villages []string
	for i := range 15 {
		v, err := s.Villages.Create(ctx, &records.Village{Meta: records.Meta{Township: t.ID}, Name: fmt.Sprintf("村%02d", i)})
		if err != nil {
			b.Fatal(err)
		}
		villages = append(villages, v.ID)
	}
	var ids []string
	for i := range deputies {
		d, err := s.Deputies.Create(ctx, &records.Deputy{Meta: records.Meta{Township: t.ID}, Name: fmt.Sprintf("代表%03d", i),
			Levels: []records.Level{records.TOWNSHIP}, VillageID: villages[i%15]})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	for i := 0; i < deputies; i += 10 {
		if _, err := s.Inspections.Create(ctx, &records.Inspection{Meta: records.Meta{Township: t.ID}, Topic: fmt.Sprintf("视察%d", i),
			Date: records.DateSpan{Date: "2023-07-11", Precision: records.DEKAD}, ParticipantIDs: ids[i : i+10]}); err != nil {
			b.Fatal(err)
		}
	}
	return s, dbName, t.ID
}

// BenchmarkNestedDeputies_GraphQL: 100 deputies with village and
// inspections through the whole API (HTTP handler, resolvers, loaders).
func BenchmarkNestedDeputies_GraphQL(b *testing.B) {
	s, _, township := seed(b)
	h := graph.NewHandler(s.Records(), slog.New(slog.DiscardHandler))
	body, _ := json.Marshal(map[string]any{
		"query":     `query($t: ID) { deputies(township: $t, first: 100) { nodes { id name village { id name } inspections { id topic date { text } } } } }`,
		"variables": map[string]any{"t": township},
	})
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("query failed: %s", rec.Body.String())
		}
	}
}

// BenchmarkNestedDeputies_RawDriver: the same data by hand with the driver,
// three finds and JSON encoding, as a lower bound.
func BenchmarkNestedDeputies_RawDriver(b *testing.B) {
	s, _, township := seed(b)
	ctx := context.Background()
	coll := func(k records.Kind) *mongo.Collection { return s.Collection(k) }
	b.ResetTimer()
	for b.Loop() {
		var deps []bson.M
		cur, err := coll(records.KindDeputy).Find(ctx, bson.D{{Key: "township", Value: township}},
			options.Find().SetSort(bson.D{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(100))
		if err != nil || cur.All(ctx, &deps) != nil {
			b.Fatal(err)
		}
		var vids, dids bson.A
		for _, d := range deps {
			vids = append(vids, d["villageId"])
			dids = append(dids, d["_id"])
		}
		var villages, inspections []bson.M
		cur, err = coll(records.KindVillage).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: vids}}}})
		if err != nil || cur.All(ctx, &villages) != nil {
			b.Fatal(err)
		}
		cur, err = coll(records.KindInspection).Find(ctx, bson.D{{Key: "participantIds", Value: bson.D{{Key: "$in", Value: dids}}}})
		if err != nil || cur.All(ctx, &inspections) != nil {
			b.Fatal(err)
		}
		villageByID := map[any]bson.M{}
		for _, v := range villages {
			villageByID[v["_id"]] = v
		}
		out := make([]map[string]any, len(deps))
		for i, d := range deps {
			var ins []bson.M
			for _, x := range inspections {
				for _, p := range x["participantIds"].(bson.A) {
					if p == d["_id"] {
						ins = append(ins, bson.M{"id": x["_id"], "topic": x["topic"]})
					}
				}
			}
			v := villageByID[d["villageId"]]
			out[i] = map[string]any{"id": d["_id"], "name": d["name"], "village": bson.M{"id": v["_id"], "name": v["name"]}, "inspections": ins}
		}
		if _, err := json.Marshal(out); err != nil {
			b.Fatal(err)
		}
	}
}
