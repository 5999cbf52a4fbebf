-- What the product derives from an organisation's records (the checklist's
-- answers, the dashboard's counts and due lists, the register's headline,
-- the heat map) is kept and reused until a write changes the records. Most
-- writes advance the organisation's audit chain, whose head then names the
-- state; the few that change records without an audit event (the daily
-- jobs that adopt assets and fill the documentation register, reminders
-- sent) advance this counter instead, in the same transaction.
ALTER TABLE audit_heads ADD COLUMN unaudited_changes INTEGER NOT NULL DEFAULT 0;
