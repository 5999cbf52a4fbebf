-- Organisations, people, roles, sessions, tokens and the audit trail.

CREATE TABLE organisations (
    id {{ID}},
    parent_id BIGINT REFERENCES organisations(id),
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
    id {{ID}},
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    site_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE memberships (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    oversight INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX memberships_org_user ON memberships (organisation_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

-- Failed logins, kept in the database so that throttling holds across
-- several instances.
CREATE TABLE login_failures (
    id {{ID}},
    throttle_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);

-- The audit trail: one hash chain per organisation (0 for site-wide
-- events such as new users). audit_heads holds each chain's last link and
-- is updated in the same transaction as the event it chains, which also
-- serialises writers of one chain on PostgreSQL.
CREATE TABLE audit_heads (
    organisation_id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (organisation_id, seq, hash) VALUES (0, 0, '');

CREATE TABLE audit_events (
    id {{ID}},
    organisation_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_id BIGINT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_events_chain ON audit_events (organisation_id, seq);
CREATE INDEX audit_events_record ON audit_events (organisation_id, record_type, record_id);

-- Links between records of any kind (an entry to the entries it relates
-- to, later a risk to its controls, …).
CREATE TABLE record_links (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    from_type TEXT NOT NULL,
    from_id BIGINT NOT NULL,
    to_type TEXT NOT NULL,
    to_id BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, from_type, from_id, to_type, to_id)
);
CREATE INDEX record_links_to ON record_links (organisation_id, to_type, to_id);

-- The checklist: answers given by people, and the daily tally for the
-- progress chart.
CREATE TABLE checklist_manual (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    question_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    answered_by BIGINT NOT NULL REFERENCES users(id),
    answered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, question_id)
);

CREATE TABLE checklist_snapshots (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    day TEXT NOT NULL,
    yes_count INTEGER NOT NULL,
    partly_count INTEGER NOT NULL,
    no_count INTEGER NOT NULL,
    unanswered_count INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, day)
);
