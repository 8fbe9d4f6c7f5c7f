package mongo_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	store "renda/internal/mongo"
	"renda/internal/records"
	"renda/internal/storetest"
)

// tamperer changes the audit collection behind the store's back.
type tamperer struct{ s *store.Store }

type raw = interface {
	UpdateOne(context.Context, any, any) error
	DeleteOne(context.Context, any) error
}

func (x tamperer) do(tb testing.TB, f func(ctx context.Context, c raw) error) {
	tb.Helper()
	if err := x.s.TamperAudit(f); err != nil {
		tb.Fatal(err)
	}
}

func seq(n int64) bson.D { return bson.D{{Key: "seq", Value: n}} }

func set(k string, v any) bson.D { return bson.D{{Key: "$set", Value: bson.D{{Key: k, Value: v}}}} }

func (x tamperer) Edit(tb testing.TB, n int64) {
	x.do(tb, func(ctx context.Context, c raw) error {
		return c.UpdateOne(ctx, seq(n), set("note", "nothing happened"))
	})
}

func (x tamperer) Remove(tb testing.TB, n int64) {
	x.do(tb, func(ctx context.Context, c raw) error { return c.DeleteOne(ctx, seq(n)) })
}

func (x tamperer) Swap(tb testing.TB, a, b int64) {
	x.do(tb, func(ctx context.Context, c raw) error {
		for _, s := range [][2]int64{{a, -1}, {b, a}, {-1, b}} {
			if err := c.UpdateOne(ctx, seq(s[0]), set("seq", s[1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestAuditTamper: an edited, a removed and a reordered entry are each
// found, and named.
func TestAuditTamper(t *testing.T) {
	storetest.AuditTamper(t, func(t *testing.T) (*records.Store, storetest.Tamperer) {
		s := storetest.MustMongo(t)
		return s.Records(), tamperer{s}
	})
}
