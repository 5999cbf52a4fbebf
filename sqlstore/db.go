// Package sqlstore implements the domain's services on SQLite
// (modernc.org/sqlite, no cgo) and PostgreSQL (jackc/pgx/v5) with one set of
// portable SQL. The few dialect differences live in this file: how ids are
// generated, how blobs are typed, and how parameters are written.
//
// Conventions that keep the SQL portable: timestamps are TEXT in RFC 3339
// (UTC, so they sort as text), dates are TEXT YYYY-MM-DD, flags are INTEGER
// 0/1, queries are written with ? placeholders and rebound for PostgreSQL.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"               // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ismsdk/isms"
)

// Dialect is the database kind behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

// DB is the store. SQLite gets one writer connection and a pool of
// read-only readers, which is how SQLite is fastest and never "busy";
// PostgreSQL uses one pool for both.
type DB struct {
	Dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	// stmts keeps the reads' statements prepared on SQLite's readers
	// (stmtcache.go); nil on PostgreSQL.
	stmts *stmtCache
	// noting is set while a use is being recorded, which background
	// counts with anything else running beside the requests (users.go).
	noting     atomic.Bool
	background sync.WaitGroup
	// texts keeps queries as they are run, textCount how many (text).
	texts     sync.Map
	textCount atomic.Int64
	// annexA keeps the shipped Annex A controls once read (catalogue.go).
	annexA atomic.Pointer[[]isms.RiskControlRef]
	// Now is the clock; tests set it. Every transaction freezes it once.
	Now func() time.Time
	// people is what joins of users read instead, per language (people.go).
	people map[string]string
	// kept holds the derived views computed from the records (derived.go).
	kept keptViews
	// TxObserver, when set (before the store is used), is told how long
	// each transaction was open and its kind, "read" or "write": the
	// operator's metrics (isms serve sets it). A read shared by a page's
	// snapshot counts once, from its begin to its end.
	TxObserver func(kind string, d time.Duration)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn, a file path for SQLite or a postgres:// URL, and
// brings the schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC() }}
	if IsPostgres(dsn) {
		db.Dialect = Postgres
		p, err := sql.Open("pgx", postgresDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// As many kept idle as may be open: a connection closed because
		// the pool had more than it keeps idle is opened again by the
		// next burst of requests, at the cost of a new session (and of its
		// prepared statements) each time.
		p.SetMaxOpenConns(20)
		p.SetMaxIdleConns(20)
		p.SetConnMaxIdleTime(5 * time.Minute)
		db.writer, db.reader = p, p
	} else {
		db.Dialect = SQLite
		// The path is part of a URI: a '#' or '?' in a folder's name would
		// otherwise end it early and open another file.
		path := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(dsn)
		base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
		w, err := sql.Open("sqlite", base+"&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// Readers are kept open (database/sql keeps two idle unless
		// told): a reader opened again costs its pragmas and the
		// statements prepared on it (stmtcache.go).
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		db.writer, db.reader = w, r
		db.stmts = newStmtCache(r, 256)
	}
	if err := db.writer.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.loadPeople(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connections.
func (db *DB) Close() error {
	db.background.Wait()
	if db.stmts != nil {
		db.stmts.close()
	}
	err := db.writer.Close()
	if db.reader != db.writer {
		if e := db.reader.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers (for /readyz).
// It takes a reader of its own, so the request's snapshot lets its reader go.
func (db *DB) Ping(ctx context.Context) error {
	db.leaveSnapshot(ctx)
	return db.reader.PingContext(ctx)
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Queries in
// this package never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if db.Dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// schemaSQL fills in the dialect's words in a migration.
func (db *DB) schemaSQL(s string) string {
	if db.Dialect == Postgres {
		s = strings.ReplaceAll(s, "{{ID}}", "BIGSERIAL PRIMARY KEY")
		s = strings.ReplaceAll(s, "{{BLOB}}", "BYTEA")
	} else {
		s = strings.ReplaceAll(s, "{{ID}}", "INTEGER PRIMARY KEY AUTOINCREMENT")
		s = strings.ReplaceAll(s, "{{BLOB}}", "BLOB")
	}
	return s
}

// Tx is one unit of work: a database transaction with the time frozen at
// its start and the actor it runs for.
type Tx struct {
	tx    *sql.Tx
	db    *DB
	ctx   context.Context
	now   time.Time
	actor *isms.Actor
	// memo keeps answers that several steps of one read ask for, while a
	// step that asks the same question many times (the checklist) runs;
	// nil otherwise. See remember in memo.go.
	memo map[string]any
	// writing is set in a write transaction; locks names the write locks
	// it holds (see lock.go).
	writing bool
	locks   map[string]bool
	// accessOf keeps the actor's access per organisation once resolved
	// (access.go).
	accessOf map[accessKey]isms.Access
	// lang is the reader's language, for a former user's name (people.go).
	lang string
	// audited names the organisations whose audit chain this transaction
	// advanced (derived.go).
	audited map[int64]bool
	// kept holds what a read of a request's snapshot read, for its other
	// reads (snapshot.go); nil outside a snapshot.
	kept map[string]any
}

// Now is the transaction's frozen time.
func (tx *Tx) Now() time.Time { return tx.now }

// Today is the transaction's calendar day.
func (tx *Tx) Today() isms.Date { return isms.DateOf(tx.now) }

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	if err := textArgs(args); err != nil {
		return nil, err
	}
	r, err := tx.tx.ExecContext(tx.ctx, tx.db.rebind(q), args...)
	return r, translate(err)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if err := textArgs(args); err != nil {
		return nil, err
	}
	if st := tx.prepared(q); st != nil {
		r, err := st.QueryContext(tx.ctx, args...)
		return r, translate(err)
	}
	r, err := tx.tx.QueryContext(tx.ctx, tx.text(q), args...)
	return r, translate(err)
}

// text is q as the transaction runs it: former users marked for its
// reader (people.go) and, on PostgreSQL, rebound. Both are worked out once
// per query and kept: the marking is a regular expression over the query,
// and a page runs a score of queries.
func (tx *Tx) text(q string) string {
	key := textKey{q, tx.lang, tx.writing}
	if s, ok := tx.db.texts.Load(key); ok {
		return s.(string)
	}
	s := tx.db.rebind(tx.people(q))
	// The package's queries have a bounded number of shapes, but some
	// are built (IN lists of any length): past a bound, the rest are
	// worked out each time.
	if tx.db.textCount.Add(1) <= 4096 {
		tx.db.texts.Store(key, s)
	}
	return s
}

// textKey names a query as a transaction runs it (text).
type textKey struct {
	q, lang string
	writing bool
}

// prepared is q's statement prepared on SQLite's readers, for a read
// transaction there; nil otherwise.
func (tx *Tx) prepared(q string) *sql.Stmt {
	if tx.writing || tx.db.stmts == nil {
		return nil
	}
	st := tx.db.stmts.get(stmtKey{tx.lang, q}, func() string { return tx.text(q) })
	if st == nil {
		return nil
	}
	return tx.tx.StmtContext(tx.ctx, st)
}

func (tx *Tx) queryRow(q string, args ...any) scanner {
	if err := textArgs(args); err != nil {
		return refusedRow{err}
	}
	if st := tx.prepared(q); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.text(q), args...)
}

// insert runs an INSERT and returns the new row's id.
func (tx *Tx) insert(q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(q+" RETURNING id", args...).Scan(&id)
	return id, translate(err)
}

// count runs a query that returns one integer.
func (tx *Tx) count(q string, args ...any) (int, error) {
	var n int
	err := tx.queryRow(q, args...).Scan(&n)
	return n, translate(err)
}

// read runs fn in a read-only transaction, so it sees one consistent state.
// On PostgreSQL that takes REPEATABLE READ: under the default READ COMMITTED
// each statement would see its own snapshot. A SQLite read transaction
// keeps one snapshot from its first read. op names the store method, for
// the log (see opError).
//
// Within a Snapshot, reads share its transaction (snapshot.go).
func (db *DB) read(ctx context.Context, op string, fn func(tx *Tx) error) error {
	if s := db.snapshotOf(ctx); s != nil {
		if shared, err := s.readIn(ctx, op, fn); shared {
			return err
		}
	}
	t, err := db.reader.BeginTx(ctx, db.readOptions())
	if err != nil {
		return opError(op, fmt.Errorf("begin read: %w", err))
	}
	defer db.observeTx("read", time.Now())
	defer t.Rollback()
	return opError(op, fn(&Tx{tx: t, db: db, ctx: ctx, now: db.Now().UTC(), actor: isms.ActorFrom(ctx), lang: isms.LanguageFrom(ctx)}))
}

// observeTx tells the TxObserver about a transaction of kind that began
// at start and has ended.
func (db *DB) observeTx(kind string, start time.Time) {
	if db.TxObserver != nil {
		db.TxObserver(kind, time.Since(start))
	}
}

// Pools are the database's connection pools by name, for the operator's
// metrics: SQLite's one writer and its readers, or PostgreSQL's one pool.
func (db *DB) Pools() map[string]*sql.DB {
	if db.reader == db.writer {
		return map[string]*sql.DB{"postgres": db.writer}
	}
	return map[string]*sql.DB{"sqlite_write": db.writer, "sqlite_read": db.reader}
}

// readOptions are a read transaction's: on PostgreSQL one snapshot for all
// its statements (see read).
func (db *DB) readOptions() *sql.TxOptions {
	if db.Dialect == Postgres {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{}
}

// view is a read for anyone who may see the organisation's ISMS: the
// role check, then fn's one result. Most read methods are exactly that.
func view[T any](db *DB, ctx context.Context, op string, orgID int64, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.read(ctx, op, func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, err = fn(tx)
		return err
	})
	return out, err
}

// write runs fn in a transaction and commits it when fn succeeds. The role
// check, the version check, the change and its audit event all happen in fn,
// so either all of them land or none. op names the store method, as for
// read.
func (db *DB) write(ctx context.Context, op string, fn func(tx *Tx) error) error {
	// The reads after a write see it: they leave the request's snapshot.
	if s := db.snapshotOf(ctx); s != nil {
		s.left.Store(true)
	}
	t, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return opError(op, fmt.Errorf("begin: %w", translate(err)))
	}
	defer db.observeTx("write", time.Now())
	defer t.Rollback()
	tx := &Tx{tx: t, db: db, ctx: ctx, now: db.Now().UTC(), actor: isms.ActorFrom(ctx), lang: isms.LanguageFrom(ctx), writing: true}
	if err := fn(tx); err != nil {
		return opError(op, err)
	}
	if err := tx.markUnauditedChanges(); err != nil {
		return opError(op, err)
	}
	if err := t.Commit(); err != nil {
		return opError(op, fmt.Errorf("commit: %w", translate(err)))
	}
	return nil
}

// opError names the store method in an unexpected error, once, so the log
// line says which method failed; the steps inside return their errors
// bare. A domain error (*isms.Error) is what the caller acts on and shows
// translated, so it passes unchanged. The wrap keeps the cause reachable
// for errors.Is and errors.As (sql.ErrNoRows, context.Canceled, the
// package's sentinels).
func opError(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *isms.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("sqlstore.%s: %w", op, err)
}

// translate turns driver errors into domain errors where the user can act
// on them, and leaves the rest for the log. Each driver's error is known by
// its code, never its message: PostgreSQL's SQLSTATE and SQLite's extended
// result code.
func translate(err error) error {
	if err == nil {
		return nil
	}
	switch driverErrorKind(err) {
	case errDuplicate:
		return &isms.Error{Code: isms.EConflict, Key: "err.duplicate"}
	case errUnknownReference:
		return &isms.Error{Code: isms.EInvalid, Key: "err.unknown_reference"}
	case errBusy:
		// Two writers waited on each other and the database refused this
		// one. Nothing of it is stored, and the same request again will
		// pass.
		return &isms.Error{Code: isms.EConflict, Key: "err.busy"}
	}
	return err
}

// The kinds of driver error translate answers.
const (
	errOther = iota
	errDuplicate
	errUnknownReference
	errBusy
)

// driverErrorKind reads the code of either driver's error.
func driverErrorKind(err error) int {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			return errDuplicate
		case "23503": // foreign_key_violation
			return errUnknownReference
		case "40P01", "40001": // deadlock_detected, serialization_failure
			return errBusy
		}
		return errOther
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch code := lite.Code(); {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errDuplicate
		case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errUnknownReference
		case code&0xff == sqlite3.SQLITE_BUSY:
			// SQLITE_BUSY and its extended codes (a snapshot gone stale,
			// the busy timeout spent).
			return errBusy
		}
	}
	return errOther
}

// Time and date columns are TEXT; these helpers write and read them.

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func parseTSPtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTS(s.String)
	return &t
}

func dateArg(d *isms.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func parseDatePtr(s sql.NullString) *isms.Date {
	if !s.Valid || s.String == "" {
		return nil
	}
	d, err := isms.ParseDate(s.String)
	if err != nil {
		return nil
	}
	return &d
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func int64Ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// notFound is the error for a record that does not exist or that the
// caller may not see; the two are indistinguishable on purpose.
func notFound(what string) error {
	return isms.Errorf(isms.ENotFound, "err.not_found", what)
}

// conflict is the error for a stale version.
func conflict() error {
	return isms.Errorf(isms.EConflict, "err.stale")
}

// checkVersion compares the version a caller sent with the record's
// current one, read under the organisation's write lock (lock.go), so a
// stale edit is refused whatever the database. Versions start at 1: a
// missing version (0) is a mistake in the request, not a conflict.
func checkVersion(have, sent int64) error {
	if sent == 0 {
		var v isms.Validation
		v.Add("version", "err.version_required")
		return v.Err()
	}
	if have != sent {
		return conflict()
	}
	return nil
}

// checkUpsertVersion is checkVersion for a record that exists once per
// organisation and may not be recorded yet (the scope, the risk method, a
// line of the SoA): version 0 then means "I saw none", and a first save
// that meets one made meanwhile is a conflict like any stale edit.
func checkUpsertVersion(have, sent int64) error {
	if have != sent {
		return conflict()
	}
	return nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
