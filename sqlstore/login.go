package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/ismsdk/isms"
)

// Login throttling.
//
// Password guessing is slowed in two ways, both kept in the database so
// they hold across several instances:
//
//   - per account and client address (the pair): the first few failures
//     are free, then every further attempt from that client on that account
//     must wait after the last failure, the wait doubling each time up to a
//     ceiling. A correct password resets the pair. Nobody else is
//     affected: someone who knows a colleague's e-mail address cannot lock
//     the colleague out, because the colleague's own client is a different
//     pair and still gets in at once.
//   - per client address: too many failures from one client over any
//     accounts (spraying one password over many addresses) close that
//     client until its oldest failure leaves the window.
//
// There is deliberately no lock-out of an account as such: it would let
// anyone lock a known user out. A guesser spread over many addresses is
// slowed by the per-client limits and the cost of argon2id; a second
// factor is the remedy for that.
//
// The count is exact under parallel attempts: an attempt first reserves
// its place (a failure row, under the client's write lock) and only then is
// the password checked, outside the transaction because argon2id is slow.
// A correct password takes the reservation back. So 20 parallel guesses get
// exactly as many checks as the rules allow, on SQLite and PostgreSQL.
const (
	throttleWindow     = 15 * time.Minute
	freeFailuresByPair = 5
	firstBackOff       = time.Minute
	maxBackOff         = 15 * time.Minute
	maxFailsPerClient  = 30
)

// pairBackOff is the wait after the last failure once a pair has failed n
// times within the window: none for the first freeFailuresByPair, then
// one minute, doubling to the ceiling.
func pairBackOff(n int) time.Duration {
	if n < freeFailuresByPair {
		return 0
	}
	d := firstBackOff
	for i := freeFailuresByPair; i < n && d < maxBackOff; i++ {
		d *= 2
	}
	return min(d, maxBackOff)
}

// tooMany is the refusal of an attempt that came too early; it says how
// long to wait, rounded up to whole seconds.
func tooMany(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	if secs < 120 {
		return isms.Errorf(isms.ETooMany, "err.login_wait_seconds", secs)
	}
	return isms.Errorf(isms.ETooMany, "err.login_wait_minutes", (secs+59)/60)
}

// loginAttempt is a reserved attempt: the failure rows written before the
// password was checked, taken back if it was right.
type loginAttempt struct {
	pairKey string
	ids     []int64
}

// reserveLoginAttempt checks the throttling rules for an account (by its
// normalised e-mail address) and a client, and reserves the attempt as a
// failure. It refuses with ETooMany when the attempt comes too early.
func (db *DB) reserveLoginAttempt(ctx context.Context, email, client string) (*loginAttempt, error) {
	att := &loginAttempt{pairKey: "pair:" + email + "|" + client}
	clientKey := "client:" + client
	err := db.write(ctx, "reserveLoginAttempt", func(tx *Tx) error {
		att.ids = nil
		// Every attempt from one client goes through this lock, so the
		// counts below are exact; other clients are not held up.
		if err := tx.lock(clientKey); err != nil {
			return err
		}
		since := ts(tx.now.Add(-throttleWindow))
		var n int
		var oldest time.Time
		if err := tx.queryRow("SELECT COUNT(*), COALESCE(MIN(at), '') FROM login_failures WHERE throttle_key = ? AND at > ?", clientKey, since).Scan(&n, scanTime{&oldest}); err != nil {
			return translate(err)
		}
		if n >= maxFailsPerClient {
			return tooMany(oldest.Add(throttleWindow).Sub(tx.now))
		}
		var last time.Time
		if err := tx.queryRow("SELECT COUNT(*), COALESCE(MAX(at), '') FROM login_failures WHERE throttle_key = ? AND at > ?", att.pairKey, since).Scan(&n, scanTime{&last}); err != nil {
			return translate(err)
		}
		if wait := pairBackOff(n); wait > 0 {
			if next := last.Add(wait); tx.now.Before(next) {
				return tooMany(next.Sub(tx.now))
			}
		}
		for _, k := range []string{att.pairKey, clientKey} {
			id, err := tx.insert("INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)", k, ts(tx.now))
			if err != nil {
				return err
			}
			att.ids = append(att.ids, id)
		}
		_, err := tx.exec("DELETE FROM login_failures WHERE at < ?", ts(tx.now.Add(-24*time.Hour)))
		return err
	})
	return att, err
}

