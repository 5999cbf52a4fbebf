package sqlstore

import (
	"context"

	"github.com/ismsdk/isms"
)

// RegisterQuery is one read behind a register's list as the store runs it
// on its database: the SQL as sent (placeholders and all) and its
// arguments, for a test to ask the database for its plan.
type RegisterQuery struct {
	SQL  string
	Args []any
}

// registerQueries turns a list's reads into what a read transaction sends.
func (tx *Tx) registerQueries(q listSQL) []RegisterQuery {
	return []RegisterQuery{{tx.db.rebind(tx.people(q.count)), q.countArgs}, {tx.db.rebind(tx.people(q.page)), q.pageArgs}}
}

// RiskListQueries are the risk register's count and page reads for a
// filter (Risks, and the register's API), and the read of the page's
// risks whole, for the ids given.
func (db *DB) RiskListQueries(ctx context.Context, orgID int64, f isms.RiskFilter, ids ...int64) ([]RegisterQuery, error) {
	var out []RegisterQuery
	err := db.read(ctx, "RiskListQueries", func(tx *Tx) error {
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		q, err := riskListSQL(tx.db.Dialect, m, orgID, f, tx.Today())
		out = append(tx.registerQueries(q), RegisterQuery{tx.db.rebind(tx.people(riskPageSQL(len(ids)))), append([]any{orgID}, int64sToAny(ids)...)})
		return err
	})
	return out, err
}

// EntryListQueries are a business-overview register's reads for a filter.
func (db *DB) EntryListQueries(ctx context.Context, orgID int64, f isms.EntryFilter) ([]RegisterQuery, error) {
	var out []RegisterQuery
	err := db.read(ctx, "EntryListQueries", func(tx *Tx) error {
		out = tx.registerQueries(entryListSQL(tx.db.Dialect, orgID, f, tx.Today()))
		return nil
	})
	return out, err
}

// DocumentListQueries are the documentation register's reads for a
// filter, as the caller in ctx reads it.
func (db *DB) DocumentListQueries(ctx context.Context, orgID int64, f isms.DocumentFilter) ([]RegisterQuery, error) {
	var out []RegisterQuery
	err := db.read(ctx, "DocumentListQueries", func(tx *Tx) error {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return err
		}
		out = tx.registerQueries(docListSQL(rd, orgID, f, tx.Today()))
		return nil
	})
	return out, err
}
