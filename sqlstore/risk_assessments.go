package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"github.com/ismsdk/isms"
)

// Risk assessments (clause 8.2): the assessment of one asset, process or
// scenario, holding its risks. Completing it records the day, the next
// reassessment and the asset's needs it was made against; a change of
// those needs in the business overview, a new threat or a coordinator's
// mark makes it due again ahead of time.

const assessmentFrom = ` FROM risk_assessments ra
	LEFT JOIN assets a ON a.id = ra.asset_id AND a.organisation_id = ra.organisation_id
	LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
	LEFT JOIN users o ON o.id = ra.owner_id
	LEFT JOIN users ab ON ab.id = ra.assessed_by
	LEFT JOIN users mb ON mb.id = ra.mark_by`

// assessmentColumns is worked out once: it is in every read of an
// assessment.
var assessmentColumns = sync.OnceValue(func() string {
	return `ra.id, ra.organisation_id, ra.title, ra.asset_id, COALESCE(e.name, a.name, ''), COALESCE(a.kind, ''), a.entry_id, ra.scenario,
	ra.description, ra.owner_id, COALESCE(o.name, ''), ra.status, ra.assessed_on, COALESCE(ab.name, ''), ra.interval_months,
	ra.next_reassessment, ra.basis_c, ra.basis_i, ra.basis_a, ` + riskNeedSQL("c") + `, ` + riskNeedSQL("i") + `, ` + riskNeedSQL("a") + `,
	ra.mark_reason, ra.mark_note, ra.mark_threat_id, ra.mark_at, COALESCE(mb.name, ''),
	(SELECT COUNT(*) FROM risks r WHERE r.organisation_id = ra.organisation_id AND r.assessment_id = ra.id),
	ra.version, ra.created_at, ra.updated_at`
})

func scanAssessment(row scanner) (*isms.RiskAssessment, error) {
	var a isms.RiskAssessment
	var asset, entry, owner, markThreat sql.NullInt64
	var kind, status, markNote, markBy string
	var markReason, markAt sql.NullString
	var bc, bi, ba, nc, ni, na int
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.Title, &asset, &a.AssetName, &kind, &entry, &a.Scenario, &a.Description,
		&owner, &a.OwnerName, &status, scanDatePtr{&a.AssessedOn}, &a.AssessedByName, &a.IntervalMonths, scanDatePtr{&a.NextReassessment}, &bc, &bi, &ba, &nc, &ni, &na,
		&markReason, &markNote, &markThreat, &markAt, &markBy, &a.RiskCount, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("risk assessment")
		}
		return nil, err
	}
	a.AssetID, a.AssetKind, a.EntryID, a.OwnerID = int64Ptr(asset), isms.AssetKind(kind), int64Ptr(entry), int64Ptr(owner)
	a.Status = isms.AssessmentStatus(status)
	a.Basis = isms.CIA{Confidentiality: isms.Level(bc), Integrity: isms.Level(bi), Availability: isms.Level(ba)}
	if a.AssetID != nil {
		a.CurrentNeeds = isms.CIA{Confidentiality: isms.Level(nc), Integrity: isms.Level(ni), Availability: isms.Level(na)}
	}
	if markReason.Valid {
		a.Mark = &isms.ReassessMark{Reason: markReason.String, Note: markNote, ThreatID: int64Ptr(markThreat), MarkedByName: markBy}
		if t := parseTSPtr(markAt); t != nil {
			a.Mark.MarkedAt = *t
		}
	}
	return &a, nil
}

func (tx *Tx) riskAssessment(orgID, id int64) (*isms.RiskAssessment, error) {
	return scanAssessment(tx.queryRow("SELECT "+assessmentColumns()+assessmentFrom+" WHERE ra.organisation_id = ? AND ra.id = ?", orgID, id))
}

// riskReassessSQL holds for a completed assessment that must be done
// again: past its date, marked, or made against other needs than the
// asset's present ones. today is bound as the one parameter.
func riskReassessSQL() string {
	return `(ra.status = 'completed' AND (ra.next_reassessment < ? OR ra.mark_reason IS NOT NULL OR (ra.asset_id IS NOT NULL AND
		(ra.basis_c <> ` + riskNeedSQL("c") + ` OR ra.basis_i <> ` + riskNeedSQL("i") + ` OR ra.basis_a <> ` + riskNeedSQL("a") + `))))`
}

