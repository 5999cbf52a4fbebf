package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps the reads' statements prepared on SQLite's readers.
// SQLite parses and plans a statement each time it is prepared, and the
// driver prepares every query it is handed: for a page of short lookups
// that was most of the page's time. A statement prepared once through the
// pool is prepared again on each reader connection only the first time it
// runs there (database/sql keeps one per connection), and SQLite prepares
// it again by itself should the schema change.
//
// PostgreSQL needs none of this: pgx keeps its own cache of prepared
// statements on each connection.
//
// The queries are the package's own, with a bounded number of shapes, but
// some are built (filters, IN lists of any length), so the cache is
// bounded: when it is full, a statement is dropped to make room.
type stmtCache struct {
	db      *sql.DB
	max     int
	mu      sync.RWMutex
	m       map[stmtKey]*sql.Stmt
	pending map[stmtKey]bool // being prepared
	closed  bool
	wg      sync.WaitGroup
}

// stmtKey is a query as the package writes it, for a reader's language: the
// statement run is the query with former users marked in that language
// (people.go), which the cache then need not work out again.
type stmtKey struct{ lang, q string }

func newStmtCache(db *sql.DB, max int) *stmtCache {
	return &stmtCache{db: db, max: max, m: map[stmtKey]*sql.Stmt{}, pending: map[stmtKey]bool{}}
}

// get returns the prepared statement of key; nil when it is not prepared
// yet, and the query is then run the plain way. The first time, text() is
// prepared in the background: preparing through the pool takes a reader of
// its own, and a request that waited for one while holding its snapshot's
// (snapshot.go) could wait forever once every reader is held that way.
func (c *stmtCache) get(key stmtKey, text func() string) *sql.Stmt {
	c.mu.RLock()
	st, pending := c.m[key], c.pending[key]
	c.mu.RUnlock()
	if st != nil || pending {
		return st
	}
	c.mu.Lock()
	if c.m[key] != nil || c.pending[key] {
		c.mu.Unlock()
		return nil
	}
	c.pending[key] = true
	c.mu.Unlock()
	q := text()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st, err := c.db.PrepareContext(ctx, q)
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.pending, key)
		if err != nil || c.closed {
			// Tried again by a later use; the plain way reports the
			// error meanwhile.
			if st != nil {
				st.Close()
			}
			return
		}
		if len(c.m) >= c.max {
			// Any one: the map's order is as good as a random pick,
			// and a statement in use is finalised only after its
			// last use ends.
			for k, old := range c.m {
				delete(c.m, k)
				old.Close()
				break
			}
		}
		c.m[key] = st
	}()
	return nil
}

// close releases the statements, before the pool closes.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, st := range c.m {
		st.Close()
		delete(c.m, k)
	}
}
