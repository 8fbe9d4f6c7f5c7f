package storetest

import (
	"context"
	"testing"

	"renda"
	"renda/internal/demo"
	"renda/internal/records"
)

// MustDemo opens a fresh store (see MustOpen) and loads the demo township,
// 棋盘山镇 (id qps), into it.
func MustDemo(tb testing.TB, opts ...Option) *records.Store {
	tb.Helper()
	return MustDemoOn(tb, Default(), opts...)
}

// MustDemoOn is MustDemo on the backend b.
func MustDemoOn(tb testing.TB, b Backend, opts ...Option) *records.Store {
	tb.Helper()
	s := MustOpenOn(tb, b, opts...)
	d, err := demo.Parse(renda.DemoTownship)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), s, d); err != nil {
		tb.Fatal(err)
	}
	return s
}
