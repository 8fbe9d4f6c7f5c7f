// Command renda serves the records and documents of a township people's
// congress. Subcommands: serve, seed, report, import, users, keys, audit.
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
	"sync/atomic"
	"syscall"
	"time"

	"renda"
	"renda/graph"
	"renda/internal/auth"
	"renda/internal/demo"
	"renda/internal/export"
	"renda/internal/legacy"
	"renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/report"
	"renda/internal/server"
	"renda/internal/sqlite"
	"renda/internal/upgrade"
)

const usage = `renda — records and documents of a township people's congress

Usage:
  renda serve [--addr 127.0.0.1:8080] [--data ./data] [--mongodb-uri URI] [--demo]
  renda seed demo [--data ./data] [--mongodb-uri URI]
  renda seed county [--townships 30] [--years 1] [--seed 1] [--data ./data] [--mongodb-uri URI]
  renda users create --name NAME --role viewer|editor|admin|sysadmin|secadmin|auditor [--township ID]... [--password-stdin]
  renda users list | passwd --name NAME | disable --name NAME | enable --name NAME
  renda keys create --name NAME --role viewer|editor|admin|sysadmin|secadmin|auditor [--township ID]... | keys list | keys revoke ID
  renda audit verify [--head N:HASH] [--data ./data] [--mongodb-uri URI]
  renda report list [--reports-dir DIR]...
  renda report render <id> [--param name=value]... [--format md|text|html|docx|xlsx] [-o FILE] [--demo]
  renda import deputies|villages|projects FILE --township ID [--dry-run] [--atomic] [--map 表头=field]... [--key field]... [--demo]

serve and report take --reports-dir DIR (repeatable): folders of report
plugins besides the built-in ones; serve reloads them when they change.

Without --mongodb-uri (or RENDA_MONGODB_URI) renda keeps its records in one
SQLite file under --data (renda.db); a folder written by an earlier
release (FerretDB's files) is moved into it on the first start.
`

