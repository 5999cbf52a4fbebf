package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

const rightPassword = "correct horse battery" // mustUser's password

func TestLoginThrottling(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
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

		// Five failures within the window block the sixth attempt, even
		// with the right password and from another address.
		fail(5, "192.0.2.1")
		wantCode(t, login(rightPassword, "192.0.2.1"), isms.ETooMany)
		wantCode(t, login(rightPassword, "198.51.100.7"), isms.ETooMany)
		// The address is normalised before it is counted.
		_, err := db.Authenticate(ctx, "User@Login.Example", rightPassword, "192.0.2.1")
		wantCode(t, err, isms.ETooMany)
		// The window slides: 14 minutes after the first of the five
		// failures it still blocks; once the oldest failures have left the
		// window, the right password works again (blocked attempts are not
		// counted as failures).
		now = now.Add(9 * time.Minute)
		wantCode(t, login(rightPassword, "192.0.2.1"), isms.ETooMany)
		now = now.Add(2 * time.Minute)
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
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
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
