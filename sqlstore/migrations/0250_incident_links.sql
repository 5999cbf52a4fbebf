-- Incidents linked both ways (guide 2.9 and 2.10): the nonconformities
-- raised from an incident or a supplier supervision name their source
-- record; an incident names the risks it touched or realised, the threats
-- it shows and the controls that failed or helped; and the communication
-- plan's entries that were carried out for it, with when, by whom and a
-- note. closed_at is when an incident was last closed, so the checklist
-- can ask about the incidents closed in the last twelve months.

ALTER TABLE incidents ADD COLUMN closed_at TEXT;
UPDATE incidents SET closed_at = updated_at WHERE status = 'closed';

-- An incident stays in the log once triaged, so the link cannot dangle; a
-- supervision may be deleted with its supplier, and the nonconformity then
-- keeps its source "supplier" without the record.
ALTER TABLE nonconformities ADD COLUMN source_incident_id BIGINT REFERENCES incidents(id);
ALTER TABLE nonconformities ADD COLUMN source_supervision_id BIGINT REFERENCES supplier_supervisions(id) ON DELETE SET NULL;
CREATE INDEX nonconformities_incident ON nonconformities (organisation_id, source_incident_id);

-- The risks an incident touched or realised; a risk deleted from the
-- register takes its links along.
CREATE TABLE incident_risks (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    risk_id BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, risk_id)
);
CREATE INDEX incident_risks_risk ON incident_risks (organisation_id, risk_id);

-- The threats of the threat catalogues an incident shows.
CREATE TABLE incident_threats (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    threat_id BIGINT NOT NULL REFERENCES threats(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, threat_id)
);
CREATE INDEX incident_threats_threat ON incident_threats (organisation_id, threat_id);

-- The Annex A or own controls an incident put to the test: effect 'failed'
-- (it did not stop or limit the incident) or 'helped' (it did).
CREATE TABLE incident_controls (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    control_id BIGINT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    effect TEXT NOT NULL,
    PRIMARY KEY (incident_id, control_id)
);
CREATE INDEX incident_controls_control ON incident_controls (organisation_id, control_id);

-- The communication plan's entries attached to an incident by the
-- coordinator, and those carried out for it: done_at is NULL while an
-- attached entry waits. The entry's text and case are kept with the row,
-- so the record of what was done outlives a change or removal of the plan.
CREATE TABLE incident_communications (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    entry_id BIGINT REFERENCES communication_entries(id) ON DELETE SET NULL,
    case_key TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    attached INTEGER NOT NULL DEFAULT 0,
    done_at TEXT,
    done_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX incident_communications_entry ON incident_communications (incident_id, entry_id);
CREATE INDEX incident_communications_org_entry ON incident_communications (organisation_id, entry_id);
