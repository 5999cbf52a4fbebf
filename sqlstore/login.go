package sqlstore

import (
	"context"
	"time"

	"github.com/ismsdk/isms"
)

// Authenticate checks an e-mail and password. After too many failures for
// one address or from one client within the window, it refuses without
// checking, so guessing is slow even across several instances.
func (db *DB) Authenticate(ctx context.Context, email, password, client string) (*isms.User, error) {
	email = normEmail(email)
	keys := []string{"email:" + email, "client:" + client}
	var u *isms.User
	var failed bool
	err := db.write(ctx, func(tx *Tx) error {
		since := ts(tx.now.Add(-throttleWindow))
		for i, k := range keys {
			n, err := tx.count("SELECT COUNT(*) FROM login_failures WHERE throttle_key = ? AND at > ?", k, since)
			if err != nil {
				return err
			}
			if (i == 0 && n >= maxFailsPerEmail) || (i == 1 && n >= maxFailsPerClient) {
				return isms.Errorf(isms.ETooMany, "err.too_many_logins", int(throttleWindow.Minutes()))
			}
		}
		var hash string
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE email = ?", email))
		if err == nil {
			err = tx.queryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash)
		}
		if err != nil && isms.ErrorCode(err) != isms.ENotFound {
			return err
		}
		if u == nil {
			checkPassword(password, dummyHash)
		}
		if u == nil || !checkPassword(password, hash) {
			failed = true
			for _, k := range keys {
				if _, err := tx.exec("INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)", k, ts(tx.now)); err != nil {
					return err
				}
			}
			_, err := tx.exec("DELETE FROM login_failures WHERE at < ?", ts(tx.now.Add(-24*time.Hour)))
			return err
		}
		_, err = tx.exec("DELETE FROM login_failures WHERE throttle_key = ?", keys[0])
		return err
	})
	if err != nil {
		return nil, err
	}
	if failed {
		return nil, isms.Errorf(isms.EUnauthorized, "err.bad_login")
	}
	return u, nil
}

// ChangePassword changes the actor's own password after checking the old one.
func (db *DB) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	var v isms.Validation
	validatePassword(&v, "new_password", newPassword)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := hashPassword(newPassword)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if tx.actor == nil {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		var old string
		if err := tx.queryRow("SELECT password_hash FROM users WHERE id = ?", tx.actor.UserID).Scan(&old); err != nil {
			return err
		}
		if !checkPassword(oldPassword, old) {
			var v isms.Validation
			v.Add("old_password", "err.wrong_password")
			return v.Err()
		}
		if _, err := tx.exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, ts(tx.now), tx.actor.UserID); err != nil {
			return err
		}
		// Other browsers logged in as this user are logged out.
		if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", tx.actor.UserID); err != nil {
			return err
		}
		return tx.audit(0, "change_password", "user", tx.actor.UserID, nil, nil)
	})
}
