package sqlstore

import (
	"context"

	"github.com/ismsdk/isms"
)

// The competence matrix (guide 2.5): computed from the roles, the needs
// and what people have, kept until the records change or the day turns.

func (tx *Tx) competenceMatrix(orgID int64) (*isms.CompetenceMatrix, error) {
	return keep(tx, orgID, "competence_matrix", func() (*isms.CompetenceMatrix, error) {
		roles, err := tx.roles(orgID, 0)
		if err != nil {
			return nil, err
		}
		needs, err := tx.needs(orgID)
		if err != nil {
			return nil, err
		}
		have, err := tx.competences(orgID, 0)
		if err != nil {
			return nil, err
		}
		return isms.BuildCompetenceMatrix(roles, needs, have, tx.Today()), nil
	})
}

// CompetenceMatrix is the gap view: each role's needs against its holders.
func (db *DB) CompetenceMatrix(ctx context.Context, orgID int64) (*isms.CompetenceMatrix, error) {
	return view(db, ctx, "CompetenceMatrix", orgID, func(tx *Tx) (*isms.CompetenceMatrix, error) { return tx.competenceMatrix(orgID) })
}
