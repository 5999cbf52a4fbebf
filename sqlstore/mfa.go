package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ismsdk/isms"
)

// Second factors: the authenticator app (TOTP), recovery codes, passkeys,
// the pending login between the password and the second step, and the
// organisations that require a second factor. See mfa.go at the root.
//
// A second factor is guessed like a password is, so its attempts go
// through the same throttle (login.go) under their own pair key, and in
// addition are counted per account over every client: only someone who
// knows the password reaches the second step, so a limit per account
// cannot be used by a stranger to lock its owner out.
const (
	totpPeriod                    = 30
	totpDigits                    = otp.DigitsSix
	maxSecondFactorFailsByAccount = 10
	passkeyChallengeLifetime      = 5 * time.Minute
	totpPendingLifetime           = 30 * time.Minute
)

// checkTOTP tells whether code is right for secret at now, allowing one
// step of clock drift either way, and only for a step after lastStep (a
// code seen once is never accepted again). It returns the step matched.
func checkTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	cur := now.Unix() / totpPeriod
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// recoveryAlphabet leaves out letters and digits that are read one for
// another (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCodes makes RecoveryCodeCount codes of ten characters (about
// 50 bits each), written xxxxx-xxxxx, and their hashes for storage.
func newRecoveryCodes() (codes, hashes []string, err error) {
	for range isms.RecoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, err
		}
		for i := range b {
			b[i] = recoveryAlphabet[int(b[i])%len(recoveryAlphabet)]
		}
		c := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, c)
		hashes = append(hashes, recoveryHash(c))
	}
	return codes, hashes, nil
}

// recoveryHash hashes a recovery code as typed: case, spaces and dashes
// do not matter.
func recoveryHash(code string) string {
	c := strings.ToLower(code)
	c = strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(c)
	return tokenHash("recovery:" + c)
}

