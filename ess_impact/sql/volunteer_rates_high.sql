-- The specialised volunteer rates (issue 14): year, rate_high, source_high (NULL where not set).
SELECT year, rate_high, source_high FROM volunteer_rates ORDER BY year
