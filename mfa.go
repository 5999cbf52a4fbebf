package isms

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// A second factor for local accounts (issue 14; NIS2 asks for
// multi-factor authentication). A person proves who they are with their
// password and then with something they hold: an authenticator app that
// shows a time-based code (TOTP, RFC 6238), or a passkey or security key
// (WebAuthn). Recovery codes, each good once, stand in for a lost app.
//
// Single sign-on logins skip the local second factor: the identity
// provider asks for its own.

// RecoveryCodeCount is how many recovery codes a person gets at once.
const RecoveryCodeCount = 10

// PendingLoginLifetime is how long the second step may take after the
// password step before the login must start again.
const PendingLoginLifetime = 5 * time.Minute

// SecondFactors is what a person has enrolled.
type SecondFactors struct {
	// TOTP is true once an authenticator app is confirmed with a code.
	TOTP           bool       `json:"totp"`
	TOTPEnrolledAt *time.Time `json:"totp_enrolled_at"`
	// RecoveryCodesLeft counts the unused recovery codes.
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
	Passkeys          []*Passkey `json:"passkeys"`
}

// Any tells whether the person has a second factor to log in with.
func (f *SecondFactors) Any() bool { return f != nil && (f.TOTP || len(f.Passkeys) > 0) }

// Passkey is a WebAuthn credential (a passkey or a security key) the
// person named when enrolling it.
type Passkey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// TOTPEnrolment is a new authenticator secret, shown to the person as a QR
// code and as text until they confirm it with a code.
type TOTPEnrolment struct {
	Secret string // base32, as apps take it typed in
	URL    string // otpauth:// URL, the QR code's content
}

// PendingLogin is a login that passed the password step and waits for the
// second one.
type PendingLogin struct {
	User *User
	// Next is where the browser goes once logged in.
	Next    string
	Factors *SecondFactors
	// WebAuthn is the challenge of a passkey assertion under way, as the
	// WebAuthn library keeps it; empty when none.
	WebAuthn []byte
	// Credentials are the person's passkeys as the library stores them.
	Credentials [][]byte
}

// PasskeyCheck verifies a WebAuthn assertion against the challenge and the
// person's credentials; it returns the credential that signed, as the
// library stores it (with its new sign count), and its id.
type PasskeyCheck func(challenge []byte, credentials [][]byte) (credentialID, credential []byte, err error)

// SecondFactorService keeps second factors, the pending logins between
// the password and the second step, and which organisations require a
// second factor.
type SecondFactorService interface {
	// SecondFactors lists the caller's own second factors.
	SecondFactors(ctx context.Context) (*SecondFactors, error)
	// BeginTOTP makes a new, unconfirmed authenticator secret for the
	// caller (replacing an unconfirmed one; a confirmed one stays until
	// the new one is confirmed).
	BeginTOTP(ctx context.Context, issuer string) (*TOTPEnrolment, error)
	// ConfirmTOTP activates the new secret when code is right for it and
	// returns fresh recovery codes, shown once. Wrong codes are throttled
	// like logins from client.
	ConfirmTOTP(ctx context.Context, code, client string) (recoveryCodes []string, err error)
	// RemoveTOTP removes the caller's authenticator app (and, when no
	// passkey is left, the recovery codes).
	RemoveTOTP(ctx context.Context) error
	// RegenerateRecoveryCodes replaces the caller's recovery codes.
	RegenerateRecoveryCodes(ctx context.Context) ([]string, error)

	// BeginPasskey keeps the challenge of a passkey registration for the
	// caller, under a token that FinishPasskey takes.
	BeginPasskey(ctx context.Context, name string, challenge []byte) (token string, err error)
	// FinishPasskey reads the registration's challenge back (once) and
	// stores the credential made for it, checked by check.
	FinishPasskey(ctx context.Context, token string, check func(name string, challenge []byte) (credentialID, credential []byte, err error)) (*Passkey, error)
	// PasskeyCredentials are the caller's credentials as the WebAuthn
	// library stores them (to exclude them from a new registration).
	PasskeyCredentials(ctx context.Context) ([][]byte, error)
	RemovePasskey(ctx context.Context, id int64) error

	// ResetSecondFactors removes every second factor of a person who lost
	// them (site administrators): their authenticator app, passkeys and
	// recovery codes. Where one is required, they set one up at their next
	// login.
	ResetSecondFactors(ctx context.Context, userID int64) error

	// SecondFactorRequiredByOrganisation tells whether one of the user's
	// organisations requires a second factor of its members.
	SecondFactorRequiredByOrganisation(ctx context.Context, userID int64) (bool, error)
	// UserSecondFactors lists what a user has enrolled, for the login.
	UserSecondFactors(ctx context.Context, userID int64) (*SecondFactors, error)
	// StartPendingLogin keeps a login that passed the password step.
	StartPendingLogin(ctx context.Context, userID int64, next string) (token string, err error)
	PendingLogin(ctx context.Context, token string) (*PendingLogin, error)
	// SetPendingChallenge keeps a passkey assertion's challenge.
	SetPendingChallenge(ctx context.Context, token string, challenge []byte) error
	// CompleteWithCode finishes a pending login with a TOTP code or a
	// recovery code, throttled like passwords; it returns the session.
	CompleteWithCode(ctx context.Context, token, code, client string) (user *User, session string, err error)
	// CompleteWithPasskey finishes a pending login with a passkey
	// assertion, which check verifies.
	CompleteWithPasskey(ctx context.Context, token, client string, check PasskeyCheck) (user *User, session string, err error)
	// BeginPendingTOTP and ConfirmPendingTOTP enrol an authenticator app
	// for a pending login whose user must have a second factor and has
	// none; the confirmation also starts the session.
	BeginPendingTOTP(ctx context.Context, token, issuer string) (*TOTPEnrolment, error)
	ConfirmPendingTOTP(ctx context.Context, token, code, client string) (user *User, session string, recoveryCodes []string, err error)

	// OrganisationRequiresSecondFactor and SetOrganisationRequiresSecondFactor
	// read and set whether members of an organisation must have a second
	// factor (members' managers and site administrators set it).
	OrganisationRequiresSecondFactor(ctx context.Context, orgID int64) (bool, error)
	SetOrganisationRequiresSecondFactor(ctx context.Context, orgID int64, required bool) error
}

// LooksLikeTOTPCode tells a six-digit authenticator code from a recovery
// code in the one field the second step has.
func LooksLikeTOTPCode(s string) bool {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) != 6 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseTokenExpiry reads when an API token should stop working: empty for
// never, a number of days ("90d") from now, or a date ("2027-03-31"), the
// last day the token works (it stops at the following midnight, UTC).
func ParseTokenExpiry(s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 3660 {
			return nil, Errorf(EInvalid, "err.token_expiry")
		}
		t := now.Add(time.Duration(n) * 24 * time.Hour)
		return &t, nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, Errorf(EInvalid, "err.token_expiry")
	}
	t := d.AddDate(0, 0, 1)
	return &t, nil
}
