-- The multipliers in force: the last load (reference year, file, when, who).
SELECT ref_year, file_name, sha256, loaded_at, actor, n_rows FROM io_multiplier_loads ORDER BY loaded_at DESC LIMIT 1
