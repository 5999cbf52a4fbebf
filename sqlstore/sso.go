package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// Single sign-on (sso.go at the root says what it is for).
//
// A login through a provider is one write: the site's lock first (it may
// link or create an account, which the site's chain records), then the
// lock of every organisation whose mapped membership it changes, in
// ascending order, as every write that takes several does. Two logins of
// one person therefore run one after the other on either database, and
// the second finds the first one's link and memberships.

// BeginSSOLogin stores a login sent to a provider. Expired logins that
// never came back are cleared on the way.
func (db *DB) BeginSSOLogin(ctx context.Context, state string, p isms.SSOPendingLogin) error {
	if state == "" || p.Provider == "" || p.Nonce == "" || p.CodeVerifier == "" {
		return isms.Errorf(isms.EInvalid, "err.invalid")
	}
	return db.write(ctx, "BeginSSOLogin", func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM sso_pending_logins WHERE expires_at < ?", ts(tx.now)); err != nil {
			return err
		}
		inv := ""
		if p.Invitation != "" {
			inv = tokenHash(p.Invitation)
		}
		_, err := tx.exec("INSERT INTO sso_pending_logins (state_hash, provider, nonce, code_verifier, next_path, invitation_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			tokenHash(state), p.Provider, p.Nonce, p.CodeVerifier, p.Next, inv, ts(tx.now), ts(tx.now.Add(isms.SSOLoginLifetime)))
		return err
	})
}

