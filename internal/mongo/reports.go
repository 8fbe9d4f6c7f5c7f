package mongo

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renda/internal/records"
)

// ReportVersions keeps every version of the report plugins uploaded
// through the API, so every instance of renda on the database sees them.
type ReportVersions struct{ s *Store }

func (r ReportVersions) coll() *mongo.Collection { return r.s.db.Collection("reportVersions") }

// Save stores files as the next version of plugin id, scoped to the
// caller's townships, and returns it. Two saves racing for the same
// version number: one wins, the other is a conflict, and nothing is
// overwritten.
func (r ReportVersions) Save(ctx context.Context, id string, files []records.ReportFile, note string) (*records.ReportVersion, error) {
	if err := refuseAsOf(ctx); err != nil {
		return nil, err
	}
	latest, err := r.Latest(ctx, id)
	if err != nil && records.ErrorCode(err) != records.ENOTFOUND {
		return nil, err
	}
	a := records.ActorFrom(ctx)
	v := &records.ReportVersion{PluginID: id, Version: 1, Files: files, Note: note,
		CreatedAt: now(), CreatedBy: a.ID}
	if !a.County() {
		v.Townships = slices.Sorted(slices.Values(a.Townships))
	}
	if latest != nil {
		v.Version = latest.Version + 1
	}
	v.ID = fmt.Sprintf("%s@%d", id, v.Version)
	unlock := r.s.lockWrite()
	_, err = r.coll().InsertOne(ctx, v)
	unlock()
	if mongo.IsDuplicateKeyError(err) {
		return nil, records.Errorf(records.ECONFLICT, "report template %q was saved by someone else at the same time; load it again and retry", id)
	} else if err != nil {
		return nil, r.s.internal(ctx, "insert report version", err)
	}
	r.s.writeAudit(ctx, auditDoc{Action: "save", Kind: "reportTemplates", RecordID: id, Version: v.Version, Note: note,
		After: map[string]any{"pluginId": id, "version": v.Version, "files": fileNames(v.Files)}})
	// Only the newest versions of each scope are kept (a rollback reaches
	// back that far): one township's uploads never push out the county's
	// or another township's.
	if v.Version > records.MaxReportVersions {
		all, err := r.index(ctx, bson.D{{Key: "pluginId", Value: id}})
		if err != nil {
			return nil, err
		}
		var old []string
		kept := 0
		for _, h := range all { // newest first
			if h.Scope() == v.Scope() {
				if kept++; kept > records.MaxReportVersions {
					old = append(old, h.ID)
				}
			}
		}
		if len(old) > 0 {
			unlock := r.s.lockWrite()
			_, err := r.coll().DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: old}}}})
			unlock()
			if err != nil {
				return nil, r.s.internal(ctx, "prune report versions", err)
			}
		}
	}
	return v, nil
}

// index lists the versions filter selects without their files (id,
// plugin, version and scope), by plugin and newest first.
func (r ReportVersions) index(ctx context.Context, filter bson.D) ([]records.ReportVersion, error) {
	cur, err := r.coll().Find(ctx, filter, options.Find().
		SetProjection(bson.D{{Key: "pluginId", Value: 1}, {Key: "version", Value: 1}, {Key: "townships", Value: 1}}).
		SetSort(bson.D{{Key: "pluginId", Value: 1}, {Key: "version", Value: -1}}))
	if err != nil {
		return nil, r.s.internal(ctx, "find report versions", err)
	}
	var out []records.ReportVersion
	if err := cur.All(ctx, &out); err != nil {
		return nil, r.s.internal(ctx, "decode report versions", err)
	}
	return out, nil
}

// Latest returns the newest version of plugin id.
func (r ReportVersions) Latest(ctx context.Context, id string) (*records.ReportVersion, error) {
	var v records.ReportVersion
	err := r.coll().FindOne(ctx, bson.D{{Key: "pluginId", Value: id}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&v)
	if err == mongo.ErrNoDocuments {
		return nil, records.Errorf(records.ENOTFOUND, "no uploaded report template %q", id)
	} else if err != nil {
		return nil, r.s.internal(ctx, "find report version", err)
	}
	return &v, nil
}

// Get returns version n of plugin id.
func (r ReportVersions) Get(ctx context.Context, id string, n int) (*records.ReportVersion, error) {
	var v records.ReportVersion
	err := r.coll().FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s@%d", id, n)}}).Decode(&v)
	if err == mongo.ErrNoDocuments {
		return nil, records.Errorf(records.ENOTFOUND, "report template %q has no version %d", id, n)
	} else if err != nil {
		return nil, r.s.internal(ctx, "find report version", err)
	}
	return &v, nil
}

// List returns every version of plugin id, newest first.
func (r ReportVersions) List(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	return r.find(ctx, bson.D{{Key: "pluginId", Value: id}})
}

// Heads returns the newest version of plugin id in each scope, newest
// first.
func (r ReportVersions) Heads(ctx context.Context, id string) ([]*records.ReportVersion, error) {
	return r.heads(ctx, bson.D{{Key: "pluginId", Value: id}})
}

// LatestAll returns the newest version of every uploaded plugin in each
// scope.
func (r ReportVersions) LatestAll(ctx context.Context) ([]*records.ReportVersion, error) {
	return r.heads(ctx, bson.D{})
}

// heads reads the version numbers and scopes first and then only the
// newest versions' files, so a long history costs nothing.
func (r ReportVersions) heads(ctx context.Context, filter bson.D) ([]*records.ReportVersion, error) {
	all, err := r.index(ctx, filter)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, v := range all { // newest first within each plugin
		if k := v.PluginID + "\x00" + v.Scope(); !seen[k] {
			seen[k] = true
			ids = append(ids, v.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return r.find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
}

func (r ReportVersions) find(ctx context.Context, filter bson.D) ([]*records.ReportVersion, error) {
	cur, err := r.coll().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "pluginId", Value: 1}, {Key: "version", Value: -1}}))
	if err != nil {
		return nil, r.s.internal(ctx, "find report versions", err)
	}
	var out []*records.ReportVersion
	if err := cur.All(ctx, &out); err != nil {
		return nil, r.s.internal(ctx, "decode report versions", err)
	}
	return out, nil
}

func fileNames(fs []records.ReportFile) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
