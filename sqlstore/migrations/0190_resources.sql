-- Resources (guide 2.4, ISO/IEC 27001 clauses 6.2 and 7.1): the lines of
-- the year's budget for the objectives and the ISMS as a whole, planned
-- against granted, with the controls, annual-wheel activities and risk
-- treatment actions each carries; and the status reports presented to
-- management, each with a frozen copy of what it showed.

CREATE TABLE resource_lines (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    objective_id BIGINT REFERENCES objectives(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    role_id BIGINT REFERENCES security_roles(id) ON DELETE SET NULL,
    role_text TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL DEFAULT '',
    planned_operating DOUBLE PRECISION,
    planned_one_off DOUBLE PRECISION,
    planned_fte DOUBLE PRECISION,
    planned_hours DOUBLE PRECISION,
    granted_operating DOUBLE PRECISION,
    granted_one_off DOUBLE PRECISION,
    granted_fte DOUBLE PRECISION,
    granted_hours DOUBLE PRECISION,
    granted_by BIGINT REFERENCES users(id),
    granted_at TEXT,
    granted_version BIGINT NOT NULL DEFAULT 0,
    grant_note TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX resource_lines_year ON resource_lines (organisation_id, year, objective_id);
CREATE INDEX resource_lines_objective ON resource_lines (organisation_id, objective_id, year);

CREATE TABLE resource_links (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    line_id BIGINT NOT NULL REFERENCES resource_lines(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (line_id, kind, target_id)
);
CREATE INDEX resource_links_org ON resource_links (organisation_id, kind, target_id);

CREATE TABLE status_reports (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    presented_on TEXT NOT NULL,
    forum_id BIGINT REFERENCES forums(id) ON DELETE SET NULL,
    presented_to TEXT NOT NULL DEFAULT '',
    presented_by BIGINT REFERENCES users(id),
    next_due TEXT,
    content_json TEXT NOT NULL,
    received_by BIGINT REFERENCES users(id),
    received_at TEXT,
    decisions TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX status_reports_org ON status_reports (organisation_id, presented_on);
