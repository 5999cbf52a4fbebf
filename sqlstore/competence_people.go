package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
)

// What the members have (guide 2.5): education, experience,
// certifications and completed training, recorded by the person themself
// or by someone who may edit the ISMS.

const typeCompetence = "competence"

const compColumns = `c.id, c.organisation_id, c.user_id, COALESCE(u.name, ''), c.subject, c.kind, c.level, c.provider, c.achieved_on,
	c.expires_on, c.evidence_id, COALESCE(d.title, ''), c.note, c.version, c.created_at, c.updated_at`

const compFrom = ` FROM competences c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN documents d ON d.id = c.evidence_id`

func scanCompetence(row scanner) (*isms.Competence, error) {
	var c isms.Competence
	var evidence sql.NullInt64
	var kind, level string
	if err := row.Scan(&c.ID, &c.OrganisationID, &c.UserID, &c.UserName, &c.Subject, &kind, &level, &c.Provider, scanDatePtr{&c.AchievedOn},
		scanDatePtr{&c.ExpiresOn}, &evidence, &c.EvidenceTitle, &c.Note, &c.Version, scanTime{&c.CreatedAt}, scanTime{&c.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("competence")
		}
		return nil, err
	}
	c.EvidenceID, c.Kind, c.Level = int64Ptr(evidence), isms.CompetenceKind(kind), isms.CompetenceLevel(level)
	return &c, nil
}

func (tx *Tx) competence(orgID, id int64) (*isms.Competence, error) {
	return scanCompetence(tx.queryRow("SELECT "+compColumns+compFrom+" WHERE c.organisation_id = ? AND c.id = ?", orgID, id))
}

func (tx *Tx) competences(orgID, userID int64) ([]*isms.Competence, error) {
	where, args := " WHERE c.organisation_id = ?", []any{orgID}
	if userID != 0 {
		where += " AND c.user_id = ?"
		args = append(args, userID)
	}
	rows, err := tx.query("SELECT "+compColumns+compFrom+where+" ORDER BY u.name, c.user_id, c.subject, c.id", args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCompetence)
}

// mayRecordCompetence refuses a caller who is neither the person nor one
// who may edit the ISMS.
func (tx *Tx) mayRecordCompetence(orgID int64, people ...int64) error {
	a, err := tx.access(orgID)
	if err != nil {
		return err
	}
	for _, p := range people {
		if !a.MayRecordCompetence(tx.actor.UserID, p) {
			return isms.Errorf(isms.EForbidden, "err.forbidden")
		}
	}
	return nil
}

// validateCompetence checks a competence's input, and the evidence file
// uploaded with it, if any (see competence_evidence.go).
func (tx *Tx) validateCompetence(orgID int64, in *isms.CompetenceInput) (*evidenceFile, error) {
	in.Subject, in.Provider = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Provider)
	var v isms.Validation
	if in.UserID == 0 {
		v.Add("user_id", "err.required")
	} else {
		tx.checkMember(&v, "user_id", orgID, &in.UserID)
	}
	requireText(&v, "subject", in.Subject, 300)
	if in.Kind == "" {
		v.Add("kind", "err.required")
	} else if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	if in.Level == "" {
		v.Add("level", "err.required")
	} else if !in.Level.Valid() {
		v.Add("level", "err.choice")
	}
	checkText(&v, "provider", in.Provider, 300)
	checkText(&v, "note", in.Note, 10000)
	if in.AchievedOn != nil && in.ExpiresOn != nil && in.ExpiresOn.Before(*in.AchievedOn) {
		v.Add("expires_on", "competence.err.expires_before_achieved")
	}
	if in.AchievedOn != nil && tx.Today().Before(*in.AchievedOn) {
		v.Add("achieved_on", "competence.err.achieved_future")
	}
	if in.EvidenceID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND id = ?", orgID, *in.EvidenceID)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			v.Add("evidence_id", "err.unknown_reference")
		}
	}
	ev, err := tx.checkEvidenceFile(orgID, &v, in)
	if err != nil {
		return nil, err
	}
	return ev, v.Err()
}

