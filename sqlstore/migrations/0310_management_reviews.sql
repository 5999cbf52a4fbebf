-- Management reviews (guide 2.9 "Ledelsesmæssig opfølgning", ISO/IEC 27001
-- clause 9.3): the review with the coordinator's inputs, the pack frozen
-- as JSON with its SHA-256 checksum when sent, and the decisions.
-- nothing_to_report holds the inputs declared empty, comma-separated.

CREATE TABLE management_reviews (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    review_date TEXT NOT NULL,
    forum_id BIGINT REFERENCES forums(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    feedback TEXT NOT NULL DEFAULT '',
    threat_landscape TEXT NOT NULL DEFAULT '',
    nothing_to_report TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    pack_json TEXT,
    checksum TEXT NOT NULL DEFAULT '',
    frozen_at TEXT,
    frozen_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX management_reviews_org ON management_reviews (organisation_id, review_date);

CREATE TABLE management_review_decisions (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    review_id BIGINT NOT NULL REFERENCES management_reviews(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    due_on TEXT,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX management_review_decisions_review ON management_review_decisions (organisation_id, review_id);
CREATE INDEX management_review_decisions_open ON management_review_decisions (organisation_id, status, due_on);
