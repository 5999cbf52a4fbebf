package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// Invitations (invitation.go at the root says what they are for). The
// secret is a random token of which only the SHA-256 is stored, as for
// sessions and API tokens (password.go).
//
// Whether the invited address has an account is never part of what the
// inviter gets back: CreateInvitation answers the same either way, and its
// audit event names the address, not an account. Only the person holding
// the link learns it, when they accept.
//
// Acceptance takes the site's lock first (it may create an account, which
// the site's chain records) and then the organisation's: the order of
// every write that takes both (CreateOrganisation keeps it too). Two
// acceptances of one link therefore run one after the other on either
// database, and the second finds the invitation accepted.

const invitationColumns = `i.id, i.organisation_id, o.name, i.email, i.role, COALESCE(u.name, ''), i.created_at, i.expires_at,
	i.accepted_at, i.revoked_at`

const invitationFrom = ` FROM invitations i JOIN organisations o ON o.id = i.organisation_id LEFT JOIN users u ON u.id = i.invited_by`

// scanInvitation reads an invitation and works out its state at now.
func scanInvitation(row scanner, now time.Time) (*isms.Invitation, error) {
	var inv isms.Invitation
	var role string
	if err := row.Scan(&inv.ID, &inv.OrganisationID, &inv.OrganisationName, &inv.Email, &role, &inv.InvitedByName,
		scanTime{&inv.CreatedAt}, scanTime{&inv.ExpiresAt}, scanTimePtr{&inv.AcceptedAt}, scanTimePtr{&inv.RevokedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("invitation")
		}
		return nil, err
	}
	inv.Role = isms.Role(role)
	inv.State = inv.StateAt(now)
	return &inv, nil
}

func (tx *Tx) invitation(orgID, id int64) (*isms.Invitation, error) {
	return scanInvitation(tx.queryRow("SELECT "+invitationColumns+invitationFrom+" WHERE i.organisation_id = ? AND i.id = ?", orgID, id), tx.now)
}

// invitationByToken finds an invitation by its secret. An unknown secret
// is told apart from a used or revoked one only by the secret's holder.
func (tx *Tx) invitationByToken(token string) (*isms.Invitation, error) {
	inv, err := scanInvitation(tx.queryRow("SELECT "+invitationColumns+invitationFrom+" WHERE i.token_hash = ?", tokenHash(token)), tx.now)
	if isms.ErrorCode(err) == isms.ENotFound {
		return nil, isms.Errorf(isms.ENotFound, "err.invitation_unknown")
	}
	return inv, err
}

// notPending is the error for acting on an invitation that is no longer
// pending, saying which state it is in.
func notPending(s isms.InvitationState) error {
	switch s {
	case isms.InvitationAccepted:
		return isms.Errorf(isms.EConflict, "err.invitation_accepted")
	case isms.InvitationRevoked:
		return isms.Errorf(isms.EConflict, "err.invitation_revoked")
	}
	return isms.Errorf(isms.EConflict, "err.invitation_expired")
}

// CreateInvitation invites an address to a role in the organisation and
// returns the link's secret, which is not kept and cannot be read again.
// A pending invitation of the same address to the same organisation is
// revoked by it, so sending again replaces a lost link.
func (db *DB) CreateInvitation(ctx context.Context, orgID int64, in isms.InvitationInput) (string, *isms.Invitation, error) {
	in.Email = normEmail(in.Email)
	var v isms.Validation
	if in.Email == "" {
		v.Add("email", "err.required")
	} else {
		checkEmail(&v, "email", in.Email)
	}
	if !in.Role.Valid() {
		v.Add("role", "err.choice")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	token, hash, err := newToken("")
	if err != nil {
		return "", nil, err
	}
	var inv *isms.Invitation
	err = db.write(ctx, "CreateInvitation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		// The members' list shows their addresses to whoever may invite,
		// so refusing a member's address tells the inviter nothing new.
		n, err := tx.count("SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? AND u.email = ?", orgID, in.Email)
		if err != nil {
			return err
		}
		if n > 0 {
			var v isms.Validation
			v.Add("email", "err.already_member")
			return v.Err()
		}
		if err := tx.revokeEarlierInvitations(orgID, in.Email); err != nil {
			return err
		}
		var by any
		if tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		id, err := tx.insert("INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			orgID, in.Email, in.Role, hash, by, ts(tx.now), ts(tx.now.Add(isms.InvitationLifetime)))
		if err != nil {
			return err
		}
		if inv, err = tx.invitation(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", "invitation", id, nil, inv)
	})
	if err != nil {
		return "", nil, err
	}
	return token, inv, nil
}

// revokeEarlierInvitations revokes the pending invitations of an address
// to an organisation, each with its audit event.
func (tx *Tx) revokeEarlierInvitations(orgID int64, email string) error {
	rows, err := tx.query("SELECT id FROM invitations WHERE organisation_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		orgID, email, ts(tx.now))
	if err != nil {
		return err
	}
	ids, err := collect(rows, scanInt64)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.revokeInvitation(orgID, id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) revokeInvitation(orgID, id int64) error {
	before, err := tx.invitation(orgID, id)
	if err != nil {
		return err
	}
	if before.State != isms.InvitationPending {
		return notPending(before.State)
	}
	var by any
	if tx.actor.UserID != 0 {
		by = tx.actor.UserID
	}
	if _, err := tx.exec("UPDATE invitations SET revoked_at = ?, revoked_by = ? WHERE id = ?", ts(tx.now), by, id); err != nil {
		return err
	}
	after, err := tx.invitation(orgID, id)
	if err != nil {
		return err
	}
	return tx.audit(orgID, "revoke", "invitation", id, before, after)
}

// RevokeInvitation withdraws a pending invitation: its link stops working
// and says so. The invitation stays in the list as revoked.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id int64) error {
	return db.write(ctx, "RevokeInvitation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		return tx.revokeInvitation(orgID, id)
	})
}

// Invitations lists an organisation's invitations, newest first, to those
// who may manage its members.
func (db *DB) Invitations(ctx context.Context, orgID int64, f isms.InvitationFilter) ([]*isms.Invitation, int, error) {
	if f.State != "" && !f.State.Valid() {
		var v isms.Validation
		v.Add("state", "err.choice")
		return nil, 0, v.Err()
	}
	var out []*isms.Invitation
	var total int
	err := db.read(ctx, "Invitations", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		where := " WHERE i.organisation_id = ?"
		args := []any{orgID}
		now := ts(tx.now)
		switch f.State {
		case isms.InvitationPending:
			where += " AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?"
			args = append(args, now)
		case isms.InvitationExpired:
			where += " AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= ?"
			args = append(args, now)
		case isms.InvitationAccepted:
			where += " AND i.accepted_at IS NOT NULL"
		case isms.InvitationRevoked:
			where += " AND i.revoked_at IS NOT NULL"
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM invitations i"+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		rows, err := tx.query("SELECT "+invitationColumns+invitationFrom+where+" ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r scanner) (*isms.Invitation, error) { return scanInvitation(r, tx.now) })
		return err
	})
	return out, total, err
}