// TakeSSOLogin returns the login stored under state and deletes it in the
// same statement, so of two callbacks with one state (a replay, or a
// double click) exactly one gets it, on either database.
func (db *DB) TakeSSOLogin(ctx context.Context, state string) (*isms.SSOPendingLogin, error) {
	var p isms.SSOPendingLogin
	err := db.write(ctx, "TakeSSOLogin", func(tx *Tx) error {
		err := tx.queryRow("DELETE FROM sso_pending_logins WHERE state_hash = ? RETURNING provider, nonce, code_verifier, next_path, invitation_hash, expires_at",
			tokenHash(state)).Scan(&p.Provider, &p.Nonce, &p.CodeVerifier, &p.Next, &p.InvitationHash, scanTime{&p.ExpiresAt})
		if errors.Is(err, sql.ErrNoRows) {
			return isms.Errorf(isms.EForbidden, "err.sso_state")
		}
		if err != nil {
			return translate(err)
		}
		if !tx.now.Before(p.ExpiresAt) {
			return isms.Errorf(isms.EForbidden, "err.sso_state_expired")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// SignInSSO finds the account of a login the web layer verified: by the
// linked subject; else, linking it once, by a verified e-mail address of
// an account, or of pending invitations (the account is then made and the
// invitations accepted); else, where the provider may, by making an
// account just in time. Anyone else is refused. Then the role mappings
// are applied to the memberships they manage.
func (db *DB) SignInSSO(ctx context.Context, in isms.SSOSignIn) (*isms.User, error) {
	in.Email = normEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if in.Issuer == "" || in.Subject == "" || in.Provider == "" {
		return nil, isms.Errorf(isms.EInvalid, "err.invalid")
	}
	var u *isms.User
	err := db.write(ctx, "SignInSSO", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		var uid int64
		err := tx.queryRow("SELECT user_id FROM sso_identities WHERE issuer = ? AND subject = ?", in.Issuer, in.Subject).Scan(&uid)
		switch {
		case err == nil:
			if u, err = tx.userRow(uid); err != nil {
				return err
			}
			if _, err := tx.exec("UPDATE sso_identities SET last_login_at = ?, email = ? WHERE issuer = ? AND subject = ?",
				ts(tx.now), in.Email, in.Issuer, in.Subject); err != nil {
				return err
			}
			if in.InvitationHash != "" && u.Active {
				if err := tx.acceptInvitationByHash(u, in.InvitationHash); err != nil {
					return err
				}
			}
		case errors.Is(err, sql.ErrNoRows):
			if u, err = tx.linkSSO(in); err != nil {
				return err
			}
		default:
			return translate(err)
		}
		if !u.Active {
			return isms.Errorf(isms.EForbidden, "err.sso_deactivated")
		}
		// From here the person acts for themselves, as when they accept an
		// invitation: the trail records that their login did it.
		tx.actor = &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin}
		if in.HasGroups {
			return tx.applyRoleMappings(u.ID, in)
		}
		return nil
	})
	return u, err
}

// linkSSO links a subject the product does not know yet to an account, or
// refuses it. The site's lock is held.
func (tx *Tx) linkSSO(in isms.SSOSignIn) (*isms.User, error) {
	if in.InvitationHash != "" {
		return tx.linkSSOByInvitation(in)
	}
	var u *isms.User
	if in.Email != "" {
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE email = ?", in.Email))
		if err != nil && isms.ErrorCode(err) != isms.ENotFound {
			return nil, err
		}
		if u != nil && !in.EmailVerified {
			// An address the provider did not vouch for could be anyone's.
			return nil, isms.Errorf(isms.EForbidden, "err.sso_email_unverified", in.Email)
		}
	}
	if u == nil && in.Email != "" && in.EmailVerified {
		invs, err := queryAll(tx, scanInt64, "SELECT organisation_id FROM invitations WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY organisation_id",
			in.Email, ts(tx.now))
		if err != nil {
			return nil, err
		}
		if len(invs) > 0 {
			if u, err = tx.createSSOUser(in); err != nil {
				return nil, err
			}
			if err := tx.acceptInvitationsOf(u, slices.Compact(invs)); err != nil {
				return nil, err
			}
		}
	}
	if u == nil {
		switch {
		case !in.CreateAccounts:
			return nil, isms.Errorf(isms.EForbidden, "err.sso_unknown")
		case in.Email == "":
			return nil, isms.Errorf(isms.EForbidden, "err.sso_no_email")
		}
		var err error
		if u, err = tx.createSSOUser(in); err != nil {
			return nil, err
		}
	}
	return u, tx.insertIdentity(u, in)
}

// insertIdentity links the login's subject to the account, with its audit
// event in the site's chain.
func (tx *Tx) insertIdentity(u *isms.User, in isms.SSOSignIn) error {
	id, err := tx.insert("INSERT INTO sso_identities (user_id, provider, issuer, subject, email, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		u.ID, in.Provider, in.Issuer, in.Subject, in.Email, ts(tx.now), ts(tx.now))
	if err != nil {
		return err
	}
	tx.actor = &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin}
	return tx.audit(0, "sso_link", "user", u.ID, nil, map[string]any{"identity_id": id, "provider": in.Provider, "issuer": in.Issuer, "subject": in.Subject})
}

// linkSSOByInvitation is the first login of someone who opened an
// invitation link and chose the provider: holding the link is what an
// invitation asks, as when they make an account with a password, so the
// account is made for the invited address whatever the provider says of
// its own. An address that already has an account is refused, as the
// password form refuses it: that account's owner logs in and accepts.
func (tx *Tx) linkSSOByInvitation(in isms.SSOSignIn) (*isms.User, error) {
	inv, err := tx.pendingInvitationByHash(in.InvitationHash)
	if err != nil {
		return nil, err
	}
	if n, err := tx.count("SELECT COUNT(*) FROM users WHERE email = ?", inv.Email); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, isms.Errorf(isms.EConflict, "err.invitation_account_exists")
	}
	made := in
	made.Email = inv.Email
	u, err := tx.createSSOUser(made)
	if err != nil {
		return nil, err
	}
	if err := tx.insertIdentity(u, in); err != nil {
		return nil, err
	}
	return u, tx.acceptInvitationByHash(u, in.InvitationHash)
}

// pendingInvitationByHash finds a pending invitation by its secret's hash.
func (tx *Tx) pendingInvitationByHash(hash string) (*isms.Invitation, error) {
	inv, err := scanInvitation(tx.queryRow("SELECT "+invitationColumns+invitationFrom+" WHERE i.token_hash = ?", hash), tx.now)
	if isms.ErrorCode(err) == isms.ENotFound {
		return nil, isms.Errorf(isms.ENotFound, "err.invitation_unknown")
	}
	if err != nil {
		return nil, err
	}
	if inv.State != isms.InvitationPending {
		return nil, notPending(inv.State)
	}
	return inv, nil
}

// acceptInvitationByHash accepts an invitation for an account with the
// invited address, as AcceptInvitation does for one logged in.
func (tx *Tx) acceptInvitationByHash(u *isms.User, hash string) error {
	inv, err := tx.pendingInvitationByHash(hash)
	if err != nil {
		return err
	}
	if u.Email != inv.Email {
		return isms.Errorf(isms.EForbidden, "err.invitation_other_account", inv.Email)
	}
	if err := tx.lockOrganisation(inv.OrganisationID); err != nil {
		return err
	}
	if n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?", inv.OrganisationID, u.ID); err != nil {
		return err
	} else if n > 0 {
		return isms.Errorf(isms.EConflict, "err.invitation_already_member")
	}
	return tx.acceptInvitation(u, inv.OrganisationID, inv.ID, true)
}

