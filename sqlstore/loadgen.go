package sqlstore

import (
	"context"
	"fmt"
)

// RefreshStatistics brings a PostgreSQL database to the state autovacuum
// keeps a running installation in after a large load: dead row versions
// cleared (the visibility map set, so index-only scans stay index-only)
// and the planner's statistics current. The load generator calls it so
// that measurements taken right after generating see what a running
// installation sees. SQLite keeps no statistics unless told to, and the
// product never tells it, so on SQLite this does nothing.
func (db *DB) RefreshStatistics(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	if _, err := db.writer.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("vacuum analyze: %w", err)
	}
	return nil
}
