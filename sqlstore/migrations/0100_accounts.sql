-- Accounts managed in the product: site administrators deactivate and
-- reactivate users, and organisation administrators invite colleagues by
-- e-mail instead of adding existing accounts by address.

-- A deactivated user keeps their record (records they own and the audit
-- trail still name them) but can no longer log in; NULL means active.
-- version lets a site administrator's edit be refused when it is stale.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- An invitation is a one-time link to a role in an organisation. Only the
-- hash of its secret is kept, like sessions and API tokens. It is pending
-- until accepted, revoked or past expires_at; the row stays afterwards as
-- the record of who invited whom.
CREATE TABLE invitations (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    invited_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by BIGINT REFERENCES users(id),
    revoked_at TEXT,
    revoked_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_organisation ON invitations (organisation_id, created_at);
