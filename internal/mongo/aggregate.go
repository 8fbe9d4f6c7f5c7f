package mongo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renda/internal/records"
)

// Group counts the records matching g's filter in its townships, grouped
// by the values stored at g.Paths, in the database: one pipeline
//
//	$match (the filter) → $group (_id: township and the paths, n: $sum 1) → $limit
//
// per township's database under LayoutSplit, one for all townships asked
// under LayoutShared. Lists are grouped as stored, a whole list being one
// value (see records.Grouping for why). Townships unknown or hidden from
// the caller are NOT_FOUND, as in lists.
func (c *Collection[T, PT]) Group(ctx context.Context, g records.Grouping) ([]records.RawGroup, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	q := records.Query{Townships: g.Townships, Filter: g.Filter}
	towns, err := c.townships(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Filter, err = c.s.typedFilter(ctx, c.kind, towns, q.Filter); err != nil {
		return nil, err
	}
	id := bson.D{{Key: "t", Value: "$township"}}
	for i, p := range g.Paths {
		id = append(id, bson.E{Key: fmt.Sprintf("k%d", i), Value: "$" + p})
	}
	pipeline := func(match bson.D) mongo.Pipeline {
		return mongo.Pipeline{
			{{Key: "$match", Value: match}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
			{{Key: "$limit", Value: records.MaxRawGroups + 1}},
		}
	}
	var total, size atomic.Int64
	run := func(t string, match bson.D) ([]records.RawGroup, error) {
		if gs, ok := c.cachedGroups(t, pipeline(match)); ok {
			if total.Add(int64(len(gs))) > records.MaxRawGroups {
				return nil, tooManyGroups()
			}
			return gs, nil
		}
		db := c.coll(t).Database().Name()
		var gen uint64
		if c.s.serialize {
			gen = c.s.generationOf(db).Load()
		}
		cur, err := c.coll(t).Aggregate(ctx, pipeline(match))
		if err != nil {
			return nil, c.s.internal(ctx, "group "+string(c.kind), err)
		}
		defer cur.Close(ctx)
		var out []records.RawGroup
		for cur.Next(ctx) {
			if total.Add(1) > records.MaxRawGroups || size.Add(int64(len(cur.Current))) > records.MaxRawGroupBytes {
				return nil, tooManyGroups()
			}
			out = append(out, rawGroup(cur.Current, len(g.Paths)))
		}
		if err := cur.Err(); err != nil {
			return nil, c.s.internal(ctx, "group "+string(c.kind), err)
		}
		c.cacheGroups(t, pipeline(match), gen, out)
		return out, nil
	}
	if c.s.layout == LayoutShared || c.kind == records.KindTownship {
		return run("", c.sharedFilter(ctx, q, towns))
	}
	match := bson.D{}
	if !q.Filter.IsZero() {
		match = exprDoc(q.Filter)
	}
	per := make([][]records.RawGroup, len(towns))
	var mu sync.Mutex
	err = eachTownship(ctx, towns, func(i int, t string) error {
		gs, err := run(t, match)
		mu.Lock()
		per[i] = gs
		mu.Unlock()
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []records.RawGroup
	for _, gs := range per {
		out = append(out, gs...)
	}
	return out, nil
}

func tooManyGroups() error {
	return records.Errorf(records.EINVALID, "the records hold more than %d different combinations of the values asked for: filter them, or group by fewer or coarser fields", records.MaxRawGroups)
}

// rawGroup decodes one $group result: {_id: {t, k0 … kn}, n}.
func rawGroup(doc bson.Raw, paths int) records.RawGroup {
	g := records.RawGroup{Values: make([]any, paths)}
	id, _ := doc.Lookup("_id").DocumentOK()
	if t, ok := id.Lookup("t").StringValueOK(); ok {
		g.Township = t
	}
	for i := range paths {
		if v, err := id.LookupErr(fmt.Sprintf("k%d", i)); err == nil {
			g.Values[i] = value(v)
		}
	}
	if n := number(doc.Lookup("n")); n > 0 {
		g.Count = int(n)
	}
	return g
}

// value decodes a stored value into the Go types records.RawGroup names.
func value(v bson.RawValue) any {
	switch v.Type {
	case bson.TypeString:
		return v.StringValue()
	case bson.TypeInt32:
		return int64(v.Int32())
	case bson.TypeInt64:
		return v.Int64()
	case bson.TypeDouble:
		return v.Double()
	case bson.TypeBoolean:
		return v.Boolean()
	case bson.TypeDateTime:
		return v.Time().UTC()
	case bson.TypeArray:
		vals, _ := v.Array().Values()
		out := make([]any, len(vals))
		for i, x := range vals {
			out[i] = value(x)
		}
		return out
	case bson.TypeEmbeddedDocument:
		elems, _ := v.Document().Elements()
		out := make(map[string]any, len(elems))
		for _, e := range elems {
			out[e.Key()] = value(e.Value())
		}
		return out
	case bson.TypeNull, bson.TypeUndefined:
		return nil
	}
	return v.String()
}

// ResolveTownships checks the townships a read asks for (nil: all the
// caller may see) and returns them: an unknown or hidden one is NOT_FOUND
// on "township" (one asked) or "townships.N".
func (s *Store) ResolveTownships(ctx context.Context, asked []string) ([]string, error) {
	field := "townships"
	if len(asked) == 1 {
		field = "township"
	}
	return s.townshipsFor(ctx, asked, field)
}

// groupCache keeps the groups a township's database answered, with the
// write generation they were read at: while no write to that database has
// started since, the same grouping is answered from memory. Dashboards ask
// the same groupings again and again, and on the embedded store a
// grouping scans its collection (FerretDB v1 pushes no filter down). Only
// a store that serializes its writes in this process (the embedded one)
// caches: there, every write goes through its lock and moves the
// generation; instances of renda sharing a MongoDB could not know each
// other's writes.
type groupCache struct {
	off     atomic.Bool
	mu      sync.Mutex
	entries map[string]*groupEntry
	bytes   int
}

type groupEntry struct {
	gen    uint64
	groups []records.RawGroup
	size   int
	used   uint64
}

// Cache bounds: the entries together, and one entry.
const (
	maxGroupCacheBytes = 32 << 20
	maxGroupEntryBytes = 1 << 20
)

var groupClock atomic.Uint64

func (c *Collection[T, PT]) groupKey(t string, p mongo.Pipeline) (string, string, bool) {
	b, err := bson.Marshal(bson.D{{Key: "p", Value: p}})
	if err != nil {
		return "", "", false
	}
	db := c.coll(t).Database().Name()
	return db + "|" + string(c.kind) + "|" + string(b), db, true
}

// cachedGroups answers a grouping from the cache if nothing was written
// to its database since it was read.
func (c *Collection[T, PT]) cachedGroups(t string, p mongo.Pipeline) ([]records.RawGroup, bool) {
	if !c.s.serialize || c.s.layout != LayoutSplit || c.s.groups.off.Load() {
		return nil, false
	}
	key, db, ok := c.groupKey(t, p)
	if !ok {
		return nil, false
	}
	gc := &c.s.groups
	gc.mu.Lock()
	defer gc.mu.Unlock()
	e, ok := gc.entries[key]
	if !ok || e.gen != c.s.generationOf(db).Load() {
		return nil, false
	}
	e.used = groupClock.Add(1)
	return append([]records.RawGroup(nil), e.groups...), true
}

// cacheGroups keeps groups read at generation gen, unless a write started
// meanwhile; the least recently used entries make room.
func (c *Collection[T, PT]) cacheGroups(t string, p mongo.Pipeline, gen uint64, groups []records.RawGroup) {
	if !c.s.serialize || c.s.layout != LayoutSplit {
		return
	}
	key, db, ok := c.groupKey(t, p)
	if !ok || c.s.generationOf(db).Load() != gen {
		return
	}
	size := len(key) + 64
	for _, g := range groups {
		size += 64 + 32*len(g.Values)
	}
	if size > maxGroupEntryBytes {
		return
	}
	gc := &c.s.groups
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.entries == nil {
		gc.entries = map[string]*groupEntry{}
	}
	if old, ok := gc.entries[key]; ok {
		gc.bytes -= old.size
	}
	for gc.bytes+size > maxGroupCacheBytes && len(gc.entries) > 0 {
		var oldest string
		var at uint64 = ^uint64(0)
		for k, e := range gc.entries {
			if e.used < at {
				oldest, at = k, e.used
			}
		}
		gc.bytes -= gc.entries[oldest].size
		delete(gc.entries, oldest)
	}
	gc.entries[key] = &groupEntry{gen: gen, groups: groups, size: size, used: groupClock.Add(1)}
	gc.bytes += size
}

// CacheGroupings turns the cache of groupings on (the default) or off, for
// benchmarks that measure the database's own work.
func (s *Store) CacheGroupings(on bool) { s.groups.off.Store(!on) }
