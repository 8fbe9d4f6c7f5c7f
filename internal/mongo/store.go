// Package store keeps renda's records in MongoDB. It is the only package
// that imports the driver, and the only one that knows how records are laid
// out in the database (see Layout). Every read and write goes through a
// Collection, which applies the caller's townships and role, validates,
// checks references and guards versions.
package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"renda/internal/chinese"
	"renda/internal/records"
)

// Options configure Open.
type Options struct {
	// Database is the database name; "renda" if empty.
	Database string
	// SerializeWrites makes the store run one write at a time, each
	// read-modify-write under the lock. FerretDB v1 (the stand-in the
	// tests run on) applies updates read-modify-write outside a
	// transaction, so two version-guarded writes could both succeed
	// there; MongoDB does not need it.
	SerializeWrites bool
	// OnCommand, if set, is called with the name of every command the driver
	// sends (find, insert, …), so round trips can be counted from outside.
	OnCommand func(name string)
	Logger    *slog.Logger
}

// Store is a connection to one renda deployment.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	name   string
	log    *slog.Logger

	serialize bool
	mu        sync.Mutex // see SerializeWrites

	Townships   *Collection[records.Township, *records.Township]
	Deputies    *Collection[records.Deputy, *records.Deputy]
	Villages    *Collection[records.Village, *records.Village]
	Projects    *Collection[records.Project, *records.Project]
	Inspections *Collection[records.Inspection, *records.Inspection]
	Activities  *Collection[records.Activity, *records.Activity]
	Suggestions *Collection[records.Suggestion, *records.Suggestion]
	Receptions  *Collection[records.Reception, *records.Reception]
	PointRules  *Collection[records.PointRules, *records.PointRules]

	Sessions           *Collection[records.CongressSession, *records.CongressSession]
	PresidiumMeetings  *Collection[records.PresidiumMeeting, *records.PresidiumMeeting]
	LivelihoodProjects *Collection[records.LivelihoodProject, *records.LivelihoodProject]
	Submissions        *Collection[records.DutySubmission, *records.DutySubmission]

	// Reports holds the report plugins uploaded through the API.
	Reports ReportVersions
	// Credentials holds accounts, sessions and API keys.
	Credentials Credentials
}

// Open connects to the MongoDB deployment at uri and makes sure the
// indexes exist. Writes use majority write concern and retryable writes.
func Open(ctx context.Context, uri string, opts Options) (*Store, error) {
	if opts.Database == "" {
		opts.Database = "renda"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	co := options.Client().ApplyURI(uri).
		SetAppName("renda").
		SetWriteConcern(writeconcern.Majority()).
		SetRetryWrites(true).
		SetBSONOptions(&options.BSONOptions{
			DefaultDocumentMap: true, // attributes decode as map[string]any
			NilSliceAsEmpty:    true, // lists are stored as [], never null
		})
	if opts.OnCommand != nil {
		on := opts.OnCommand
		co.SetMonitor(&event.CommandMonitor{
			Started: func(_ context.Context, e *event.CommandStartedEvent) { on(e.CommandName) },
		})
	}
	client, err := mongo.Connect(co)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	s := &Store{
		client:    client,
		db:        client.Database(opts.Database),
		name:      opts.Database,
		log:       opts.Logger,
		serialize: opts.SerializeWrites,
	}
	s.Townships = newCollection[records.Township](s, records.KindTownship)
	s.Deputies = newCollection[records.Deputy](s, records.KindDeputy)
	s.Villages = newCollection[records.Village](s, records.KindVillage)
	s.Projects = newCollection[records.Project](s, records.KindProject)
	s.Inspections = newCollection[records.Inspection](s, records.KindInspection)
	s.Activities = newCollection[records.Activity](s, records.KindActivity)
	s.Suggestions = newCollection[records.Suggestion](s, records.KindSuggestion)
	s.Receptions = newCollection[records.Reception](s, records.KindReception)
	s.PointRules = newCollection[records.PointRules](s, records.KindPointRules)
	s.Sessions = newCollection[records.CongressSession](s, records.KindCongressSession)
	s.PresidiumMeetings = newCollection[records.PresidiumMeeting](s, records.KindPresidiumMeeting)
	s.LivelihoodProjects = newCollection[records.LivelihoodProject](s, records.KindLivelihoodProject)
	s.Submissions = newCollection[records.DutySubmission](s, records.KindSubmission)
	s.Reports = ReportVersions{s}
	s.Credentials = Credentials{s}

	pingCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := s.Ping(pingCtx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("ping MongoDB: %w", err)
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.rederive(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	s.dropLeftovers(ctx)
	return s, nil
}

// Close disconnects from the database.
func (s *Store) Close(ctx context.Context) error { return s.client.Disconnect(ctx) }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.client.Ping(ctx, readpref.Primary()) }

// lockWrite serializes writes where the server cannot be trusted to
// (see SerializeWrites).
func (s *Store) lockWrite() func() {
	if !s.serialize {
		return func() {}
	}
	s.mu.Lock()
	return s.mu.Unlock
}

// sortKey is how names become sort keys at write time.
var sortKey records.SortKey = chinese.SortKey

// internal wraps a driver failure: logged here without the values it may
// quote, returned as a plain EINTERNAL so nothing of the database reaches
// the caller. A request that ran out of time is ETIMEOUT.
func (s *Store) internal(ctx context.Context, op string, err error) error {
	return records.DatabaseFailure(ctx, s.log, op, err, dbError)
}

// dbError describes a driver error for the log: the server's error codes
// and names, never its message, which may quote the values of a document.
func dbError(err error) string {
	var se mongo.ServerError
	if errors.As(err, &se) {
		var ce mongo.CommandError
		if errors.As(err, &ce) {
			return fmt.Sprintf("server error %d (%s)", ce.Code, ce.Name)
		}
		var we mongo.WriteException
		if errors.As(err, &we) && len(we.WriteErrors) > 0 {
			return fmt.Sprintf("write error %d", we.WriteErrors[0].Code)
		}
		return "server error"
	}
	return records.Redacted(err)
}

// Drop deletes the store's database. Tests use it to clean up.
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }
