package sqlstore

import (
	"github.com/ismsdk/isms"
)

// annexAControls are the Annex A 2022 controls every risk can name, in
// their order. They are the shipped catalogue, which only a migration
// writes (before the store serves), so the store reads them once and keeps
// them: one risk's page no longer reads a hundred rows to name its few.
func (tx *Tx) annexAControls() ([]isms.RiskControlRef, error) {
	if p := tx.db.annexA.Load(); p != nil {
		return *p, nil
	}
	refs, err := queryAll(tx, scanRiskControlRef, `SELECT id, catalogue, ref, theme, title_da, title_en, organisation_id FROM controls
		WHERE organisation_id IS NULL AND catalogue = 'iso27001:2022' ORDER BY sort_key, id`)
	if err != nil {
		return nil, err
	}
	out := make([]isms.RiskControlRef, len(refs))
	for i, c := range refs {
		out[i] = *c
	}
	tx.db.annexA.Store(&out)
	return out, nil
}
