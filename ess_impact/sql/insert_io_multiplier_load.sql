INSERT INTO io_multiplier_loads (loaded_at, actor, file_name, sha256, ref_year, n_rows) VALUES (?, ?, ?, ?, ?, ?)
