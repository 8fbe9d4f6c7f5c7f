package bench_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"renda/internal/records"
	"renda/internal/sqlite"
	"renda/internal/storetest"
)

const deputies = 100

// seed fills a fresh store with a township, 15 villages, 100 deputies and
// one inspection per 10 deputies, and returns the township's id.
func seed(b *testing.B, s *records.Store) string {
	b.Helper()
	t, err := s.Townships.Create(bg, &records.Township{Name: "基准镇"})
	if err != nil {
		b.Fatal(err)
	}
	var villages []string
	for i := range 15 {
		v, err := s.Villages.Create(bg, &records.Village{Meta: records.Meta{Township: t.ID}, Name: fmt.Sprintf("村%02d", i)})
		if err != nil {
			b.Fatal(err)
		}
		villages = append(villages, v.ID)
	}
	var ids []string
	for i := range deputies {
		d, err := s.Deputies.Create(bg, &records.Deputy{Meta: records.Meta{Township: t.ID}, Name: fmt.Sprintf("代表%03d", i),
			Levels: []records.Level{records.TOWNSHIP}, VillageID: villages[i%15]})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	for i := 0; i < deputies; i += 10 {
		if _, err := s.Inspections.Create(bg, &records.Inspection{Meta: records.Meta{Township: t.ID}, Topic: fmt.Sprintf("视察%d", i),
			Date: records.DateSpan{Date: "2023-07-11", Precision: records.DEKAD}, ParticipantIDs: ids[i : i+10]}); err != nil {
			b.Fatal(err)
		}
	}
	return t.ID
}

// BenchmarkNestedDeputies: 100 deputies with their village and the
// inspections they took part in, through the whole API (HTTP handler,
// resolvers, loaders) on each store, and on SQLite by hand (floor): three
// statements, decoding, joining in Go and JSON encoding.
func BenchmarkNestedDeputies(b *testing.B) {
	for _, be := range backends() {
		b.Run(string(be), func(b *testing.B) {
			var s *records.Store
			var sq *sqlite.Store
			if be == storetest.SQLite {
				sq = storetest.MustSQLite(b)
				s = sq.Records()
			} else {
				s = storetest.MustOpenOn(b, be)
			}
			township := seed(b, s)
			h := newAPI(s)
			body, _ := json.Marshal(map[string]any{
				"query":     `query($t: ID) { deputies(township: $t, first: 100) { nodes { id name village { id name } inspections { id topic date { text } } } } }`,
				"variables": map[string]any{"t": township},
			})
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("query failed: %s", rec.Body.String())
				}
			}
			if sq != nil {
				reportFloor(b, nil, func() { floorNested(b, sq, township) })
			}
		})
	}
}

func floorNested(b *testing.B, sq *sqlite.Store, township string) {
	db := sq.DB()
	deps := rawDocs[records.Deputy](b, db, `SELECT doc FROM deputies WHERE township = ? ORDER BY "k_nameKey", id LIMIT 101`, township)
	var vids, dids []string
	for _, d := range deps {
		vids = append(vids, d.VillageID)
		dids = append(dids, d.ID)
	}
	in, args := inArgs(vids)
	villages := rawDocs[records.Village](b, db, `SELECT doc FROM villages WHERE township = ? AND id IN (`+in+`)`, append([]any{township}, args...)...)
	in, args = inArgs(dids)
	inspections := rawDocs[records.Inspection](b, db, `SELECT doc FROM inspections WHERE township = ? AND EXISTS
		(SELECT 1 FROM json_each(inspections.doc, '$.participantIds') j WHERE j.value IN (`+in+`)) ORDER BY "k_date_date", id`,
		append([]any{township}, args...)...)
	villageByID := map[string]*records.Village{}
	for _, v := range villages {
		villageByID[v.ID] = v
	}
	byDeputy := map[string][]map[string]any{}
	for _, x := range inspections {
		for _, p := range x.ParticipantIDs {
			byDeputy[p] = append(byDeputy[p], map[string]any{"id": x.ID, "topic": x.Topic, "date": map[string]any{"text": x.Date.Text()}})
		}
	}
	out := make([]map[string]any, len(deps))
	for i, d := range deps {
		v := villageByID[d.VillageID]
		out[i] = map[string]any{"id": d.ID, "name": d.Name, "village": map[string]any{"id": v.ID, "name": v.Name}, "inspections": byDeputy[d.ID]}
	}
	if _, err := json.Marshal(map[string]any{"data": map[string]any{"deputies": map[string]any{"nodes": out}}}); err != nil {
		b.Fatal(err)
	}
}
