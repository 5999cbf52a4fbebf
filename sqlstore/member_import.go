package sqlstore

import (
	"database/sql"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Import of the people of an organisation and their roles (guide 2.2):
// each row is an e-mail address with the person's role in the ISMS (the
// membership's role: administrator, coordinator, …) and the security
// roles they hold or stand in for ("IT-chef", "Informationssikkerheds-
// koordinator"), as a list of staff and responsibilities is kept.
//
// A row matches the member with that address, whose role it changes and to
// whose security roles it adds them (never taking anyone off a role: the
// list of roles is the place for that). Someone who is not a member is
// invited to the role, as the members page does: the invitation's link is
// mailed when the server sends mail, or shown once to the one importing.
// Nobody gets a password from an import.
//
// Whether an address has an account is never told to an organisation's
// administrator (see invitations.go): for them every new address is
// invited, and becomes a member when its holder accepts. A site
// administrator, who sees every account anyway, makes an existing account
// a member at once, as the members page lets them. Security roles are
// given to members only, so an invited person's are given when the file is
// imported again after they accepted; the preview says so.

// memberRoleWords are the membership roles as lists write them, besides
// the product's own names.
var memberRoleWords = func() map[string]isms.Role {
	m := map[string]isms.Role{
		"admin": isms.RoleAdministrator, "administrator": isms.RoleAdministrator, "administrer": isms.RoleAdministrator,
		"koordinator": isms.RoleCoordinator, "coordinator": isms.RoleCoordinator, "ismskoordinator": isms.RoleCoordinator,
		"redaktør": isms.RoleCoordinator, "editor": isms.RoleCoordinator, "skriv": isms.RoleCoordinator,
		"bidragyder": isms.RoleContributor, "contributor": isms.RoleContributor, "ejer": isms.RoleContributor, "owner": isms.RoleContributor,
		"recordowner": isms.RoleContributor, "medarbejder": isms.RoleContributor,
		"ledelse": isms.RoleManagement, "management": isms.RoleManagement, "leder": isms.RoleManagement, "direktion": isms.RoleManagement,
		"topledelse": isms.RoleManagement, "manager": isms.RoleManagement, "godkender": isms.RoleManagement, "approver": isms.RoleManagement,
		"auditor": isms.RoleAuditor, "revisor": isms.RoleAuditor, "intern auditor": isms.RoleAuditor, "internauditor": isms.RoleAuditor,
		"internalauditor": isms.RoleAuditor, "audit": isms.RoleAuditor,
		"læser": isms.RoleReader, "reader": isms.RoleReader, "læs": isms.RoleReader, "read": isms.RoleReader, "læseadgang": isms.RoleReader,
		"readonly": isms.RoleReader, "viewer": isms.RoleReader, "kunlæs": isms.RoleReader,
	}
	for _, r := range isms.Roles {
		m[string(r)] = r
		for _, lang := range []string{"da", "en"} {
			m[regWordKey(i18n.T(lang, i18n.Key("role."+string(r))))] = r
		}
	}
	return m
}()

// memberImportRecord is a member as the import compares it.
type memberImportRecord struct {
	membershipID int64
	userID       int64
	role         isms.Role
}

// memberImportPlan is what a row does with a person.
type memberImportPlan struct {
	email    string
	role     isms.Role
	holds    []int64 // security roles to hold
	deputies []int64 // security roles to stand in for
}

// memberSecurityRole is a security role as the import sees it.
type memberSecurityRole struct {
	id       int64
	name     string
	holders  map[int64]bool
	deputies map[int64]bool
}

// memberResolveSheet checks a list of people and their roles.
func (tx *Tx) memberResolveSheet(orgID int64, a isms.Access, s *isms.RegisterSheet) (*regResolved, error) {
	pv := regPreview(s)
	res := &regResolved{pv: pv, store: map[int]regStore{}}
	if !s.Has("email") {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "email", Message: isms.Msg("rimp.err.missing_column", "rimp.member.email")})
	}
	members := map[string]*memberImportRecord{}
	admins := 0
	err := tx.queryEach(`SELECT m.id, u.id, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = ? ORDER BY m.id`, []any{orgID}, func(row scanner) error {
		x := &memberImportRecord{}
		var email, role string
		if err := row.Scan(&x.membershipID, &x.userID, &email, &role); err != nil {
			return err
		}
		x.role = isms.Role(role)
		if x.role == isms.RoleAdministrator {
			admins++
		}
		members[normEmail(email)] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	pending := map[string]isms.Role{}
	err = tx.queryEach("SELECT email, role FROM invitations WHERE organisation_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY id",
		[]any{orgID, ts(tx.now)}, func(row scanner) error {
			var email, role string
			if err := row.Scan(&email, &role); err != nil {
				return err
			}
			pending[normEmail(email)] = isms.Role(role)
			return nil
		})
	if err != nil {
		return nil, err
	}
	roles, err := tx.roles(orgID, 0)
	if err != nil {
		return nil, err
	}
	secRoles := map[string]*memberSecurityRole{}
	for _, r := range roles {
		x := &memberSecurityRole{id: r.ID, name: r.Name, holders: map[int64]bool{}, deputies: map[int64]bool{}}
		for _, p := range r.Holders {
			x.holders[p.UserID] = true
		}
		for _, p := range r.Deputies {
			x.deputies[p.UserID] = true
		}
		secRoles[isms.CompareKey(r.Name)] = x
	}
	mayEditRoles := a.Can(isms.PermEdit)
	seen := map[string]int{}
	for _, sr := range s.Rows {
		c := sr.Cells
		email := normEmail(c["email"])
		r := isms.RegisterImportRow{Row: sr.Row, Name: strings.TrimSpace(c["name"]), Detail: email}
		if r.Name == "" {
			r.Name = email
		}
		if regNUL(pv, s, &r, c, isms.MemberSheetFields) {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		refuse := func(field, key string, args ...any) { regRefuse(pv, s, &r, field, key, args...) }
		warn := func(field, key string, args ...any) { regWarn(pv, s, &r, field, key, args...) }
		var v isms.Validation
		if email == "" {
			refuse("email", "err.required")
		} else if checkEmail(&v, "email", email); v.Err() != nil {
			refuse("email", "rimp.err.member_email", email)
		}
		if first, ok := seen[email]; ok && email != "" {
			refuse("email", "rimp.err.duplicate_row", first)
		} else if email != "" {
			seen[email] = sr.Row
		}
		match := members[email]
		plan := memberImportPlan{email: email}
		if match != nil {
			plan.role = match.role
			r.RecordID = &match.membershipID
		}
		if v := c["role"]; v != "" {
			if role, ok := regWord(memberRoleWords, v); ok {
				plan.role = role
			} else {
				refuse("role", "rimp.err.member_role", v)
			}
		} else if match == nil {
			plan.role = isms.RoleReader
			warn("role", "rimp.warn.member_role_default")
		}
		// The security roles named: those the organisation has; others
		// are left for the list of roles, with a warning.
		securityRoles := func(field string) []*memberSecurityRole {
			var out []*memberSecurityRole
			for _, n := range regList(c[field]) {
				if x := secRoles[isms.CompareKey(n)]; x != nil {
					if !slices.Contains(out, x) {
						out = append(out, x)
					}
				} else {
					warn(field, "rimp.warn.member_unknown_role", n)
				}
			}
			return out
		}
		holds, deputies := securityRoles("security_roles"), securityRoles("deputy_roles")
		for _, h := range holds {
			if slices.Contains(deputies, h) {
				refuse("deputy_roles", "rimp.err.member_holder_and_deputy", h.name)
			}
		}
		if (len(holds) > 0 || len(deputies) > 0) && !mayEditRoles {
			refuse("security_roles", "err.forbidden")
		}
		if r.Outcome == isms.OutcomeRefused {
			pv.Rows = append(pv.Rows, r)
			continue
		}
		row := sr.Row
		if match != nil {
			if match.role != plan.role {
				r.Changes = append(r.Changes, "role")
				if match.role == isms.RoleAdministrator {
					if admins <= 1 {
						refuse("role", "err.last_admin")
						pv.Rows = append(pv.Rows, r)
						continue
					}
					admins--
				} else if plan.role == isms.RoleAdministrator {
					admins++
				}
			}
			for _, h := range holds {
				if !h.holders[match.userID] {
					plan.holds = append(plan.holds, h.id)
				}
			}
			for _, d := range deputies {
				if d.holders[match.userID] {
					warn("deputy_roles", "rimp.warn.member_holds_already", d.name)
				} else if !d.deputies[match.userID] {
					plan.deputies = append(plan.deputies, d.id)
				}
			}
			if len(plan.holds) > 0 {
				r.Changes = append(r.Changes, "security_roles")
			}
			if len(plan.deputies) > 0 {
				r.Changes = append(r.Changes, "deputy_roles")
			}
			if len(r.Changes) == 0 {
				r.Outcome = isms.OutcomeSkipped
			} else {
				r.Outcome = isms.OutcomeUpdated
				m := *match
				res.store[len(pv.Rows)] = func() (int64, error) { return m.membershipID, tx.memberImportUpdate(orgID, m, plan, s.Filename, row) }
			}
			pv.Rows = append(pv.Rows, r)
			continue
		}
		// Someone who is not a member.
		var userID int64
		if tx.actor.SiteAdmin {
			var deactivated sql.NullString
			err := tx.queryRow("SELECT id, deactivated_at FROM users WHERE email = ?", email).Scan(&userID, &deactivated)
			if err != nil && err != sql.ErrNoRows {
				return nil, err
			}
			if deactivated.Valid {
				userID = 0
			}
		}
		if userID != 0 {
			for _, h := range holds {
				plan.holds = append(plan.holds, h.id)
			}
			for _, d := range deputies {
				plan.deputies = append(plan.deputies, d.id)
			}
			r.Outcome = isms.OutcomeCreated
			r.Changes = []string{"membership"}
			if plan.role == isms.RoleAdministrator {
				admins++
			}
			uid := userID
			res.store[len(pv.Rows)] = func() (int64, error) { return tx.memberImportAdd(orgID, uid, plan, s.Filename, row) }
			pv.Rows = append(pv.Rows, r)
			continue
		}
		if len(holds) > 0 || len(deputies) > 0 {
			warn("security_roles", "rimp.warn.member_roles_after_acceptance")
		}
		if role, ok := pending[email]; ok && role == plan.role {
			r.Outcome = isms.OutcomeSkipped
			r.Changes = []string{"invitation_pending"}
			pv.Rows = append(pv.Rows, r)
			continue
		}
		r.Outcome = isms.OutcomeCreated
		r.Changes = []string{"invitation_new"}
		res.store[len(pv.Rows)] = func() (int64, error) {
			inv, err := tx.memberImportInvite(orgID, plan, row)
			if err != nil {
				return 0, err
			}
			pv.Invitations = append(pv.Invitations, inv)
			return 0, nil
		}
		pv.Rows = append(pv.Rows, r)
	}
	return res, nil
}

// memberImportUpdate changes a member's role and adds them to security
// roles, each change with its audit event.
func (tx *Tx) memberImportUpdate(orgID int64, m memberImportRecord, plan memberImportPlan, filename string, row int) error {
	if m.role != plan.role {
		before, err := tx.membership(orgID, m.membershipID)
		if err != nil {
			return err
		}
		if before.Role == isms.RoleAdministrator && plan.role != isms.RoleAdministrator {
			if err := tx.keepOneAdmin(orgID); err != nil {
				return err
			}
		}
		if _, err := tx.exec("UPDATE memberships SET role = ?, version = version + 1 WHERE organisation_id = ? AND id = ?", plan.role, orgID, m.membershipID); err != nil {
			return err
		}
		tx.forgetAccess()
		if err := regImportAudit(tx, orgID, "import_update", "membership", m.membershipID, before, tx.membership, filename, row); err != nil {
			return err
		}
	}
	return tx.memberImportRoles(orgID, m.userID, plan)
}

// memberImportAdd makes an existing account a member (a site
// administrator's import only).
func (tx *Tx) memberImportAdd(orgID, userID int64, plan memberImportPlan, filename string, row int) (int64, error) {
	id, err := tx.insert("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, 0, 1, ?)",
		orgID, userID, plan.role, ts(tx.now))
	if err != nil {
		return 0, err
	}
	tx.forgetAccess()
	if err := regImportAudit(tx, orgID, "import_create", "membership", id, nil, tx.membership, filename, row); err != nil {
		return 0, err
	}
	return id, tx.memberImportRoles(orgID, userID, plan)
}

// memberImportRoles adds a member to the security roles a row names, as
// holder or deputy; a deputy named holder stops being the deputy.
func (tx *Tx) memberImportRoles(orgID, userID int64, plan memberImportPlan) error {
	for i, ids := range [][]int64{plan.holds, plan.deputies} {
		deputy := i == 1
		for _, roleID := range ids {
			before, err := tx.role(orgID, roleID)
			if err != nil {
				return err
			}
			holders, deputies := before.HolderIDs(), before.DeputyIDs()
			if deputy {
				deputies = append(deputies, userID)
			} else {
				holders = append(holders, userID)
				deputies = slices.DeleteFunc(deputies, func(id int64) bool { return id == userID })
			}
			if _, err := tx.exec("UPDATE security_roles SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
				ts(tx.now), orgID, roleID); err != nil {
				return err
			}
			if err := tx.setRolePeople(orgID, roleID, uniq(holders), uniq(deputies)); err != nil {
				return err
			}
			if err := tx.bumpRolesList(orgID); err != nil {
				return err
			}
			after, err := tx.role(orgID, roleID)
			if err != nil {
				return err
			}
			if err := tx.audit(orgID, "import_update", typeSecurityRole, roleID, roleRecord(before), roleRecord(after)); err != nil {
				return err
			}
		}
	}
	return nil
}

// memberImportInvite invites an address to a role, replacing a pending
// invitation of it, and returns the invitation with its secret.
func (tx *Tx) memberImportInvite(orgID int64, plan memberImportPlan, row int) (*isms.ImportInvitation, error) {
	token, hash, err := newToken("")
	if err != nil {
		return nil, err
	}
	if err := tx.revokeEarlierInvitations(orgID, plan.email); err != nil {
		return nil, err
	}
	var by any
	if tx.actor.UserID != 0 {
		by = tx.actor.UserID
	}
	id, err := tx.insert("INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		orgID, plan.email, plan.role, hash, by, ts(tx.now), ts(tx.now.Add(isms.InvitationLifetime)))
	if err != nil {
		return nil, err
	}
	inv, err := tx.invitation(orgID, id)
	if err != nil {
		return nil, err
	}
	if err := tx.audit(orgID, "create", "invitation", id, nil, inv); err != nil {
		return nil, err
	}
	return &isms.ImportInvitation{Row: row, Token: token, Invitation: inv}, nil
}