// replaceRecoveryCodes gives the user a fresh set of recovery codes; the
// old ones stop working.
func (tx *Tx) replaceRecoveryCodes(userID int64) ([]string, error) {
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec("DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return nil, err
	}
	for _, h := range hashes {
		if _, err := tx.exec("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)", userID, h, ts(tx.now)); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// secondFactors reads what a user has enrolled.
func (tx *Tx) secondFactors(userID int64) (*isms.SecondFactors, error) {
	f := &isms.SecondFactors{Passkeys: []*isms.Passkey{}}
	var secret string
	err := tx.queryRow("SELECT secret, confirmed_at FROM totp_secrets WHERE user_id = ?", userID).Scan(&secret, scanTimePtr{&f.TOTPEnrolledAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, translate(err)
	}
	f.TOTP = secret != ""
	if !f.TOTP {
		f.TOTPEnrolledAt = nil
	}
	if f.RecoveryCodesLeft, err = tx.count("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID); err != nil {
		return nil, err
	}
	rows, err := tx.query("SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = ? ORDER BY id", userID)
	if err != nil {
		return nil, err
	}
	f.Passkeys, err = collect(rows, func(row scanner) (*isms.Passkey, error) {
		var p isms.Passkey
		return &p, row.Scan(&p.ID, &p.Name, scanTime{&p.CreatedAt}, scanTimePtr{&p.LastUsedAt})
	})
	if f.Passkeys == nil {
		f.Passkeys = []*isms.Passkey{}
	}
	return f, err
}

// actorID is the logged-in caller, or EUnauthorized.
func actorID(ctx context.Context) (int64, error) {
	a := isms.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return 0, isms.Errorf(isms.EUnauthorized, "err.unauthorized")
	}
	return a.UserID, nil
}

// SecondFactors lists the caller's own second factors.
func (db *DB) SecondFactors(ctx context.Context) (*isms.SecondFactors, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	return db.UserSecondFactors(ctx, id)
}

// UserSecondFactors lists what a user has enrolled (for the login, which
// has no caller yet).
func (db *DB) UserSecondFactors(ctx context.Context, userID int64) (*isms.SecondFactors, error) {
	var f *isms.SecondFactors
	err := db.read(ctx, "UserSecondFactors", func(tx *Tx) (err error) {
		f, err = tx.secondFactors(userID)
		return err
	})
	return f, err
}

// beginTOTP keeps a new secret for the user until it is confirmed.
func (tx *Tx) beginTOTP(u *isms.User, issuer string) (*isms.TOTPEnrolment, error) {
	if issuer == "" {
		issuer = "ISMS"
	}
	opts := totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}
	// A secret shown a moment ago is shown again (a refused code, a
	// reloaded page): the person may have scanned it already.
	var pending string
	var since time.Time
	err := tx.queryRow("SELECT pending_secret, COALESCE(pending_since, '') FROM totp_secrets WHERE user_id = ?", u.ID).Scan(&pending, scanTime{&since})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, translate(err)
	}
	if pending != "" && tx.now.Sub(since) < totpPendingLifetime/2 {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(pending)
		if err != nil {
			return nil, err
		}
		opts.Secret = raw
	}
	key, err := totp.Generate(opts)
	if err != nil {
		return nil, err
	}
	if key.Secret() == pending {
		return &isms.TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
	}
	if _, err := tx.exec(`INSERT INTO totp_secrets (user_id, pending_secret, pending_since) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret, pending_since = excluded.pending_since`,
		u.ID, key.Secret(), ts(tx.now)); err != nil {
		return nil, err
	}
	return &isms.TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// BeginTOTP makes a new authenticator secret for the caller.
func (db *DB) BeginTOTP(ctx context.Context, issuer string) (*isms.TOTPEnrolment, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	var e *isms.TOTPEnrolment
	err = db.write(ctx, "BeginTOTP", func(tx *Tx) error {
		u, err := scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
		if err != nil {
			return err
		}
		e, err = tx.beginTOTP(u, issuer)
		return err
	})
	return e, err
}

// confirmTOTP makes the pending secret the user's authenticator when code
// is right for it, gives fresh recovery codes and records the enrolment.
// The caller holds the site's lock.
func (tx *Tx) confirmTOTP(userID int64, code string) ([]string, error) {
	var pending string
	var since time.Time
	err := tx.queryRow("SELECT pending_secret, COALESCE(pending_since, '') FROM totp_secrets WHERE user_id = ?", userID).Scan(&pending, scanTime{&since})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (pending == "" || tx.now.Sub(since) > totpPendingLifetime)) {
		return nil, isms.Errorf(isms.EConflict, "err.totp_not_begun")
	}
	if err != nil {
		return nil, translate(err)
	}
	step, ok := checkTOTP(pending, code, tx.now, 0)
	if !ok {
		return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "code", Key: "err.bad_totp_code"}}}
	}
	// The secret checked is the one replaced: a second confirmation racing
	// this one finds nothing pending.
	r, err := tx.exec(`UPDATE totp_secrets SET secret = pending_secret, pending_secret = '', pending_since = NULL, confirmed_at = ?, last_step = ?
		WHERE user_id = ? AND pending_secret = ?`, ts(tx.now), step, userID, pending)
	if err != nil {
		return nil, err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return nil, conflict()
	}
	codes, err := tx.replaceRecoveryCodes(userID)
	if err != nil {
		return nil, err
	}
	return codes, tx.audit(0, "enrol_totp", "user", userID, nil, map[string]any{"recovery_codes": len(codes)})
}

// ConfirmTOTP activates the caller's new authenticator when the code is
// right; wrong codes are throttled like passwords.
func (db *DB) ConfirmTOTP(ctx context.Context, code, client string) ([]string, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	u, err := db.User(ctx, id)
	if err != nil {
		return nil, err
	}
	att, err := db.reserveSecondFactorAttempt(ctx, u, client)
	if err != nil {
		return nil, codeField(err)
	}
	var codes []string
	err = db.write(ctx, "ConfirmTOTP", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		codes, err = tx.confirmTOTP(id, code)
		return err
	})
	if err != nil {
		return nil, err
	}
	return codes, db.loginSucceeded(ctx, att)
}