// InvitationByToken reads an invitation by its link's secret, for the page
// the link opens; it needs no login. Used, revoked and expired invitations
// are returned with their state, so the page can say which.
func (db *DB) InvitationByToken(ctx context.Context, token string) (*isms.Invitation, error) {
	var inv *isms.Invitation
	err := db.read(ctx, "InvitationByToken", func(tx *Tx) (err error) {
		inv, err = tx.invitationByToken(token)
		return err
	})
	return inv, err
}

// AcceptInvitation makes the invited person a member with the invited
// role, once. A caller logged in with the invited address accepts with
// their account; anyone else holding the link creates the invited
// address's account with the name and password they send, and may do so
// only while the address has none.
func (db *DB) AcceptInvitation(ctx context.Context, token string, in isms.Acceptance) (*isms.User, *isms.Invitation, error) {
	actor := isms.ActorFrom(ctx)
	var hash string
	if actor == nil {
		in.Name = strings.TrimSpace(in.Name)
		var v isms.Validation
		requireText(&v, "name", in.Name, 200)
		validatePassword(&v, "password", in.Password)
		if err := v.Err(); err != nil {
			return nil, nil, err
		}
		var err error
		if hash, err = hashPassword(in.Password); err != nil {
			return nil, nil, err
		}
	}
	var u *isms.User
	var inv *isms.Invitation
	err := db.write(ctx, "AcceptInvitation", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		before, err := tx.invitationByToken(token)
		if err != nil {
			return err
		}
		if err := tx.lockOrganisation(before.OrganisationID); err != nil {
			return err
		}
		if before.State != isms.InvitationPending {
			return notPending(before.State)
		}
		if actor != nil {
			if u, err = tx.userRow(actor.UserID); err != nil {
				return err
			}
			if !u.Active {
				return isms.Errorf(isms.EForbidden, "err.user_deactivated")
			}
			if u.Email != before.Email {
				return isms.Errorf(isms.EForbidden, "err.invitation_other_account", before.Email)
			}
		} else {
			if n, err := tx.count("SELECT COUNT(*) FROM users WHERE email = ?", before.Email); err != nil {
				return err
			} else if n > 0 {
				return isms.Errorf(isms.EConflict, "err.invitation_account_exists")
			}
			now := ts(tx.now)
			id, err := tx.insert("INSERT INTO users (email, name, password_hash, site_admin, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
				before.Email, in.Name, hash, now, now)
			if err != nil {
				return err
			}
			if u, err = tx.userRow(id); err != nil {
				return err
			}
			// From here the person acts for themselves: the audit trail
			// records that they made their account and joined.
			tx.actor = &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email}
			if err := tx.audit(0, "create", "user", u.ID, nil, u); err != nil {
				return err
			}
		}
		if n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?", before.OrganisationID, u.ID); err != nil {
			return err
		} else if n > 0 {
			return isms.Errorf(isms.EConflict, "err.invitation_already_member")
		}
		mid, err := tx.insert("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, 0, 1, ?)",
			before.OrganisationID, u.ID, before.Role, ts(tx.now))
		if err != nil {
			return err
		}
		tx.forgetAccess()
		m, err := tx.membership(before.OrganisationID, mid)
		if err != nil {
			return err
		}
		if err := tx.audit(before.OrganisationID, "create", "membership", mid, nil, m); err != nil {
			return err
		}
		// The predicate repeats the state the lock made sure of, so that
		// the invitation can never be accepted twice whatever the path.
		r, err := tx.exec("UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
			ts(tx.now), u.ID, before.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return notPending(isms.InvitationAccepted)
		}
		if inv, err = tx.invitation(before.OrganisationID, before.ID); err != nil {
			return err
		}
		return tx.audit(before.OrganisationID, "accept", "invitation", before.ID, before, inv)
	})
	if err != nil {
		return nil, nil, err
	}
	return u, inv, nil
}
