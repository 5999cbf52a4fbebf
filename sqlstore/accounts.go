package sqlstore

import (
	"context"
	"strings"

	"github.com/ismsdk/isms"
)

// The site administrators' management of accounts: the list, one account,
// changes of name and rights, deactivation and reactivation, and password
// resets. Every write takes the site's lock first (lock.go) and is audited
// in the site's chain, organisation 0.

// requireSiteAdmin refuses anyone but a site administrator. In a write it
// reads the actor's own account again under the site's lock: an
// administrator demoted or deactivated by a write that committed a moment
// ago no longer acts as one, whatever their request said when it began.
// It takes the site's lock, so a write calls it before it takes any
// organisation's: writes that take both take the site's first.
func (tx *Tx) requireSiteAdmin() error {
	if err := refuseNonSiteAdmin(tx.actor); err != nil {
		return err
	}
	if !tx.writing {
		return nil
	}
	if err := tx.lockSite(); err != nil {
		return err
	}
	if tx.actor.UserID == 0 {
		// The command line acts as the site's operator, with no account.
		return nil
	}
	u, err := tx.userRow(tx.actor.UserID)
	if err != nil {
		if isms.ErrorCode(err) == isms.ENotFound {
			return isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
		}
		return err
	}
	if !u.SiteAdmin || !u.Active {
		return isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
	}
	return nil
}

// refuseNonSiteAdmin is the first look at the caller, before the store
// spends work (or a password hash) on their request.
func refuseNonSiteAdmin(a *isms.Actor) error {
	if a == nil {
		return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
	}
	if !a.SiteAdmin {
		return isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
	}
	return nil
}

// userRow reads an account as stored, its name unmarked.
// accountToChange is the check before a site administrator changes an
// account: the caller is one (under the site's lock), the account exists,
// and the version sent is the one stored. It returns the account as it is.
func (tx *Tx) accountToChange(id, sent int64) (*isms.User, error) {
	if err := tx.requireSiteAdmin(); err != nil {
		return nil, err
	}
	before, err := tx.userRow(id)
	if err != nil {
		return nil, err
	}
	return before, checkVersion(before.Version, sent)
}

func (tx *Tx) userRow(id int64) (*isms.User, error) {
	return scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// userActive reports whether an account exists and is not deactivated.
func (tx *Tx) userActive(id int64) (bool, error) {
	u, err := tx.userRow(id)
	if err != nil {
		return false, err
	}
	return u.Active, nil
}

var userSorts = map[string]string{"name": "LOWER(name)", "email": "email", "created": "created_at"}

// Users lists the site's accounts to a site administrator, filtered,
// sorted and paginated; it returns the page and the number of matches.
func (db *DB) Users(ctx context.Context, f isms.UserFilter) ([]*isms.User, int, error) {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return nil, 0, err
	}
	var v isms.Validation
	if f.State != "" && f.State != isms.UserStateActive && f.State != isms.UserStateDeactivated {
		v.Add("state", "err.choice")
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	var out []*isms.User
	var total int
	err := db.read(ctx, "Users", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		where := " WHERE 1 = 1"
		var args []any
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(name) LIKE ? OR email LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like)
		}
		switch f.State {
		case isms.UserStateActive:
			where += " AND deactivated_at IS NULL"
		case isms.UserStateDeactivated:
			where += " AND deactivated_at IS NOT NULL"
		}
		if f.SiteAdmin {
			where += " AND site_admin = 1"
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM users"+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		rows, err := tx.query("SELECT "+userColumns+" FROM users"+where+" ORDER BY "+orderBy(f.Sort, userSorts, "LOWER(name)")+", id LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanUser)
		return err
	})
	return out, total, err
}

// Account reads one account for a site administrator.
func (db *DB) Account(ctx context.Context, id int64) (*isms.User, error) {
	var u *isms.User
	err := db.read(ctx, "Account", func(tx *Tx) (err error) {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		u, err = tx.userRow(id)
		return err
	})
	return u, err
}

