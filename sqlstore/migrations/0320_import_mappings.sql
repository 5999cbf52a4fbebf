-- Saved mappings of imported spreadsheets: per organisation, register kind
-- and file shape (a hash of the kind and the normalised heading row), the
-- field each heading fills and what the file's words mean, so next year's
-- file with the same headings imports in one step.
CREATE TABLE import_mappings (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    shape TEXT NOT NULL,
    headings TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    values_json TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX import_mappings_shape ON import_mappings (organisation_id, kind, shape);

-- A risk is a scenario: an asset and a threat may carry several risks,
-- each with its own title. A register's own key for a risk (its "Risiko-id"
-- column) is kept so importing the file again updates the risk it made.
ALTER TABLE risks ADD COLUMN import_key TEXT NOT NULL DEFAULT '';
CREATE INDEX risks_import_key ON risks (organisation_id, import_key);
