package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// spaces is an endless reader of JSON whitespace that allocates nothing,
// so the clients' bodies cost the test process no heap.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// edgeServer runs `renda serve` in this process on a fresh data folder
// holding an admin's API key (so the server does not run open: a caller
// without credentials is anonymous) and a township, with the extra flags.
// It returns the server's address, the key and the township's id.
func edgeServer(t *testing.T, flags ...string) (addr, key, township string) {
	t.Helper()
	data := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	var out bytes.Buffer
	if err := credentialsCmd(context.Background(), "keys", []string{"create", "--name", "导入", "--role", "admin", "--data", data, "--mongodb-uri", ""}, nil, &out, log); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key = lines[len(lines)-1]
	addr = freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr, "--data", data, "--mongodb-uri", ""}, flags...), log)
	}()
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	for range 300 {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	code, d, errs := postGraphQL(t, addr, key, `mutation { createTownship(input: {name: "甲镇", county: "测试县"}) { id } }`, nil)
	if code != 200 || errs != "" {
		t.Fatalf("createTownship: %d %s", code, errs)
	}
	return addr, key, d["createTownship"].(map[string]any)["id"].(string)
}

// postGraphQL posts a query with the key ("" for none); it returns the
// status and the errors' codes and messages.
func postGraphQL(t *testing.T, addr, key, query string, vars map[string]any) (int, map[string]any, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   map[string]any
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&r)
	var errs []string
	for _, e := range r.Errors {
		errs = append(errs, e.Extensions["code"].(string)+": "+e.Message)
	}
	return resp.StatusCode, r.Data, strings.Join(errs, "; ")
}

// bigPost is a POST to /graphql of a body of n bytes: a JSON object with
// the query (and the variables) first, then spaces. With chunked, it says
// no length.
func bigPost(addr, key, query string, vars map[string]any, n int64, chunked bool) *http.Request {
	head, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	head = head[:len(head)-1] // the closing brace goes after the spaces
	body := io.MultiReader(bytes.NewReader(head), io.LimitReader(spaces{}, n-int64(len(head))-1), strings.NewReader("}"))
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", body)
	req.ContentLength = n
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return req
}

