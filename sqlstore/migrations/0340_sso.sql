-- Single sign-on through OpenID Connect (sso.go at the root).
--
-- sso_identities links a provider's subject (issuer + subject, never the
-- e-mail address alone) to an account, once.
CREATE TABLE sso_identities (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    provider TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_login_at TEXT NOT NULL
);
CREATE UNIQUE INDEX sso_identities_subject ON sso_identities (issuer, subject);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- A login sent to a provider and not yet back: found by the hash of its
-- state, deleted when taken, so a replayed callback finds nothing.
-- invitation_hash is the hash of the invitation link's secret when the
-- login accepts an invitation, '' otherwise.
CREATE TABLE sso_pending_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    invitation_hash TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sso_pending_logins_expiry ON sso_pending_logins (expires_at);

-- The sessions a provider's login started, with the ID token that the
-- provider's end-session endpoint takes as a hint. They end with the
-- session.
CREATE TABLE sso_sessions (
    session_hash TEXT PRIMARY KEY REFERENCES sessions(token_hash) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    id_token TEXT NOT NULL
);

-- Claim value -> organisation and role, applied at every login. An empty
-- provider means any provider.
CREATE TABLE sso_role_mappings (
    id {{ID}},
    provider TEXT NOT NULL,
    claim_value TEXT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX sso_role_mappings_key ON sso_role_mappings (provider, claim_value, organisation_id);

-- The memberships a mapping gave: the next login changes or removes them
-- as the claims changed. A membership given by hand is not listed here and
-- single sign-on leaves it alone.
CREATE TABLE sso_managed_memberships (
    membership_id BIGINT PRIMARY KEY REFERENCES memberships(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE
);
CREATE INDEX sso_managed_memberships_user ON sso_managed_memberships (user_id);
