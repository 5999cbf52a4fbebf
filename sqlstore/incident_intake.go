package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// The public reporting link for security events (guide 2.9). It works as
// the behaviour policy's acknowledgement link does: the coordinator makes
// it, only its hash is kept, a new one revokes the one before, and a
// wrong or revoked token is "not found" with nothing said of which
// organisation it might have belonged to. An event reported through it is
// written as ReportEvent writes one (awaiting triage), with no reporting
// member, marked reported_via = public_link and naming the link, and the
// link is the actor of its audit event.

const (
	typeIntakeLink    = "incident_intake_link"
	intakeTokenPrefix = "ismsrep_"
)

// intakeLinkNotFound is the one answer to a token that opens nothing; the
// message says what to do without naming an organisation.
func intakeLinkNotFound() error { return isms.Errorf(isms.ENotFound, "pub.err.report_link") }

// intakeLink reads the organisation's active link, or an inactive state.
func (tx *Tx) intakeLink(orgID int64) (*isms.IncidentIntakeLink, error) {
	var l isms.IncidentIntakeLink
	var at time.Time
	err := tx.queryRow(`SELECT l.id, l.created_at, COALESCE(u.name, '') FROM incident_intake_links l LEFT JOIN users u ON u.id = l.created_by
		WHERE l.organisation_id = ? AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1`, orgID).Scan(&l.ID, scanTime{&at}, &l.CreatedByName)
	if errors.Is(err, sql.ErrNoRows) {
		return &isms.IncidentIntakeLink{}, nil
	}
	if err != nil {
		return nil, err
	}
	l.Active, l.CreatedAt = true, &at
	if l.Reports, err = tx.count("SELECT COUNT(*) FROM incidents WHERE organisation_id = ? AND intake_link_id = ?", orgID, l.ID); err != nil {
		return nil, err
	}
	return &l, nil
}

// intakeAuditState is the link as the audit trail keeps it: whether it
// is on, and since when; never the token or its hash.
func intakeAuditState(l *isms.IncidentIntakeLink) any {
	if !l.Active {
		return nil
	}
	return map[string]any{"active": true, "created_at": ts(*l.CreatedAt), "created_by": l.CreatedByName}
}

// IncidentIntakeLink reads the link's state (anyone who may see the
// incident log).
func (db *DB) IncidentIntakeLink(ctx context.Context, orgID int64) (*isms.IncidentIntakeLink, error) {
	return view(db, ctx, "IncidentIntakeLink", orgID, func(tx *Tx) (*isms.IncidentIntakeLink, error) { return tx.intakeLink(orgID) })
}

// CreateIncidentIntakeLink turns the public reporting link on, or
// replaces it: the old token stops working in the same transaction.
func (db *DB) CreateIncidentIntakeLink(ctx context.Context, orgID int64) (string, *isms.IncidentIntakeLink, error) {
	var token string
	var link *isms.IncidentIntakeLink
	err := db.write(ctx, "CreateIncidentIntakeLink", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.intakeLink(orgID)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE incident_intake_links SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		var hash string
		if token, hash, err = newToken(intakeTokenPrefix); err != nil {
			return err
		}
		var by any
		if tx.actor != nil && tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		id, err := tx.insert("INSERT INTO incident_intake_links (organisation_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)",
			orgID, hash, by, ts(tx.now))
		if err != nil {
			return err
		}
		if link, err = tx.intakeLink(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIntakeLink, id, intakeAuditState(before), intakeAuditState(link))
	})
	return token, link, err
}

// RevokeIncidentIntakeLink turns the link off.
func (db *DB) RevokeIncidentIntakeLink(ctx context.Context, orgID int64) error {
	return db.write(ctx, "RevokeIncidentIntakeLink", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.intakeLink(orgID)
		if err != nil {
			return err
		}
		if !before.Active {
			return notFound("incident intake link")
		}
		if _, err := tx.exec("UPDATE incident_intake_links SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "revoke", typeIntakeLink, before.ID, intakeAuditState(before), nil)
	})
}

// intakeLinkByToken finds the active link a token names.
func (tx *Tx) intakeLinkByToken(token string) (linkID, orgID int64, err error) {
	if !strings.HasPrefix(token, intakeTokenPrefix) || len(token) > 200 {
		return 0, 0, intakeLinkNotFound()
	}
	err = tx.queryRow("SELECT id, organisation_id FROM incident_intake_links WHERE token_hash = ? AND revoked_at IS NULL", tokenHash(token)).
		Scan(&linkID, &orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, intakeLinkNotFound()
	}
	return linkID, orgID, err
}

// IncidentIntakePage reads what the public link shows.
func (db *DB) IncidentIntakePage(ctx context.Context, token string) (*isms.IncidentIntakePage, error) {
	var pg isms.IncidentIntakePage
	err := db.read(ctx, "IncidentIntakePage", func(tx *Tx) error {
		_, orgID, err := tx.intakeLinkByToken(token)
		if err != nil {
			return err
		}
		return tx.queryRow("SELECT name FROM organisations WHERE id = ?", orgID).Scan(&pg.OrganisationName)
	})
	return &pg, err
}

// ReportEventByLink records an event reported through the public link.
// It is checked as ReportEvent checks a member's report; the link is
// looked up again under the organisation's write lock, so a link revoked
// meanwhile takes nothing.
func (db *DB) ReportEventByLink(ctx context.Context, token string, in isms.IncidentEventInput) error {
	return db.write(ctx, "ReportEventByLink", func(tx *Tx) error {
		_, orgID, err := tx.intakeLinkByToken(token)
		if err != nil {
			return err
		}
		if err := tx.lockOrganisation(orgID); err != nil {
			return err
		}
		linkID, _, err := tx.intakeLinkByToken(token)
		if err != nil {
			return err
		}
		var v isms.Validation
		tx.validateEvent(&v, &in)
		if err := v.Err(); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO incidents (organisation_id, title, description, detected_at, location, reporter_contact, reported_by,
			reported_at, status, reported_via, intake_link_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, in.Description, ts(in.DetectedAt.Time), in.Location, in.ReporterContact, now,
			string(isms.IncidentReported), isms.ReportedViaPublicLink, linkID, now, now)
		if err != nil {
			return err
		}
		i, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		tx.actor = &isms.Actor{Name: "incident reporting link " + strconv.FormatInt(linkID, 10)}
		rec := incRecord(i)
		rec["reported_via"] = isms.ReportedViaPublicLink
		return tx.audit(orgID, "create", typeIncident, id, nil, rec)
	})
}
