SELECT year, rate, source, rate_high, source_high FROM volunteer_rates ORDER BY year
