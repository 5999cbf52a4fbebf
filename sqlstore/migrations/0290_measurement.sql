-- Monitoring and measurement (guide 2.9, ISO/IEC 27001 clause 9.1): the
-- organisation's monitoring guideline (what, by which method, analysed
-- when and by whom, reported to whom and how often), the measurement
-- programme's indicators with their target and thresholds, their values
-- (one per indicator and day: the daily computation and a second instance
-- computing the same day store one value), and the breaches of their
-- thresholds (one per indicator and period), each answered by a
-- nonconformity or a note.

CREATE TABLE monitoring_guidelines (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    scope TEXT NOT NULL DEFAULT '',
    methods TEXT NOT NULL DEFAULT '',
    analysis TEXT NOT NULL DEFAULT '',
    forum_id BIGINT REFERENCES forums(id) ON DELETE SET NULL,
    report_to TEXT NOT NULL DEFAULT '',
    report_months INTEGER NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id),
    updated_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE indicators (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    computation TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL,
    target DOUBLE PRECISION,
    warning DOUBLE PRECISION,
    breach DOUBLE PRECISION,
    frequency TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    measured_by TEXT NOT NULL DEFAULT '',
    evaluates TEXT NOT NULL,
    objective_id BIGINT REFERENCES objectives(id) ON DELETE SET NULL,
    control TEXT NOT NULL DEFAULT '',
    process TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX indicators_org ON indicators (organisation_id, active, title);

CREATE TABLE indicator_values (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX indicator_values_day ON indicator_values (indicator_id, measured_on);

CREATE TABLE indicator_breaches (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    level TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    nonconformity_id BIGINT REFERENCES nonconformities(id) ON DELETE SET NULL,
    handled_note TEXT NOT NULL DEFAULT '',
    handled_by BIGINT REFERENCES users(id),
    handled_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX indicator_breaches_period ON indicator_breaches (indicator_id, period);
CREATE INDEX indicator_breaches_open ON indicator_breaches (organisation_id, handled_at, nonconformity_id);
