package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// The store's rules about versions, counts and "only one" must hold with
// real concurrent writers, on SQLite and PostgreSQL, from one instance and
// from two instances on the same database (lock.go says how). Each test
// below starts its writers together behind a barrier and counts outcomes.

// instances is how a test's writers reach the database: one store, or two
// stores on the same database as two server processes would have.
type instances struct {
	name string
	dbs  []*sqlstore.DB
}

func forEachInstances(t *testing.T, fn func(t *testing.T, raw *rawDB, in instances)) {
	t.Run("one instance", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, raw *rawDB) { fn(t, raw, instances{"one", []*sqlstore.DB{raw.DB}}) })
	})
	t.Run("two instances", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, raw *rawDB) {
			fn(t, raw, instances{"two", []*sqlstore.DB{raw.DB, raw.secondInstance(t)}})
		})
	})
}

// together runs n calls at once, alternating over the instances, and
// returns each call's error. The instances' connection pools are filled
// first, so that the calls meet in the database rather than queue for new
// connections.
func together(in instances, n int, call func(i int, db *sqlstore.DB) error) []error {
	var warm sync.WaitGroup
	for i := 0; i < n; i++ {
		warm.Add(1)
		go func(db *sqlstore.DB) { defer warm.Done(); db.Organisations(asSystem()) }(in.dbs[i%len(in.dbs)])
	}
	warm.Wait()
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			errs[i] = call(i, in.dbs[i%len(in.dbs)])
		}(i)
	}
	close(start)
	wg.Wait()
	return errs
}

// outcomes counts the errors by code ("" for success).
func outcomes(errs []error) map[string]int {
	m := map[string]int{}
	for _, err := range errs {
		m[isms.ErrorCode(err)]++
	}
	return m
}

func wantIntactChain(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	_, breaks, err := db.VerifyAudit(context.Background())
	if err != nil || len(breaks) > 0 {
		t.Fatalf("audit chain after concurrent writes: %v %+v", err, breaks)
	}
}

// 32 writers read the same version of a record and send their change with
// it: exactly one wins, the others are told their version is stale, the
// record holds the winner's change, and the one audit event's "before" is
// the state the winner replaced.
func TestConcurrentUpdatesOfOneVersionOneWins(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newFixture(t, raw.DB, "lost-update-"+in.name, nil)
		original := f.entry
		const writers = 32
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			_, err := db.UpdateOverviewEntry(as(f.user), f.org.ID, original.ID, isms.OverviewEntryInput{
				Name: fmt.Sprintf("Name from writer %d", i), Version: original.Version})
			return err
		})
		got := outcomes(errs)
		if got[""] != 1 || got[isms.EConflict] != writers-1 {
			t.Fatalf("outcomes %v, want 1 success and %d conflicts", got, writers-1)
		}
		winner := -1
		for i, err := range errs {
			if err == nil {
				winner = i
			}
		}
		e, err := raw.OverviewEntry(as(f.user), f.org.ID, original.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("Name from writer %d", winner); e.Name != want || e.Version != original.Version+1 {
			t.Fatalf("entry %q version %d, want %q version %d", e.Name, e.Version, want, original.Version+1)
		}
		events, _, err := raw.AuditEvents(as(f.user), f.org.ID, isms.AuditFilter{RecordType: "overview_entry", RecordID: original.ID})
		if err != nil {
			t.Fatal(err)
		}
		var updates []*isms.AuditEvent
		for _, ev := range events {
			if ev.Action == "update" {
				updates = append(updates, ev)
			}
		}
		if len(updates) != 1 {
			t.Fatalf("%d update events, want 1", len(updates))
		}
		var before, after struct {
			Name    string `json:"name"`
			Version int64  `json:"version"`
		}
		json.Unmarshal(updates[0].Before, &before)
		json.Unmarshal(updates[0].After, &after)
		if before.Name != original.Name || before.Version != original.Version || after.Name != e.Name {
			t.Fatalf("audit before %+v after %+v, want before %q v%d", before, after, original.Name, original.Version)
		}
		wantIntactChain(t, raw.DB)
	})
}

// A record updated by writers that each send the version they just read
// (a realistic retry loop) loses none of their changes: every success
// moved the version on by exactly one.
func TestConcurrentReadModifyWriteLosesNothing(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newFixture(t, raw.DB, "rmw-"+in.name, nil)
		const writers, rounds = 8, 5
		var mu sync.Mutex
		wins := 0
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			for done := 0; done < rounds; {
				e, err := db.OverviewEntry(as(f.user), f.org.ID, f.entry.ID)
				if err != nil {
					return err
				}
				_, err = db.UpdateOverviewEntry(as(f.user), f.org.ID, e.ID, isms.OverviewEntryInput{
					Name: fmt.Sprintf("writer %d round %d", i, done), Version: e.Version})
				switch isms.ErrorCode(err) {
				case "":
					done++
					mu.Lock()
					wins++
					mu.Unlock()
				case isms.EConflict:
				default:
					return err
				}
			}
			return nil
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		e, err := raw.OverviewEntry(as(f.user), f.org.ID, f.entry.ID)
		if err != nil {
			t.Fatal(err)
		}
		if wins != writers*rounds || e.Version != f.entry.Version+int64(wins) {
			t.Fatalf("%d successful updates, version %d, want %d and %d", wins, e.Version, writers*rounds, f.entry.Version+int64(writers*rounds))
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM audit_events WHERE record_type = 'overview_entry' AND record_id = ? AND action = 'update'", f.entry.ID); n != int64(wins) {
			t.Fatalf("%d update events for %d updates", n, wins)
		}
		wantIntactChain(t, raw.DB)
	})
}

