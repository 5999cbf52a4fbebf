-- A participation file uploaded and read, waiting for the user to confirm
-- its import after the preview (or refuse it). It is named by the file's
-- SHA-256, so the preview's page and its confirmation name the same file
-- and uploading it again replaces the waiting copy. activity_id is the
-- activity chosen on the upload for a file without an activity column;
-- it is checked again on confirmation, as every row is.
CREATE TABLE awareness_import_uploads (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    activity_id BIGINT,
    data {{BLOB}} NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX awareness_import_uploads_hash ON awareness_import_uploads (organisation_id, sha256);