// UpdateUser changes an account's name, its site administrator right or
// whether it is active. Deactivation ends the person's sessions and
// deletes their API tokens in the same transaction, so nothing they hold
// works a moment later; their name stays on their records, marked as a
// former user's. The last active site administrator cannot be demoted or
// deactivated: the site would have nobody left to manage it.
func (db *DB) UpdateUser(ctx context.Context, id int64, in isms.UserUpdate) (*isms.User, error) {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	var v isms.Validation
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		in.Name = &n
		requireText(&v, "name", n, 200)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *isms.User
	err := db.write(ctx, "UpdateUser", func(tx *Tx) error {
		before, err := tx.accountToChange(id, in.Version)
		if err != nil {
			return err
		}
		after := *before
		if in.Name != nil {
			after.Name = *in.Name
		}
		if in.SiteAdmin != nil {
			after.SiteAdmin = *in.SiteAdmin
		}
		if in.Active != nil {
			after.Active = *in.Active
		}
		if after.Name == before.Name && after.SiteAdmin == before.SiteAdmin && after.Active == before.Active {
			u = before
			return nil
		}
		if before.SiteAdmin && before.Active && (!after.SiteAdmin || !after.Active) {
			if err := tx.keepOneSiteAdmin(id); err != nil {
				return err
			}
		}
		var deactivated any
		switch {
		case !after.Active && before.Active:
			deactivated = ts(tx.now)
		case !after.Active:
			deactivated = ts(*before.DeactivatedAt)
		}
		if _, err := tx.exec("UPDATE users SET name = ?, site_admin = ?, deactivated_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
			after.Name, b2i(after.SiteAdmin), deactivated, ts(tx.now), id); err != nil {
			return err
		}
		if before.Active && !after.Active {
			if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
			if _, err := tx.exec("DELETE FROM api_tokens WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		if u, err = tx.userRow(id); err != nil {
			return err
		}
		action := "update"
		switch {
		case before.Active && !after.Active:
			action = "deactivate"
		case !before.Active && after.Active:
			action = "reactivate"
		}
		return tx.audit(0, action, "user", id, before, u)
	})
	return u, err
}

// keepOneSiteAdmin refuses a change that would leave no active site
// administrator besides the account id. It runs under the site's lock, so
// two administrators demoting each other at once leave one of them.
func (tx *Tx) keepOneSiteAdmin(id int64) error {
	n, err := tx.count("SELECT COUNT(*) FROM users WHERE site_admin = 1 AND deactivated_at IS NULL AND id <> ?", id)
	if err != nil {
		return err
	}
	if n == 0 {
		return isms.Errorf(isms.EConflict, "err.last_site_admin")
	}
	return nil
}

// ResetPassword sets a new password for someone who lost theirs. As when
// they change it themselves (ChangePassword), their sessions end and their
// API tokens are revoked: the administrator cannot tell a forgotten
// password from one someone else knows, and a token made with it would
// outlive the reset.
func (db *DB) ResetPassword(ctx context.Context, id int64, in isms.PasswordReset) (*isms.User, error) {
	if err := refuseNonSiteAdmin(isms.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	var v isms.Validation
	validatePassword(&v, "password", in.Password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	var u *isms.User
	err = db.write(ctx, "ResetPassword", func(tx *Tx) error {
		before, err := tx.accountToChange(id, in.Version)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?", hash, ts(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM api_tokens WHERE user_id = ?", id); err != nil {
			return err
		}
		if u, err = tx.userRow(id); err != nil {
			return err
		}
		return tx.audit(0, "reset_password", "user", id, before, u)
	})
	return u, err
}

// UserHistory lists the site chain's events about an account, newest
// first, for a site administrator.
func (db *DB) UserHistory(ctx context.Context, id int64) ([]*isms.AuditEvent, error) {
	var out []*isms.AuditEvent
	err := db.read(ctx, "UserHistory", func(tx *Tx) error {
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		var err error
		if out, err = tx.auditEvents("organisation_id = 0 AND record_type = 'user' AND record_id = ? ORDER BY seq DESC LIMIT 200", id); err != nil {
			return err
		}
		return tx.markFormerActors(out)
	})
	return out, err
}
