package sqlstore

import (
	"context"

	"github.com/ismsdk/isms"
)

// RiskRuleIDs lists the organisation's risks as two rules written in SQL
// find them today: needing management's acceptance (the register's
// filter) and unsettled (the count of checklist question 3.1). The rules
// test holds them to the root package's Go rules.
func (db *DB) RiskRuleIDs(ctx context.Context, orgID int64) (needsAcceptance, unsettled map[int64]bool, err error) {
	needsAcceptance, unsettled = map[int64]bool{}, map[int64]bool{}
	err = db.read(ctx, func(tx *Tx) error {
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		today := tx.Today()
		where, args, err := riskWhere(m, isms.RiskFilter{NeedsAcceptance: true}, today)
		if err != nil {
			return err
		}
		for _, q := range []struct {
			sql  string
			args []any
			into map[int64]bool
		}{{"SELECT r.id FROM risks r" + where, append([]any{orgID}, args...), needsAcceptance},
			{"SELECT r.id FROM risks r WHERE r.organisation_id = ? AND " + riskUnsettledSQL(m), []any{orgID, today.String()}, unsettled}} {
			rows, err := tx.query(q.sql, q.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				q.into[id] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return needsAcceptance, unsettled, err
}
