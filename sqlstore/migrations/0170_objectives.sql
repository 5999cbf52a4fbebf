-- Information security objectives (guide 2.4, ISO/IEC 27001 clause 6.2):
-- what is to be achieved, how it is measured, by when, by whom, which
-- policy document or risk it serves, the plan, the status and
-- management's approval of the version approved; with dated progress
-- measurements.

CREATE TABLE objectives (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    measure TEXT NOT NULL DEFAULT '',
    target_value DOUBLE PRECISION,
    unit TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    owner_id BIGINT REFERENCES users(id),
    document_id BIGINT REFERENCES documents(id) ON DELETE SET NULL,
    risk_id BIGINT REFERENCES risks(id) ON DELETE SET NULL,
    plan TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_at TEXT,
    approved_version BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX objectives_org ON objectives (organisation_id, status, due_date);
CREATE INDEX objectives_owner ON objectives (organisation_id, owner_id);

CREATE TABLE objective_progress (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    objective_id BIGINT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX objective_progress_objective ON objective_progress (objective_id, measured_on);
