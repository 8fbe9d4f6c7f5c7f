// Package legacy moves a data folder written by an earlier release of
// renda — FerretDB v1's SQLite files, a database per township or one for
// the county — into the SQLite store, on the first start that finds one.
//
// Everything moves as it was stored: records with their ids, versions and
// stamps, the audit trail (so every record's history, and deleted records
// with their way back), accounts, sessions and keys with their hashes,
// uploaded plugins with every version kept, attribute definitions,
// markers and idempotency keys. The move is resumable: rows already moved
// are kept, so a move that stopped half way finishes on the next start.
// Only when every row counted out of the old files is found in the new one
// is the move marked done; then the old files are set aside in a folder
// of their own, never deleted.
package legacy

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"renda/internal/embedded"
	"renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/sqlite"
)

// Marker is set in the SQLite store when a move has finished.
const Marker = "moved:ferretdb-v1"

// OldFolder is where the old files are set aside, inside the data folder.
const OldFolder = "ferretdb-v1"

// Found reports whether dir holds an earlier release's files.
func Found(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "renda.sqlite"))
	return err == nil
}

// Move moves the earlier release's files in dir into dst, if there are any
// and they have not moved yet, and reports how many rows it moved.
func Move(ctx context.Context, dir string, dst *sqlite.Store, log *slog.Logger) (int, error) {
	if log == nil {
		log = slog.Default()
	}
	if !Found(dir) {
		return 0, nil
	}
	if done, err := dst.Marked(ctx, Marker); err != nil {
		return 0, err
	} else if done {
		return 0, setAside(dir)
	}
	log.Info("moving the data of an earlier release into the SQLite store", "data", dir)
	start := time.Now()
	srv, err := embedded.Start(dir, false, slog.New(slog.DiscardHandler))
	if err != nil {
		return 0, fmt.Errorf("start the earlier release's database: %w", err)
	}
	defer srv.Stop()
	src, err := mongo.Open(ctx, srv.URI(), mongo.Options{SerializeWrites: true, Logger: log})
	if err != nil {
		return 0, fmt.Errorf("open the earlier release's database: %w", err)
	}
	defer src.Close(context.Background())
	counted := &counter{n: map[string]int{}}
	err = dst.Load(ctx, func(l *sqlite.Loader) error {
		counted.Sink = l
		return src.Dump(ctx, counted)
	})
	if err != nil {
		return 0, fmt.Errorf("move the earlier release's data: %w", err)
	}
	have, err := dst.Counts(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for table, n := range counted.n {
		total += n
		if have[table] < n {
			return 0, fmt.Errorf("move the earlier release's data: %d %s read, %d stored; the old files are kept, start again to finish the move", n, table, have[table])
		}
	}
	if err := dst.Mark(ctx, Marker); err != nil {
		return 0, err
	}
	srv.Stop()
	if err := setAside(dir); err != nil {
		return 0, err
	}
	log.Info("moved the earlier release's data", "rows", total, "took", time.Since(start).Round(time.Millisecond), "old files", filepath.Join(dir, OldFolder))
	return total, nil
}

// setAside moves FerretDB's files into OldFolder.
func setAside(dir string) error {
	old := filepath.Join(dir, OldFolder)
	if err := os.MkdirAll(old, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.Contains(n, ".sqlite") {
			continue
		}
		if err := os.Rename(filepath.Join(dir, n), filepath.Join(old, n)); err != nil {
			return fmt.Errorf("set the earlier release's files aside: %w", err)
		}
	}
	return nil
}

// counter counts what passes into a sink, by the table it lands in.
type counter struct {
	records.Sink
	n map[string]int
}

func (c *counter) Record(kind records.Kind, x any) error {
	c.n[string(kind)]++
	return c.Sink.Record(kind, x)
}

func (c *counter) Audit(e *records.AuditEntry) error {
	c.n["audit"]++
	return c.Sink.Audit(e)
}

func (c *counter) Account(a *records.Account) error {
	c.n["accounts"]++
	return c.Sink.Account(a)
}

func (c *counter) Session(x *records.Session) error {
	c.n["sessions"]++
	return c.Sink.Session(x)
}

func (c *counter) Key(k *records.APIKey) error {
	c.n["api_keys"]++
	return c.Sink.Key(k)
}

func (c *counter) ReportVersion(v *records.ReportVersion) error {
	c.n["report_versions"]++
	return c.Sink.ReportVersion(v)
}

func (c *counter) AttributeSet(s *records.AttributeSet) error {
	c.n["attribute_sets"]++
	return c.Sink.AttributeSet(s)
}

func (c *counter) Idempotency(id, recordID string, at time.Time) error {
	c.n["idempotency"]++
	return c.Sink.Idempotency(id, recordID, at)
}