var assessmentSorts = map[string]string{
	"title": "LOWER(ra.title)", "asset": "LOWER(COALESCE(e.name, a.name, ra.scenario))", "owner": "o.name",
	"next_reassessment": "ra.next_reassessment", "assessed_on": "ra.assessed_on", "status": "ra.status",
}

// RiskAssessments lists the assessments, filtered, sorted and paginated.
func (db *DB) RiskAssessments(ctx context.Context, orgID int64, f isms.AssessmentFilter) ([]*isms.RiskAssessment, int, error) {
	var out []*isms.RiskAssessment
	var total int
	err := db.read(ctx, "RiskAssessments", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE ra.organisation_id = ?"
		args := []any{orgID}
		if f.AssetID != 0 {
			where += " AND ra.asset_id = ?"
			args = append(args, f.AssetID)
		}
		if f.OwnerID != 0 {
			where += " AND ra.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if f.Status != "" {
			where += " AND ra.status = ?"
			args = append(args, f.Status)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(ra.title) LIKE ? OR LOWER(ra.scenario) LIKE ? OR LOWER(COALESCE(e.name, a.name, '')) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		if f.Reassess {
			where += " AND " + riskReassessSQL()
			args = append(args, tx.Today().String())
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+assessmentFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		order := orderBy(f.Sort, assessmentSorts, "LOWER(ra.title)")
		rows, err := tx.query("SELECT "+assessmentColumns()+assessmentFrom+where+" ORDER BY "+order+", ra.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanAssessment)
		return err
	})
	return out, total, err
}

// RiskAssessment reads one assessment.
func (db *DB) RiskAssessment(ctx context.Context, orgID, id int64) (*isms.RiskAssessment, error) {
	return view(db, ctx, "RiskAssessment", orgID, func(tx *Tx) (*isms.RiskAssessment, error) { return tx.riskAssessment(orgID, id) })
}

// validateAssessment checks an assessment's input: an asset of the
// organisation or a scenario in words, not both.
func (tx *Tx) validateAssessment(orgID int64, in *isms.RiskAssessmentInput) error {
	var v isms.Validation
	in.Title, in.Scenario = strings.TrimSpace(in.Title), strings.TrimSpace(in.Scenario)
	var assetName string
	switch {
	case in.AssetID != nil && in.Scenario != "":
		v.Add("scenario", "risk.err.asset_or_scenario")
	case in.AssetID != nil:
		err := tx.queryRow(`SELECT COALESCE(e.name, a.name) FROM assets a LEFT JOIN overview_entries e ON e.id = a.entry_id
			AND e.organisation_id = a.organisation_id WHERE a.organisation_id = ? AND a.id = ?`, orgID, *in.AssetID).Scan(&assetName)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add("asset_id", "risk.err.unknown_asset")
		} else if err != nil {
			return err
		}
	case in.Scenario == "":
		v.Add("asset_id", "risk.err.asset_or_scenario")
	}
	checkText(&v, "scenario", in.Scenario, 5000)
	if in.Title == "" {
		// A title that says what is assessed, unless the user gave one.
		if assetName != "" {
			in.Title = assetName
		} else if line, _, _ := strings.Cut(in.Scenario, "\n"); line != "" {
			in.Title = strings.TrimSpace(line)
			if r := []rune(in.Title); len(r) > 120 {
				in.Title = string(r[:120]) + "…"
			}
		}
	}
	requireText(&v, "assessment_title", in.Title, 300)
	checkText(&v, "description", in.Description, 20000)
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.IntervalMonths == 0 {
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		in.IntervalMonths = m.DefaultIntervalMonths
	}
	if in.IntervalMonths < 1 || in.IntervalMonths > 60 {
		v.Add("interval_months", "risk.err.interval", 1, 60)
	}
	return v.Err()
}

// CreateRiskAssessment begins an assessment. Contributors may begin
// assessments they own.
func (db *DB) CreateRiskAssessment(ctx context.Context, orgID int64, in isms.RiskAssessmentInput) (*isms.RiskAssessment, error) {
	var a *isms.RiskAssessment
	err := db.write(ctx, "CreateRiskAssessment", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateAssessment(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO risk_assessments (organisation_id, title, asset_id, scenario, description, owner_id, status,
			interval_months, next_reassessment, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, nullInt(in.AssetID), in.Scenario, strings.TrimSpace(in.Description), nullInt(in.OwnerID),
			isms.AssessmentInProgress, in.IntervalMonths, dateArg(in.NextReassessment), now, now)
		if err != nil {
			return err
		}
		a, err = audited(tx, tx.riskAssessment, orgID, "create", typeRiskAssessment, id, nil)
		return err
	})
	return a, err
}

// UpdateRiskAssessment changes an assessment, refusing a stale version.
// Its risks follow a change of asset.
func (db *DB) UpdateRiskAssessment(ctx context.Context, orgID, id int64, in isms.RiskAssessmentInput) (*isms.RiskAssessment, error) {
	var a *isms.RiskAssessment
	err := db.write(ctx, "UpdateRiskAssessment", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateAssessment(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE risk_assessments SET title = ?, asset_id = ?, scenario = ?, description = ?, owner_id = ?,
			interval_months = ?, next_reassessment = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, nullInt(in.AssetID), in.Scenario, strings.TrimSpace(in.Description), nullInt(in.OwnerID), in.IntervalMonths,
			dateArg(in.NextReassessment), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE risks SET asset_id = ? WHERE organisation_id = ? AND assessment_id = ?", nullInt(in.AssetID), orgID, id); err != nil {
			return err
		}
		a, err = audited(tx, tx.riskAssessment, orgID, "update", typeRiskAssessment, id, before)
		return err
	})
	return a, err
}

