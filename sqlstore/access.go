package sqlstore

import (
	"database/sql"
	"errors"

	"github.com/ismsdk/isms"
)

// access works out what the transaction's actor may do in an organisation:
// their own membership, read-only oversight through an ancestor, or
// everything as a site administrator. An organisation the actor may not
// see is reported as not found, so its existence does not leak.
//
// A transaction resolves it once per organisation and actor: a write asks
// for its role check, then for the owner check and the records it decides
// on, and the answer cannot change under the organisation's write lock
// except by the transaction's own change of a membership or a parent,
// which forgets it (forgetAccess).
func (tx *Tx) access(orgID int64) (isms.Access, error) {
	if tx.actor == nil {
		return isms.Access{}, isms.Errorf(isms.EUnauthorized, "err.unauthorized")
	}
	key := accessKey{orgID, tx.actor}
	if a, ok := tx.accessOf[key]; ok {
		// The first resolution took the write lock; lock is a no-op
		// for a lock held, kept so that every access in a write holds it.
		if tx.writing {
			if err := tx.lockOrganisation(orgID); err != nil {
				return a, err
			}
		}
		return a, nil
	}
	a, err := tx.resolveAccess(orgID)
	if err != nil {
		return a, err
	}
	if tx.accessOf == nil {
		tx.accessOf = map[accessKey]isms.Access{}
	}
	tx.accessOf[key] = a
	return a, nil
}

// accessKey names one resolved access: an organisation for an actor (an
// invitation's acceptance changes the actor midway).
type accessKey struct {
	orgID int64
	actor *isms.Actor
}

// forgetAccess drops the resolved accesses, after the transaction changed
// a membership or where an organisation sits.
func (tx *Tx) forgetAccess() { tx.accessOf = nil }

// resolveAccess reads the actor's access to an organisation. Each step
// reads an organisation's parent and the actor's membership there in one
// statement: every page asks this at least once.
func (tx *Tx) resolveAccess(orgID int64) (isms.Access, error) {
	const q = `SELECT o.parent_id, m.role, m.oversight FROM organisations o
		LEFT JOIN memberships m ON m.organisation_id = o.id AND m.user_id = ? WHERE o.id = ?`
	var parent sql.NullInt64
	var role sql.NullString
	var over sql.NullInt64
	if err := tx.queryRow(q, tx.actor.UserID, orgID).Scan(&parent, &role, &over); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return isms.Access{}, notFound("organisation")
		}
		return isms.Access{}, err
	}
	a := isms.Access{SiteAdmin: tx.actor.SiteAdmin}
	if role.Valid {
		a.Role = isms.Role(role.String)
	}
	// Walk up the parents for an oversight membership. The depth is small
	// (a ministry, its department, its agencies); the seen set guards
	// against a cycle.
	seen := map[int64]bool{orgID: true}
	for parent.Valid && !a.Oversight && !seen[parent.Int64] {
		seen[parent.Int64] = true
		if err := tx.queryRow(q, tx.actor.UserID, parent.Int64).Scan(&parent, &role, &over); err != nil {
			return a, err
		}
		a.Oversight = over.Int64 == 1
	}
	if !a.Any() {
		return a, notFound("organisation")
	}
	// A write serialises itself against every other writer of this
	// organisation before it reads the records it decides on (lock.go).
	if tx.writing {
		if err := tx.lockOrganisation(orgID); err != nil {
			return a, err
		}
	}
	return a, nil
}

// require checks that the actor holds permission p in the organisation.
func (tx *Tx) require(orgID int64, p isms.Permission) (isms.Access, error) {
	a, err := tx.access(orgID)
	if err != nil {
		return a, err
	}
	if !a.Can(p) {
		return a, isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	return a, nil
}

// requireEdit checks that the actor may change a record with the given
// owner: anyone with the edit permission, or a contributor who owns it.
// For a new record, owner is the owner it will get.
func (tx *Tx) requireEdit(orgID int64, owner *int64) (isms.Access, error) {
	a, err := tx.access(orgID)
	if err != nil {
		return a, err
	}
	return a, a.CheckEdit(tx.actor.UserID, owner)
}

// mayEdit is the check before a change to an owned record: the caller may
// edit a record of each owner given (a contributor only their own, so an
// update names the owner before and after the change, and a contributor
// can neither take another's record nor give theirs away), and sent the
// version that is stored (see checkVersion). The owners are checked first,
// so a caller who may not edit learns nothing from a version mismatch.
func (tx *Tx) mayEdit(orgID, have, sent int64, owners ...*int64) error {
	for _, owner := range owners {
		if _, err := tx.requireEdit(orgID, owner); err != nil {
			return err
		}
	}
	return checkVersion(have, sent)
}

// checkMember validates that a user id names a member of the organisation,
// for owner fields.
func (tx *Tx) checkMember(v *isms.Validation, field string, orgID int64, userID *int64) {
	if userID == nil {
		return
	}
	n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?", orgID, *userID)
	if err != nil || n == 0 {
		v.Add(field, "err.not_member")
	}
}
