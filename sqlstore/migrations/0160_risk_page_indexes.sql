-- One risk's page lists the risk's acceptances (newest first) and its
-- actions (by deadline). Each query filters on the organisation and the
-- risk, but the only indexes that also served its order were the
-- organisation-wide ones, so SQLite walked every acceptance or every action
-- of the organisation to find the risk's few (7,000 acceptances at 20,000
-- risks). These indexes serve the filter and the order at once; the
-- actions' old index is the new one's prefix.
CREATE INDEX risk_acceptances_of_risk ON risk_acceptances (organisation_id, risk_id, id);
CREATE INDEX risk_tasks_of_risk ON risk_tasks (organisation_id, risk_id, deadline, id);
DROP INDEX IF EXISTS risk_tasks_risk;