func main() {
	// Files renda writes (the embedded store's, documents) are its user's
	// alone: they hold personal data.
	syscall.Umask(0o077)
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
		return seed(ctx, args[1:], log)
	case "report":
		return reportCmd(ctx, args[1:], os.Stdout, log)
	case "users", "keys":
		return credentialsCmd(ctx, args[0], args[1:], os.Stdin, os.Stdout, log)
	case "import":
		return importCmd(ctx, args[1:], os.Stdout, log)
	case "audit":
		return auditCmd(ctx, args[1:], os.Stdout, log)
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

// open connects to MongoDB at the URI, or opens the embedded store in
// the data folder (moving an earlier release's files into it first). The
// returned func closes it.
func (f *dbFlags) open(ctx context.Context, log *slog.Logger, onCommand func(string)) (*records.Store, func(), error) {
	var s *records.Store
	var closeStore func()
	if f.uri == "" {
		ss, err := sqlite.Open(ctx, f.data, sqlite.Options{Logger: log, OnCommand: onCommand})
		if err != nil {
			return nil, nil, err
		}
		if _, err := legacy.Move(ctx, f.data, ss, log); err != nil {
			_ = ss.Close(ctx)
			return nil, nil, err
		}
		if !f.quiet {
			log.Info("using the embedded store", "engine", "SQLite", "file", ss.Path())
		}
		s, closeStore = ss.Records(), func() { _ = ss.Close(context.Background()) }
	} else {
		log.Info("using MongoDB", "uri", redact(f.uri))
		ms, err := mongo.Open(ctx, f.uri, mongo.Options{Logger: log, OnCommand: onCommand})
		if err != nil {
			return nil, nil, err
		}
		s, closeStore = ms.Records(), func() { _ = ms.Close(context.Background()) }
	}
	// What earlier releases kept in custom attributes by convention moves
	// into its fields, once, as the upgrade's own audited writes.
	if n, err := upgrade.Attributes(records.WithActor(ctx, records.Actor{ID: "upgrade", Role: records.Admin}), s); err != nil {
		closeStore()
		return nil, nil, fmt.Errorf("moving custom attributes into their fields: %w", err)
	} else if n > 0 {
		log.Info("moved custom attributes (order, series, amountFor) into their fields", "records", n)
	}
	if n, err := upgrade.SuggestionFlow(records.WithActor(ctx, records.Actor{ID: "upgrade", Role: records.Admin}), s); err != nil {
		closeStore()
		return nil, nil, fmt.Errorf("deriving suggestions' handling flow: %w", err)
	} else if n > 0 {
		log.Info("derived the handling flow (reply due, extension, redos) of suggestions stored before", "records", n)
	}
	if f.demo {
		if err := loadDemoIfNeeded(ctx, s, log); err != nil {
			closeStore()
			return nil, nil, err
		}
	}
	return s, closeStore, nil
}

// flagsText repeats the store flags given, for a command to suggest.
func (f *dbFlags) flagsText() string {
	if f.uri != "" && f.uri != os.Getenv("RENDA_MONGODB_URI") {
		return " --mongodb-uri '" + redact(f.uri) + "'"
	}
	if f.data != "./data" {
		return " --data " + f.data
	}
	return ""
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
	sessionTTL := fs.Duration("session-ttl", auth.DefaultSessionTTL, "how long a sign-in lasts")
	sessionIdle := fs.Duration("session-idle", auth.DefaultSessionIdle, "how long a session may go unused before it ends")
	var publicHosts stringList
	fs.Var(&publicHosts, "public-host", "a host name (renda.example) requests may be addressed to while renda runs open, besides localhost, 127.0.0.1 and [::1] (repeatable)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM); with --tls-key")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	var origins stringList
	fs.Var(&origins, "cors-origin", "an origin (https://dash.example) whose pages may call the API with an API key (repeatable); none by default")
	bodyBudget := byteSize(server.DefaultBodyBudget)
	fs.Var(&bodyBudget, "body-budget", "how much the request bodies in flight may hold together (256MiB); past it a request is told to retry (503)")
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
	loadDemoLater := db.demo
	db.demo = false // loaded once the server listens: see below
	s, closeStore, err := db.open(ctx, log, metrics.DBCommand)
	if err != nil {
		return err
	}
	defer closeStore()
	// The demo loads while the server already answers; until it is loaded
	// /readyz says so, and a load stopped half way finishes at the next start.
	var demoReady atomic.Bool
	demoReady.Store(!loadDemoLater)
	starting := func() string {
		if !demoReady.Load() {
			return "loading the demo township"
		}
		return ""
	}
	api, reg := newReports(s, dirs, log)
	if err := reg.Watch(ctx); err != nil {
		log.Warn("report folders are not watched; restart to reload them", "err", err)
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if *sessionTTL <= 0 || *sessionIdle <= 0 {
		return errors.New("--session-ttl and --session-idle are durations above zero (12h, 30m)")
	}
	svc := auth.New(auth.Config{Store: s.Credentials, Townships: s.CheckTownships, Audit: s.Audit, SessionTTL: *sessionTTL, SessionIdle: *sessionIdle, Logger: log})
	defined, err := svc.Defined(ctx)
	if err != nil {
		return err
	}
	loopback := auth.IsLoopback(*addr)
	switch {
	case !defined && !loopback:
		return fmt.Errorf("no account or API key exists, so renda would let anyone who reaches %s read and change every record. "+
			"Create the first admin, then start again:\n  renda users create --name admin --role admin%s\nor listen on a loopback address (--addr 127.0.0.1:8080)", *addr, db.flagsText())
	case !defined:
		log.Warn("renda runs open: no account or API key exists, so every caller on this machine acts as an admin. Create an account (renda users create) to require sign-in.")
	}
	gate := auth.NewGate(auth.GateConfig{Service: svc, Logger: log, Loopback: loopback, Origins: origins, Secure: *tlsCert != "", PublicHosts: publicHosts})
	api.SetAuth(svc, gate.Open)
	h := server.Handler(server.Config{
		GraphQL:        api,
		Reports:        auth.RequireSignIn(report.Handler(reg, log)),
		ReportsIndex:   auth.RequireSignIn(report.IndexHandler(reg, log)),
		Export:         auth.RequireSignIn(export.Handler(api, s, log)),
		Gate:           gate.Handler,
		Ping:           s.Ping,
		Starting:       starting,
		Metrics:        metrics,
		Logger:         log,
		RequestTimeout: *requestTimeout,
		MaxBodyBytes:   graph.MaxBodyBytes,
		BodyBudget:     int64(bodyBudget),
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
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	log.Info("renda is serving", "url", scheme+"://"+ln.Addr().String()+"/", "graphql", scheme+"://"+ln.Addr().String()+"/graphql")
	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- hs.ServeTLS(ln, *tlsCert, *tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	if loadDemoLater {
		go func() {
			if err := loadDemoIfNeeded(base, s, log); err != nil {
				log.Error("the demo township could not be loaded", "err", records.Redacted(err))
				return
			}
			demoReady.Store(true)
		}()
	}
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

// demoMarker is set once the demo township is loaded whole.
const demoMarker = "demo:qps"

// loadDemoIfNeeded loads the demo township into a database that holds no
// other township, and finishes a demo load that stopped half way (the
// loader creates only what is missing).
func loadDemoIfNeeded(ctx context.Context, s *records.Store, log *slog.Logger) error {
	if done, err := s.Marked(ctx, demoMarker); err != nil || done {
		return err
	}
	n, err := s.Townships.Count(ctx, recordsAll)
	if err != nil {
		return err
	}
	if n > 0 {
		if _, err := s.Townships.Get(ctx, "qps"); records.ErrorCode(err) == records.ENOTFOUND {
			log.Info("database holds townships already; demo not loaded", "townships", n)
			return nil
		}
	}
	return loadDemo(ctx, s, log)
}

func loadDemo(ctx context.Context, s *records.Store, log *slog.Logger) error {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		return err
	}
	start := time.Now()
	created, err := demo.Load(ctx, s, d)
	if err != nil {
		return err
	}
	if err := s.Mark(ctx, demoMarker); err != nil {
		return err
	}
	log.Info("demo township loaded", "township", d.Township.Name, "id", d.Township.ID, "records created", created, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func seed(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || (args[0] != "demo" && args[0] != "county") {
		return errors.New("usage: renda seed demo | renda seed county --townships 30 [--years 10] [--seed N]")
	}
	fs := flag.NewFlagSet("seed "+args[0], flag.ContinueOnError)
	var db dbFlags
	db.register(fs)
	townships := fs.Int("townships", 30, "how many townships the county has, the demo township among them")
	years := fs.Int("years", 1, "years of inspections, activities and suggestions in each generated township")
	seedN := fs.Uint64("seed", 1, "the same seed generates the same county")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, closeStore, err := db.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := loadDemo(ctx, s, log); err != nil || args[0] == "demo" {
		return err
	}
	return seedCounty(ctx, s, *townships, *years, *seedN, log)
}

// seedCounty adds the generated townships of a county to the demo one.
func seedCounty(ctx context.Context, s *records.Store, townships, years int, seed uint64, log *slog.Logger) error {
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		return err
	}
	gen, err := demo.County(d, townships, years, seed)
	if err != nil {
		return err
	}
	start, total := time.Now(), 0
	for _, g := range gen {
		n, err := demo.Load(ctx, s, g)
		if err != nil {
			return fmt.Errorf("township %s: %w", g.Township.ID, err)
		}
		total += n
	}
	log.Info("county generated", "townships", townships, "years", years, "seed", seed, "records created", total, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
