-- A second factor for local accounts (issue 14): an authenticator app
-- (TOTP, RFC 6238) with single-use recovery codes, and passkeys or
-- security keys (WebAuthn). A login that needs a second factor is pending
-- between the password and the second step; no session exists until the
-- second step passes. Organisations may require a second factor of their
-- members; API tokens may be limited to reading and given an expiry.

-- The TOTP secret of a user. secret is the confirmed one ('' when none);
-- pending_secret a new one shown to the user and not yet proved with a
-- code (it replaces secret when confirmed). last_step is the last
-- 30-second step a code was accepted for: a code is never accepted twice.
CREATE TABLE totp_secrets (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret TEXT NOT NULL DEFAULT '',
    confirmed_at TEXT,
    pending_secret TEXT NOT NULL DEFAULT '',
    pending_since TEXT,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes, stored as SHA-256 hashes (each has 50 random bits and
-- is throttled like a password); used_at set once, by the one use.
CREATE TABLE recovery_codes (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);

-- Passkeys and security keys: the WebAuthn credential as the library
-- stores it (public key, sign count, flags), found by its credential id.
CREATE TABLE passkeys (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
CREATE UNIQUE INDEX passkeys_credential ON passkeys (credential_id);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A login between the password and the second step, for a few minutes.
-- webauthn holds the challenge of a passkey assertion under way.
CREATE TABLE pending_logins (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    next_url TEXT NOT NULL,
    webauthn TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_logins_user ON pending_logins (user_id);

-- The challenge of a passkey registration under way, bound to its user.
CREATE TABLE webauthn_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Organisations whose members must have a second factor.
CREATE TABLE organisation_second_factor (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    required_since TEXT NOT NULL
);

ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
