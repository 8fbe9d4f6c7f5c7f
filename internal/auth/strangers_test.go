package auth

import (
	"fmt"
	"testing"
	"time"
)

// TestStrangersBounded: a flood of unknown names keeps at most
// maxStrangers of them in memory, and pushes out new names, not one that
// is locked or one close to its lock, so a flood cannot unlock a name or
// reset its count.
func TestStrangersBounded(t *testing.T) {
	var b strangers
	now := time.Now()
	for range MaxFailures {
		if err := b.count("locked-name", now); err != nil {
			t.Fatal(err)
		}
	}
	for range MaxFailures - 1 {
		if err := b.count("almost-locked", now); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2*maxStrangers + 10 {
		now = now.Add(time.Millisecond)
		if err := b.count(fmt.Sprint("flood-", i), now); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(b.m); n > maxStrangers {
		t.Fatalf("%d unknown names kept, want at most %d", n, maxStrangers)
	}
	if err := b.count("locked-name", now); err == nil {
		t.Error("a locked unknown name was let in after a flood of others")
	}
	b.count("almost-locked", now) // its fifth failure: locked from now on
	if err := b.count("almost-locked", now); err == nil {
		t.Error("a name four failures from its lock lost its count in a flood of others")
	}
}
