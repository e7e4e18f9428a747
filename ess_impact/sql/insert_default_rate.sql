INSERT INTO volunteer_rates (year, rate, source, updated_at, updated_by) VALUES (?, ?, ?, ?, 'défaut')
