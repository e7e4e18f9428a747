-- The specialised (high-end) volunteer rate of one year (issue 14), with its source; the year must have a rate.
UPDATE volunteer_rates SET rate_high = $rate, source_high = $source, updated_at = $now, updated_by = $actor
WHERE year = $year
