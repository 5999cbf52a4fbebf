package sqlstore

import "context"

// RiskTestCount runs a counting query, for the tests to see what a refused
// change left behind.
func (db *DB) RiskTestCount(ctx context.Context, q string) (int, error) {
	var n int
	err := db.read(ctx, "RiskTestCount", func(tx *Tx) (err error) {
		n, err = tx.count(q)
		return err
	})
	return n, err
}
