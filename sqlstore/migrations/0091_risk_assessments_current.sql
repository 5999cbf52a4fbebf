-- Whether an asset's risk assessment is current is asked per asset (the
-- asset register, checklist question 3.1, the dashboard): an EXISTS over
-- risk_assessments by organisation, asset, status and reassessment date.
-- Without planner statistics SQLite answered it from the index on
-- (organisation_id, next_reassessment), reading every assessment of the
-- organisation for every asset: with 5,000 assets and 2,500 assessments
-- the checklist took two seconds. This index serves the whole condition.
CREATE INDEX risk_assessments_asset_current ON risk_assessments (organisation_id, asset_id, status, next_reassessment);