// CompleteRiskAssessment records that the assessment was carried out
// today, or carried out again.
func (db *DB) CompleteRiskAssessment(ctx context.Context, orgID, id, version int64) (*isms.RiskAssessment, error) {
	var a *isms.RiskAssessment
	err := db.write(ctx, "CompleteRiskAssessment", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if before.RiskCount == 0 {
			return isms.Errorf(isms.EInvalid, "risk.err.no_risks")
		}
		today := tx.Today()
		next := riskMonthsLater(today, before.IntervalMonths)
		n := before.CurrentNeeds
		if _, err := tx.exec(`UPDATE risk_assessments SET status = ?, assessed_on = ?, assessed_by = ?, next_reassessment = ?,
			basis_c = ?, basis_i = ?, basis_a = ?, mark_reason = NULL, mark_note = '', mark_threat_id = NULL, mark_at = NULL, mark_by = NULL,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			isms.AssessmentCompleted, today.String(), tx.riskActorID(), next.String(), int(n.Confidentiality), int(n.Integrity),
			int(n.Availability), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if a, err = tx.riskAssessment(orgID, id); err != nil {
			return err
		}
		action := "complete_assessment"
		if before.Status == isms.AssessmentCompleted {
			action = "reassess"
		}
		return tx.audit(orgID, action, typeRiskAssessment, id, before, a)
	})
	return a, err
}

// MarkRiskReassessment marks a completed assessment for ad-hoc
// reassessment, with the reason in words. It is the coordinator's call.
func (db *DB) MarkRiskReassessment(ctx context.Context, orgID, id int64, note string, version int64) (*isms.RiskAssessment, error) {
	var a *isms.RiskAssessment
	err := db.write(ctx, "MarkRiskReassessment", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		var v isms.Validation
		note = strings.TrimSpace(note)
		requireText(&v, "reassess_note", note, 2000)
		if before.Status != isms.AssessmentCompleted {
			v.Add("reassess_note", "risk.err.mark_in_progress")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE risk_assessments SET mark_reason = ?, mark_note = ?, mark_threat_id = NULL, mark_at = ?, mark_by = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			isms.ReassessManual, note, ts(tx.now), tx.riskActorID(), ts(tx.now), orgID, id); err != nil {
			return err
		}
		a, err = audited(tx, tx.riskAssessment, orgID, "mark_reassessment", typeRiskAssessment, id, before)
		return err
	})
	return a, err
}

// DeleteRiskAssessment removes an assessment with its risks, each risk's
// deletion in the audit trail.
func (db *DB) DeleteRiskAssessment(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteRiskAssessment", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		rows, err := tx.query("SELECT id FROM risks WHERE organisation_id = ? AND assessment_id = ? ORDER BY id", orgID, id)
		if err != nil {
			return err
		}
		ids, err := collect(rows, scanInt64)
		if err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		for _, rid := range ids {
			if err := tx.riskDelete(orgID, m, rid); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "risk_assessments", typeRiskAssessment, id, before)
	})
}
