package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// hasDashboard asks the server's schema whether it offers the dashboard
// figures (issue 11's aggregate API).
func hasDashboard(tb testing.TB, srv *Server) bool {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": `{ __type(name: "Dashboard") { name } }`})
	res, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data struct {
			Type *struct{ Name string } `json:"__type"`
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		tb.Fatal(err)
	}
	return out.Data.Type != nil
}

// TestConsoleDashboard is done-when 3: the dashboard of the demo township
// draws each of its charts, with data.
func TestConsoleDashboard(t *testing.T) {
	srv := MustServer(t, false)
	if !hasDashboard(t, srv) {
		t.Fatal("the API has no dashboard figures (type Dashboard, issue 11): the dashboard cannot draw")
	}
	b := MustBrowser(t, srv)
	b.Go("/dashboard")
	charts := []string{"deputiesByLevel", "deputiesByGroup", "monthly", "projectsByStatus", "suggestionHandling", "suggestionRates", "roadKm"}
	b.WaitJS(`!!document.querySelector('[data-kpi=deputies]') && !!window.__rendaCharts && Object.keys(window.__rendaCharts).length >= 7`, "the dashboard's charts")
	if n := Eval[int](b, `document.querySelectorAll('[data-test=dashboard-error]').length`); n != 0 {
		t.Fatalf("the dashboard shows an error: %s", b.Text(`[data-test=dashboard-error]`))
	}
	if y := Eval[int](b, `Number(document.querySelector('[data-test=dashboard-year] input').value)`); y != 2023 {
		t.Errorf("the dashboard opened on %d, want 2023, the demo's latest year", y)
	}
	b.Shot("dashboard")
	for _, name := range charts {
		// A chart drew when its instance holds series with data and its
		// canvas has ink on it.
		got := Eval[map[string]any](b, `(() => {
		  const c = window.__rendaCharts[`+jsString(name)+`];
		  if (!c) return {missing: true};
		  const o = c.getOption();
		  const points = o.series.reduce((n, s) => n + (s.data || []).filter((d) => (typeof d === 'object' ? d.value : d) > 0).length, 0);
		  const cv = c.getDom().querySelector('canvas');
		  let ink = 0;
		  if (cv) { const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; for (let i = 3; i < px.length; i += 4) if (px[i]) ink++; }
		  return {points, ink, series: o.series.length};
		})()`)
		if got["missing"] == true {
			t.Errorf("chart %s: not on the page", name)
			continue
		}
		if p, _ := got["points"].(float64); p < 1 {
			t.Errorf("chart %s: no data point above zero (%v)", name, got)
		}
		if ink, _ := got["ink"].(float64); ink < 100 {
			t.Errorf("chart %s: its canvas is blank (%v)", name, got)
		}
	}
	kpi := b.Text(`[data-kpi=deputies]`)
	if strings.TrimSpace(kpi) == "0" {
		t.Errorf("deputies: %q, want the demo's roster counted", kpi)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestConsoleDashboardLive is the analysts' done-when 4: the dashboard on
// the console hears a change made by another client and shows the new
// figure within a second, without polling (no request from the page
// between the changes).
func TestConsoleDashboardLive(t *testing.T) {
	srv := MustServer(t, false)
	b := MustBrowser(t, srv)
	b.Go("/dashboard")
	b.WaitJS(`!!document.querySelector('[data-kpi=deputies]')`, "the dashboard's figures")
	before := strings.TrimSpace(b.Text(`[data-kpi=deputies]`))
	requests := func() int {
		return Eval[int](b, `performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).length`)
	}
	time.Sleep(1500 * time.Millisecond) // listening, and quiet
	quiet := requests()
	time.Sleep(2 * time.Second)
	if n := requests(); n != quiet {
		t.Errorf("the page made %d requests to /graphql in two quiet seconds: it polls", n-quiet)
	}
	// Another client adds a deputy to the township.
	body, _ := json.Marshal(map[string]any{"query": `mutation { createDeputy(input: {township: "qps", name: "新代表", levels: [TOWNSHIP]}) { id } }`})
	start := time.Now()
	res, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	b.WaitJS(`!!document.querySelector('[data-test=dashboard-updated]') && document.querySelector('[data-kpi=deputies]').textContent.trim() !== `+jsString(before), "the new deputy counted")
	if took := time.Since(start); took > time.Second {
		t.Errorf("the dashboard showed the change after %v, want within a second", took)
	}
	after := strings.TrimSpace(b.Text(`[data-kpi=deputies]`))
	if n, m := atoi(before), atoi(after); m != n+1 {
		t.Errorf("deputies %q then %q, want one more", before, after)
	}
	b.Shot("dashboard-live")
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}
