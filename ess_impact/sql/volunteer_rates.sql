SELECT year, rate, source FROM volunteer_rates ORDER BY year
