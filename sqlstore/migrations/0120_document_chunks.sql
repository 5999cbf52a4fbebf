-- The files of document versions, in pieces: each file is kept as rows of
-- at most 1 MiB in order (seq 0, 1, …), so the server writes an upload and
-- reads a download one piece at a time and never holds a whole file in
-- memory. (Both drivers copy a parameter or a column value whole, so a
-- file in one value costs its size several times over while it is written
-- or read.) Text versions stay in document_versions.text_content.
--
-- document_versions.content held a whole file in one value. The files
-- stored there move here and the column stays, empty, so that archives
-- made before this migration still restore; the restore moves their files
-- the same way (moveLegacyDocContent in documents_content.go runs the two
-- statements after the table below).
CREATE TABLE document_chunks (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    version_id BIGINT NOT NULL REFERENCES document_versions(id),
    seq INTEGER NOT NULL,
    data {{BLOB}} NOT NULL,
    PRIMARY KEY (version_id, seq)
);

WITH RECURSIVE pieces (version_id, seq) AS (
    SELECT id, 0 FROM document_versions WHERE content IS NOT NULL AND length(content) > 0
    UNION ALL
    SELECT p.version_id, p.seq + 1 FROM pieces p JOIN document_versions v ON v.id = p.version_id
    WHERE (p.seq + 1) * 1048576 < length(v.content)
)
INSERT INTO document_chunks (organisation_id, version_id, seq, data)
SELECT v.organisation_id, p.version_id, p.seq, substr(v.content, p.seq * 1048576 + 1, 1048576)
FROM pieces p JOIN document_versions v ON v.id = p.version_id;

UPDATE document_versions SET content = NULL WHERE content IS NOT NULL;
