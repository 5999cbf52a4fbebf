package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ismsdk/isms"
)

// Snapshot runs fn with a context in which the store's reads share one read
// transaction, opened by the first of them and ended when fn returns. A
// page reads through many store methods (the caller's session, the
// organisation and their access to it, then what the page shows), and each
// was a transaction of its own: on PostgreSQL a BEGIN and a ROLLBACK each,
// and the caller's access read again in each. In one transaction the page
// also reads one consistent state.
//
// It is for requests that only read. A write in the context is allowed and
// sees nothing of the snapshot; the reads after it leave the snapshot and
// open their own transactions, so they see what it wrote. So do reads
// that cannot share it: one inside another's fn or running beside it, and
// any after a read failed other than with a domain error (on PostgreSQL a
// failed statement ends the transaction's use).
func (db *DB) Snapshot(ctx context.Context, fn func(ctx context.Context) error) error {
	s := &snapshot{db: db, ctx: ctx}
	defer s.end()
	return fn(context.WithValue(ctx, snapshotKey{}, s))
}

type snapshotKey struct{}

// snapshot is the shared read transaction of a Snapshot.
type snapshot struct {
	db  *DB
	ctx context.Context
	// left is set by a write, or by a read that goes to the database
	// another way (documents_content.go): the next read ends the
	// transaction instead of using it.
	left atomic.Bool
	// mu is held by the read using the transaction; one that finds it
	// held opens its own.
	mu       sync.Mutex
	tx       *sql.Tx
	began    time.Time // when tx began, for DB.TxObserver
	done     bool
	accessOf map[accessKey]isms.Access
	// kept is what the reads keep for each other (Tx.kept): the state
	// they read cannot change while they share it.
	kept map[string]any
}

func (db *DB) snapshotOf(ctx context.Context) *snapshot {
	if s, ok := ctx.Value(snapshotKey{}).(*snapshot); ok && s.db == db {
		return s
	}
	return nil
}

// leaveSnapshot gives up the context's snapshot: its reads open their own
// transactions from now on, and the shared one is ended as soon as no read
// uses it.
func (db *DB) leaveSnapshot(ctx context.Context) {
	s := db.snapshotOf(ctx)
	if s == nil {
		return
	}
	s.left.Store(true)
	if s.mu.TryLock() {
		s.endLocked()
		s.mu.Unlock()
	}
}

// readIn runs a read in the snapshot; shared is false when the read must
// open its own transaction instead.
func (s *snapshot) readIn(ctx context.Context, op string, fn func(tx *Tx) error) (shared bool, err error) {
	if !s.mu.TryLock() {
		return false, nil
	}
	defer s.mu.Unlock()
	if s.done || s.left.Load() {
		s.endLocked()
		return false, nil
	}
	if s.tx == nil {
		t, err := s.db.reader.BeginTx(s.ctx, s.db.readOptions())
		if err != nil {
			s.done = true
			return true, opError(op, fmt.Errorf("begin read: %w", err))
		}
		s.tx, s.began = t, time.Now()
	}
	if s.kept == nil {
		s.kept = map[string]any{}
	}
	tx := &Tx{tx: s.tx, db: s.db, ctx: ctx, now: s.db.Now().UTC(), actor: isms.ActorFrom(ctx), lang: isms.LanguageFrom(ctx),
		accessOf: s.accessOf, kept: s.kept}
	err = fn(tx)
	s.accessOf = tx.accessOf
	var de *isms.Error
	if err != nil && !errors.As(err, &de) {
		s.endLocked()
	}
	return true, opError(op, err)
}

// endLocked ends the shared transaction, with mu held.
func (s *snapshot) endLocked() {
	if s.tx != nil {
		s.tx.Rollback()
		s.tx = nil
		s.db.observeTx("read", s.began)
	}
	s.done = true
}

func (s *snapshot) end() {
	s.mu.Lock()
	s.endLocked()
	s.mu.Unlock()
}
