-- Rows import $1 added rather than replaced (no previous version of the same enterprise-year to put back):
-- undoing it removes them. Run on `staged` from undo_stage.
SELECT count(*) FROM staged s
WHERE s.status = 'undo'
  AND NOT EXISTS (SELECT 1 FROM staged r WHERE r.status = 'restore' AND r.neq = s.neq AND r.year = s.year)