// codeField puts a throttling refusal on the form's code field.
func codeField(err error) error {
	var e *isms.Error
	if errors.As(err, &e) && e.Code == isms.ETooMany && len(e.Fields) == 0 {
		e.Fields = []isms.FieldError{{Field: "code", Key: e.Key, Args: e.Args}}
	}
	return err
}

// dropRecoveryCodesWithoutFactor removes the recovery codes of a user who
// has no second factor left: they would stand in for nothing.
func (tx *Tx) dropRecoveryCodesWithoutFactor(userID int64) error {
	f, err := tx.secondFactors(userID)
	if err != nil || f.Any() {
		return err
	}
	_, err = tx.exec("DELETE FROM recovery_codes WHERE user_id = ?", userID)
	return err
}

// RemoveTOTP removes the caller's authenticator app.
func (db *DB) RemoveTOTP(ctx context.Context) error {
	id, err := actorID(ctx)
	if err != nil {
		return err
	}
	return db.write(ctx, "RemoveTOTP", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		r, err := tx.exec("DELETE FROM totp_secrets WHERE user_id = ? AND secret <> ''", id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return notFound("totp")
		}
		if err := tx.dropRecoveryCodesWithoutFactor(id); err != nil {
			return err
		}
		return tx.audit(0, "remove_totp", "user", id, nil, nil)
	})
}

// RegenerateRecoveryCodes replaces the caller's recovery codes.
func (db *DB) RegenerateRecoveryCodes(ctx context.Context) ([]string, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	var codes []string
	err = db.write(ctx, "RegenerateRecoveryCodes", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if f, err := tx.secondFactors(id); err != nil {
			return err
		} else if !f.Any() {
			return isms.Errorf(isms.EConflict, "err.no_second_factor")
		}
		if codes, err = tx.replaceRecoveryCodes(id); err != nil {
			return err
		}
		return tx.audit(0, "regenerate_recovery_codes", "user", id, nil, map[string]any{"recovery_codes": len(codes)})
	})
	return codes, err
}

// BeginPasskey keeps a registration's challenge for the caller.
func (db *DB) BeginPasskey(ctx context.Context, name string, challenge []byte) (string, error) {
	id, err := actorID(ctx)
	if err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	var v isms.Validation
	requireText(&v, "passkey_name", name, 100)
	if err := v.Err(); err != nil {
		return "", err
	}
	token, hash, err := newToken("")
	if err != nil {
		return "", err
	}
	err = db.write(ctx, "BeginPasskey", func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM webauthn_challenges WHERE expires_at < ?", ts(tx.now)); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO webauthn_challenges (token_hash, user_id, name, data, expires_at) VALUES (?, ?, ?, ?, ?)",
			hash, id, name, string(challenge), ts(tx.now.Add(passkeyChallengeLifetime)))
		return err
	})
	return token, err
}

// FinishPasskey takes the registration's challenge back (once) and keeps
// the credential check made of it.
func (db *DB) FinishPasskey(ctx context.Context, token string, check func(name string, challenge []byte) (credentialID, credential []byte, err error)) (*isms.Passkey, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	var p *isms.Passkey
	err = db.write(ctx, "FinishPasskey", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		var name, data string
		err := tx.queryRow("SELECT name, data FROM webauthn_challenges WHERE token_hash = ? AND user_id = ? AND expires_at > ?", tokenHash(token), id, ts(tx.now)).Scan(&name, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return isms.Errorf(isms.EConflict, "err.passkey_challenge_gone")
		}
		if err != nil {
			return translate(err)
		}
		if _, err := tx.exec("DELETE FROM webauthn_challenges WHERE token_hash = ?", tokenHash(token)); err != nil {
			return err
		}
		credID, cred, err := check(name, []byte(data))
		if err != nil {
			return isms.Errorf(isms.EInvalid, "err.passkey_refused")
		}
		pid, err := tx.insert("INSERT INTO passkeys (user_id, name, credential_id, credential, created_at) VALUES (?, ?, ?, ?, ?)",
			id, name, base64.RawURLEncoding.EncodeToString(credID), string(cred), ts(tx.now))
		if err != nil {
			return err
		}
		p = &isms.Passkey{ID: pid, Name: name, CreatedAt: tx.now}
		return tx.audit(0, "add_passkey", "user", id, nil, map[string]any{"passkey_id": pid, "name": name})
	})
	return p, err
}

