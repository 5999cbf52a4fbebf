-- Internal audit (guide 2.9 "Intern audit", ISO/IEC 27001 clause 9.2):
-- the audit programme over a cycle of years, its audits with scope,
-- criteria, lead auditor, independence, dates, evidence and conclusion,
-- each audit's checklist (one line per clause or control in scope), and
-- its findings. A finding that is a nonconformity links the record it
-- became in the nonconformity register; the unique index keeps one
-- finding from becoming two nonconformities. An approved report carries
-- who approved it, when, and the checksum of the content approved.

CREATE TABLE audit_programmes (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    approach TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX audit_programmes_org ON audit_programmes (organisation_id, first_year);

CREATE TABLE internal_audits (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL REFERENCES audit_programmes(id),
    title TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL DEFAULT '',
    clauses TEXT NOT NULL DEFAULT '[]',
    controls TEXT NOT NULL DEFAULT '[]',
    planned_on TEXT NOT NULL,
    held_from TEXT,
    held_to TEXT,
    lead_auditor_id BIGINT REFERENCES users(id),
    other_auditors TEXT NOT NULL DEFAULT '',
    independence TEXT NOT NULL,
    independence_note TEXT NOT NULL DEFAULT '',
    evidence_seen TEXT NOT NULL DEFAULT '',
    conclusion TEXT NOT NULL DEFAULT '',
    wheel_activity_id BIGINT REFERENCES wheel_activities(id) ON DELETE SET NULL,
    approved_at TEXT,
    approved_by BIGINT REFERENCES users(id),
    report_checksum TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX internal_audits_org ON internal_audits (organisation_id, programme_id, planned_on);
CREATE INDEX internal_audits_held ON internal_audits (organisation_id, held_to);

CREATE TABLE internal_audit_checks (
    audit_id BIGINT NOT NULL REFERENCES internal_audits(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    ref TEXT NOT NULL,
    kind TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, ref)
);

CREATE TABLE internal_audit_findings (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    audit_id BIGINT NOT NULL REFERENCES internal_audits(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    ref TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    document_id BIGINT REFERENCES documents(id) ON DELETE SET NULL,
    recorded_by BIGINT REFERENCES users(id),
    nonconformity_id BIGINT REFERENCES nonconformities(id) ON DELETE SET NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX internal_audit_findings_audit ON internal_audit_findings (audit_id, id);
CREATE INDEX internal_audit_findings_org ON internal_audit_findings (organisation_id, ref);
CREATE UNIQUE INDEX internal_audit_findings_nc ON internal_audit_findings (nonconformity_id);
