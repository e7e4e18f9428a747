SELECT year, rate, source, updated_at, updated_by FROM volunteer_rates ORDER BY year
