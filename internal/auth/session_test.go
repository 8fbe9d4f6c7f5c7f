package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"renda/internal/auth"
)

// TestSessionIdle: a session unused for 30 minutes (the default) is
// refused and ended, however long it had to run; one in use runs to its
// absolute end (an hour here) and no further. Its last use is written at
// most once a minute.
func TestSessionIdle(t *testing.T) {
	srv := MustServer(t)
	c := srv.Client(t)
	c.Login("clerk-a")
	u, _ := url.Parse(srv.URL)
	sessionID := func(c *Client) string { // as stored: the SHA-256 of the cookie's token
		for _, k := range c.c.Jar.Cookies(u) {
			if k.Name == auth.CookieName {
				sum := sha256.Sum256([]byte(k.Value))
				return hex.EncodeToString(sum[:])
			}
		}
		t.Fatal("no session cookie")
		return ""
	}
	id := sessionID(c)
	lastUsed := func() time.Time {
		t.Helper()
		x, err := srv.Store.Credentials.Session(context.Background(), id)
		if err != nil {
			t.Fatalf("the session: %v", err)
		}
		return x.LastUsed
	}
	signedIn := srv.now.Now()
	if !lastUsed().Equal(signedIn) {
		t.Fatalf("a new session last used %v, want %v", lastUsed(), signedIn)
	}
	ask := func() result { return c.Do(`{ deputies { totalCount } }`, nil) }

	srv.now.Add(29 * time.Minute)
	c.MustOK(`{ deputies { totalCount } }`, nil)
	if got := lastUsed(); !got.Equal(signedIn.Add(29 * time.Minute)) {
		t.Fatalf("last use after a request 29 minutes on: %v, want %v", got, signedIn.Add(29*time.Minute))
	}
	srv.now.Add(30 * time.Second)
	c.MustOK(`{ deputies { totalCount } }`, nil)
	if got := lastUsed(); !got.Equal(signedIn.Add(29 * time.Minute)) {
		t.Fatalf("last use after a request 30 s after the one before: %v, want it not written again", got)
	}
	srv.now.Add(29 * time.Minute) // 29.5 minutes after the last use written
	c.MustOK(`{ deputies { totalCount } }`, nil)
	srv.now.Add(2 * time.Minute) // an hour and a bit after sign-in, in use throughout
	if r := ask(); r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "your session has ended") {
		t.Fatalf("a session in use past its absolute end: %s, want UNAUTHENTICATED", r.Raw)
	}

	c = srv.Client(t)
	c.Login("clerk-a")
	id = sessionID(c)
	srv.now.Add(30 * time.Minute)
	r := ask()
	if r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "your session has ended after 30m0s unused") {
		t.Fatalf("a session unused for 30 minutes: %s, want UNAUTHENTICATED saying it ended unused", r.Raw)
	}
	if _, err := srv.Store.Credentials.Session(context.Background(), id); err == nil {
		t.Fatal("the idle session is still stored, want it ended")
	}
}
