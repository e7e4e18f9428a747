SELECT year, rate, source, rate_high, source_high, updated_at, updated_by FROM volunteer_rates ORDER BY year
