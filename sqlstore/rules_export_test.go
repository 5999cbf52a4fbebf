package sqlstore

import (
	"context"

	"github.com/ismsdk/isms"
)

// RiskRulesInSQL says whether a risk is found, today, by two rules written
// in SQL: needing management's acceptance (the register's filter) and
// unsettled (the count of checklist question 3.1). The rules test holds
// them to the root package's Go rules.
func (db *DB) RiskRulesInSQL(ctx context.Context, orgID, riskID int64) (needsAcceptance, unsettled bool, err error) {
	err = db.read(ctx, "RiskRulesInSQL", func(tx *Tx) error {
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		today := tx.Today()
		where, args, err := riskWhere(tx.db.Dialect, m, isms.RiskFilter{NeedsAcceptance: true}, today)
		if err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM risks r"+where+" AND r.id = ?", append(append([]any{orgID}, args...), riskID)...)
		if err != nil {
			return err
		}
		u, err := tx.count("SELECT COUNT(*) FROM risks r WHERE r.organisation_id = ? AND r.id = ? AND "+riskUnsettledSQL(m), orgID, riskID, today.String())
		needsAcceptance, unsettled = n == 1, u == 1
		return err
	})
	return needsAcceptance, unsettled, err
}
