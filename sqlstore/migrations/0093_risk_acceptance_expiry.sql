-- The dashboard's risk agenda lists acceptances running out
-- (WHERE organisation_id = ? AND accepted_until <= ? ORDER BY
-- accepted_until): without this index every risk of the organisation was
-- read and sorted on each dashboard view.
CREATE INDEX risks_accepted_until ON risks (organisation_id, accepted_until);