// createSSOUser makes the account of a person who logs in through a
// provider. It has no password (an empty hash matches none); a site
// administrator may set one.
func (tx *Tx) createSSOUser(in isms.SSOSignIn) (*isms.User, error) {
	var v isms.Validation
	checkEmail(&v, "email", in.Email)
	if v.Err() != nil {
		return nil, isms.Errorf(isms.EForbidden, "err.sso_no_email")
	}
	name := in.Name
	if name == "" {
		name = in.Email
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	now := ts(tx.now)
	id, err := tx.insert("INSERT INTO users (email, name, password_hash, site_admin, created_at, updated_at) VALUES (?, ?, '', 0, ?, ?)",
		in.Email, name, now, now)
	if err != nil {
		return nil, err
	}
	u, err := tx.userRow(id)
	if err != nil {
		return nil, err
	}
	tx.actor = &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email}
	return u, tx.audit(0, "create", "user", u.ID, nil, map[string]any{"user": u, "provider": in.Provider})
}

// acceptInvitationsOf accepts the pending invitations of a new account's
// address to each organisation, as AcceptInvitation does for one.
func (tx *Tx) acceptInvitationsOf(u *isms.User, orgs []int64) error {
	for _, org := range orgs {
		if err := tx.lockOrganisation(org); err != nil {
			return err
		}
		ids, err := queryAll(tx, scanInt64, "SELECT id FROM invitations WHERE organisation_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC",
			org, u.Email, ts(tx.now))
		if err != nil {
			return err
		}
		for i, id := range ids {
			// The newest invitation gives the role.
			if err := tx.acceptInvitation(u, org, id, i == 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// acceptInvitation marks an invitation accepted by the user and, with
// member, makes them a member with its role; each an audit event. The
// organisation's lock is held.
func (tx *Tx) acceptInvitation(u *isms.User, org, id int64, member bool) error {
	before, err := tx.invitation(org, id)
	if err != nil {
		return err
	}
	if member {
		mid, err := tx.insert("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, 0, 1, ?)",
			org, u.ID, before.Role, ts(tx.now))
		if err != nil {
			return err
		}
		tx.forgetAccess()
		m, err := tx.membership(org, mid)
		if err != nil {
			return err
		}
		if err := tx.audit(org, "create", "membership", mid, nil, m); err != nil {
			return err
		}
	}
	r, err := tx.exec("UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL", ts(tx.now), u.ID, id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return notPending(isms.InvitationAccepted)
	}
	after, err := tx.invitation(org, id)
	if err != nil {
		return err
	}
	return tx.audit(org, "accept", "invitation", id, before, after)
}

// managedMembership is a membership a role mapping gave.
type managedMembership struct {
	id, org int64
	role    isms.Role
}

// applyRoleMappings brings the memberships that role mappings manage for
// the user in line with the login's claims: a mapped organisation where
// the user has no membership gets one, a managed membership whose mapped
// role changed is changed, and one no mapping gives any more is removed.
// A membership given by hand is left alone. The last administrator of an
// organisation is never demoted or removed here, so a login cannot orphan
// an organisation. Each change is an audit event in the organisation's
// chain.
func (tx *Tx) applyRoleMappings(userID int64, in isms.SSOSignIn) error {
	mappings, err := tx.roleMappings()
	if err != nil {
		return err
	}
	want := isms.MappedRoles(mappings, in.Provider, in.Groups)
	managed, err := queryAll(tx, func(r scanner) (managedMembership, error) {
		var m managedMembership
		var role string
		err := r.Scan(&m.id, &m.org, &role)
		m.role = isms.Role(role)
		return m, err
	}, "SELECT m.id, m.organisation_id, m.role FROM sso_managed_memberships mm JOIN memberships m ON m.id = mm.membership_id WHERE mm.user_id = ?", userID)
	if err != nil {
		return err
	}
	byOrg := map[int64]managedMembership{}
	var orgs []int64
	for _, m := range managed {
		byOrg[m.org] = m
		orgs = append(orgs, m.org)
	}
	for org := range want {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	for _, org := range orgs {
		role, wanted := want[org]
		m, isManaged := byOrg[org]
		if isManaged && wanted && m.role == role {
			continue
		}
		if err := tx.lockOrganisation(org); err != nil {
			return err
		}
		switch {
		case isManaged && wanted:
			if m.role == isms.RoleAdministrator && tx.keepOneAdmin(org) != nil {
				continue
			}
			before, err := tx.membership(org, m.id)
			if err != nil {
				return err
			}
			if _, err := tx.exec("UPDATE memberships SET role = ?, version = version + 1 WHERE id = ?", role, m.id); err != nil {
				return err
			}
			tx.forgetAccess()
			after, err := tx.membership(org, m.id)
			if err != nil {
				return err
			}
			if err := tx.audit(org, "sso_change", "membership", m.id, before, after); err != nil {
				return err
			}
		case isManaged:
			if m.role == isms.RoleAdministrator && tx.keepOneAdmin(org) != nil {
				continue
			}
			before, err := tx.membership(org, m.id)
			if err != nil {
				return err
			}
			if _, err := tx.exec("DELETE FROM sso_managed_memberships WHERE membership_id = ?", m.id); err != nil {
				return err
			}
			if _, err := tx.exec("DELETE FROM memberships WHERE id = ?", m.id); err != nil {
				return err
			}
			tx.forgetAccess()
			if err := tx.audit(org, "sso_remove", "membership", m.id, before, nil); err != nil {
				return err
			}
		default:
			n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?", org, userID)
			if err != nil {
				return err
			}
			if n > 0 {
				continue // given by hand: not single sign-on's to change
			}
			mid, err := tx.insert("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, 0, 1, ?)",
				org, userID, role, ts(tx.now))
			if err != nil {
				return err
			}
			if _, err := tx.exec("INSERT INTO sso_managed_memberships (membership_id, user_id, organisation_id) VALUES (?, ?, ?)", mid, userID, org); err != nil {
				return err
			}
			tx.forgetAccess()
			after, err := tx.membership(org, mid)
			if err != nil {
				return err
			}
			if err := tx.audit(org, "sso_grant", "membership", mid, nil, after); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateSSOSession starts a session for a login through a provider, and
// keeps its ID token beside it until the session ends.
func (db *DB) CreateSSOSession(ctx context.Context, userID int64, provider, idToken string) (string, error) {
	token, hash, err := newToken("")
	if err != nil {
		return "", err
	}
	err = db.write(ctx, "CreateSSOSession", func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM sessions WHERE expires_at < ?", ts(tx.now)); err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			hash, userID, ts(tx.now), ts(tx.now.Add(isms.SessionLifetime))); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO sso_sessions (session_hash, provider, id_token) VALUES (?, ?, ?)", hash, provider, idToken)
		return err
	})
	return token, err
}

// SSOSession tells which provider started a session, and its ID token.
func (db *DB) SSOSession(ctx context.Context, sessionToken string) (string, string, error) {
	var provider, idToken string
	err := db.read(ctx, "SSOSession", func(tx *Tx) error {
		err := tx.queryRow("SELECT provider, id_token FROM sso_sessions WHERE session_hash = ?", tokenHash(sessionToken)).Scan(&provider, &idToken)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("session")
		}
		return translate(err)
	})
	return provider, idToken, err
}

// SSOIdentities lists the linked subjects, to site administrators.
func (db *DB) SSOIdentities(ctx context.Context) ([]*isms.SSOIdentity, error) {
	var out []*isms.SSOIdentity
	err := db.read(ctx, "SSOIdentities", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		var err error
		out, err = queryAll(tx, func(r scanner) (*isms.SSOIdentity, error) {
			var i isms.SSOIdentity
			err := r.Scan(&i.ID, &i.UserID, &i.UserName, &i.Provider, &i.Issuer, &i.Subject, &i.Email, scanTime{&i.CreatedAt}, scanTime{&i.LastLoginAt})
			return &i, err
		}, `SELECT i.id, i.user_id, u.name, i.provider, i.issuer, i.subject, i.email, i.created_at, i.last_login_at
			FROM sso_identities i JOIN users u ON u.id = i.user_id ORDER BY i.last_login_at DESC, i.id DESC LIMIT 500`)
		return err
	})
	return out, err
}

const roleMappingSelect = `SELECT r.id, r.provider, r.claim_value, r.organisation_id, o.name, r.role, r.created_at
	FROM sso_role_mappings r JOIN organisations o ON o.id = r.organisation_id`

func scanRoleMapping(r scanner) (*isms.SSORoleMapping, error) {
	var m isms.SSORoleMapping
	var role string
	if err := r.Scan(&m.ID, &m.Provider, &m.ClaimValue, &m.OrganisationID, &m.OrganisationName, &role, scanTime{&m.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("sso_role_mapping")
		}
		return nil, err
	}
	m.Role = isms.Role(role)
	return &m, nil
}

func (tx *Tx) roleMappings() ([]*isms.SSORoleMapping, error) {
	return queryAll(tx, scanRoleMapping, roleMappingSelect+" ORDER BY r.provider, r.claim_value, o.name, r.id")
}

// SSORoleMappings lists the mapping table, to site administrators.
func (db *DB) SSORoleMappings(ctx context.Context) ([]*isms.SSORoleMapping, error) {
	var out []*isms.SSORoleMapping
	err := db.read(ctx, "SSORoleMappings", func(tx *Tx) (err error) {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		out, err = tx.roleMappings()
		return err
	})
	return out, err
}

// CreateSSORoleMapping adds a row to the mapping table. It is the site's
// setting, audited in the site's chain; the memberships follow at each
// person's next login.
func (db *DB) CreateSSORoleMapping(ctx context.Context, in isms.SSORoleMappingInput) (*isms.SSORoleMapping, error) {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var m *isms.SSORoleMapping
	err := db.write(ctx, "CreateSSORoleMapping", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		if n, err := tx.count("SELECT COUNT(*) FROM organisations WHERE id = ?", in.OrganisationID); err != nil {
			return err
		} else if n == 0 {
			var v isms.Validation
			v.Add("organisation_id", "err.choice")
			return v.Err()
		}
		id, err := tx.insert("INSERT INTO sso_role_mappings (provider, claim_value, organisation_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
			in.Provider, in.ClaimValue, in.OrganisationID, in.Role, ts(tx.now))
		if err != nil {
			if isms.ErrorCode(err) == isms.EConflict {
				var v isms.Validation
				v.Add("claim_value", "err.sso_mapping_exists")
				return v.Err()
			}
			return err
		}
		if m, err = scanRoleMapping(tx.queryRow(roleMappingSelect+" WHERE r.id = ?", id)); err != nil {
			return err
		}
		return tx.audit(0, "create", "sso_role_mapping", id, nil, m)
	})
	return m, err
}

// DeleteSSORoleMapping removes a row of the mapping table; the
// memberships it gave go at each person's next login.
func (db *DB) DeleteSSORoleMapping(ctx context.Context, id int64) error {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return err
	}
	return db.write(ctx, "DeleteSSORoleMapping", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		before, err := scanRoleMapping(tx.queryRow(roleMappingSelect+" WHERE r.id = ?", id))
		if err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM sso_role_mappings WHERE id = ?", id); err != nil {
			return err
		}
		return tx.audit(0, "delete", "sso_role_mapping", id, before, nil)
	})
}
