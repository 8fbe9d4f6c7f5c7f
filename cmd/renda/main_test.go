package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
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
// store, asks the README's first question, and stops it as SIGINT would.
func TestServe(t *testing.T) {
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", addr, "--data", t.TempDir(), "--mongodb-uri", ""}, slog.New(slog.DiscardHandler))
	}()
	var resp *http.Response
	var err error
	for range 600 { // the demo loads before the server listens: allow a minute
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
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

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after the stop signal, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of the signal")
	}
}

func TestRun(t *testing.T) {
	t.Run("ErrUnknownCommand", func(t *testing.T) {
		if err := run(context.Background(), []string{"frobnicate"}, slog.New(slog.DiscardHandler)); err == nil {
			t.Fatal("unknown command accepted")
		}
	})
}
