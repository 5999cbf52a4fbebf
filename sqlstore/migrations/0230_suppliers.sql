-- Suppliers (guide 2.9, Annex A 5.19–5.23): the register of suppliers
-- with their criticality and owner; what depends on each (business
-- overview entries), the controls and risk treatments each carries; the
-- contracts and data processing agreements; and the supervision of each
-- supplier with its result, findings and follow-up.

CREATE TABLE suppliers (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    cvr TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    delivers TEXT NOT NULL DEFAULT '',
    criticality TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX suppliers_org ON suppliers (organisation_id, name);

CREATE TABLE supplier_links (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (supplier_id, kind, target_id)
);
CREATE INDEX supplier_links_org ON supplier_links (organisation_id, kind, target_id);

CREATE TABLE supplier_agreements (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    review_on TEXT,
    document_id BIGINT REFERENCES documents(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX supplier_agreements_supplier ON supplier_agreements (organisation_id, supplier_id);

CREATE TABLE supplier_supervisions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
    method TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    done_on TEXT,
    result TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL DEFAULT '',
    period_from TEXT,
    period_to TEXT,
    follow_up TEXT NOT NULL DEFAULT '',
    follow_up_due TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX supplier_supervisions_supplier ON supplier_supervisions (organisation_id, supplier_id, planned_on);
