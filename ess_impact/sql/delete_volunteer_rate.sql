DELETE FROM volunteer_rates WHERE year = ?
