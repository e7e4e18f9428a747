INSERT INTO volunteer_rates (year, rate, source, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (year) DO UPDATE SET rate = excluded.rate, source = excluded.source, updated_at = excluded.updated_at,
                                 updated_by = excluded.updated_by
