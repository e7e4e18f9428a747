SELECT count(*) FROM volunteer_rates
