-- The Statement of Applicability (guide 2.3 and 2.8): the organisation's
-- decision on each control (rows exist only for controls something was
-- recorded on; a control without a row is undecided), and the frozen
-- versions that management approves. Links from a line to requirements
-- and documents are record_links rows from_type 'soa', from_id = the
-- control's id; the risks a control treats are the risk register's links
-- from_type 'risk' to_type 'control'.

CREATE TABLE soa_controls (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    control_id BIGINT NOT NULL REFERENCES controls(id),
    applicability TEXT NOT NULL DEFAULT '',
    business_reason TEXT NOT NULL DEFAULT '',
    exclusion_reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    evidence TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, control_id)
);

-- A version's snapshot is written once and never updated; its checksum is
-- the SHA-256 of the stored text, and its state token and per-line
-- digests let the current state be compared with it without reading the
-- snapshot.
CREATE TABLE soa_versions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    checksum TEXT NOT NULL,
    state_token TEXT NOT NULL,
    digests TEXT NOT NULL,
    control_count INTEGER NOT NULL,
    applicable_count INTEGER NOT NULL,
    excluded_count INTEGER NOT NULL,
    frozen_by BIGINT NOT NULL REFERENCES users(id),
    frozen_at TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_at TEXT,
    approval_note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX soa_versions_number ON soa_versions (organisation_id, number);

-- Counting the risks per control over a large risk register reads the
-- links by target type and source type; this index answers that from the
-- index alone, already grouped by control.
CREATE INDEX record_links_by_target ON record_links (organisation_id, to_type, from_type, to_id, from_id);
