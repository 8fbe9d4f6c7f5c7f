package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renda/graph"
	"renda/internal/records"
	"renda/internal/report"
	"renda/reports"
)

// TestPersonalNumbers: a deputy's phone and their voters' contacts, read
// through the API — the deputy, the list, the record's history — are
// whole for the editors and admins of the township and masked (3+4) for
// viewers, whether of the township or of the county.
func TestPersonalNumbers(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	id := f.Deputies[0]
	c.MustDo(`mutation($id: ID!) { updateDeputy(id: $id, input: {phone: "13812345678", voters: [{name: "李大山", contact: "139-8765-4321"}]}) { id } }`,
		map[string]any{"id": id}, nil)
	c.MustDo(`mutation($id: ID!) { updateDeputy(id: $id, input: {occupation: "农民"}) { id } }`, map[string]any{"id": id}, nil)

	const query = `query($id: ID!, $t: ID!) {
		deputy(id: $id) { phone voters { contact } }
		deputies(township: $t) { nodes { phone voters { contact } } }
		history(id: $id) { action before after }
	}`
	for _, tc := range []struct {
		name  string
		actor records.Actor
		whole bool
	}{
		{"TownshipViewer", records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{f.Township}}, false},
		{"CountyViewer", records.Actor{ID: "user:cv", Role: records.Viewer}, false},
		{"TownshipEditor", records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{f.Township}}, true},
		{"TownshipAdmin", records.Actor{ID: "user:a", Role: records.Admin, Townships: []string{f.Township}}, true},
		{"CountyEditor", records.Actor{ID: "user:ce", Role: records.Editor}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.doCtx(records.WithActor(context.Background(), tc.actor), query, map[string]any{"id": id, "t": f.Township})
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			var out struct {
				Deputy   deputyNumbers
				Deputies struct{ Nodes []deputyNumbers }
				History  []struct {
					Action        string
					Before, After *deputyNumbers
				}
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			phone, contact := "138****5678", "139-****-4321"
			if tc.whole {
				phone, contact = "13812345678", "139-8765-4321"
			}
			seen := []deputyNumbers{out.Deputy}
			seen = append(seen, out.Deputies.Nodes...)
			for _, h := range out.History {
				if h.After != nil && h.After.Phone != "" {
					seen = append(seen, *h.After)
				}
				if h.Before != nil && h.Before.Phone != "" {
					seen = append(seen, *h.Before)
				}
			}
			if len(seen) < 4 { // the deputy, the list, after the phone was set, before and after the second change
				t.Fatalf("read %d copies of the deputy, want 4 or more: %s", len(seen), r.Data)
			}
			for i, d := range seen {
				if d.Phone != phone || len(d.Voters) != 1 || d.Voters[0].Contact != contact {
					t.Fatalf("copy %d reads phone %q, contacts %+v; want %q and %q", i, d.Phone, d.Voters, phone, contact)
				}
			}
			if !tc.whole && (strings.Contains(string(r.Data), "13812345678") || strings.Contains(string(r.Data), "8765")) {
				t.Fatalf("a whole number is in the answer: %s", r.Data)
			}
		})
	}
}

type deputyNumbers struct {
	Phone  string
	Voters []struct{ Contact string }
}

// TestPersonalNumbersInReports: a report runs its query as the reader, so a
// viewer's document — rendered by renderReport or downloaded from
// /reports/{id} — shows phones and voters' contacts masked, and an
// editor's shows them whole. The plugin prints both; the built-in roster
// asks for phones too.
func TestPersonalNumbersInReports(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 1)
	c.MustDo(`mutation($id: ID!) { updateDeputy(id: $id, input: {phone: "13812345678", voters: [{name: "李大山", contact: "13987654321"}]}) { id } }`,
		map[string]any{"id": f.Deputies[0]}, nil)
	phones := []map[string]any{
		{"name": "manifest.yaml", "content": "id: phones\ntitle: 联系电话\nparameters:\n  - {name: township, type: ID, required: true}\nformats: [MARKDOWN, XLSX]\n"},
		{"name": "query.graphql", "content": "query($township: ID!) { deputies(township: $township) { nodes { name phone voters { name contact } } } }"},
		{"name": "report.md.tmpl", "content": "| 姓名 | 电话 | 选民电话 |\n|---|---|---|\n{{ range .data.deputies.nodes }}| {{ .name }} | {{ .phone }} | {{ range .voters }}{{ .contact }}{{ end }} |\n{{ end }}"},
	}
	c.MustDo(saveQuery, map[string]any{"id": "phones", "files": phones}, nil)

	reg := report.NewRegistry(report.RegistryConfig{Schema: c.h.(*graph.API), Logger: slog.New(slog.DiscardHandler), Builtin: reports.FS, Store: c.s.Reports})
	download := report.Handler(reg, slog.New(slog.DiscardHandler))
	mux := http.NewServeMux()
	mux.Handle("GET /reports/{id}", download)

	for _, tc := range []struct {
		name  string
		actor records.Actor
		whole bool
	}{
		{"Viewer", records.Actor{ID: "user:v", Role: records.Viewer, Townships: []string{f.Township}}, false},
		{"Editor", records.Actor{ID: "user:e", Role: records.Editor, Townships: []string{f.Township}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := records.WithActor(context.Background(), tc.actor)
			phone, contact := "138****5678", "139****4321"
			if tc.whole {
				phone, contact = "13812345678", "13987654321"
			}
			r := c.doCtx(ctx, renderQuery, map[string]any{"t": "phones", "p": map[string]any{"township": f.Township}})
			var out rendered
			if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
				t.Fatalf("renderReport: %+v %s", r.Errors, r.Data)
			}
			// Record text reaches Markdown escaped: the mask's asterisks are
			// literal, never emphasis.
			md := strings.NewReplacer("*", `\*`)
			if want := "| 代表000 | " + md.Replace(phone) + " | " + md.Replace(contact) + " |"; !strings.Contains(out.R.Content, want) {
				t.Fatalf("renderReport gives %q, want the row %q", out.R.Content, want)
			}

			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/reports/phones?format=xlsx&township="+f.Township, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /reports/phones: %d %s", rec.Code, rec.Body.String())
			}
			x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := x.GetRows(x.GetSheetList()[0])
			if len(rows) < 2 || len(rows[1]) < 3 || rows[1][1] != phone || rows[1][2] != contact {
				t.Fatalf("the downloaded XLSX holds %q, want the phone %q and the contact %q", rows, phone, contact)
			}

			r = c.doCtx(ctx, renderQuery, map[string]any{"t": "deputy-roster", "p": map[string]any{"township": f.Township}})
			if len(r.Errors) > 0 || !strings.Contains(string(r.Data), "代表000") {
				t.Fatalf("deputy-roster: %+v %s", r.Errors, r.Data)
			}
			if !tc.whole && strings.Contains(string(r.Data), "13812345678") {
				t.Fatalf("the roster a viewer renders holds the whole phone: %s", r.Data)
			}
		})
	}
}