// succeeded takes a reserved attempt back after a correct password: the
// client's reservation goes, and the pair starts over.
func (db *DB) loginSucceeded(ctx context.Context, att *loginAttempt) error {
	return db.write(ctx, "loginSucceeded", func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM login_failures WHERE throttle_key = ?", att.pairKey); err != nil {
			return err
		}
		_, err := tx.exec("DELETE FROM login_failures WHERE id IN ("+placeholders(len(att.ids))+")", int64sToAny(att.ids)...)
		return err
	})
}

// Authenticate checks an e-mail and password under the throttling rules
// above. An unknown address costs as much time as a known one.
func (db *DB) Authenticate(ctx context.Context, email, password, client string) (*isms.User, error) {
	email = normEmail(email)
	att, err := db.reserveLoginAttempt(ctx, email, client)
	if err != nil {
		return nil, err
	}
	u, hash, err := db.passwordHashByEmail(ctx, email)
	if err != nil && isms.ErrorCode(err) != isms.ENotFound {
		return nil, err
	}
	if u != nil && !u.Active {
		// A deactivated account fails exactly like a wrong password.
		u = nil
	}
	if u == nil {
		checkPassword(password, dummyHash())
		return nil, isms.Errorf(isms.EUnauthorized, "err.bad_login")
	}
	if !checkPassword(password, hash) {
		return nil, isms.Errorf(isms.EUnauthorized, "err.bad_login")
	}
	if err := db.loginSucceeded(ctx, att); err != nil {
		return nil, err
	}
	return u, nil
}

// passwordHashByEmail reads an account and its password hash.
func (db *DB) passwordHashByEmail(ctx context.Context, email string) (*isms.User, string, error) {
	var u *isms.User
	var hash string
	err := db.read(ctx, "passwordHashByEmail", func(tx *Tx) (err error) {
		if u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE email = ?", email)); err != nil {
			return err
		}
		return tx.queryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash)
	})
	if err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// ChangePassword changes the actor's own password after checking the old
// one. Wrong old passwords are throttled like logins (same account, same
// client), so a session left open is no unlimited guessing oracle.
//
// A change ends every session of the user and revokes every API token:
// a password is most often changed because it may be known to someone
// else, and a token made by that someone would outlive the change. The
// caller starts a new session for the browser that made the change.
func (db *DB) ChangePassword(ctx context.Context, oldPassword, newPassword, client string) error {
	actor := isms.ActorFrom(ctx)
	if actor == nil || actor.UserID == 0 {
		return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
	}
	var v isms.Validation
	validatePassword(&v, "new_password", newPassword)
	if err := v.Err(); err != nil {
		return err
	}
	u, err := db.User(ctx, actor.UserID)
	if err != nil {
		return err
	}
	att, err := db.reserveLoginAttempt(ctx, u.Email, client)
	if err != nil {
		// The form names the field the wait is about.
		var e *isms.Error
		if errors.As(err, &e) && e.Code == isms.ETooMany {
			e.Fields = []isms.FieldError{{Field: "old_password", Key: e.Key, Args: e.Args}}
		}
		return err
	}
	_, old, err := db.passwordHashByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	if !checkPassword(oldPassword, old) {
		var v isms.Validation
		v.Add("old_password", "err.wrong_password")
		return v.Err()
	}
	hash, err := hashPassword(newPassword)
	if err != nil {
		return err
	}
	if err := db.loginSucceeded(ctx, att); err != nil {
		return err
	}
	return db.write(ctx, "ChangePassword", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		// The old password is compared again under the lock: two changes
		// racing each other must not both pass with the same old password.
		var current string
		if err := tx.queryRow("SELECT password_hash FROM users WHERE id = ?", actor.UserID).Scan(&current); err != nil {
			return translate(err)
		}
		if current != old {
			return conflict()
		}
		if _, err := tx.exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, ts(tx.now), actor.UserID); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", actor.UserID); err != nil {
			return err
		}
		r, err := tx.exec("DELETE FROM api_tokens WHERE user_id = ?", actor.UserID)
		if err != nil {
			return err
		}
		revoked, _ := r.RowsAffected()
		return tx.audit(0, "change_password", "user", actor.UserID, nil, map[string]any{"api_tokens_revoked": revoked})
	})
}
