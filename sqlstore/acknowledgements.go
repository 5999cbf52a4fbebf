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

// Staff acknowledgement of the behaviour policy (guide 2.6): a coordinator
// makes a secret link for the policy's published version; staff follow it
// without an account, read the published text and acknowledge it with
// their name, e-mail address and unit. Only the link's hash is kept; a new
// link revokes the one before. One acknowledgement counts per published
// version and e-mail address: a new version needs acknowledging again.

const (
	typeAckLink         = "acknowledgement_link"
	typeAcknowledgement = "policy_acknowledgement"
	ackTokenPrefix      = "ismsack_"
)

// behaviourPolicy is the behaviour policy in force: the given document's
// published version, or with docID 0 the first document of the kind with
// a published version.
type behaviourPolicy struct {
	docID       int64
	title       string
	number      int
	versionID   int64
	source      string
	fileName    string
	publishedAt *time.Time
}

func (tx *Tx) behaviourPolicy(orgID, docID int64) (*behaviourPolicy, error) {
	var p behaviourPolicy
	err := tx.queryRow(`SELECT d.id, d.title, v.number, v.id, v.source, v.file_name, v.published_at FROM documents d
		JOIN document_versions v ON v.document_id = d.id AND v.state = 'published'
		WHERE d.organisation_id = ? AND d.kind = ? AND (? = 0 OR d.id = ?) ORDER BY d.id, v.number DESC LIMIT 1`, orgID, isms.DocBehaviourPolicy, docID, docID).
		Scan(&p.docID, &p.title, &p.number, &p.versionID, &p.source, &p.fileName, scanTimePtr{&p.publishedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &p, err
}

// ackLink reads the organisation's active link, or an inactive state.
func (tx *Tx) ackLink(orgID int64) (*isms.AcknowledgementLink, error) {
	var l isms.AcknowledgementLink
	var at time.Time
	err := tx.queryRow(`SELECT l.id, l.document_id, d.title, l.created_at, COALESCE(u.name, '') FROM acknowledgement_links l
		JOIN documents d ON d.id = l.document_id LEFT JOIN users u ON u.id = l.created_by
		WHERE l.organisation_id = ? AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1`, orgID).
		Scan(&l.ID, &l.DocumentID, &l.DocumentTitle, scanTime{&at}, &l.CreatedByName)
	if errors.Is(err, sql.ErrNoRows) {
		return &isms.AcknowledgementLink{}, nil
	}
	if err != nil {
		return nil, err
	}
	l.Active, l.CreatedAt = true, &at
	return &l, nil
}

// ackWanted reads whether the organisation asks staff to acknowledge the
// policy (no settings: not asked).
func (tx *Tx) ackWanted(orgID int64) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM awareness_settings WHERE organisation_id = ? AND acknowledgement_wanted <> 0", orgID)
	return n > 0, err
}

func scanAcknowledgement(row scanner) (*isms.Acknowledgement, error) {
	var a isms.Acknowledgement
	var unit sql.NullInt64
	err := row.Scan(&a.ID, &a.DocumentID, &a.DocumentVersion, &a.Name, &a.Email, &unit, &a.UnitName, scanTime{&a.AcknowledgedAt})
	a.UnitID = int64Ptr(unit)
	return &a, err
}

// AcknowledgementStatus shows the policy in force, the link, the counts
// per unit against its staff and the acknowledgements of the published
// version.
func (db *DB) AcknowledgementStatus(ctx context.Context, orgID int64) (*isms.AcknowledgementStatus, error) {
	return view(db, ctx, "AcknowledgementStatus", orgID, func(tx *Tx) (*isms.AcknowledgementStatus, error) {
		st := &isms.AcknowledgementStatus{Units: []*isms.UnitAcknowledgements{}, Acknowledgements: []*isms.Acknowledgement{}}
		var err error
		if st.Wanted, err = tx.ackWanted(orgID); err != nil {
			return nil, err
		}
		if st.Link, err = tx.ackLink(orgID); err != nil {
			return nil, err
		}
		docID := int64(0)
		if st.Link.Active {
			docID = st.Link.DocumentID
		}
		p, err := tx.behaviourPolicy(orgID, docID)
		if err != nil || p == nil {
			return st, err
		}
		st.DocumentID, st.DocumentTitle, st.PublishedVersion = p.docID, p.title, p.number
		if st.Acknowledgements, err = queryAll(tx, scanAcknowledgement, `SELECT a.id, a.document_id, a.document_version, a.name, a.email,
			a.unit_id, COALESCE(u.name, ''), a.acknowledged_at FROM policy_acknowledgements a LEFT JOIN org_units u ON u.id = a.unit_id
			WHERE a.organisation_id = ? AND a.document_id = ? AND a.document_version = ? ORDER BY a.acknowledged_at DESC, a.id DESC`,
			orgID, p.docID, p.number); err != nil {
			return nil, err
		}
		st.Total = len(st.Acknowledgements)
		byUnit := map[int64]int{}
		for _, a := range st.Acknowledgements {
			if a.UnitID != nil {
				byUnit[*a.UnitID]++
			} else {
				byUnit[0]++
			}
		}
		if err := tx.queryEach("SELECT id, name, staff_count FROM org_units WHERE organisation_id = ? ORDER BY name_key, id", []any{orgID}, func(row scanner) error {
			var u isms.UnitAcknowledgements
			if err := row.Scan(&u.UnitID, &u.UnitName, &u.StaffCount); err != nil {
				return err
			}
			u.Count = byUnit[u.UnitID]
			if u.StaffCount > 0 {
				u.Percent = u.Count * 100 / u.StaffCount
			}
			st.Units = append(st.Units, &u)
			return nil
		}); err != nil {
			return nil, err
		}
		if n := byUnit[0]; n > 0 {
			st.Units = append(st.Units, &isms.UnitAcknowledgements{Count: n})
		}
		return st, nil
	})
}

// CreateAcknowledgementLink makes a new secret link for the behaviour
// policy in force and revokes the one before. The token is returned this
// once; only its hash is kept.
func (db *DB) CreateAcknowledgementLink(ctx context.Context, orgID int64) (string, *isms.AcknowledgementLink, error) {
	var token string
	var link *isms.AcknowledgementLink
	err := db.write(ctx, "CreateAcknowledgementLink", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		p, err := tx.behaviourPolicy(orgID, 0)
		if err != nil {
			return err
		}
		if p == nil {
			return isms.Errorf(isms.EConflict, "awareness.err.no_published_policy")
		}
		before, err := tx.ackLink(orgID)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE acknowledgement_links SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		var hash string
		if token, hash, err = newToken(ackTokenPrefix); err != nil {
			return err
		}
		var by any
		if tx.actor != nil && tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		id, err := tx.insert("INSERT INTO acknowledgement_links (organisation_id, document_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
			orgID, p.docID, hash, by, ts(tx.now))
		if err != nil {
			return err
		}
		if link, err = tx.ackLink(orgID); err != nil {
			return err
		}
		var b any
		if before.Active {
			b = before
		}
		return tx.audit(orgID, "create", typeAckLink, id, b, link)
	})
	return token, link, err
}

