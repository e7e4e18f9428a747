-- The demo data set's specialised volunteer rate (issue 14): a fictitious rate, flagged by its source code, on the
-- years that have no specialised rate yet. Removed with the demo data (remove_demo.sql).
UPDATE volunteer_rates SET rate_high = $rate, source_high = $source
WHERE rate_high IS NULL
