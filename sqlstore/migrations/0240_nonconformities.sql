-- Nonconformities, corrective actions and continual improvements (guide
-- 2.10, ISO/IEC 27001 clause 10). A nonconformity's status is derived
-- from what is recorded; closed_on marks it closed after an effective
-- review. whys holds the five-whys answers as a JSON array of strings.

CREATE TABLE nonconformities (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    source_decision_id BIGINT REFERENCES forum_decisions(id) ON DELETE SET NULL,
    source_ref TEXT NOT NULL DEFAULT '',
    requirement_kind TEXT NOT NULL,
    requirement TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    detected_on TEXT NOT NULL,
    reported_by TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    correction TEXT NOT NULL DEFAULT '',
    correction_on TEXT,
    method TEXT NOT NULL DEFAULT '',
    whys TEXT NOT NULL DEFAULT '[]',
    root_cause TEXT NOT NULL DEFAULT '',
    similar_exist INTEGER,
    similar_could_occur INTEGER,
    similar_note TEXT NOT NULL DEFAULT '',
    no_action_needed INTEGER NOT NULL DEFAULT 0,
    no_action_reason TEXT NOT NULL DEFAULT '',
    review_planned_on TEXT,
    reviewed_on TEXT,
    effective INTEGER,
    review_note TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX nonconformities_org ON nonconformities (organisation_id, closed_on, detected_on);

CREATE TABLE nonconformity_actions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    nonconformity_id BIGINT NOT NULL REFERENCES nonconformities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    action TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    due_on TEXT,
    done_on TEXT
);
CREATE INDEX nonconformity_actions_nc ON nonconformity_actions (nonconformity_id, position);
CREATE INDEX nonconformity_actions_due ON nonconformity_actions (organisation_id, done_on, due_on);

CREATE TABLE improvements (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    area TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    benefit TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX improvements_org ON improvements (organisation_id, status, due_on);
