package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
)

// freeAddr returns a loopback address nobody listens on.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServe starts the real binary's serve with the demo on the embedded
// store, asks the README's first question, downloads a report, and stops
// it as SIGINT would. Then it renders reports from the command line on
// the same data, as a clerk would without a server.
func TestServe(t *testing.T) {
	addr := freeAddr(t)
	data := t.TempDir()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--data", data, "--mongodb-uri", ""}, slog.New(slog.DiscardHandler))
	}()
	var resp *http.Response
	var err error
	sawLoading := false
	for range 600 { // the demo loads while the server listens: allow a minute
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			if resp.StatusCode == http.StatusOK {
				break
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			sawLoading = sawLoading || strings.Contains(string(b), "loading the demo township")
			err = fmt.Errorf("readyz answers %d", resp.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("seen answering while the demo loaded: %v", sawLoading)
	if err != nil {
		t.Fatalf("server never became ready: %v", err)
	}
	resp.Body.Close()

	q := `{"query":"{ deputies(township: \"qps\", first: 100) { totalCount nodes { name village { name } } } }"}`
	resp, err = http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(q))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"village":{"name":"二十九号村"}`) || strings.Contains(string(body), `"errors"`) {
		t.Fatalf("first query answered %s, want deputies with their villages", body)
	}

	resp, err = http.Get("http://" + addr + "/reports/annual-summary?format=docx&township=qps&year=2023")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != 200 || !strings.HasPrefix(cd, "attachment;") ||
		!strings.Contains(cd, "filename*=utf-8''"+url.PathEscape("棋盘山镇2023年度工作总结.docx")) || !bytes.HasPrefix(body, []byte("PK")) {
		t.Fatalf("GET /reports/annual-summary: %d, Content-Disposition %q, %d bytes; want a DOCX attachment named 棋盘山镇2023年度工作总结.docx", resp.StatusCode, cd, len(body))
	}
	resp, err = http.Get("http://" + addr + "/reports/annual-summary?format=docx&township=qps")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.HasPrefix(string(body), "params.year:") {
		t.Fatalf("report without its year: %d %q, want 400 naming params.year", resp.StatusCode, body)
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after the stop signal, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of the signal")
	}

	t.Run("ReportRender", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "summary.md")
		args := []string{"render", "annual-summary", "--data", data, "--mongodb-uri", "", "--param", "township=qps", "--param", "year=2023", "--format", "md", "-o", out}
		if err := reportCmd(context.Background(), args, io.Discard, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		md, _ := os.ReadFile(out)
		if !strings.Contains(string(md), "总里程长达60多公里") {
			t.Fatalf("renda report render wrote %d bytes without the road figure", len(md))
		}
	})
	t.Run("ReportListShowsBrokenPlugin", func(t *testing.T) {
		dir := t.TempDir()
		_ = os.MkdirAll(filepath.Join(dir, "bad"), 0o755)
		_ = os.WriteFile(filepath.Join(dir, "bad", "manifest.yaml"), []byte("id: bad\ntitel: x\n"), 0o644)
		var list bytes.Buffer
		if err := reportCmd(context.Background(), []string{"list", "--data", data, "--mongodb-uri", "", "--reports-dir", dir}, &list, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(list.String(), "BROKEN: manifest.yaml:2:1") || !strings.Contains(list.String(), "annual-summary") {
			t.Fatalf("renda report list printed:\n%s\nwant the broken plugin with its location, and the built-ins", list.String())
		}
	})
}

func TestRun(t *testing.T) {
	t.Run("ErrUnknownCommand", func(t *testing.T) {
		if err := run(context.Background(), []string{"frobnicate"}, slog.New(slog.DiscardHandler)); err == nil {
			t.Fatal("unknown command accepted")
		}
	})
}

// TestDemoLoadResumes: a demo load stopped half way (the server killed
// while it loaded) is finished by the next start.
func TestDemoLoadResumes(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	db := dbFlags{data: t.TempDir()}
	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	var inserts atomic.Int64
	s, closeStore, err := db.open(ctx, log, func(name string) {
		if name == "insert" && inserts.Add(1) == 6 { // the township, then part of the rest
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := loadDemoIfNeeded(cut, s, log); err == nil {
		t.Fatal("the demo load was not stopped half way")
	}
	half, _ := s.Deputies.Count(ctx, records.Query{})
	d, _ := demo.Parse(renda.DemoTownship)
	if n, _ := s.Suggestions.Count(ctx, records.Query{}); n == len(d.Suggestions) {
		t.Fatal("every suggestion was loaded before the stop; the test cannot check the second start")
	}
	if err := loadDemoIfNeeded(ctx, s, log); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]func() (int, error){
		"deputies":    func() (int, error) { return s.Deputies.Count(ctx, records.Query{}) },
		"suggestions": func() (int, error) { return s.Suggestions.Count(ctx, records.Query{}) },
		"activities":  func() (int, error) { return s.Activities.Count(ctx, records.Query{}) },
	} {
		n, err := got()
		want := map[string]int{"deputies": len(d.Deputies), "suggestions": len(d.Suggestions), "activities": len(d.Activities)}[name]
		if err != nil || n != want {
			t.Errorf("%s after the second start: %d (%v), want %d", name, n, err, want)
		}
	}
	closeStore()
	t.Logf("the first load stopped at %d deputies", half)
}

// TestServeRefusesOpenNetwork: asked to listen beyond loopback with no
// account or key, serve refuses to start and says how to create the first
// admin; with one, it starts and asks callers to sign in.
func TestServeRefusesOpenNetwork(t *testing.T) {
	data := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	err := run(context.Background(), []string{"serve", "--addr", "0.0.0.0:0", "--data", data, "--mongodb-uri", ""}, log)
	if err == nil || !strings.Contains(err.Error(), "renda users create --name admin --role admin --data "+data) {
		t.Fatalf("serve on 0.0.0.0 without credentials: %v, want a refusal naming the command to create an admin", err)
	}
	var out bytes.Buffer
	create := []string{"create", "--name", "admin", "--role", "admin", "--password-stdin", "--data", data, "--mongodb-uri", ""}
	if err := credentialsCmd(context.Background(), "users", create, strings.NewReader("一个足够长的口令-Ab12345\n"), &out, log); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := credentialsCmd(context.Background(), "keys", []string{"create", "--name", "大屏", "--role", "viewer", "--data", data, "--mongodb-uri", ""}, nil, &out, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rk_") || !strings.Contains(out.String(), "shown this once") {
		t.Fatalf("keys create printed %q, want the key once", out.String())
	}
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", addr, "--data", data, "--mongodb-uri", ""}, log) }()
	defer func() { stop(); <-done }()
	var body []byte
	for range 100 {
		resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{ deputies { totalCount } }"}`))
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(string(body), "UNAUTHENTICATED") {
		t.Fatalf("a query without credentials once an account exists: %s, want UNAUTHENTICATED", body)
	}
}