// passkeyCredentials reads a user's credentials as the library stores
// them.
func (tx *Tx) passkeyCredentials(userID int64) ([][]byte, error) {
	rows, err := tx.query("SELECT credential FROM passkeys WHERE user_id = ? ORDER BY id", userID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row scanner) ([]byte, error) {
		var s string
		err := row.Scan(&s)
		return []byte(s), err
	})
}

// PasskeyCredentials are the caller's credentials.
func (db *DB) PasskeyCredentials(ctx context.Context) ([][]byte, error) {
	id, err := actorID(ctx)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	err = db.read(ctx, "PasskeyCredentials", func(tx *Tx) (err error) {
		out, err = tx.passkeyCredentials(id)
		return err
	})
	return out, err
}

// RemovePasskey removes one of the caller's passkeys.
func (db *DB) RemovePasskey(ctx context.Context, pid int64) error {
	id, err := actorID(ctx)
	if err != nil {
		return err
	}
	return db.write(ctx, "RemovePasskey", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		var name string
		if err := tx.queryRow("SELECT name FROM passkeys WHERE id = ? AND user_id = ?", pid, id).Scan(&name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("passkey")
			}
			return translate(err)
		}
		if _, err := tx.exec("DELETE FROM passkeys WHERE id = ?", pid); err != nil {
			return err
		}
		if err := tx.dropRecoveryCodesWithoutFactor(id); err != nil {
			return err
		}
		return tx.audit(0, "remove_passkey", "user", id, map[string]any{"passkey_id": pid, "name": name}, nil)
	})
}

// ResetSecondFactors removes a person's second factors, for a site
// administrator helping someone who lost their phone and their recovery
// codes. Their sessions end too: whoever holds the lost phone may hold one.
func (db *DB) ResetSecondFactors(ctx context.Context, userID int64) error {
	return db.write(ctx, "ResetSecondFactors", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		before, err := tx.secondFactors(userID)
		if err != nil {
			return err
		}
		if _, err := scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ?", userID)); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM totp_secrets WHERE user_id = ?", "DELETE FROM passkeys WHERE user_id = ?",
			"DELETE FROM recovery_codes WHERE user_id = ?", "DELETE FROM pending_logins WHERE user_id = ?", "DELETE FROM sessions WHERE user_id = ?"} {
			if _, err := tx.exec(q, userID); err != nil {
				return err
			}
		}
		return tx.audit(0, "reset_second_factors", "user", userID,
			map[string]any{"totp": before.TOTP, "passkeys": len(before.Passkeys), "recovery_codes_left": before.RecoveryCodesLeft}, nil)
	})
}

// SecondFactorRequiredByOrganisation tells whether an organisation the user
// is a member of requires a second factor.
func (db *DB) SecondFactorRequiredByOrganisation(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := db.read(ctx, "SecondFactorRequiredByOrganisation", func(tx *Tx) (err error) {
		n, err = tx.count(`SELECT COUNT(*) FROM organisation_second_factor r JOIN memberships m ON m.organisation_id = r.organisation_id
			WHERE m.user_id = ?`, userID)
		return err
	})
	return n > 0, err
}