// keepEvidence stores an uploaded evidence file as a document of the
// register and links it, in the caller's transaction.
func (tx *Tx) keepEvidence(orgID int64, in *isms.CompetenceInput, ev *evidenceFile) error {
	if ev == nil {
		return nil
	}
	id, err := tx.storeEvidence(orgID, in, ev)
	if err != nil {
		return err
	}
	in.EvidenceID = &id
	return nil
}

func compRecord(c *isms.Competence) map[string]any {
	date := func(d *isms.Date) any {
		if d == nil {
			return nil
		}
		return d.String()
	}
	return map[string]any{"person": c.UserName, "subject": c.Subject, "kind": c.Kind, "level": c.Level, "provider": c.Provider,
		"achieved_on": date(c.AchievedOn), "expires_on": date(c.ExpiresOn), "evidence": c.EvidenceTitle, "note": c.Note}
}

// Competences lists what the members have; userID 0 for everyone.
func (db *DB) Competences(ctx context.Context, orgID, userID int64) ([]*isms.Competence, error) {
	return view(db, ctx, "Competences", orgID, func(tx *Tx) ([]*isms.Competence, error) { return tx.competences(orgID, userID) })
}

// Competence reads one.
func (db *DB) Competence(ctx context.Context, orgID, id int64) (*isms.Competence, error) {
	return view(db, ctx, "Competence", orgID, func(tx *Tx) (*isms.Competence, error) { return tx.competence(orgID, id) })
}

// CreateCompetence records what a member has.
func (db *DB) CreateCompetence(ctx context.Context, orgID int64, in isms.CompetenceInput) (*isms.Competence, error) {
	var c *isms.Competence
	err := db.write(ctx, "CreateCompetence", func(tx *Tx) error {
		if err := tx.mayRecordCompetence(orgID, in.UserID); err != nil {
			return err
		}
		ev, err := tx.validateCompetence(orgID, &in)
		if err != nil {
			return err
		}
		if err := tx.keepEvidence(orgID, &in, ev); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO competences (organisation_id, user_id, subject, kind, level, provider, achieved_on, expires_on,
			evidence_id, note, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.UserID, in.Subject, string(in.Kind), string(in.Level), in.Provider, dateArg(in.AchievedOn), dateArg(in.ExpiresOn),
			nullInt(in.EvidenceID), in.Note, now, now)
		if err != nil {
			return err
		}
		if c, err = tx.competence(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeCompetence, id, nil, compRecord(c))
	})
	return c, err
}

// UpdateCompetence changes a member's competence, refusing a stale
// version; a person may neither take another's record nor give theirs
// away.
func (db *DB) UpdateCompetence(ctx context.Context, orgID, id int64, in isms.CompetenceInput) (*isms.Competence, error) {
	var c *isms.Competence
	err := db.write(ctx, "UpdateCompetence", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.competence(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayRecordCompetence(orgID, before.UserID, in.UserID); err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		ev, err := tx.validateCompetence(orgID, &in)
		if err != nil {
			return err
		}
		if err := tx.keepEvidence(orgID, &in, ev); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE competences SET user_id = ?, subject = ?, kind = ?, level = ?, provider = ?, achieved_on = ?, expires_on = ?,
			evidence_id = ?, note = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.UserID, in.Subject, string(in.Kind), string(in.Level), in.Provider, dateArg(in.AchievedOn), dateArg(in.ExpiresOn),
			nullInt(in.EvidenceID), in.Note, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if c, err = tx.competence(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeCompetence, id, compRecord(before), compRecord(c))
	})
	return c, err
}

// DeleteCompetence removes a member's competence.
func (db *DB) DeleteCompetence(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteCompetence", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.competence(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayRecordCompetence(orgID, before.UserID); err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "competences", typeCompetence, id, compRecord(before))
	})
}