// TestAnonymousFlood is row 1 of issue 17: 60 callers without credentials
// each POST 19 MiB at once. Every one is refused (413) before its body is
// read; the server's heap stays small and /healthz answers within a
// second throughout; a signed-in import of 19 MiB sent meanwhile is served.
func TestAnonymousFlood(t *testing.T) {
	addr, key, township := edgeServer(t)
	const size = 19 << 20
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	stop := make(chan struct{})
	var peak atomic.Uint64
	var watchers sync.WaitGroup
	watchers.Go(func() { // the process's heap, every 10 ms
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	var slowest atomic.Int64
	var probes, failed atomic.Int32
	watchers.Go(func() { // /healthz, one after another
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		for {
			start := time.Now()
			resp, err := c.Get("http://" + addr + "/healthz")
			took := time.Since(start)
			probes.Add(1)
			if err != nil || resp.StatusCode != 200 {
				failed.Add(1)
			}
			if err == nil {
				resp.Body.Close()
			}
			if int64(took) > slowest.Load() {
				slowest.Store(int64(took))
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})

	const attackers = 60
	statuses := make([]int, attackers)
	errs := make([]error, attackers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range attackers {
		wg.Go(func() {
			<-start
			statuses[i], errs[i] = attack(addr, size)
		})
	}
	// Meanwhile a signed-in import as large: a roster, padded to 19 MiB.
	var imported string
	wg.Go(func() {
		<-start
		roster := base64.StdEncoding.EncodeToString([]byte("姓名,出生年月,代表层级\n赵一,1970.01,镇级\n钱二,1971.02,镇级\n"))
		req := bigPost(addr, key, `mutation($t: ID!, $c: String!) { importRoster(input: {township: $t, kind: DEPUTIES, content: $c}) { created } }`,
			map[string]any{"t": township, "c": roster}, size, false)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			imported = err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		imported = string(b)
	})
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	time.Sleep(100 * time.Millisecond) // a last probe and sample after the attack
	close(stop)
	watchers.Wait()

	for i := range attackers {
		if statuses[i] != http.StatusRequestEntityTooLarge {
			t.Errorf("attacker %d: status %d, error %v; want 413", i, statuses[i], errs[i])
		}
	}
	heapPeak := int64(peak.Load()) >> 20
	t.Logf("%d attackers × %d MiB refused in %v; heap %d MiB before, peak %d MiB; /healthz %d probes, slowest %v",
		attackers, size>>20, took.Round(time.Millisecond), base.HeapInuse>>20, heapPeak, probes.Load(), time.Duration(slowest.Load()).Round(time.Millisecond))
	if heapPeak > 600 {
		t.Errorf("heap peaked at %d MiB, want under 600", heapPeak)
	}
	if failed.Load() > 0 || time.Duration(slowest.Load()) > time.Second || probes.Load() < 2 {
		t.Errorf("/healthz: %d of %d probes failed, slowest %v; want every one within a second", failed.Load(), probes.Load(), time.Duration(slowest.Load()))
	}
	if !strings.Contains(imported, `"created":2`) {
		t.Errorf("the signed-in import of %d MiB answered %.300s; want 2 created", size>>20, imported)
	}
}

// attack sends a POST of size bytes without credentials as a client
// bent on it does: it writes its headers, then the body without waiting,
// and reads the answer meanwhile. It returns the answer's status.
func attack(addr string, size int64) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	head := "POST /graphql HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: " + strconv.FormatInt(size, 10) + "\r\n\r\n"
	go func() {
		if _, err := io.WriteString(conn, head); err == nil {
			_, _ = io.Copy(conn, io.LimitReader(spaces{}, size)) // until the server closes
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// rawPost sends a POST to /graphql saying a body of length bytes, and then
// only body (nothing when the server must answer before reading); it
// returns the answer.
func rawPost(t *testing.T, addr, key string, length int64, body []byte) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	head := "POST /graphql HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: " + strconv.FormatInt(length, 10) + "\r\n"
	if key != "" {
		head += "Authorization: Bearer " + key + "\r\n"
	}
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		t.Fatal(err)
	}
	_, _ = conn.Write(body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b
}

// do sends req and returns its status, its Retry-After and its body.
func do(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
}

// TestBodyBounds: a caller without credentials sends at most 16 KiB (a
// login fits), a signed-in one up to 20 MiB, within the budget of bodies
// in flight (--body-budget, here 1 MiB). Each bound: just under is
// served, just over refused before the body is read.
func TestBodyBounds(t *testing.T) {
	addr, key, _ := edgeServer(t, "--body-budget", "1MiB")
	const login = `mutation { login(username: "admin", password: "not the password") { id } }`
	const query = `{ townships { totalCount } }`
	t.Run("Anonymous", func(t *testing.T) {
		for _, chunked := range []bool{false, true} {
			code, _, body := do(t, bigPost(addr, "", login, nil, 16<<10, chunked))
			if code != 200 || !strings.Contains(body, "UNAUTHENTICATED") {
				t.Errorf("a login of 16 KiB (chunked %v): %d %.200s; want it run (a wrong password)", chunked, code, body)
			}
			code, _, body = do(t, bigPost(addr, "", login, nil, 16<<10+1, chunked))
			if code != 413 || !strings.Contains(body, "limit of 16384 bytes (16 KiB) for a caller without credentials: sign in") {
				t.Errorf("a login of 16 KiB + 1 (chunked %v): %d %.300s; want 413 naming the bound", chunked, code, body)
			}
		}
		// Refused on its length alone: the answer comes with no body sent.
		resp, body := rawPost(t, addr, "", 16<<10+1, nil)
		if resp.StatusCode != 413 || !strings.Contains(string(body), `"code":"BAD_USER_INPUT"`) || !strings.Contains(string(body), `"limit":"BODY_SIZE"`) {
			t.Errorf("16 KiB + 1 announced: %d %s; want 413 BAD_USER_INPUT, limit BODY_SIZE", resp.StatusCode, body)
		}
	})
	t.Run("SignedIn", func(t *testing.T) {
		resp, b := rawPost(t, addr, key, 20<<20+1, nil)
		if resp.StatusCode != 413 || !strings.Contains(string(b), "limit of 20971520 bytes (20 MiB)") {
			t.Errorf("a signed-in body of 20 MiB + 1: %d %s; want 413 naming 20 MiB", resp.StatusCode, b)
		}
	})
	t.Run("Budget", func(t *testing.T) {
		code, _, body := do(t, bigPost(addr, key, query, nil, 1<<20, false))
		if code != 200 || !strings.Contains(body, `"totalCount":1`) {
			t.Errorf("a signed-in body of 1 MiB, the whole budget: %d %.200s; want it served", code, body)
		}
		resp, b := rawPost(t, addr, key, 1<<20+1, nil)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), `"limit":"BODY_BUDGET"`) {
			t.Errorf("a signed-in body of 1 MiB + 1: %d Retry-After %q %s; want 503 with Retry-After before the body is sent", resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
	})
}
