-- The annual wheel (guide 2.2 and 2.9): recurring activities, their
-- occurrences per year, the years laid out, the year plans management
-- approves, the calendar feed's secret, the reminder mail log and each
-- user's choice of language for mail.

CREATE TABLE wheel_activities (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    recurrence TEXT NOT NULL,
    interval_months INTEGER NOT NULL DEFAULT 0,
    start_date TEXT NOT NULL,
    due_day INTEGER NOT NULL DEFAULT 0,
    end_date TEXT,
    -- the explicit dates of an ad hoc activity, YYYY-MM-DD separated by commas
    adhoc_dates TEXT NOT NULL DEFAULT '',
    serves TEXT NOT NULL DEFAULT '',
    record_text TEXT NOT NULL DEFAULT '',
    remind_days INTEGER NOT NULL DEFAULT 7,
    status TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX wheel_activities_org ON wheel_activities (organisation_id, title);

-- The management topics (guide 2.2) each activity lets management deal with.
CREATE TABLE wheel_activity_topics (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    activity_id BIGINT NOT NULL REFERENCES wheel_activities(id),
    topic TEXT NOT NULL,
    PRIMARY KEY (activity_id, topic)
);
CREATE INDEX wheel_activity_topics_org ON wheel_activity_topics (organisation_id, topic);

-- One row per time an activity falls due. (activity_id, planned_date)
-- names an occurrence, so laying out a year twice makes nothing twice.
CREATE TABLE wheel_occurrences (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    activity_id BIGINT NOT NULL REFERENCES wheel_activities(id),
    planned_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL,
    skip_reason TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    completed_on TEXT,
    completed_by BIGINT REFERENCES users(id),
    completed_at TEXT,
    evidence_path TEXT NOT NULL DEFAULT '',
    evidence_ref TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX wheel_occurrences_key ON wheel_occurrences (activity_id, planned_date);
CREATE INDEX wheel_occurrences_due ON wheel_occurrences (organisation_id, due_date);

-- The years whose occurrences have been laid out.
CREATE TABLE wheel_years (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

-- Each submitted version of a year's plan with its frozen snapshot.
CREATE TABLE wheel_year_plans (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    checksum TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_at TEXT
);
CREATE UNIQUE INDEX wheel_year_plans_number ON wheel_year_plans (organisation_id, year, number);

-- The secret of each organisation's calendar feed; only its hash is kept.
CREATE TABLE wheel_feed_tokens (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    token_hash TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE UNIQUE INDEX wheel_feed_tokens_hash ON wheel_feed_tokens (token_hash);
CREATE INDEX wheel_feed_tokens_org ON wheel_feed_tokens (organisation_id);

-- Every reminder mail. A reminder is claimed by inserting its key before it
-- is sent, so with several instances running it is still sent only once; a
-- failed send is claimed again (attempts counts them) up to a limit.
-- occurrence_id has no foreign key: the log outlives a deleted activity.
CREATE TABLE wheel_mail_log (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    reminder_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    occurrence_id BIGINT,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    result TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX wheel_mail_log_key ON wheel_mail_log (reminder_key);
CREATE INDEX wheel_mail_log_org ON wheel_mail_log (organisation_id, claimed_at);

-- A user's own preferences: the language reminder mails are written in.
CREATE TABLE user_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    mail_language TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
