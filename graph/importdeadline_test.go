package graph_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"renda/graph"
	"renda/internal/importer/xlsxtest"
	"renda/internal/records"
	"renda/internal/server"
	"renda/internal/storetest"
)

// importServer is the whole HTTP stack (server.Handler: the request's
// deadline, the GraphQL transport, the API) over a fresh store holding one
// township, with requests bounded by timeout.
func importServer(t *testing.T, timeout time.Duration) (url string, api *graph.API, s *records.Store) {
	t.Helper()
	s = storetest.MustOpen(t)
	if _, err := s.Townships.Create(context.Background(), &records.Township{Meta: records.Meta{ID: "t1"}, Name: "甲镇", County: "测试县"}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	api = graph.New(s, log)
	ts := httptest.NewServer(server.Handler(server.Config{GraphQL: api, Ping: s.Ping, Metrics: server.NewMetrics(), Logger: log, RequestTimeout: timeout}))
	t.Cleanup(ts.Close)
	return ts.URL, api, s
}

// importOver posts an import of file; it returns the first error's code
// and message ("" when none) and the rows created.
func importOver(t *testing.T, url string, file []byte) (code, msg string, created int) {
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($c: String!) { importRoster(input: {township: "t1", kind: DEPUTIES, content: $c, atomic: true}) { created } }`,
		"variables": map[string]any{"c": base64.StdEncoding.EncodeToString(file)},
	})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return "", "", 0
	}
	defer resp.Body.Close()
	var out struct {
		Data   struct{ ImportRoster struct{ Created int } }
		Errors []gqlError
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Error(err)
	}
	if len(out.Errors) > 0 {
		return out.Errors[0].Extensions.Code, out.Errors[0].Message, 0
	}
	return "", "", out.Data.ImportRoster.Created
}

func deputiesIn(t *testing.T, s *records.Store) int {
	t.Helper()
	n, err := s.Deputies.Count(context.Background(), records.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportDeadline: with --request-timeout 2s, the import of a
// workbook that takes many seconds to read answers TIMEOUT at its
// deadline, and an atomic import writes nothing.
func TestImportDeadline(t *testing.T) {
	url, _, s := importServer(t, 2*time.Second)
	bomb := xlsxtest.Bomb(4, 16_000_000)
	start := time.Now()
	code, msg, _ := importOver(t, url, bomb)
	took := time.Since(start)
	t.Logf("answered after %v: %s", took, msg)
	if code != "TIMEOUT" || !strings.Contains(msg, "没有写入任何记录") {
		t.Fatalf("got %s %q, want TIMEOUT saying nothing was written", code, msg)
	}
	if took > 4*time.Second { // generous: about 2 s is expected
		t.Errorf("answered %v after it was sent, its deadline 2 s", took)
	}
	if n := deputiesIn(t, s); n != 0 {
		t.Errorf("%d deputies stored, want none", n)
	}
}

// TestImportTurns: imports take turns, two at a time. Three at once: two
// run and one waits; each stops at its deadline. An import that gets no
// turn before its deadline is TIMEOUT and reads and writes nothing; once
// a turn is free it runs.
func TestImportTurns(t *testing.T) {
	url, api, s := importServer(t, 2*time.Second)
	slots := api.Imports()
	if slots.Size() != 2 {
		t.Fatalf("%d imports at once, want 2", slots.Size())
	}
	t.Run("ThreeAtOnce", func(t *testing.T) {
		bomb := xlsxtest.Bomb(4, 16_000_000)
		var wg sync.WaitGroup
		codes := make([]string, 3)
		for i := range codes {
			wg.Go(func() { codes[i], _, _ = importOver(t, url, bomb) })
		}
		seen := false
		for end := time.Now().Add(2 * time.Second); time.Now().Before(end) && !seen; time.Sleep(5 * time.Millisecond) {
			seen = slots.Running() == 2 && slots.Waiting() == 1
		}
		wg.Wait()
		if !seen {
			t.Errorf("never saw two imports running and one waiting")
		}
		for i, c := range codes {
			if c != "TIMEOUT" {
				t.Errorf("import %d: %q, want TIMEOUT", i, c)
			}
		}
		if slots.Running() != 0 || slots.Waiting() != 0 {
			t.Errorf("%d running, %d waiting after all answered", slots.Running(), slots.Waiting())
		}
	})
	t.Run("ErrNoTurn", func(t *testing.T) {
		roster := []byte("姓名,出生年月,代表层级\n赵一,1970.01,镇级\n钱二,1971.02,镇级\n")
		r1, err1 := slots.Acquire(context.Background())
		r2, err2 := slots.Acquire(context.Background())
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		start := time.Now()
		code, msg, _ := importOver(t, url, roster)
		took := time.Since(start)
		if code != "TIMEOUT" || !strings.Contains(msg, "同时最多 2 个") {
			t.Fatalf("an import while two run: %s %q, want TIMEOUT naming the limit", code, msg)
		}
		if took < 2*time.Second {
			t.Errorf("answered after %v: it should wait for a turn until its deadline (2 s)", took)
		}
		if n := deputiesIn(t, s); n != 0 {
			t.Fatalf("%d deputies stored by an import that had no turn", n)
		}
		r1()
		if code, msg, created := importOver(t, url, roster); code != "" || created != 2 {
			t.Fatalf("with a turn free: %s %q, %d created; want 2", code, msg, created)
		}
		r2()
	})
}
