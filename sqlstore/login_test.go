package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

const rightPassword = "correct horse battery" // mustUser's password

const throttleWindowForTest = 15 * time.Minute

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		u := mustUser(t, db, "user@login.example")
		login := func(password, client string) error {
			_, err := db.Authenticate(ctx, u.Email, password, client)
			return err
		}
		fail := func(n int, client string) {
			t.Helper()
			for i := 0; i < n; i++ {
				wantCode(t, login("wrong password", client), isms.EUnauthorized)
				now = now.Add(time.Minute)
			}
		}

		// Four failures, then the right password: in, and the count starts over.
		fail(4, "192.0.2.1")
		if err := login(rightPassword, "192.0.2.1"); err != nil {
			t.Fatalf("login after four failures: %v", err)
		}
		// So four more failures do not block either.
		fail(4, "192.0.2.1")
		if got, err := db.Authenticate(ctx, "  USER@login.example ", rightPassword, "192.0.2.1"); err != nil || got.ID != u.ID {
			t.Fatalf("login after the count was reset: %v", err)
		}

		// Five failures from one client: the sixth attempt from that client
		// must wait a minute after the last failure, even with the right
		// password, and the wait doubles with each further failure. The
		// address is normalised before it is counted.
		fail(5, "192.0.2.1") // the last failure is one minute ago now
		now = now.Add(-30 * time.Second)
		wantCode(t, login(rightPassword, "192.0.2.1"), isms.ETooMany)
		_, err := db.Authenticate(ctx, "User@Login.Example", rightPassword, "192.0.2.1")
		wantCode(t, err, isms.ETooMany)
		// The same account from another client is not held up: nobody can
		// lock a known user out.
		if err := login(rightPassword, "198.51.100.7"); err != nil {
			t.Fatalf("the account from another client: %v", err)
		}
		now = now.Add(31 * time.Second)
		wantCode(t, login("wrong password", "192.0.2.1"), isms.EUnauthorized) // sixth failure: now two minutes
		now = now.Add(119 * time.Second)
		wantCode(t, login(rightPassword, "192.0.2.1"), isms.ETooMany)
		now = now.Add(2 * time.Second)
		if err := login(rightPassword, "192.0.2.1"); err != nil {
			t.Fatalf("login after the wait: %v", err)
		}
		// The right password started the pair over: five free failures again.
		fail(5, "192.0.2.1")
		now = now.Add(-59 * time.Second)
		wantCode(t, login(rightPassword, "192.0.2.1"), isms.ETooMany)
		// Failures that leave the window no longer count.
		now = now.Add(throttleWindowForTest)
		if err := login(rightPassword, "192.0.2.1"); err != nil {
			t.Fatalf("login after the window: %v", err)
		}

		// Another account is not blocked by this one's failures.
		fail(5, "192.0.2.1")
		other := mustUser(t, db, "other@login.example")
		if _, err := db.Authenticate(ctx, other.Email, rightPassword, "192.0.2.1"); err != nil {
			t.Fatalf("another account from the same address: %v", err)
		}
	})
}

// Many failures from one client address, over many e-mail addresses, block
// that address for every account.
func TestLoginThrottlingPerClient(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		u := mustUser(t, db, "victim@login.example")
		for i := 0; i < 30; i++ {
			_, err := db.Authenticate(ctx, fmt.Sprintf("guess%d@login.example", i), "guess", "203.0.113.5")
			wantCode(t, err, isms.EUnauthorized)
		}
		_, err := db.Authenticate(ctx, u.Email, rightPassword, "203.0.113.5")
		wantCode(t, err, isms.ETooMany)
		if _, err := db.Authenticate(ctx, u.Email, rightPassword, "198.51.100.1"); err != nil {
			t.Fatalf("login from another address: %v", err)
		}
	})
}
