package sqlstore

import (
	"context"

	"github.com/ismsdk/isms"
)

// The organisation's awareness settings: the reach threshold of checklist
// question 4.6 and whether staff acknowledge the behaviour policy. Until
// the organisation saves its own, the defaults read as version 1, so the
// first update names the version it read like every later one.

const typeAwarenessSettings = "awareness_settings"

func (tx *Tx) awarenessSettings(orgID int64) (*isms.AwarenessSettings, error) {
	s := &isms.AwarenessSettings{ReachThreshold: isms.DefaultReachThreshold, Version: 1}
	var ack int
	err := tx.queryEach("SELECT reach_threshold, acknowledgement_wanted, version FROM awareness_settings WHERE organisation_id = ?", []any{orgID},
		func(row scanner) error { return row.Scan(&s.ReachThreshold, &ack, &s.Version) })
	s.AcknowledgementWanted = ack == 1
	return s, err
}

func settingsRecord(s *isms.AwarenessSettings) map[string]any {
	return map[string]any{"reach_threshold": s.ReachThreshold, "acknowledgement_wanted": s.AcknowledgementWanted}
}

// AwarenessSettings reads the organisation's awareness settings.
func (db *DB) AwarenessSettings(ctx context.Context, orgID int64) (*isms.AwarenessSettings, error) {
	return view(db, ctx, "AwarenessSettings", orgID, func(tx *Tx) (*isms.AwarenessSettings, error) { return tx.awarenessSettings(orgID) })
}

// UpdateAwarenessSettings changes the settings, refusing a stale version.
func (db *DB) UpdateAwarenessSettings(ctx context.Context, orgID int64, in isms.AwarenessSettings) (*isms.AwarenessSettings, error) {
	var s *isms.AwarenessSettings
	err := db.write(ctx, "UpdateAwarenessSettings", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.awarenessSettings(orgID)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if in.ReachThreshold < 1 || in.ReachThreshold > 100 {
			var v isms.Validation
			v.Add("reach_threshold", "awp.err.threshold")
			return v.Err()
		}
		if _, err := tx.exec("DELETE FROM awareness_settings WHERE organisation_id = ?", orgID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO awareness_settings (organisation_id, reach_threshold, acknowledgement_wanted, version, updated_at)
			VALUES (?, ?, ?, ?, ?)`, orgID, in.ReachThreshold, b2i(in.AcknowledgementWanted), before.Version+1, ts(tx.now)); err != nil {
			return err
		}
		if s, err = tx.awarenessSettings(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeAwarenessSettings, orgID, settingsRecord(before), settingsRecord(s))
	})
	return s, err
}