// RevokeAcknowledgementLink stops the link working.
func (db *DB) RevokeAcknowledgementLink(ctx context.Context, orgID int64) error {
	return db.write(ctx, "RevokeAcknowledgementLink", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.ackLink(orgID)
		if err != nil {
			return err
		}
		if !before.Active {
			return notFound("acknowledgement link")
		}
		if _, err := tx.exec("UPDATE acknowledgement_links SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "revoke", typeAckLink, before.ID, before, &isms.AcknowledgementLink{})
	})
}

// ackLinkByToken finds the active link a token names; anything else is
// not found, like an address that does not exist.
func (tx *Tx) ackLinkByToken(token string) (linkID, orgID, docID int64, err error) {
	if !strings.HasPrefix(token, ackTokenPrefix) || len(token) > 200 {
		return 0, 0, 0, notFound("acknowledgement link")
	}
	err = tx.queryRow("SELECT id, organisation_id, document_id FROM acknowledgement_links WHERE token_hash = ? AND revoked_at IS NULL", tokenHash(token)).
		Scan(&linkID, &orgID, &docID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, notFound("acknowledgement link")
	}
	return linkID, orgID, docID, err
}

// AcknowledgementPage is what the link shows: the behaviour policy's
// published text and the units to choose from.
func (db *DB) AcknowledgementPage(ctx context.Context, token string) (*isms.AcknowledgementPage, error) {
	var pg *isms.AcknowledgementPage
	err := db.read(ctx, "AcknowledgementPage", func(tx *Tx) error {
		_, orgID, docID, err := tx.ackLinkByToken(token)
		if err != nil {
			return err
		}
		p, err := tx.behaviourPolicy(orgID, docID)
		if err != nil {
			return err
		}
		if p == nil {
			return notFound("acknowledgement link")
		}
		pg = &isms.AcknowledgementPage{DocumentTitle: p.title, Version: p.number, PublishedAt: p.publishedAt}
		if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", orgID).Scan(&pg.OrganisationName); err != nil {
			return err
		}
		if p.source == "text" {
			var text sql.NullString
			if err := tx.queryRow("SELECT text_content FROM document_versions WHERE id = ?", p.versionID).Scan(&text); err != nil {
				return err
			}
			pg.Text = text.String
		} else {
			pg.FileName = p.fileName
		}
		pg.Units, err = tx.orgUnits(orgID)
		return err
	})
	return pg, err
}

