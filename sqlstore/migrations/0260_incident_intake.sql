-- The public reporting link for security events (guide 2.9): staff
-- without an account report an event behind a secret link. Only the
-- link's hash is kept; a new link revokes the one before. An event that
-- came through the link is marked on the incident, since it has no
-- reporting member.

CREATE TABLE incident_intake_links (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    token_hash TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX incident_intake_links_token ON incident_intake_links (token_hash);
CREATE INDEX incident_intake_links_org ON incident_intake_links (organisation_id, revoked_at);

ALTER TABLE incidents ADD COLUMN reported_via TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN intake_link_id BIGINT REFERENCES incident_intake_links(id);
