INSERT INTO employment_loads (loaded_at, actor, file_name, sha256, source, years, n_rows) VALUES (?, ?, ?, ?, ?, ?, ?)