// OrganisationRequiresSecondFactor tells whether members of the
// organisation must have a second factor.
func (db *DB) OrganisationRequiresSecondFactor(ctx context.Context, orgID int64) (bool, error) {
	return view(db, ctx, "OrganisationRequiresSecondFactor", orgID, func(tx *Tx) (bool, error) {
		n, err := tx.count("SELECT COUNT(*) FROM organisation_second_factor WHERE organisation_id = ?", orgID)
		return n > 0, err
	})
}

// SetOrganisationRequiresSecondFactor sets whether members of the
// organisation must have a second factor: those who manage its members
// (and site administrators) may. It takes effect at each member's next
// login.
func (db *DB) SetOrganisationRequiresSecondFactor(ctx context.Context, orgID int64, required bool) error {
	return db.write(ctx, "SetOrganisationRequiresSecondFactor", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM organisation_second_factor WHERE organisation_id = ?", orgID)
		if err != nil {
			return err
		}
		if (n > 0) == required {
			return nil
		}
		if required {
			_, err = tx.exec("INSERT INTO organisation_second_factor (organisation_id, required_since) VALUES (?, ?)", orgID, ts(tx.now))
		} else {
			_, err = tx.exec("DELETE FROM organisation_second_factor WHERE organisation_id = ?", orgID)
		}
		if err != nil {
			return err
		}
		return tx.audit(orgID, "set_second_factor_requirement", "organisation", orgID,
			map[string]any{"second_factor_required": !required}, map[string]any{"second_factor_required": required})
	})
}

// StartPendingLogin keeps a login that passed the password step until the
// second step passes, for PendingLoginLifetime.
func (db *DB) StartPendingLogin(ctx context.Context, userID int64, next string) (string, error) {
	token, hash, err := newToken("")
	if err != nil {
		return "", err
	}
	err = db.write(ctx, "StartPendingLogin", func(tx *Tx) error {
		if _, err := tx.exec("DELETE FROM pending_logins WHERE expires_at < ?", ts(tx.now)); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO pending_logins (token_hash, user_id, next_url, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hash, userID, next, ts(tx.now), ts(tx.now.Add(isms.PendingLoginLifetime)))
		return err
	})
	return token, err
}

// errLoginExpired refuses a second step whose pending login is gone:
// expired, used, or never made.
func errLoginExpired() error { return isms.Errorf(isms.EUnauthorized, "err.login_expired") }

// pendingLogin reads a live pending login with its active user.
func (tx *Tx) pendingLogin(token string) (*isms.PendingLogin, error) {
	var p isms.PendingLogin
	var uid int64
	var challenge string
	err := tx.queryRow("SELECT user_id, next_url, webauthn FROM pending_logins WHERE token_hash = ? AND expires_at > ?", tokenHash(token), ts(tx.now)).
		Scan(&uid, &p.Next, &challenge)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLoginExpired()
	}
	if err != nil {
		return nil, translate(err)
	}
	p.WebAuthn = []byte(challenge)
	if p.User, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ? AND deactivated_at IS NULL", uid)); err != nil {
		if isms.ErrorCode(err) == isms.ENotFound {
			return nil, errLoginExpired()
		}
		return nil, err
	}
	if p.Factors, err = tx.secondFactors(uid); err != nil {
		return nil, err
	}
	if p.Credentials, err = tx.passkeyCredentials(uid); err != nil {
		return nil, err
	}
	return &p, nil
}

// PendingLogin reads a live pending login.
func (db *DB) PendingLogin(ctx context.Context, token string) (*isms.PendingLogin, error) {
	var p *isms.PendingLogin
	err := db.read(ctx, "PendingLogin", func(tx *Tx) (err error) {
		p, err = tx.pendingLogin(token)
		return err
	})
	return p, err
}