// A rule across rows, not guarded by any one record's version: the last
// administrator of an organisation cannot be removed. Two removals of two
// different administrators at once leave one.
func TestConcurrentRemovalsKeepOneAdministrator(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		org := mustOrg(t, raw.DB, "Admins "+in.name)
		var ids []int64
		for i := 0; i < 4; i++ {
			u := mustUser(t, raw.DB, fmt.Sprintf("admin%d@%s.example", i, in.name))
			m, err := raw.AddMembership(asSystem(), org.ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleAdministrator})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		errs := together(in, len(ids), func(i int, db *sqlstore.DB) error {
			return db.RemoveMembership(asSystem(), org.ID, ids[i])
		})
		if got := outcomes(errs); got[""] != len(ids)-1 {
			t.Fatalf("outcomes %v, want %d removals", got, len(ids)-1)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND role = 'administrator'", org.ID); n != 1 {
			t.Fatalf("%d administrators left, want 1", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// 16 parallel "new version" calls on one document make one draft: a
// document has one open version at a time.
func TestConcurrentNewVersionsMakeOneDraft(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newDocFixture(t, raw.DB)
		d := f.doc(t, raw.DB, isms.DocumentInput{})
		const writers = 16
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			_, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: fmt.Sprintf("# Udkast %d", i), Version: d.Version})
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != writers-1 {
			t.Fatalf("outcomes %v, want 1 success and %d conflicts", got, writers-1)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM document_versions WHERE document_id = ? AND state = 'draft'", d.ID); n != 1 {
			t.Fatalf("%d drafts, want 1", n)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM audit_events WHERE record_type = 'document' AND record_id = ? AND action = 'doc_add_version'", d.ID); n != 1 {
			t.Fatalf("%d version events, want 1", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// Writers in different organisations do not wait for each other's lock to
// be correct, and every organisation's chain stays whole.
func TestConcurrentWritesAcrossOrganisations(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		var fs []*orgFixture
		for i := 0; i < 4; i++ {
			fs = append(fs, newFixture(t, raw.DB, fmt.Sprintf("across-%s-%d", in.name, i), nil))
		}
		errs := together(in, 24, func(i int, db *sqlstore.DB) error {
			f := fs[i%len(fs)]
			_, err := db.CreateOverviewEntry(as(f.user), f.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: fmt.Sprintf("System %d", i)})
			return err
		})
		if got := outcomes(errs); got[""] != 24 {
			t.Fatalf("outcomes %v, want 24 successes", got)
		}
		for _, f := range fs {
			if n := raw.int(t, "SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND kind = 'system'", f.org.ID); n != 6 {
				t.Fatalf("organisation %d has %d systems, want 6", f.org.ID, n)
			}
		}
		wantIntactChain(t, raw.DB)
	})
}

// Parallel wrong passwords from one client for one account are counted
// exactly: the free attempts are checked, every other one is refused
// before its password is looked at.
func TestConcurrentFailedLoginsAreCountedExactly(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		u := mustUser(t, raw.DB, "guessed@"+in.name+".example")
		const guesses = 22
		errs := together(in, guesses, func(i int, db *sqlstore.DB) error {
			_, err := db.Authenticate(context.Background(), u.Email, fmt.Sprintf("guess %d", i), "192.0.2.50")
			return err
		})
		if got := outcomes(errs); got[isms.EUnauthorized] != 5 || got[isms.ETooMany] != guesses-5 {
			t.Fatalf("outcomes %v, want 5 checked and %d refused", got, guesses-5)
		}
		// The account is not locked: its owner, at another address, gets in.
		if _, err := raw.Authenticate(context.Background(), u.Email, rightPassword, "198.51.100.50"); err != nil {
			t.Fatalf("the owner from another address: %v", err)
		}
	})
}

// Many clients guessing one account at once are each counted for
// themselves; none of them locks the account's owner out.
func TestConcurrentGuessesFromManyClientsDoNotLockTheOwnerOut(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		u := mustUser(t, raw.DB, "popular@"+in.name+".example")
		errs := together(in, 20, func(i int, db *sqlstore.DB) error {
			_, err := db.Authenticate(context.Background(), u.Email, "wrong password", fmt.Sprintf("203.0.113.%d", i))
			return err
		})
		if got := outcomes(errs); got[isms.EUnauthorized] != 20 {
			t.Fatalf("outcomes %v, want 20 checked", got)
		}
		if _, err := raw.Authenticate(context.Background(), u.Email, rightPassword, "198.51.100.60"); err != nil {
			t.Fatalf("the owner: %v", err)
		}
	})
}

// Two password changes with the same old password at once: one wins.
func TestConcurrentPasswordChangesOneWins(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		u := mustUser(t, raw.DB, "changer@"+in.name+".example")
		errs := together(in, 4, func(i int, db *sqlstore.DB) error {
			return db.ChangePassword(as(u), rightPassword, fmt.Sprintf("new password number %d", i), "192.0.2.70")
		})
		got := outcomes(errs)
		if got[""] != 1 {
			t.Fatalf("outcomes %v, want exactly one change", got)
		}
		for i, err := range errs {
			if err == nil {
				if _, err := raw.Authenticate(context.Background(), u.Email, fmt.Sprintf("new password number %d", i), "192.0.2.71"); err != nil {
					t.Fatalf("the winning password: %v", err)
				}
			}
		}
	})
}