// Acknowledge records a person's acknowledgement of the published version
// through the link. The link is the actor of its audit event. The same
// address acknowledging the same version again is not an error and is
// not counted again; it reports whether this acknowledgement was new.
func (db *DB) Acknowledge(ctx context.Context, token string, in isms.AcknowledgementInput) (bool, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	created := false
	err := db.write(ctx, "Acknowledge", func(tx *Tx) error {
		_, orgID, _, err := tx.ackLinkByToken(token)
		if err != nil {
			return err
		}
		if err := tx.lockOrganisation(orgID); err != nil {
			return err
		}
		// Read again under the lock: a link revoked meanwhile takes nothing.
		linkID, _, docID, err := tx.ackLinkByToken(token)
		if err != nil {
			return err
		}
		p, err := tx.behaviourPolicy(orgID, docID)
		if err != nil {
			return err
		}
		if p == nil {
			return notFound("acknowledgement link")
		}
		var v isms.Validation
		requireText(&v, "name", in.Name, 200)
		if in.Email == "" {
			v.Add("email", "err.required")
		} else {
			checkEmail(&v, "email", in.Email)
		}
		if in.UnitID != nil {
			n, err := tx.count("SELECT COUNT(*) FROM org_units WHERE organisation_id = ? AND id = ?", orgID, *in.UnitID)
			if err != nil {
				return err
			}
			if n == 0 {
				v.Add("unit_id", "err.unknown_reference")
			}
		}
		if !in.Accept {
			v.Add("accept", "awareness.err.accept_required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		res, err := tx.exec(`INSERT INTO policy_acknowledgements (organisation_id, document_id, document_version, link_id, name, email, email_key,
			unit_id, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, document_version, email_key) DO NOTHING`,
			orgID, p.docID, p.number, linkID, in.Name, in.Email, in.Email, nullInt(in.UnitID), ts(tx.now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		created = true
		var id int64
		if err := tx.queryRow("SELECT id FROM policy_acknowledgements WHERE document_id = ? AND document_version = ? AND email_key = ?",
			p.docID, p.number, in.Email).Scan(&id); err != nil {
			return err
		}
		tx.actor = &isms.Actor{Name: "acknowledgement link " + strconv.FormatInt(linkID, 10)}
		return tx.audit(orgID, "create", typeAcknowledgement, id, nil, map[string]any{"document_id": p.docID, "document_version": p.number,
			"name": in.Name, "email": in.Email, "unit_id": in.UnitID, "link_id": linkID})
	})
	return created, err
}