// SetPendingChallenge keeps the challenge of a passkey assertion.
func (db *DB) SetPendingChallenge(ctx context.Context, token string, challenge []byte) error {
	return db.write(ctx, "SetPendingChallenge", func(tx *Tx) error {
		r, err := tx.exec("UPDATE pending_logins SET webauthn = ? WHERE token_hash = ? AND expires_at > ?", string(challenge), tokenHash(token), ts(tx.now))
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errLoginExpired()
		}
		return nil
	})
}

// completePending ends a pending login (once: a second completion finds
// it gone) and starts the session it was for.
func (tx *Tx) completePending(token string, userID int64) (string, error) {
	r, err := tx.exec("DELETE FROM pending_logins WHERE token_hash = ? AND user_id = ? AND expires_at > ?", tokenHash(token), userID, ts(tx.now))
	if err != nil {
		return "", err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return "", errLoginExpired()
	}
	session, hash, err := newToken("")
	if err != nil {
		return "", err
	}
	_, err = tx.exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		hash, userID, ts(tx.now), ts(tx.now.Add(isms.SessionLifetime)))
	return session, err
}

// reserveSecondFactorAttempt reserves an attempt at a user's second
// factor: the password throttle's rules for the pair (account, client)
// and the client, under a key of its own, and at most
// maxSecondFactorFailsByAccount failures per account in the window over
// every client.
func (db *DB) reserveSecondFactorAttempt(ctx context.Context, u *isms.User, client string) (*loginAttempt, error) {
	att, err := db.reserveLoginAttempt(ctx, "second-factor:"+u.Email, client)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("second-factor-account:%d", u.ID)
	err = db.write(ctx, "reserveSecondFactorAttempt", func(tx *Tx) error {
		if err := tx.lock(key); err != nil {
			return err
		}
		var n int
		var oldest time.Time
		if err := tx.queryRow("SELECT COUNT(*), COALESCE(MIN(at), '') FROM login_failures WHERE throttle_key = ? AND at > ?", key, ts(tx.now.Add(-throttleWindow))).
			Scan(&n, scanTime{&oldest}); err != nil {
			return translate(err)
		}
		if n >= maxSecondFactorFailsByAccount {
			return tooMany(oldest.Add(throttleWindow).Sub(tx.now))
		}
		id, err := tx.insert("INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)", key, ts(tx.now))
		att.ids = append(att.ids, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}

// errBadSecondFactor refuses a wrong code, naming the field.
func errBadSecondFactor() error {
	return &isms.Error{Code: isms.EUnauthorized, Key: "err.bad_second_factor", Fields: []isms.FieldError{{Field: "code", Key: "err.bad_second_factor"}}}
}

// CompleteWithCode finishes a pending login with a TOTP code or a recovery
// code. A TOTP code is good for one login (its step is remembered); a
// recovery code is good once, under any number of parallel attempts: the
// update that marks it used is what decides.
func (db *DB) CompleteWithCode(ctx context.Context, token, code, client string) (*isms.User, string, error) {
	p, err := db.PendingLogin(ctx, token)
	if err != nil {
		return nil, "", err
	}
	att, err := db.reserveSecondFactorAttempt(ctx, p.User, client)
	if err != nil {
		return nil, "", codeField(err)
	}
	uid := p.User.ID
	var session string
	err = db.write(ctx, "CompleteWithCode", func(tx *Tx) error {
		tx.actor = &isms.Actor{UserID: uid, Name: p.User.Name, Email: p.User.Email, SiteAdmin: p.User.SiteAdmin}
		if isms.LooksLikeTOTPCode(code) {
			var secret string
			var last int64
			err := tx.queryRow("SELECT secret, last_step FROM totp_secrets WHERE user_id = ?", uid).Scan(&secret, &last)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && secret == "") {
				return errBadSecondFactor()
			}
			if err != nil {
				return translate(err)
			}
			step, ok := checkTOTP(secret, code, tx.now, last)
			if !ok {
				return errBadSecondFactor()
			}
			r, err := tx.exec("UPDATE totp_secrets SET last_step = ? WHERE user_id = ? AND last_step < ?", step, uid, step)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n != 1 {
				return errBadSecondFactor()
			}
		} else {
			if err := tx.lockSite(); err != nil {
				return err
			}
			r, err := tx.exec("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL", ts(tx.now), uid, recoveryHash(code))
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n != 1 {
				return errBadSecondFactor()
			}
			left, err := tx.count("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", uid)
			if err != nil {
				return err
			}
			if err := tx.audit(0, "use_recovery_code", "user", uid, nil, map[string]any{"recovery_codes_left": left}); err != nil {
				return err
			}
		}
		session, err = tx.completePending(token, uid)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return p.User, session, db.loginSucceeded(ctx, att)
}

// CompleteWithPasskey finishes a pending login with a passkey assertion
// that check verifies against the kept challenge.
func (db *DB) CompleteWithPasskey(ctx context.Context, token, client string, check isms.PasskeyCheck) (*isms.User, string, error) {
	p, err := db.PendingLogin(ctx, token)
	if err != nil {
		return nil, "", err
	}
	if len(p.WebAuthn) == 0 {
		return nil, "", isms.Errorf(isms.EConflict, "err.passkey_challenge_gone")
	}
	att, err := db.reserveSecondFactorAttempt(ctx, p.User, client)
	if err != nil {
		return nil, "", err
	}
	credID, cred, err := check(p.WebAuthn, p.Credentials)
	if err != nil {
		return nil, "", isms.Errorf(isms.EUnauthorized, "err.passkey_refused")
	}
	uid := p.User.ID
	var session string
	err = db.write(ctx, "CompleteWithPasskey", func(tx *Tx) error {
		r, err := tx.exec("UPDATE passkeys SET credential = ?, last_used_at = ? WHERE credential_id = ? AND user_id = ?",
			string(cred), ts(tx.now), base64.RawURLEncoding.EncodeToString(credID), uid)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return isms.Errorf(isms.EUnauthorized, "err.passkey_refused")
		}
		session, err = tx.completePending(token, uid)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return p.User, session, db.loginSucceeded(ctx, att)
}

// BeginPendingTOTP makes an authenticator secret for a pending login whose
// user must enrol a second factor before anything else.
func (db *DB) BeginPendingTOTP(ctx context.Context, token, issuer string) (*isms.TOTPEnrolment, error) {
	var e *isms.TOTPEnrolment
	err := db.write(ctx, "BeginPendingTOTP", func(tx *Tx) error {
		p, err := tx.pendingLogin(token)
		if err != nil {
			return err
		}
		if p.Factors.Any() {
			return isms.Errorf(isms.EConflict, "err.second_factor_exists")
		}
		e, err = tx.beginTOTP(p.User, issuer)
		return err
	})
	return e, err
}

// ConfirmPendingTOTP confirms the authenticator of a pending login, gives
// recovery codes and starts the session, in one transaction.
func (db *DB) ConfirmPendingTOTP(ctx context.Context, token, code, client string) (*isms.User, string, []string, error) {
	p, err := db.PendingLogin(ctx, token)
	if err != nil {
		return nil, "", nil, err
	}
	att, err := db.reserveSecondFactorAttempt(ctx, p.User, client)
	if err != nil {
		return nil, "", nil, codeField(err)
	}
	var session string
	var codes []string
	err = db.write(ctx, "ConfirmPendingTOTP", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		tx.actor = &isms.Actor{UserID: p.User.ID, Name: p.User.Name, Email: p.User.Email, SiteAdmin: p.User.SiteAdmin}
		if codes, err = tx.confirmTOTP(p.User.ID, code); err != nil {
			return err
		}
		session, err = tx.completePending(token, p.User.ID)
		return err
	})
	if err != nil {
		return nil, "", nil, err
	}
	return p.User, session, codes, db.loginSucceeded(ctx, att)
}
