-- The last load of the employment reference table (who, when, which file, its source and years).
SELECT loaded_at, actor, file_name, sha256, source, years, n_rows FROM employment_loads ORDER BY loaded_at DESC LIMIT 1
