-- A record's history (the audit events of one record, newest first) is read
-- on every record's page. With the record index ending at record_id, SQLite
-- chose the chain index for the ORDER BY seq and walked the organisation's
-- whole trail backwards, so a record's page cost what the organisation had
-- ever done (80 ms at 42,000 events). Ending the record index with seq
-- serves the filter and the order at once; the old index is its prefix.
CREATE INDEX audit_events_record_seq ON audit_events (organisation_id, record_type, record_id, seq);
DROP INDEX audit_events_record;
