package storetest

import (
	"context"
	"testing"

	"renda"
	"renda/internal/demo"
	"renda/internal/store"
)

// MustDemo opens a fresh database (see MustOpen) and loads the demo
// township, 棋盘山镇 (id qps), into it.
func MustDemo(tb testing.TB, opts ...func(*store.Options)) *store.Store {
	tb.Helper()
	s := MustOpen(tb, opts...)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), s, d); err != nil {
		tb.Fatal(err)
	}
	return s
}
