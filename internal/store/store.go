// Package store keeps renda's records in MongoDB. It is the only package
// that imports the driver. Every read and write goes through a Collection,
// which applies the caller's township scope, validates, checks references
// and guards versions.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
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
	// SerializeWrites makes the store run one write at a time. The embedded
	// FerretDB v1 applies updates read-modify-write outside a transaction,
	// so two version-guarded writes could both succeed there; MongoDB does
	// not need it.
	SerializeWrites bool
	// OnCommand, if set, is called with the name of every command the driver
	// sends (find, insert, …), so round trips can be counted from outside.
	OnCommand func(name string)
	Logger    *slog.Logger
}

// Store is a connection to one renda database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	log    *slog.Logger

	serialize bool
	writeMu   sync.Mutex

	Townships   *Collection[records.Township, *records.Township]
	Deputies    *Collection[records.Deputy, *records.Deputy]
	Villages    *Collection[records.Village, *records.Village]
	Projects    *Collection[records.Project, *records.Project]
	Inspections *Collection[records.Inspection, *records.Inspection]
	Activities  *Collection[records.Activity, *records.Activity]
	Suggestions *Collection[records.Suggestion, *records.Suggestion]

	// Reports holds the report plugins uploaded through the API.
	Reports ReportVersions
}

// Open connects to the MongoDB deployment at uri and makes sure the indexes
// exist. Writes use majority write concern and retryable writes.
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
	s.Reports = ReportVersions{s}

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
	return s, nil
}

// Close disconnects from the database.
func (s *Store) Close(ctx context.Context) error { return s.client.Disconnect(ctx) }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.client.Ping(ctx, readpref.Primary()) }

// lockWrite serializes writes where the server cannot be trusted to.
func (s *Store) lockWrite() func() {
	if !s.serialize {
		return func() {}
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock
}

// collection returns the driver collection of a kind.
func (s *Store) collection(kind records.Kind) *mongo.Collection { return s.db.Collection(string(kind)) }

// indexes lists, per kind, the keys the API filters and sorts on. Sorted
// lists page by (sort key, _id), so those are compound.
var indexes = map[records.Kind][]bson.D{
	records.KindTownship: {{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}},
	records.KindDeputy: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "group", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "villageId", Value: 1}},
		{{Key: "voters.villageId", Value: 1}},
		{{Key: "levels", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindVillage: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "code", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "designations.year", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindProject: {
		{{Key: "township", Value: 1}, {Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "year", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "kind", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindInspection: {
		{{Key: "township", Value: 1}, {Key: "date.date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "date.year", Value: 1}, {Key: "date.month", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "topic", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "participantIds", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "projectIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindSuggestion: {
		{{Key: "township", Value: 1}, {Key: "submitted", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "status", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "deputyId", Value: 1}, {Key: "year", Value: 1}, {Key: "month", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
	records.KindActivity: {
		{{Key: "township", Value: 1}, {Key: "date.date", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "kind", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "title", Value: 1}, {Key: "_id", Value: 1}},
		{{Key: "township", Value: 1}, {Key: "date.year", Value: 1}, {Key: "date.month", Value: 1}},
		{{Key: "participantIds", Value: 1}},
		{{Key: "villageIds", Value: 1}},
		{{Key: "projectIds", Value: 1}},
		{{Key: "tags", Value: 1}},
	},
}

// ensureIndexes creates the indexes that do not exist yet, so it runs at
// every start. It lists first rather than relying on createIndexes being a
// no-op for an existing index: FerretDB v1.24 panics on that after a restart.
func (s *Store) ensureIndexes(ctx context.Context) error {
	for kind, keys := range indexes {
		existing, err := s.indexNames(ctx, kind)
		if err != nil {
			return err
		}
		var models []mongo.IndexModel
		all := append([]bson.D{}, keys...)
		for _, ts := range []string{"createdAt", "updatedAt"} {
			all = append(all, bson.D{{Key: "township", Value: 1}, {Key: ts, Value: 1}, {Key: "_id", Value: 1}})
		}
		for _, k := range all {
			if !existing[indexName(k)] {
				models = append(models, mongo.IndexModel{Keys: k, Options: options.Index().SetName(indexName(k))})
			}
		}
		if len(models) == 0 {
			continue
		}
		if _, err := s.collection(kind).Indexes().CreateMany(ctx, models); err != nil {
			return fmt.Errorf("create indexes on %s: %w", kind, err)
		}
	}
	return nil
}

func (s *Store) indexNames(ctx context.Context, kind records.Kind) (map[string]bool, error) {
	cur, err := s.collection(kind).Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes on %s: %w", kind, err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return nil, fmt.Errorf("list indexes on %s: %w", kind, err)
	}
	names := make(map[string]bool, len(specs))
	for _, sp := range specs {
		names[sp.Name] = true
	}
	return names, nil
}

// indexName is MongoDB's default name for an index on keys: "a_1_b_-1".
func indexName(keys bson.D) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s_%v", k.Key, k.Value))
	}
	return strings.Join(parts, "_")
}

// sortKey is how names become sort keys at write time.
var sortKey records.SortKey = chinese.SortKey

// internal wraps a driver failure: logged here with its details, returned
// as a plain EINTERNAL so nothing of the database reaches the caller.
func (s *Store) internal(ctx context.Context, op string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return records.Errorf(records.ETIMEOUT, "the request ran out of time")
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return records.Errorf(records.ETIMEOUT, "the request was cancelled")
	}
	s.log.ErrorContext(ctx, "database error", "op", op, "err", dbError(err))
	return records.Errorf(records.EINTERNAL, "internal error")
}

// Drop deletes the whole database. Tests use it to clean up.
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }

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
