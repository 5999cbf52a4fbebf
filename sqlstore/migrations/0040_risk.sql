-- Risk management (guide 2.3; ISO/IEC 27001 clauses 6.1.2, 6.1.3, 8.2,
-- 8.3): the organisation's risk method, assets, threat catalogues, risk
-- assessments and their risks, controls named by risks, management's
-- acceptances, the treatment plan's actions, and staged imports.

-- One method per organisation; without a row the defaults apply (the
-- "4x4 Standard" scale, the lowest band accepted, yearly reassessment).
-- The scale is kept whole as JSON, so a later change of the shipped
-- scales does not change an organisation's method under its feet.
CREATE TABLE risk_methods (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    scale_key TEXT NOT NULL,
    scale_json TEXT NOT NULL,
    accept_rule TEXT NOT NULL,
    accept_band TEXT NOT NULL DEFAULT '',
    accept_score INTEGER NOT NULL DEFAULT 0,
    dim_organisation INTEGER NOT NULL DEFAULT 0,
    dim_citizens INTEGER NOT NULL DEFAULT 0,
    dim_society INTEGER NOT NULL DEFAULT 0,
    default_interval_months INTEGER NOT NULL DEFAULT 12,
    description TEXT NOT NULL DEFAULT '',
    -- The document of the documentation register that describes the
    -- method (kind 'risk_method'); no foreign key, as that register may
    -- not exist in every installation.
    method_document_id BIGINT,
    updated_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

-- Assets. A primary asset is a business-overview entry (entry_id set; its
-- name and status are read from the entry, name here is the last one
-- seen); a supporting asset (hardware, software, location, supplier,
-- person) is kept here alone. NULL needs and criticality are derived.
-- entry_id has no foreign key: when the business overview deletes an
-- entry, its asset and the assessments of it stay, shown as retired.
CREATE TABLE assets (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    entry_id BIGINT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'active',
    criticality INTEGER,
    need_c INTEGER,
    need_i INTEGER,
    need_a INTEGER,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX assets_entry ON assets (organisation_id, entry_id);
CREATE INDEX assets_org_name ON assets (organisation_id, name);

-- Threat catalogues: the shipped one (organisation_id NULL, builtin_key
-- set) and organisations' own.
CREATE TABLE threat_catalogues (
    id {{ID}},
    organisation_id BIGINT REFERENCES organisations(id),
    builtin_key TEXT,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX threat_catalogues_org ON threat_catalogues (organisation_id);

CREATE TABLE threats (
    id {{ID}},
    catalogue_id BIGINT NOT NULL REFERENCES threat_catalogues(id),
    organisation_id BIGINT REFERENCES organisations(id),
    threat_key TEXT NOT NULL DEFAULT '',
    threat_group TEXT NOT NULL,
    name_da TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_da TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    affects_c INTEGER NOT NULL DEFAULT 0,
    affects_i INTEGER NOT NULL DEFAULT 0,
    affects_a INTEGER NOT NULL DEFAULT 0,
    asset_kinds TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX threats_catalogue ON threats (catalogue_id, threat_group);
CREATE INDEX threats_org ON threats (organisation_id);

-- Risk assessments of an asset or a scenario. basis_* are the asset's
-- needs when it was last assessed: when the business overview changes the
-- entry's requirement levels, they differ and the assessment is due
-- again. mark_* is a mark for ad-hoc reassessment.
CREATE TABLE risk_assessments (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    asset_id BIGINT REFERENCES assets(id),
    scenario TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    assessed_on TEXT,
    assessed_by BIGINT REFERENCES users(id),
    interval_months INTEGER NOT NULL,
    next_reassessment TEXT,
    basis_c INTEGER NOT NULL DEFAULT 0,
    basis_i INTEGER NOT NULL DEFAULT 0,
    basis_a INTEGER NOT NULL DEFAULT 0,
    mark_reason TEXT,
    mark_note TEXT NOT NULL DEFAULT '',
    mark_threat_id BIGINT,
    mark_at TEXT,
    mark_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risk_assessments_asset ON risk_assessments (organisation_id, asset_id);
CREATE INDEX risk_assessments_next ON risk_assessments (organisation_id, next_reassessment);

-- The risk register: one risk per threat to an assessment's subject. The
-- inherent and residual levels are stored with their score so the
-- register sorts and the heat map counts in the database; accepted_* are
-- the latest acceptance's, so "needs acceptance" is a filter in SQL.
CREATE TABLE risks (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    assessment_id BIGINT NOT NULL REFERENCES risk_assessments(id),
    asset_id BIGINT REFERENCES assets(id),
    threat_id BIGINT NOT NULL REFERENCES threats(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    likelihood INTEGER NOT NULL,
    cons_c INTEGER NOT NULL DEFAULT 0,
    cons_i INTEGER NOT NULL DEFAULT 0,
    cons_a INTEGER NOT NULL DEFAULT 0,
    cons_org INTEGER NOT NULL DEFAULT 0,
    cons_citizens INTEGER NOT NULL DEFAULT 0,
    cons_society INTEGER NOT NULL DEFAULT 0,
    inherent_l INTEGER NOT NULL,
    inherent_c INTEGER NOT NULL,
    inherent_score INTEGER NOT NULL,
    existing_text TEXT NOT NULL DEFAULT '',
    treatment TEXT NOT NULL DEFAULT '',
    treatment_note TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    deadline TEXT,
    residual_l INTEGER NOT NULL,
    residual_c INTEGER NOT NULL,
    residual_score INTEGER NOT NULL,
    acceptance_id BIGINT,
    accepted_until TEXT,
    accepted_l INTEGER NOT NULL DEFAULT 0,
    accepted_c INTEGER NOT NULL DEFAULT 0,
    open_tasks INTEGER NOT NULL DEFAULT 0,
    next_due TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risks_residual ON risks (organisation_id, residual_score);
CREATE INDEX risks_inherent ON risks (organisation_id, inherent_score);
CREATE INDEX risks_title ON risks (organisation_id, title);
CREATE INDEX risks_asset ON risks (organisation_id, asset_id, residual_score);
CREATE INDEX risks_owner ON risks (organisation_id, owner_id, residual_score);
CREATE INDEX risks_assessment ON risks (organisation_id, assessment_id);
CREATE INDEX risks_threat ON risks (organisation_id, threat_id);
CREATE INDEX risks_due ON risks (organisation_id, next_due);
CREATE INDEX risks_inherent_cell ON risks (organisation_id, inherent_l, inherent_c);
CREATE INDEX risks_residual_cell ON risks (organisation_id, residual_l, residual_c);

-- The existing and planned controls of each risk. The same links are
-- also kept in record_links (from 'risk' to 'control') for the
-- Statement of Applicability, which justifies controls by risks.
CREATE TABLE risk_controls (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    control_id BIGINT NOT NULL REFERENCES controls(id),
    role TEXT NOT NULL,
    PRIMARY KEY (risk_id, role, control_id)
);
CREATE INDEX risk_controls_control ON risk_controls (organisation_id, control_id);

CREATE TABLE risk_acceptances (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    accepted_by BIGINT NOT NULL REFERENCES users(id),
    accepted_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires TEXT NOT NULL,
    likelihood INTEGER NOT NULL,
    consequence INTEGER NOT NULL
);
CREATE INDEX risk_acceptances_risk ON risk_acceptances (risk_id, id);
CREATE INDEX risk_acceptances_expiry ON risk_acceptances (organisation_id, expires);

-- The actions of the risk treatment plan; their controls are record_links
-- from 'risk_task' to 'control'.
CREATE TABLE risk_tasks (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    deadline TEXT,
    status TEXT NOT NULL,
    completed_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risk_tasks_risk ON risk_tasks (organisation_id, risk_id);
CREATE INDEX risk_tasks_deadline ON risk_tasks (organisation_id, deadline);

-- Uploaded risk registers awaiting the user's confirmation after the
-- preview; kept in the database so any instance can finish the import.
CREATE TABLE risk_imports (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    data {{BLOB}} NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT
);
CREATE INDEX risk_imports_org ON risk_imports (organisation_id, created_at);
