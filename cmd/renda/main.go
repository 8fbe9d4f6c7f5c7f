// Command renda serves the records and documents of a township people's
// congress. Subcommands: serve, seed, report.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"renda"
	"renda/internal/demo"
	"renda/internal/embedded"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/store"
)

const usage = `renda — records and documents of a township people's congress

Usage:
  renda serve [--addr 127.0.0.1:8080] [--data ./data] [--mongodb-uri URI] [--demo]
  renda seed demo [--data ./data] [--mongodb-uri URI]
  renda report list [--reports-dir DIR]...
  renda report render <id> [--param name=value]... [--format md|text|html|docx|xlsx] [-o FILE] [--demo]
  renda import deputies|villages|projects FILE --township ID [--dry-run] [--atomic] [--map 表头=field]... [--key field]... [--demo]

serve and report take --reports-dir DIR (repeatable): folders of report
plugins besides the built-in ones; serve reloads them when they change.

Without --mongodb-uri (or RENDA_MONGODB_URI) renda starts an embedded
MongoDB-compatible server (FerretDB on SQLite) with its files under --data.
`

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], log); err != nil {
		msg := err.Error()
		if records.ErrorCode(err) != "" && records.ErrorCode(err) != records.EINTERNAL {
			msg = records.ErrorMessage(err)
			if f := records.ErrorField(err); f != "" {
				msg = f + ": " + msg
			}
		}
		fmt.Fprintln(os.Stderr, "renda:", msg)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], log)
	case "seed":
		if len(args) < 2 || args[1] != "demo" {
			return errors.New("usage: renda seed demo [--data DIR] [--mongodb-uri URI]")
		}
		return seed(ctx, args[2:], log)
	case "report":
		return reportCmd(ctx, args[1:], os.Stdout, log)
	case "import":
		return importCmd(ctx, args[1:], os.Stdout, log)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q; see renda help", args[0])
}

// dbFlags are the flags every command that opens the store shares.
type dbFlags struct {
	data  string
	uri   string
	quiet bool // log less: for one-shot commands
	demo  bool // load the demo township into an empty store on open
}

func (f *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "./data", "directory of the embedded store's files")
	fs.StringVar(&f.uri, "mongodb-uri", os.Getenv("RENDA_MONGODB_URI"), "MongoDB URI (default: $RENDA_MONGODB_URI; empty: embedded store)")
}

// open connects to MongoDB at the URI, or starts the embedded server. The
// returned func closes both.
func (f *dbFlags) open(ctx context.Context, log *slog.Logger, onCommand func(string)) (*store.Store, func(), error) {
	opts := store.Options{Logger: log, OnCommand: onCommand}
	uri, stopEmbedded := f.uri, func() {}
	if uri == "" {
		// FerretDB logs every connection at INFO; keep only its warnings.
		// One-shot commands keep only its errors: it warns about every
		// client that ends its sessions.
		level := slog.LevelWarn
		if f.quiet {
			level = slog.LevelError
		}
		dbLog := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("component", "ferretdb")
		srv, err := embedded.Start(f.data, false, dbLog)
		if err != nil {
			return nil, nil, err
		}
		uri, stopEmbedded = srv.URI(), srv.Stop
		opts.SerializeWrites = true     // FerretDB v1 updates are not atomic
		opts.Layout = store.LayoutSplit // a database per township: see store.LayoutSplit
		log.Info("using the embedded store", "engine", "FerretDB v1.24 (SQLite)", "data", f.data, "listen", uri)
	} else {
		log.Info("using MongoDB", "uri", redact(uri))
	}
	s, err := store.Open(ctx, uri, opts)
	if err != nil {
		stopEmbedded()
		return nil, nil, err
	}
	closeAll := func() {
		_ = s.Close(context.Background())
		stopEmbedded()
	}
	if f.demo {
		if err := loadDemoIfEmpty(ctx, s, log); err != nil {
			closeAll()
			return nil, nil, err
		}
	}
	return s, closeAll, nil
}

// registerDemo adds --demo to a command that opens the store.
func (f *dbFlags) registerDemo(fs *flag.FlagSet) {
	fs.BoolVar(&f.demo, "demo", false, "load the demo township (棋盘山镇, id qps) when the database holds no township")
}

// redact hides the password of a URI in logs.
func redact(uri string) string {
	if u, err := parseURL(uri); err == nil {
		return u
	}
	return "(unparsable URI)"
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	requestTimeout := fs.Duration("request-timeout", server.DefaultRequestTimeout, "how long one request may run")
	shutdownTimeout := fs.Duration("shutdown-timeout", 10*time.Second, "how long a stop waits for requests in flight before cancelling them")
	var db dbFlags
	db.register(fs)
	db.registerDemo(fs)
	var dirs stringList
	fs.Var(&dirs, "reports-dir", "a folder of report plugins (repeatable); reloaded on change")
	if err := fs.Parse(args); err != nil {
		return err
	}
	metrics := server.NewMetrics()
	s, closeStore, err := db.open(ctx, log, metrics.DBCommand)
	if err != nil {
		return err
	}
	defer closeStore()
	api, reg := newReports(s, dirs, log)
	if err := reg.Watch(ctx); err != nil {
		log.Warn("report folders are not watched; restart to reload them", "err", err)
	}
	h := server.Handler(server.Config{
		GraphQL:        api,
		Reports:        report.Handler(reg, log),
		ReportsIndex:   report.IndexHandler(reg, log),
		Ping:           s.Ping,
		Metrics:        metrics,
		Logger:         log,
		RequestTimeout: *requestTimeout,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// Every request's context derives from base, so a stop that has waited
	// long enough cancels what is still running.
	base, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: *requestTimeout + 30*time.Second, BaseContext: func(net.Listener) context.Context { return base }}
	log.Info("renda is serving", "url", "http://"+ln.Addr().String()+"/", "graphql", "http://"+ln.Addr().String()+"/graphql")
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "wait", *shutdownTimeout)
	shutCtx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		log.Warn("requests still running after the wait: cancelling them")
		cancelAll()
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(closeCtx) // they end quickly once cancelled
		_ = hs.Close()
	}
	log.Info("stopped")
	return nil
}

func loadDemoIfEmpty(ctx context.Context, s *store.Store, log *slog.Logger) error {
	n, err := s.Townships.Count(ctx, recordsAll)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("database holds townships already; demo not loaded", "townships", n)
		return nil
	}
	return loadDemo(ctx, s, log)
}

func loadDemo(ctx context.Context, s *store.Store, log *slog.Logger) error {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		return err
	}
	created, err := demo.Load(ctx, s, d)
	if err != nil {
		return err
	}
	log.Info("demo township loaded", "township", d.Township.Name, "id", d.Township.ID, "records created", created)
	return nil
}

func seed(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	var db dbFlags
	db.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	return loadDemo(ctx, s, log)
}
