-- Recurring refreshers (guide 2.5): a competence need may have to be
-- renewed every so many months (a GDPR refresher every 24 months, say),
-- and may name the annual wheel's activity that brings the refresher
-- round. The link has no foreign key: an activity deleted from the wheel
-- leaves the need without one (it is read through a join), rather than
-- stopping the wheel's own delete.

ALTER TABLE competence_needs ADD COLUMN refresh_months INTEGER NOT NULL DEFAULT 0;
ALTER TABLE competence_needs ADD COLUMN wheel_activity_id BIGINT;
