package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The reads of a Snapshot share one state: another writer's change made
// meanwhile is not seen, a change made in the snapshot's own context is
// seen by the reads after it, a read inside another read's work and a
// domain error leave the snapshot usable, and after it ends the reads see
// the database as it is.
func TestSnapshotReadsOneState(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		org := mustOrg(t, db, "Før")
		outside := asSystem()
		name := func(ctx context.Context) (string, int64) {
			t.Helper()
			o, err := db.Organisation(ctx, org.ID)
			if err != nil {
				t.Fatal(err)
			}
			return o.Name, o.Version
		}
		err := db.Snapshot(outside, func(ctx context.Context) error {
			if got, _ := name(ctx); got != "Før" {
				t.Errorf("first read: %q", got)
			}
			// Another request's write, not in this snapshot's context.
			o, err := db.UpdateOrganisation(outside, org.ID, isms.OrganisationInput{Name: "Imens", Version: org.Version})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := name(ctx); got != "Før" {
				t.Errorf("read after another's write: %q, want the snapshot's %q", got, "Før")
			}
			if _, err := db.Organisation(ctx, org.ID+1000); isms.ErrorCode(err) != isms.ENotFound {
				t.Errorf("an unknown organisation: %v", err)
			}
			if got, _ := name(ctx); got != "Før" {
				t.Errorf("read after a domain error: %q, want the snapshot's", got)
			}
			// This request's own write: the reads after it see it.
			if _, err := db.UpdateOrganisation(ctx, org.ID, isms.OrganisationInput{Name: "Efter", Version: o.Version}); err != nil {
				t.Fatal(err)
			}
			if got, _ := name(ctx); got != "Efter" {
				t.Errorf("read after the request's own write: %q", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := name(outside); got != "Efter" {
			t.Errorf("after the snapshot: %q", got)
		}
	})
}

// Many requests at once, each holding its snapshot's reader, on a store
// that has prepared nothing yet: none waits for a second reader (to
// prepare a statement, or for a read that cannot share the snapshot), so
// all of them finish.
func TestSnapshotsAtOnceDoNotWaitOnEachOther(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		org := mustOrg(t, db, "Mange")
		ctx, cancel := context.WithTimeout(asSystem(), 20*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Snapshot(ctx, func(ctx context.Context) error {
					if _, err := db.Organisation(ctx, org.ID); err != nil {
						return err
					}
					// Ping takes a reader of its own.
					if err := db.Ping(ctx); err != nil {
						return err
					}
					if _, err := db.Organisations(ctx); err != nil {
						return err
					}
					if _, err := db.Memberships(ctx, org.ID); err != nil {
						return err
					}
					return nil
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}