// TestShutdownCancels: a stop waits --shutdown-timeout for requests in
// flight, then cancels them: a render that would run for seconds does not
// hold the server.
func TestShutdownCancels(t *testing.T) {
	dir := t.TempDir()
	plugin := filepath.Join(dir, "slow")
	_ = os.MkdirAll(plugin, 0o755)
	for name, content := range map[string]string{
		"manifest.yaml":  "id: slow\ntitle: 慢\nparameters:\n  - {name: township, type: ID, required: true}\n",
		"query.graphql":  "query($township: ID!) { township(id: $township) { name } }",
		"report.md.tmpl": "# {{ .data.township.name }}\n{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}",
	} {
		if err := os.WriteFile(filepath.Join(plugin, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--data", t.TempDir(), "--mongodb-uri", "",
			"--reports-dir", dir, "--shutdown-timeout", "200ms"}, slog.New(slog.DiscardHandler))
	}()
	for range 200 {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/reports/slow?township=qps&format=md")
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("serve still waits for the render 3 s after the stop; want it cancelled after 200 ms")
	}
	if code := <-answered; code != 0 && code != http.StatusServiceUnavailable {
		t.Fatalf("the cancelled render answered %d, want 503 (or the connection closed)", code)
	}
	t.Logf("stopped %v after the signal", time.Since(start).Round(time.Millisecond))
}
