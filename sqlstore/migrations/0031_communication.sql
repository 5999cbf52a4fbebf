-- The communication plan (guide 2.7): what is communicated, when, to
-- whom, by whom, through which channel, internal or external, and how
-- confidential it is; with the responsible person's acknowledgement of
-- the entry as it stands.

CREATE TABLE communication_entries (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    case_key TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    key_points TEXT NOT NULL DEFAULT '',
    timing TEXT NOT NULL,
    trigger_event TEXT NOT NULL DEFAULT '',
    response_time TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    responsible_id BIGINT REFERENCES users(id),
    sender_role_id BIGINT REFERENCES security_roles(id),
    status TEXT NOT NULL,
    assigned_at TEXT,
    acknowledged_by BIGINT REFERENCES users(id),
    acknowledged_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX communication_entries_org ON communication_entries (organisation_id, status, direction);
CREATE INDEX communication_entries_responsible ON communication_entries (organisation_id, responsible_id);
