package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// TestCLIBesideServer: a write made from the command line while a server
// runs on the same data folder (another process on the same file) is in
// that server's lists and aggregates on its next request, no restart.
func TestCLIBesideServer(t *testing.T) {
	data := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	if err := run(context.Background(), []string{"seed", "demo", "--data", data, "--mongodb-uri", ""}, log); err != nil {
		t.Fatal(err)
	}
	c := startChild(t, data)
	defer c.kill()
	const q = `{
		villages(township: "qps", filter: {name: {eq: "新建村"}}) { totalCount }
		villagesAggregate(township: "qps") { count groupBy(fields: [TOWNSHIP]) { count } }
	}`
	ask := func() (listed, counted, groups float64) {
		d, err := c.post(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		listed = d["villages"].(map[string]any)["totalCount"].(float64)
		agg := d["villagesAggregate"].(map[string]any)
		return listed, agg["count"].(float64), agg["groupBy"].([]any)[0].(map[string]any)["count"].(float64)
	}
	listed0, counted0, groups0 := ask()
	if listed0 != 0 {
		t.Fatalf("新建村 listed %v times before the import", listed0)
	}
	file := filepath.Join(t.TempDir(), "村.csv")
	if err := os.WriteFile(file, []byte("村名,村代码\n新建村,150000000001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := importCmd(context.Background(), []string{"villages", file, "--township", "qps", "--data", data, "--mongodb-uri", ""}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	listed, counted, groups := ask()
	if listed != 1 || counted != counted0+1 || groups != groups0+1 {
		t.Errorf("after the CLI's import the server lists %v, counts %v villages (%v grouped by township); want 1, %v, %v", listed, counted, groups, counted0+1, groups0+1)
	}
}
