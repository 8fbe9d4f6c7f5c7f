package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestMain lets the test binary be a renda server of its own: a child
// process the durability test can kill with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("RENDA_TEST_CHILD") == "serve" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv("RENDA_TEST_ARGS")), &args); err != nil {
			os.Exit(2)
		}
		if err := run(context.Background(), append([]string{"serve"}, args...), slog.New(slog.DiscardHandler)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is a renda server in a process of its own, on the embedded store.
type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(tb testing.TB, data string) *child {
	tb.Helper()
	addr := freeAddr(tb)
	args, _ := json.Marshal([]string{"--addr", addr, "--data", data, "--mongodb-uri", ""})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RENDA_TEST_CHILD=serve", "RENDA_TEST_ARGS="+string(args))
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	c := &child{cmd: cmd, addr: addr}
	for range 300 {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	tb.Fatal("the server did not become ready")
	return nil
}

func (c *child) post(query string, vars map[string]any) (map[string]any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post("http://"+c.addr+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if len(r.Errors) > 0 || resp.StatusCode != 200 {
		return nil, fmt.Errorf("%d %v", resp.StatusCode, r.Errors)
	}
	return r.Data, nil
}

// kill ends the server as a power cut of the process would: SIGKILL, no
// chance to flush or close anything.
func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}

// TestDurability: writes acknowledged before the server is killed with
// SIGKILL, during concurrent writes, are all there after a restart on the
// same files. RENDA_SIGKILL_RUNS sets the rounds (3 by default):
// RENDA_SIGKILL_RUNS=20 go test ./cmd/renda -run TestDurability
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("RENDA_SIGKILL_RUNS")); err == nil && n > 0 {
		runs = n
	}
	data := t.TempDir()
	c := startChild(t, data)
	d, err := c.post(`mutation { createTownship(input: {name: "持久镇"}) { id } }`, nil)
	if err != nil {
		c.kill()
		t.Fatal(err)
	}
	town := d["createTownship"].(map[string]any)["id"].(string)
	acked := map[string]bool{}
	for run := range runs {
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					name := fmt.Sprintf("村%d-%d-%d", run, w, i)
					d, err := c.post(`mutation($t: ID!, $n: String!) { createVillage(input: {township: $t, name: $n}) { id } }`, map[string]any{"t": town, "n": name})
					if err != nil {
						return // the server is gone: this write was not acknowledged
					}
					mu.Lock()
					acked[d["createVillage"].(map[string]any)["id"].(string)] = true
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(300+run*97%500) * time.Millisecond)
		c.kill()
		close(stop)
		wg.Wait()

		c = startChild(t, data)
		found := map[string]bool{}
		after := ""
		for {
			d, err := c.post(`query($t: ID!, $a: String) { villages(township: $t, first: 500, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"t": town, "a": nullable(after)})
			if err != nil {
				c.kill()
				t.Fatal(err)
			}
			v := d["villages"].(map[string]any)
			for _, n := range v["nodes"].([]any) {
				found[n.(map[string]any)["id"].(string)] = true
			}
			pi := v["pageInfo"].(map[string]any)
			if pi["hasNextPage"] != true {
				break
			}
			after = pi["endCursor"].(string)
		}
		lost := 0
		for id := range acked {
			if !found[id] {
				lost++
			}
		}
		t.Logf("round %d: %d writes acknowledged in all, %d found after the restart, %d lost", run+1, len(acked), len(found), lost)
		if lost > 0 {
			c.kill()
			t.Fatalf("round %d: %d acknowledged writes lost after SIGKILL", run+1, lost)
		}
		// The audit chain is whole: an entry commits with its change.
		v, err := c.post(`{ auditVerification { ok chained problem } }`, nil)
		if err != nil || v["auditVerification"].(map[string]any)["ok"] != true {
			c.kill()
			t.Fatalf("round %d: the audit chain after SIGKILL: %v %v", run+1, v, err)
		}
	}
	c.kill()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
