-- The register sorted by the treatment's deadline reads the risks in the
-- order of this index instead of sorting them all.
CREATE INDEX risks_deadline ON risks (organisation_id, deadline);
