SELECT rate, source FROM volunteer_rates WHERE year = ?
