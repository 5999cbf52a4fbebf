-- A supplier list or incident log uploaded and read, waiting for the user
-- to confirm its import after the preview (or refuse it). It is named by
-- the register it goes into and the file's SHA-256, so the preview's page
-- and its confirmation name the same file, and uploading it again
-- replaces the waiting copy. The rows are checked again on confirmation.
CREATE TABLE register_import_uploads (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    data {{BLOB}} NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX register_import_uploads_hash ON register_import_uploads (organisation_id, kind, sha256);
