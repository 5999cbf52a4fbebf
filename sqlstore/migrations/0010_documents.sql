-- Controlled documentation (guide 2.8): the register of documented
-- information, documents with versions kept in the database, approvals,
-- form rules and retention rules.

-- The guide's mandatory and optional documentation, copied per
-- organisation on first use so that each records its own decisions.
-- The Statement of Applicability reads annex_a, title_da, title_en,
-- decision and reason of the optional rows.
CREATE TABLE documentation_requirements (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    doc_kind TEXT NOT NULL DEFAULT '',
    clause_2013 TEXT NOT NULL DEFAULT '',
    clause_2022 TEXT NOT NULL DEFAULT '',
    annex_a TEXT NOT NULL DEFAULT '',
    title_da TEXT NOT NULL,
    title_en TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX documentation_requirements_key ON documentation_requirements (organisation_id, key);

CREATE TABLE documents (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    classification TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    medium TEXT NOT NULL DEFAULT '',
    storage_location TEXT NOT NULL DEFAULT '',
    clause TEXT NOT NULL DEFAULT '',
    requirement_id BIGINT REFERENCES documentation_requirements(id),
    review_interval_months INTEGER NOT NULL DEFAULT 0,
    next_review TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_org_title ON documents (organisation_id, title);
CREATE INDEX documents_org_kind ON documents (organisation_id, kind);
CREATE INDEX documents_requirement ON documents (requirement_id);

CREATE TABLE document_approvers (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (document_id, user_id)
);

-- One row per version. The content is either a file (content, with its
-- name, media type, size and SHA-256) or text written in the product
-- (text_content, whose SHA-256 is kept the same way). Deleting content
-- after its retention empties both and records when, by whom and under
-- which rule; the row stays.
CREATE TABLE document_versions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    media_type TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    content {{BLOB}},
    text_content TEXT,
    change_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    approved_at TEXT,
    published_at TEXT,
    published_by BIGINT REFERENCES users(id),
    closed_at TEXT,
    closed_by BIGINT REFERENCES users(id),
    close_comment TEXT NOT NULL DEFAULT '',
    content_deleted_at TEXT,
    content_deleted_by BIGINT REFERENCES users(id),
    deletion_rule TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX document_versions_number ON document_versions (document_id, number);
CREATE INDEX document_versions_org_state ON document_versions (organisation_id, state);

CREATE TABLE document_approvals (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    version_id BIGINT NOT NULL REFERENCES document_versions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    decision TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX document_approvals_version ON document_approvals (version_id);

CREATE TABLE document_form_rules (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    naming_standard TEXT NOT NULL DEFAULT '',
    naming_pattern TEXT NOT NULL DEFAULT '',
    format_standard TEXT NOT NULL DEFAULT '',
    media_standard TEXT NOT NULL DEFAULT '',
    required_metadata TEXT NOT NULL DEFAULT '',
    accepted_formats TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE document_retention_rules (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    retention_months INTEGER NOT NULL,
    deletion_procedure TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, kind)
);
