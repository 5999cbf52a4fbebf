-- Awareness and behaviour (guide 2.6, ISO/IEC 27001 clause 7.3).

-- The organisation's units, with how many staff each has: awareness is
-- reached per unit, and the reach is counted against these sizes. A
-- person who is not a member of the product is counted here, not in users.
CREATE TABLE org_units (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    -- name_key is the name as compared: lower case, spaces collapsed, so
    -- "IT-afdelingen" in a spreadsheet finds "It-afdelingen".
    name_key TEXT NOT NULL,
    staff_count INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX org_units_name ON org_units (organisation_id, name_key);

-- The awareness programme: campaigns and activities, each on one or more
-- themes, for a target group, through a channel, over a period, with an
-- owner. A recurring activity is tied to the annual wheel's activity that
-- brings it round.
CREATE TABLE awareness_activities (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    -- title_key is the title as compared (as org_units.name_key): an
    -- imported participation row names its activity by title.
    title_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    owner_id BIGINT REFERENCES users(id),
    wheel_activity_id BIGINT REFERENCES wheel_activities(id),
    status TEXT NOT NULL,
    held_on TEXT,
    -- A phishing exercise's result: how many received it, clicked and
    -- reported it. NULL for other activities and before the result.
    exercise_sent INTEGER,
    exercise_clicked INTEGER,
    exercise_reported INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX awareness_activities_org ON awareness_activities (organisation_id, starts_on);
CREATE INDEX awareness_activities_title ON awareness_activities (organisation_id, title_key);

-- An activity's themes: a key of isms.AwarenessThemes or the
-- organisation's own theme in its own words.
CREATE TABLE awareness_activity_themes (
    activity_id BIGINT NOT NULL REFERENCES awareness_activities(id),
    theme TEXT NOT NULL,
    PRIMARY KEY (activity_id, theme)
);

-- The units an activity targets when its target is "units".
CREATE TABLE awareness_activity_units (
    activity_id BIGINT NOT NULL REFERENCES awareness_activities(id),
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    PRIMARY KEY (activity_id, unit_id)
);

-- The security roles an activity targets when its target is "roles".
CREATE TABLE awareness_activity_roles (
    activity_id BIGINT NOT NULL REFERENCES awareness_activities(id),
    role_id BIGINT NOT NULL REFERENCES security_roles(id),
    PRIMARY KEY (activity_id, role_id)
);

-- One import of participation from a file an e-learning system or HR
-- exported.
CREATE TABLE awareness_imports (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    imported_at TEXT NOT NULL
);

-- Who was reached: one person's participation in one activity on a day,
-- with a score where the activity gives one (a quiz, an e-learning test).
CREATE TABLE awareness_participations (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    activity_id BIGINT NOT NULL REFERENCES awareness_activities(id),
    person TEXT NOT NULL,
    -- person_key identifies the person across activities: the e-mail
    -- address in lower case when there is one, otherwise the name as
    -- compared.
    person_key TEXT NOT NULL,
    unit_id BIGINT REFERENCES org_units(id),
    taken_on TEXT NOT NULL,
    score DOUBLE PRECISION,
    import_id BIGINT REFERENCES awareness_imports(id),
    created_at TEXT NOT NULL
);
-- The same person in the same activity on the same day is one
-- participation: importing a file twice does not count anyone twice.
CREATE UNIQUE INDEX awareness_participations_once ON awareness_participations (activity_id, person_key, taken_on);
CREATE INDEX awareness_participations_org ON awareness_participations (organisation_id, taken_on);

-- The organisation's settings for awareness: the reach (per cent of
-- staff) the guide's themes must have had in the last twelve months for
-- checklist question 4.6, and whether staff are asked to acknowledge the
-- behaviour policy.
CREATE TABLE awareness_settings (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    reach_threshold INTEGER NOT NULL,
    acknowledgement_wanted INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

-- The secret link staff follow to read and acknowledge the behaviour
-- policy without an account. Only the token's hash is kept; a new link
-- revokes the one before.
CREATE TABLE acknowledgement_links (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    token_hash TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX acknowledgement_links_token ON acknowledgement_links (token_hash);

-- One person's acknowledgement of one published version of the behaviour
-- policy.
CREATE TABLE policy_acknowledgements (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    document_version INTEGER NOT NULL,
    link_id BIGINT REFERENCES acknowledgement_links(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    unit_id BIGINT REFERENCES org_units(id),
    acknowledged_at TEXT NOT NULL
);
CREATE UNIQUE INDEX policy_acknowledgements_once ON policy_acknowledgements (document_id, document_version, email_key);
