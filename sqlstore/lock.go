package sqlstore

import (
	"fmt"
	"hash/fnv"
	"strconv"
)

// Write locks: how a write stays correct with several writers.
//
// SQLite has one writer connection, so its write transactions run one after
// another and every rule below holds by construction. PostgreSQL runs write
// transactions side by side at READ COMMITTED: a version compared in Go
// after a plain SELECT would let two writers both pass, and a rule that
// spans rows ("one draft per document", "at most five failed logins") would
// be checked by each against a state the other is about to change.
//
// The store therefore gives every write a named lock that it takes before it
// reads anything it will decide on. Each organisation has one: its write
// lock, taken by access() in every write transaction, so any store method
// that checks the caller's role in an organisation (and every one must) has
// serialised itself against every other writer of that organisation before
// its first read of the organisation's records. Under READ COMMITTED each
// statement after the lock sees everything its predecessors committed, so
// the version compared, the rows counted and the "before" written to the
// audit event are exactly the state the write replaces, on one instance or
// many (the lock lives in the database, not in the process).
//
// Why a lock per organisation rather than the alternatives:
//   - a version in every UPDATE's predicate covers one row, not the rules
//     that span rows, and every new statement would have to remember it;
//   - SERIALIZABLE with retries covers everything but re-runs whole writes
//     under contention, and the audit chain's head row makes every write to
//     an organisation conflict with every other anyway;
//   - one organisation's writes are few and short, and they serialise on the
//     audit chain's head already; taking the lock first costs no
//     concurrency that exists, while organisations still write in parallel.
//
// A transaction that needs the site's lock and an organisation's takes the
// site's first (lock refuses the other order), so two writers never wait on
// each other in a circle. Two organisations' locks in one transaction (a
// parent and its child) are taken parent first by the code that needs both;
// PostgreSQL would detect a circle and refuse one of them rather than hang.
//
// Writes outside an organisation take a lock named for what they protect:
// the site (users, organisations, the site's audit chain, organisation 0)
// or one throttling key. audit() refuses to chain an event for an
// organisation whose lock the transaction does not hold, so a forgotten
// lock fails every test on both databases, not only on PostgreSQL.
//
// On PostgreSQL a lock is pg_advisory_xact_lock on a 64-bit hash of its
// name: it is held to the end of the transaction and released after the
// commit is visible. Two names with one hash only serialise more than
// needed.

// lock takes the named write lock for the rest of the transaction. It is a
// no-op in a read transaction and on SQLite (whose single writer already
// holds everything), but it is recorded on both, so that holds() answers
// the same on both databases.
func (tx *Tx) lock(name string) error {
	if !tx.writing {
		return fmt.Errorf("store: write lock %q taken in a read transaction", name)
	}
	if tx.locks[name] {
		return nil
	}
	// One order for every transaction, so two writers never wait on each
	// other in a circle: the site's lock before any organisation's.
	if name == organisationLock(0) && len(tx.locks) > 0 {
		return fmt.Errorf("store: the site's write lock must be taken before any other (held: %v)", tx.locks)
	}
	if tx.db.Dialect == Postgres {
		h := fnv.New64a()
		h.Write([]byte(name))
		if _, err := tx.exec("SELECT pg_advisory_xact_lock(?)", int64(h.Sum64())); err != nil {
			return fmt.Errorf("take write lock %q: %w", name, err)
		}
	}
	if tx.locks == nil {
		tx.locks = map[string]bool{}
	}
	tx.locks[name] = true
	return nil
}

// holds reports whether the transaction holds the named lock.
func (tx *Tx) holds(name string) bool { return tx.locks[name] }

// organisationLock names an organisation's write lock. Organisation 0 is
// the site: users, organisations and the site's audit chain.
func organisationLock(orgID int64) string { return "organisation:" + strconv.FormatInt(orgID, 10) }

// lockOrganisation takes an organisation's write lock. access() takes it in
// every write transaction; system writes that act without a caller (the
// demo, the generator, reminders) take it themselves.
func (tx *Tx) lockOrganisation(orgID int64) error { return tx.lock(organisationLock(orgID)) }

// lockSite takes the site's write lock, for users, sessions' owners and
// the site-wide audit chain.
func (tx *Tx) lockSite() error { return tx.lockOrganisation(0) }
