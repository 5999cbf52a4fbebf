package sqlstore

import (
	"context"
	"fmt"
)

// RefreshStatistics brings the query planner's statistics up to date after
// a large load, as PostgreSQL's autovacuum would within a minute or so on
// its own. The load generator calls it so that measurements taken right
// after generating see the plans a running installation gets. SQLite keeps
// no statistics unless told to, and the product never tells it, so on
// SQLite this does nothing: measurements see what an installation sees.
func (db *DB) RefreshStatistics(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	if _, err := db.writer.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
