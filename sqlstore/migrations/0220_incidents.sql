-- Security incidents (guide 2.9; Annex A 5.24–5.28, 6.8): the reported
-- events and the incidents they became, their timelines, the assets they
-- touched and the reports sent to the authorities under NIS2 and GDPR.

CREATE TABLE incidents (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    detected_at TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    reporter_contact TEXT NOT NULL DEFAULT '',
    reported_by BIGINT REFERENCES users(id),
    reported_at TEXT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    -- severity is the level's place on the organisation's scale, 1 the
    -- lowest; 0 before triage.
    severity INTEGER NOT NULL DEFAULT 0,
    not_incident_reason TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    lessons TEXT NOT NULL DEFAULT '',
    nonconformity INTEGER NOT NULL DEFAULT 0,
    personal_data INTEGER NOT NULL DEFAULT 0,
    nis2_significant INTEGER NOT NULL DEFAULT 0,
    triaged_by BIGINT REFERENCES users(id),
    triaged_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_org ON incidents (organisation_id, detected_at);

-- The business overview entries (guide 2.1) and risk assets an incident
-- touched.
CREATE TABLE incident_links (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    entry_id BIGINT REFERENCES overview_entries(id),
    asset_id BIGINT REFERENCES assets(id)
);
CREATE INDEX incident_links_incident ON incident_links (incident_id);

-- The timeline: what happened, what was done, by whom.
CREATE TABLE incident_timeline (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    at TEXT NOT NULL,
    text TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at);

-- Each report sent to an authority stops its reporting clock.
CREATE TABLE incident_reports (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    regime TEXT NOT NULL,
    kind TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    recipient TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports (incident_id);

-- Which reporting regimes apply, and the severity scale in the
-- organisation's words (one level a line, lowest first; empty for the
-- default scale).
CREATE TABLE incident_settings (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    nis2_applies INTEGER NOT NULL DEFAULT 0,
    gdpr_applies INTEGER NOT NULL DEFAULT 1,
    severities TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
