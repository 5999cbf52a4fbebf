-- Reading the controls of given risks (WHERE organisation_id = ? AND
-- risk_id IN (…)) must find them by risk. The primary key starts with
-- risk_id, but without planner statistics SQLite preferred the index on
-- (organisation_id, control_id) and read every control link of the
-- organisation for each risk: with 20,000 risks that made reading one risk
-- take 50–100 ms and a page of the register more. An index on both columns
-- of the condition is chosen on SQLite and PostgreSQL alike.
CREATE INDEX risk_controls_risk ON risk_controls (organisation_id, risk_id);
