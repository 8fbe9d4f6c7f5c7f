package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// TestChangesSSE: a dashboard subscribed over SSE hears, within a second,
// that another client created a village, and which township and kind;
// without asking again.
func TestChangesSSE(t *testing.T) {
	c := MustClient(t)
	srv := MustServer(t, c)
	f := MustFixture(c, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := subscribe(t, ctx, srv, `subscription($t: [ID!]) { changes(townships: $t) { township kind at } }`, map[string]any{"t": []string{f.Township}})
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("subscribe: %d %s", res.StatusCode, ct)
	}
	events := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- data
			}
		}
		close(events)
	}()
	time.Sleep(300 * time.Millisecond) // the feed starts listening
	start := time.Now()
	c.create("Village", map[string]any{"township": f.Township, "name": "新村"})
	select {
	case ev := <-events:
		var got struct {
			Data struct {
				Changes []struct{ Township, Kind, At string }
			}
		}
		if err := json.Unmarshal([]byte(ev), &got); err != nil || len(got.Data.Changes) != 1 || got.Data.Changes[0].Township != f.Township || got.Data.Changes[0].Kind != "VILLAGE" || got.Data.Changes[0].At == "" {
			t.Fatalf("event %s (%v), want one change of the township's villages", ev, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("heard after %v, want within a second", took)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no event within two seconds of the write")
	}
}

// subscribe opens a subscription over SSE.
func subscribe(t *testing.T, ctx context.Context, srv *httptest.Server, query string, vars map[string]any) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestChangesRefused: a subscription names only townships the caller
// sees and kinds the trail tells of.
func TestChangesRefused(t *testing.T) {
	c := MustClient(t)
	srv := MustServer(t, c)
	res := subscribe(t, context.Background(), srv, `subscription { changes(townships: ["nowhere"]) { township } }`, nil)
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	if !strings.Contains(buf.String(), "NOT_FOUND") {
		t.Errorf("a subscription to an unknown township: %s", buf.String())
	}
}

// TestETag: a GET query answers with an ETag; sent back, it gets 304
// until the data changes.
func TestETag(t *testing.T) {
	c := MustClient(t)
	srv := MustServer(t, c)
	f := MustFixture(c, 4)
	q := srv.URL + "?query=" + url.QueryEscape(`query($t: ID!) { villages(township: $t) { nodes { name } } }`) + "&variables=" + url.QueryEscape(`{"t":"`+f.Township+`"}`)
	get := func(tag string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, q, nil)
		req.Header.Set("Accept", "application/json")
		if tag != "" {
			req.Header.Set("If-None-Match", tag)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		res.Body.Close()
		return res, b.String()
	}
	first, body := get("")
	tag := first.Header.Get("ETag")
	if first.StatusCode != http.StatusOK || tag == "" || !strings.Contains(body, "villages") {
		t.Fatalf("first GET: %d, ETag %q, %s", first.StatusCode, tag, body)
	}
	if again, body := get(tag); again.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("GET with its ETag: %d %q, want 304 and no body", again.StatusCode, body)
	}
	c.create("Village", map[string]any{"township": f.Township, "name": "新村"})
	changed, body := get(tag)
	if changed.StatusCode != http.StatusOK || changed.Header.Get("ETag") == tag || !strings.Contains(body, "新村") {
		t.Errorf("GET after a new village: %d, ETag %q (was %q), %s", changed.StatusCode, changed.Header.Get("ETag"), tag, body)
	}
}

// TestChangesWebSocket: the same over WebSocket (graphql-transport-ws),
// and a page of another site may not open one.
func TestChangesWebSocket(t *testing.T) {
	c := MustClient(t)
	srv := MustServer(t, c)
	f := MustFixture(c, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http")
	if _, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"},
		HTTPHeader: http.Header{"Origin": {"http://attacker.example"}}}); err == nil {
		t.Error("a WebSocket from another site's page was accepted")
	}
	conn, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(v any) {
		if err := wsjson.Write(ctx, conn, v); err != nil {
			t.Fatal(err)
		}
	}
	var msg struct {
		Type    string
		Payload json.RawMessage
	}
	send(map[string]any{"type": "connection_init"})
	if err := wsjson.Read(ctx, conn, &msg); err != nil || msg.Type != "connection_ack" {
		t.Fatalf("init: %+v %v", msg, err)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `subscription { changes(kinds: [DEPUTY]) { township kind } }`}})
	time.Sleep(300 * time.Millisecond)
	c.create("Deputy", map[string]any{"township": f.Township, "name": "李四", "levels": []string{"TOWNSHIP"}})
	for {
		if err := wsjson.Read(ctx, conn, &msg); err != nil {
			t.Fatalf("no change heard: %v", err)
		}
		if msg.Type == "next" {
			break
		}
	}
	if !strings.Contains(string(msg.Payload), `"kind":"DEPUTY"`) || !strings.Contains(string(msg.Payload), f.Township) {
		t.Errorf("change heard: %s", msg.Payload)
	}
}
