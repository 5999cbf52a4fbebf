-- An organisation moved between installations (isms org import) brings its
-- audit trail along, but its records get new ids there. An imported event
-- shows the new ids (so a record's history finds it) and keeps in these
-- columns the values it was hashed with in the installation it came from,
-- so the chain stays verifiable. They are NULL for an event written here.
ALTER TABLE audit_events ADD COLUMN origin_organisation_id BIGINT;
ALTER TABLE audit_events ADD COLUMN origin_actor_id BIGINT;
ALTER TABLE audit_events ADD COLUMN origin_record_id BIGINT;
