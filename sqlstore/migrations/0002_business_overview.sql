-- The business overview (guide 2.1): its registers and the ISMS scope.

CREATE TABLE overview_entries (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    next_review TEXT,
    req_confidentiality INTEGER NOT NULL DEFAULT 0,
    req_integrity INTEGER NOT NULL DEFAULT 0,
    req_availability INTEGER NOT NULL DEFAULT 0,
    req_text TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX overview_entries_org_kind ON overview_entries (organisation_id, kind, name);
CREATE INDEX overview_entries_review ON overview_entries (organisation_id, next_review);

CREATE TABLE scopes (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    description TEXT NOT NULL,
    information_types TEXT NOT NULL,
    organisation_units TEXT NOT NULL,
    exclusions TEXT NOT NULL,
    boundary_criteria TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    next_review TEXT,
    approved_by BIGINT REFERENCES users(id),
    approved_at TEXT,
    approved_version BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
